"""Spec tables as data: cleaning, outline, directives, deadlines, parties and the negative corpus."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from extractors import extract
from extractors.clean import clean

SPEC = Path(__file__).parent / "spec"


def load(name: str) -> Any:
    return yaml.safe_load((SPEC / name).read_text(encoding="utf-8"))


def _id(case: dict[str, Any]) -> str:
    return str(case.get("name") or case.get("text"))[:40]


@pytest.mark.parametrize("case", load("cleaning.yaml"), ids=_id)
def test_cleaning(case: dict[str, Any]) -> None:
    out = clean(case["input"]).text
    for want in case.get("has", []):
        assert want in out, f"{want!r} missing from {out!r}"
    for bad in case.get("not", []):
        assert bad not in out, f"{bad!r} left in {out!r}"


@pytest.mark.parametrize("case", load("deadlines.yaml"), ids=_id)
def test_deadlines(case: dict[str, Any]) -> None:
    meeting = case.get("meeting_date")
    text = case["text"] if "meeting_year" not in case else f"{case['meeting_year']}年工作会议上的讲话\n{case['text']}。"
    ex = extract(text, meeting_date=meeting)
    assert ex.items, "no item found"
    item = next(i for i in ex.items if case["text"][:6] in i.quote)
    if case["expect"] is None:
        assert item.deadline is None
        return
    assert item.deadline is not None
    got = item.deadline.model_dump()
    for key, want in case["expect"].items():
        value = got[key]
        if isinstance(value, date):
            value = value
        assert value == want, f"{key}: want {want!r}, got {value!r} ({got})"


@pytest.mark.parametrize("case", load("parties.yaml"), ids=_id)
def test_parties(case: dict[str, Any]) -> None:
    ex = extract(case["text"])
    assert ex.items
    item = ex.items[case.get("item", 0)] if "item" in case else next(
        (i for i in ex.items if i.responsible), ex.items[0])
    got = {p.name: p.role for p in item.responsible}
    assert got == case["parties"]
    for bad in case.get("not", []):
        assert all(bad not in name for name in got)


@pytest.mark.parametrize("case", load("directives.yaml"), ids=_id)
def test_directives(case: dict[str, Any]) -> None:
    ex = extract(case["text"])
    quotes = [i.quote for i in ex.items]
    if "items" in case:
        assert quotes == case["items"]
    if "count" in case:
        assert len(quotes) == case["count"], quotes
    if "kinds" in case:
        assert [i.kind for i in ex.items] == case["kinds"]


@pytest.mark.parametrize("case", load("outline.yaml"), ids=_id)
def test_outline(case: dict[str, Any]) -> None:
    ex = extract(case["text"])
    item = next(i for i in ex.items if case["item"] in i.quote)
    assert item.section == case["section"]


@pytest.mark.parametrize(("name", "text"), sorted(load("negative.yaml").items()))
def test_negative_corpus(name: str, text: str) -> None:
    ex = extract(text)
    assert [i.quote for i in ex.items] == [], name
