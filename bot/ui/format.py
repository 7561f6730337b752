"""Small text formats shared by the builders: dates, relative times, progress bars, mentions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from checklists.colours import Colour
from checklists.models import ItemView
from extractors.workdays import workdays_between

WEEKDAYS = "一二三四五六日"


def day_label(d: date) -> str:
    """5月20日(周五)"""
    return f"{d.month}月{d.day}日(周{WEEKDAYS[d.weekday()]})"


def relative(due: date | None, today: date) -> str:
    """还剩2个工作日 / 今天到期 / 逾期3天"""
    if due is None:
        return ""
    if due < today:
        return f"逾期 {(today - due).days} 天"
    if due == today:
        return "今天到期"
    return f"还剩{workdays_between(today, due)}个工作日"



def mention(slack_id: str) -> str:
    if slack_id.startswith("S"):
        return f"<!subteam^{slack_id}>"
    if slack_id.startswith(("C", "G")):
        return f"<#{slack_id}>"
    return f"<@{slack_id}>"


def mentions(ids: Iterable[str]) -> str:
    return " ".join(mention(i) for i in ids)


def parties_line(item: ItemView) -> str:
    if not item.parties:
        return "—"
    parts = []
    for p in item.parties:
        who = mentions(p.slack_ids) if p.slack_ids else f"{p.name}(未指派)"
        label = f"{p.name} {who}" if p.slack_ids else who
        parts.append(label + ("(牵头)" if p.role == "lead" else "(配合)" if p.role == "assist" else ""))
    return "、".join(parts)


def deadline_line(item: ItemView) -> str:
    if item.deadline_kind is None:
        return "—"
    if item.placeholder:
        return f"{item.deadline_text}(时限待明确)"
    if item.rrule:
        return item.deadline_text + (f" · 下次 {day_label(item.due)}" if item.due else "")
    if item.event_relative:
        return f"{item.deadline_text}(事件触发)"
    if item.due:
        return day_label(item.due)
    return item.deadline_text


def status_tail(item: ItemView, today: date) -> str:
    if item.colour in (Colour.RED, Colour.BLUE) and item.due:
        return " · " + relative(item.due, today)
    return ""
