"""The checklist in the channel: a header message and item messages grouped by section."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.ui.format import deadline_line, mentions, parties_line, status_tail
from bot.ui.limits import MAX_HEADER_TEXT, Blocks, cut, mrkdwn, paginate, plain
from checklists.colours import Colour
from checklists.digest import bar
from checklists.models import ChecklistView, ItemView
from checklists.status import Action, Status

ASSIGNEE_ACTIONS = (Action.ACKNOWLEDGE, Action.PROGRESS, Action.COMPLETE, Action.BLOCK)
SUPERVISOR_ACTIONS = (Action.VERIFY, Action.REJECT, Action.RESCHEDULE, Action.REASSIGN)
ITEM_MENU = "item_menu"
HISTORY = "history"


def header_blocks(cl: ChecklistView) -> tuple[Blocks, str]:
    counts = cl.counts()
    total = sum(counts.values())
    when = f"({cl.meeting_date.isoformat()})" if cl.meeting_date else ""
    title = cut(f"📋 督办清单|{cl.title}{when}", MAX_HEADER_TEXT)
    line = (f"共 {total} 项  ✅ {counts['done']}  ⚪ {counts['normal']}  🔵 {counts['blue']}  🟡 {counts['yellow']}"
            f"  🔴 {counts['red']}     {bar(cl.done_ratio)} {round(cl.done_ratio * 100)}%")
    sup = mentions(cl.supervisors) if cl.supervisors else "未设置"
    blocks: Blocks = [
        {"type": "header", "text": plain(title, MAX_HEADER_TEXT)},
        {"type": "section", "text": mrkdwn(line)},
        {"type": "context", "elements": [mrkdwn(f"牵头督办:{sup} · 发布人:<@{cl.owner}>")]},
        {"type": "actions", "block_id": f"header:{cl.id}", "elements": [
            {"type": "button", "action_id": "export_ledger", "text": plain("导出台账"), "value": cl.id},
            {"type": "button", "action_id": "filter_mine", "text": plain("只看我的"), "value": cl.id},
            {"type": "button", "action_id": "filter_overdue", "text": plain("只看逾期"), "value": cl.id},
            {"type": "button", "action_id": "refresh", "text": plain("刷新"), "value": cl.id},
        ]},
    ]
    text = f"督办清单|{cl.title}:共 {total} 项,逾期 {counts['red']} 项"
    return blocks, text


def item_text(item: ItemView, today: date) -> str:
    kind = "🚫 " if item.kind == "prohibition" else ""
    low = " ⚠️" if item.confidence < 0.6 else ""
    body = cut(item.text, 1500)
    return (f"{item.colour.emoji} *{item.seq}* {kind}{body}{low}\n"
            f"责任:{parties_line(item)} · 时限:{deadline_line(item)} · 状态:{item.status.label}"
            f"{f' {item.progress}%' if item.status is Status.IN_PROGRESS else ''}{status_tail(item, today)}")


def item_menu(item: ItemView) -> dict[str, Any]:
    """One select holds every action; the server decides who may use which (never the payload)."""
    options = [{"text": plain(a.label), "value": f"{a.value}|{item.id}|{item.version}"}
               for a in (*ASSIGNEE_ACTIONS, *SUPERVISOR_ACTIONS)]
    if item.rrule:
        options.insert(1, {"text": plain("登记本次完成"), "value": f"tick|{item.id}|{item.version}"})
    options.append({"text": plain("原文与记录"), "value": f"history|{item.id}|{item.version}"})
    return {"type": "static_select", "action_id": ITEM_MENU, "placeholder": plain("操作"), "options": options}


def item_blocks(item: ItemView, today: date) -> Blocks:
    return [{"type": "section", "block_id": f"item:{item.id}", "text": mrkdwn(item_text(item, today)),
             "accessory": item_menu(item)}]


def item_pages(items: tuple[ItemView, ...] | list[ItemView], today: date) -> list[tuple[Blocks, list[str]]]:
    """Items grouped by section, packed into as many messages as Slack's limits require.
    Returns each page's blocks and the ids of the items on it (an item is re-rendered with its page)."""
    groups: list[Blocks] = []
    owners: list[list[str]] = []
    section = None
    for item in items:
        if item.status is Status.CANCELLED:
            continue
        group: Blocks = []
        ids: list[str] = []
        if item.section != section:
            section = item.section
            group.append({"type": "context", "elements": [mrkdwn(f"*{cut(section or '总体要求', 280)}*")]})
        group += item_blocks(item, today)
        ids.append(item.id)
        groups.append(group)
        owners.append(ids)
    pages = paginate(groups)
    out: list[tuple[Blocks, list[str]]] = []
    k = 0
    for page in pages:
        ids = []
        n = 0
        while k < len(groups) and n + len(groups[k]) <= len(page):
            n += len(groups[k])
            ids += owners[k]
            k += 1
        out.append((page, ids))
    return out


def page_text(items: list[ItemView]) -> str:
    red = sum(i.colour is Colour.RED for i in items)
    return f"督办事项 {items[0].seq}–{items[-1].seq}" + (f"(逾期 {red} 项)" if red else "") if items else "督办事项"
