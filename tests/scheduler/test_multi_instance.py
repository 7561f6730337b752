"""Three bot processes on one PostgreSQL send each of 1,000 reminders exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.fake_slack import FakeSlack
from checklists.services import Actor, ChecklistService
from checklists.store import Store, make_engine, upgrade
from extractors.models import Deadline, Extraction, Item, Party
from tests.fakes import FakeClock

N = 1000
ROOT = Path(__file__).parent.parent.parent


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    f = FakeSlack()
    yield f
    f.close()


def test_three_processes_send_each_reminder_once(pg_url: str, fake: FakeSlack, tmp_path: Path) -> None:
    engine = make_engine(pg_url)
    upgrade(engine)
    with engine.begin() as conn:  # a clean slate in this session's schema
        from checklists.orm import Base

        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    clock = FakeClock(datetime(2024, 5, 13, 2, tzinfo=UTC))
    service = ChecklistService(Store(engine), clock, ZoneInfo("Asia/Shanghai"))
    for n in range(N):
        service.set_directory(f"单位{n:04d}", [f"U{n:05d}"], Actor("UADMIN"))
    items = tuple(Item(id=str(n), text=f"单位{n:04d}要在5月20日前完成排查", quote="q", start=0, end=1,
                       responsible=(Party(name=f"单位{n:04d}", role="lead"),),
                       deadline=Deadline(kind="by", text="5月20日前", due=date(2024, 5, 20))) for n in range(N))
    service.create_from_extraction(Extraction(title="多实例测试", items=items), owner="UOWNER")
    engine.dispose()
    env = {**os.environ, "DUBAN_DATABASE__URL": pg_url, "DUBAN_SLACK__API_BASE_URL": fake.api_url,
           "DUBAN_SLACK__POST_INTERVAL_SECONDS": "0", "DUBAN_SCHEDULER__MAX_SENDS_PER_SECOND": "0",
           "SLACK_BOT_TOKEN": "xoxb-test-token", "DUBAN_CONFIG": str(tmp_path / "none.toml")}
    env.pop("SLACK_APP_TOKEN", None)
    # Wednesday 15th 09:00: 3 working days before the 20th, every item's first reminder is due.
    cmd = [sys.executable, "-m", "bot.cli", "tick", "--now", "2024-05-15T09:00:00+08:00"]
    procs = [subprocess.Popen([*cmd, "--worker", f"w{i}"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(3)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-500:] for o in outs]
    keys = Counter(c.params["metadata"]["event_payload"]["key"] for c in fake.of("chat.postMessage"))
    assert [k for k, c in keys.items() if c > 1] == []  # 0 duplicates
    assert len(keys) == N  # 0 missing
    assert {k.split(":")[-1] for k in keys} == {f"U{n:05d}" for n in range(N)}
    assert sum("发送/结清" in o[0] for o in outs) == 3
