"""Shared fixtures: paths to the bundled corpus and the PostgreSQL URL for the store contract tests."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from checklists.services import ChecklistService
from checklists.store import Store
from tests.fakes import FakeClock

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"


def pytest_configure(config: pytest.Config) -> None:
    """A compiled extractor module (setup.py, mypyc) older than its source would shadow the edit under
    test: Python imports the .so before the .py. Refuse to run rather than test stale code."""
    for built in (ROOT / "extractors").glob("*.so"):
        source = built.parent / (built.name.split(".")[0] + ".py")
        if source.exists() and source.stat().st_mtime > built.stat().st_mtime:
            pytest.exit(f"{built.name} is older than {source.name}: run `make install` (or remove the .so files)",
                        returncode=4)
SPEECHES = DATA / "speeches"


@pytest.fixture(scope="session")
def speeches() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SPEECHES.glob("*.txt"))}


PG_URL = os.environ.get("DUBAN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_available() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3):
            return None
    except Exception as exc:  # any failure means: skip, and say why
        return f"PostgreSQL not reachable at {PG_URL}: {type(exc).__name__}"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh schema on the test PostgreSQL for this session, dropped at the end."""
    reason = _pg_available()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI has PostgreSQL: a missing server there is a failure, not a skip
        pytest.skip(reason)
    import psycopg

    schema = f"duban_test_{uuid.uuid4().hex[:10]}"
    raw = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(raw, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with psycopg.connect(raw, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def _reset(engine: Engine) -> None:
    from checklists.orm import Base

    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The same repository contract on SQLite and on the real PostgreSQL."""
    from checklists.store import make_engine, upgrade

    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'duban.db'}")
        upgrade(engine)
    else:
        url = request.getfixturevalue("pg_url")
        engine = make_engine(url)
        upgrade(engine)
        _reset(engine)
    yield Store(engine)
    engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def service(store: Store, clock: FakeClock) -> ChecklistService:
    return ChecklistService(store, clock, ZoneInfo("Asia/Shanghai"))
