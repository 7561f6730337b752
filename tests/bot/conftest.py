from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.bot.harness import Harness, start


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[Harness]:
    h = start(tmp_path, now=datetime(2022, 5, 16, 2, tzinfo=UTC))
    yield h
    h.close()
