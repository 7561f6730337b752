"""The weekly digest (督办周报): what a 督办 officer reads on Monday morning. Pure data and text."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from checklists.colours import Colour, pace
from checklists.models import ChecklistView, EventView, ItemView
from checklists.services import ChecklistService
from checklists.status import Status

IDEOGRAPHIC_SPACE = "\u3000"  # pads Chinese names so the bars line up


@dataclass
class UnitRate:
    name: str
    done: int
    total: int

    @property
    def ratio(self) -> float:
        return self.done / self.total if self.total else 0.0


@dataclass
class Digest:
    title: str
    period: str
    completed: list[ItemView] = field(default_factory=list)
    newly_overdue: list[ItemView] = field(default_factory=list)
    due_next_week: list[ItemView] = field(default_factory=list)
    blocked: list[ItemView] = field(default_factory=list)
    units: list[UnitRate] = field(default_factory=list)
    pace: Counter[str] = field(default_factory=Counter)
    non_reporters: list[str] = field(default_factory=list)
    unassigned: int = 0


def week_label(start: date, end: date) -> str:
    return f"第{start.isocalendar()[1]}周({start.month}月{start.day}日—{end.month}月{end.day}日)"


def build_digest(cl: ChecklistView, events: list[tuple[str | None, EventView]], now: datetime,
                 today: date) -> Digest:
    start, end = today - timedelta(days=7), today - timedelta(days=1)
    live = [i for i in cl.items if i.status is not Status.CANCELLED]
    closed_ids = {item_id for item_id, e in events if e.action == "verify" and e.at >= now - timedelta(days=7)}
    d = Digest(title=cl.title, period=week_label(start, end))
    d.completed = [i for i in live if i.id in closed_ids]
    d.newly_overdue = [i for i in live if i.colour is Colour.RED and i.due and start <= i.due < today]
    d.due_next_week = [i for i in live if i.status.is_open and i.status is not Status.SUBMITTED and i.due
                       and today <= i.due < today + timedelta(days=7)]
    d.blocked = [i for i in live if i.status is Status.BLOCKED]
    units: dict[str, UnitRate] = {}
    for item in live:
        for party in item.parties:
            rate = units.setdefault(party.name, UnitRate(party.name, 0, 0))
            rate.total += 1
            rate.done += item.status is Status.CLOSED
    d.units = sorted(units.values(), key=lambda u: (-u.total, u.name))
    for item in live:
        if item.due and item.status.is_open and not item.rrule:
            d.pace[pace(item.created_at.date(), item.due, today, item.progress).verdict] += 1
    d.non_reporters = list(dict.fromkeys(u for i in live if i.report_missing for u in i.lead_assignees))
    d.unassigned = sum(1 for i in live if i.status.is_open and not i.lead_assignees)
    return d


def weekly_digest(service: ChecklistService, cl: ChecklistView, now: datetime, today: date) -> Digest:
    """The digest of the week before `now`, from the checklist and its recent audit events."""
    return build_digest(cl, service.checklist_events(cl.id, now - timedelta(days=8)), now, today)


def bar(ratio: float, width: int = 10) -> str:
    filled = round(max(0.0, min(1.0, ratio)) * width)
    return "▓" * filled + "░" * (width - filled)


def digest_lines(d: Digest, *, mention: bool = True, max_units: int = 15) -> list[str]:
    who = (lambda u: f"<@{u}>") if mention else (lambda u: u)
    lines = [f"📊 督办周报 · {d.period} · {d.title}",
             f"本周办结 {len(d.completed)} · 新增逾期 {len(d.newly_overdue)} · 下周到期 {len(d.due_next_week)}"
             f" · 受阻 {len(d.blocked)}"]
    if d.units:
        lines.append("各单位完成率")
        width = max(len(u.name) for u in d.units[:max_units])
        for u in d.units[:max_units]:
            name = u.name.ljust(width, IDEOGRAPHIC_SPACE)
            lines.append(f" {name}  {bar(u.ratio)} {round(u.ratio * 100)}%")
    lines.append(f"序时进度:超进度 {d.pace['超进度']} · 达进度 {d.pace['达进度']} · 欠进度 {d.pace['欠进度']}")
    for item in d.newly_overdue[:10]:
        lines.append(f"🔴 新增逾期:{item.text[:40]}")
    for item in d.blocked[:10]:
        lines.append(f"⛔ 受阻:{item.text[:40]}(原因:{item.note or '未说明'})")
    for item in d.due_next_week[:10]:
        lines.append(f"🔵 下周到期:{item.text[:40]}({item.due})")
    tail = []
    if d.non_reporters:
        tail.append("未反馈:" + " ".join(who(u) for u in d.non_reporters))
    tail.append(f"未指派:{d.unassigned} 项")
    lines.append("    ".join(tail))
    return lines
