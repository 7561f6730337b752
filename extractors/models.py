"""Frozen pydantic models: the contract between extraction and everything downstream."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PartyRole = Literal["lead", "assist", "owner"]
DeadlineKind = Literal["within", "by", "recurring", "immediate", "asap"]
ItemKind = Literal["task", "prohibition"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Party(_Frozen):
    name: str
    role: PartyRole = "owner"
    rule: str = ""


class Deadline(_Frozen):
    kind: DeadlineKind
    text: str
    unit: str | None = None
    amount: float | int | None = None
    placeholder: bool = False
    due: date | None = None
    rrule: str | None = None
    # A `within` deadline that runs from an event ("发现病例X小时内") has no calendar date.
    event_relative: bool = False
    rule: str = ""


class Item(_Frozen):
    id: str
    text: str
    quote: str
    start: int
    end: int
    section: str = ""
    kind: ItemKind = "task"
    responsible: tuple[Party, ...] = ()
    deadline: Deadline | None = None
    confidence: float = 0.9
    warnings: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()


class Span(_Frozen):
    start: int
    end: int
    reason: str


class CleaningReport(_Frozen):
    removed: tuple[str, ...] = ()  # names of junk rules that fired
    traditional: bool = False
    pinyin_stripped: int = 0
    garbled: tuple[Span, ...] = ()
    redactions: int = 0


class Extraction(_Frozen):
    title: str = ""
    meeting_date: date | None = None
    meeting_year: int | None = None
    text: str = ""
    items: tuple[Item, ...] = Field(default_factory=tuple)
    cleaning: CleaningReport = Field(default_factory=CleaningReport)

    def contract(self, *, explain: bool = False) -> dict[str, object]:
        """The JSON contract of corpus/README.md (score.py reads it)."""
        items = []
        for it in self.items:
            d = it.deadline
            row: dict[str, object] = {
                "id": it.id, "text": it.text, "quote": it.quote, "start": it.start, "end": it.end,
                "section": it.section, "kind": it.kind,
                "responsible": [{"name": p.name, "role": p.role} for p in it.responsible],
                "deadline": None if d is None else {
                    "kind": d.kind, "text": d.text, "unit": d.unit, "amount": d.amount,
                    "placeholder": d.placeholder, "due": d.due.isoformat() if d.due else None,
                    "rrule": d.rrule,
                },
                "confidence": round(it.confidence, 2),
            }
            if explain:
                row["rules"] = list(it.rules) + ([d.rule] if d else []) + [p.rule for p in it.responsible]
                row["warnings"] = list(it.warnings)
            items.append(row)
        return {"title": self.title,
                "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
                "items": items}
