"""Read models the services hand out: frozen pydantic snapshots, detached from any session."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from checklists.colours import Colour
from checklists.status import Status


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class PartyView(_Frozen):
    name: str
    role: str  # lead | assist | owner
    slack_ids: tuple[str, ...] = ()

    @property
    def role_label(self) -> str:
        return {"lead": "牵头", "assist": "配合"}.get(self.role, "责任")


class OccurrenceView(_Frozen):
    due: date
    done_at: datetime | None = None
    done_by: str = ""


class ItemView(_Frozen):
    id: str
    checklist_id: str
    seq: int
    section: str
    text: str
    quote: str
    kind: str
    status: Status
    progress: int
    note: str
    deadline_kind: str | None
    deadline_text: str
    placeholder: bool
    event_relative: bool
    due: date | None
    rrule: str | None
    confidence: float
    message_ts: str
    version: int
    created_at: datetime
    parties: tuple[PartyView, ...]
    colour: Colour
    occurrences: tuple[OccurrenceView, ...] = ()
    streak: int = 0
    misses: int = 0
    report_missing: bool = False  # a 反馈 was asked for and its deadline passed unanswered
    reported_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def assignees(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i for p in self.parties for i in p.slack_ids))

    @property
    def lead_assignees(self) -> tuple[str, ...]:
        leads = [p for p in self.parties if p.role == "lead"] or list(self.parties)
        return tuple(dict.fromkeys(i for p in leads for i in p.slack_ids))

    @property
    def standing_rule(self) -> bool:
        """An event-relative deadline ("发现病例X小时内要报告"): acknowledged, never dated."""
        return self.event_relative

    @property
    def deadline_label(self) -> str:
        if self.deadline_kind is None:
            return "—"
        if self.placeholder:
            return f"{self.deadline_text}(时限待明确)"
        if self.due is not None:
            return f"{self.due.month}月{self.due.day}日({'一二三四五六日'[self.due.weekday()]})"
        return self.deadline_text


class ChecklistView(_Frozen):
    id: str
    title: str
    meeting_date: date | None
    workspace: str
    channel: str
    header_ts: str
    owner: str
    supervisors: tuple[str, ...]
    settings: dict[str, Any]
    created_at: datetime
    items: tuple[ItemView, ...]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {c.value: 0 for c in Colour}
        for item in self.items:
            if item.status is not Status.CANCELLED:
                out[item.colour.value] += 1
        return out

    @property
    def done_ratio(self) -> float:
        live = [i for i in self.items if i.status is not Status.CANCELLED]
        return sum(i.status is Status.CLOSED for i in live) / len(live) if live else 0.0


class EventView(_Frozen):
    at: datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    data: dict[str, Any]
