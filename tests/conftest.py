"""Shared fixtures: paths to the bundled corpus and the PostgreSQL URL for the store contract tests."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SPEECHES = DATA / "speeches"


@pytest.fixture(scope="session")
def speeches() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SPEECHES.glob("*.txt"))}
