"""A simulated month: exactly the expected sends, in order (a reviewed golden list, not counts)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.bot.harness import Harness, start
from tests.scheduler.simulation import TZ, run_month

GOLDEN = Path(__file__).parent.parent / "golden" / "scheduler_month.txt"


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[Harness]:
    h = start(tmp_path, now=datetime(2024, 9, 23, 2, tzinfo=UTC), supervisor_channel="CSUP")
    yield h
    h.close()


def test_simulated_month(bot: Harness) -> None:
    log = run_month(bot, restart_at=datetime(2024, 10, 10, 6, tzinfo=TZ), downtime=timedelta(hours=54))
    text = "\n".join(log) + "\n"
    if os.environ.get("DUBAN_UPDATE_GOLDEN") or not GOLDEN.exists():
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
    # the properties the golden list was reviewed for
    days = Counter(line[:5] for line in log)
    assert not any(d in days for d in ("10-01", "10-02", "10-03", "10-04", "10-05", "10-06", "10-07")), "holiday sends"
    assert "09-29" in days, "the 调休 Sunday is a working day"
    assert all("08:00" <= line[10:15] < "20:00" for line in log), "quiet hours"
    keys = [line for line in log]
    assert len(keys) == len(set(keys)), "a send twice"
