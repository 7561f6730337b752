"""A golden file per seed speech and per test document: the full JSON contract. Regenerate with DUBAN_UPDATE_GOLDEN=1 after a
reviewed change; the diff in git is the review."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from extractors import extract
from tests.conftest import SPEECHES

GOLDEN = Path(__file__).parent.parent / "golden"
DOCUMENTS = Path(__file__).parent.parent / "data" / "documents"
NAMES = sorted(p.name for p in SPEECHES.glob("*.txt"))
SOURCES = [(SPEECHES / n, GOLDEN / n) for n in NAMES] + [
    (p, GOLDEN / "documents" / p.name) for p in sorted(DOCUMENTS.glob("*.txt"))]


@pytest.mark.parametrize(("source", "golden"), SOURCES, ids=[s.name for s, _ in SOURCES])
def test_golden(source: Path, golden: Path) -> None:
    got = extract(source.read_text(encoding="utf-8")).contract(explain=True)
    path = golden.with_suffix(".json")
    path.parent.mkdir(exist_ok=True)
    if os.environ.get("DUBAN_UPDATE_GOLDEN") or not path.exists():
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    want = json.loads(path.read_text(encoding="utf-8"))
    assert got == want


@pytest.mark.parametrize("name", NAMES)
def test_quotes_are_exact_spans(name: str) -> None:
    ex = extract((SPEECHES / name).read_text(encoding="utf-8"))
    assert ex.items
    for item in ex.items:
        assert ex.text[item.start: item.end] == item.quote
        assert len(item.quote) <= 400
    assert len({i.id for i in ex.items}) == len(ex.items)
