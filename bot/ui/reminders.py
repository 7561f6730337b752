"""DMs the scheduler sends: reminders, 反馈 requests, escalations, the 督办单, the unassigned list, digests."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.ui.checklist import ITEM_MENU
from bot.ui.format import day_label, mentions, parties_line, relative
from bot.ui.limits import MAX_BLOCKS_MESSAGE, Blocks, cut, mrkdwn, plain
from checklists.digest import Digest, digest_lines
from checklists.models import ChecklistView, EventView, ItemView
from checklists.status import Action

PER_MESSAGE = 20  # items per DM: each takes two blocks, well under 50 and the text budget


def _menu(item: ItemView, actions: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    return {"type": "static_select", "action_id": ITEM_MENU, "placeholder": plain("操作"),
            "options": [{"text": plain(label), "value": f"{op}|{item.id}|{item.version}"} for op, label in actions]}


ASSIGNEE_MENU = ((Action.ACKNOWLEDGE.value, "签收"), (Action.PROGRESS.value, "更新进展"), (Action.COMPLETE.value, "完成"),
                 (Action.BLOCK.value, "申请协调(受阻)"))
FEEDBACK_MENU = ((Action.PROGRESS.value, "按计划推进"), (Action.COMPLETE.value, "已完成"), (Action.BLOCK.value, "遇到困难"))


def _when(item: ItemView, today: date, due: date | None) -> str:
    if due is None:
        return item.deadline_label
    return f"{day_label(due)}到期 · {relative(due, today)}"


def reminder_blocks(items: list[tuple[ItemView, ChecklistView, date | None]], today: date, *,
                    late: bool) -> tuple[Blocks, str]:
    head = f"{'(补发)' if late else ''}⏰ 你负责的 {len(items)} 项任务临近时限或已逾期"
    blocks: Blocks = [{"type": "section", "text": mrkdwn(f"*{head}*")}]
    for item, cl, due in items[:PER_MESSAGE]:
        menu = ASSIGNEE_MENU if not item.rrule else (("tick", "登记本次完成"), *ASSIGNEE_MENU[1:])
        blocks.append({"type": "section", "text": mrkdwn(f"{item.colour.emoji} {cut(item.text, 300)}\n{_when(item, today, due)}"),
                       "accessory": _menu(item, menu)})
        blocks.append({"type": "context", "elements": [mrkdwn(f"来自:督办清单|{cut(cl.title, 100)}")]})
    assert len(blocks) <= MAX_BLOCKS_MESSAGE
    return blocks, head


def feedback_blocks(items: list[tuple[ItemView, ChecklistView]], deadline_label: str, *,
                    late: bool = False) -> tuple[Blocks, str]:
    head = f"{'(补发)' if late else ''}📝 本周进展反馈 · 请在 {deadline_label} 前填写"
    blocks: Blocks = [{"type": "section", "text": mrkdwn(f"*{head}*\n每项选择一个:按计划推进(填进度)/已完成/遇到困难")}]
    for n, (item, cl) in enumerate(items[:PER_MESSAGE], 1):
        blocks.append({"type": "section", "text": mrkdwn(f"{n} {cut(item.text, 300)}\n当前:{item.status.label} {item.progress}%"),
                       "accessory": _menu(item, FEEDBACK_MENU)})
        blocks.append({"type": "context", "elements": [mrkdwn(f"督办清单|{cut(cl.title, 100)}")]})
    return blocks, head


def escalation_blocks(items: list[tuple[ItemView, ChecklistView]], colour: str, today: date) -> tuple[Blocks, str]:
    head = "🔴 逾期督办:以下事项已超过时限" if colour == "red" else "🟡 督办提醒:以下事项进度滞后或受阻"
    blocks: Blocks = [{"type": "section", "text": mrkdwn(f"*{head}*")}]
    for item, cl in items[:PER_MESSAGE]:
        blocks.append({"type": "section", "text": mrkdwn(
            f"{item.colour.emoji} {cut(item.text, 300)}\n{_when(item, today, item.due)} · 状态:{item.status.label}"
            f"{f' · 进度 {item.progress}%' if item.progress else ''}"), "accessory": _menu(item, ASSIGNEE_MENU)})
        blocks.append({"type": "context", "elements": [mrkdwn(f"来自:督办清单|{cut(cl.title, 100)}")]})
    return blocks, head


def dubandan_blocks(item: ItemView, cl: ChecklistView, events: list[EventView], today: date) -> tuple[Blocks, str]:
    """督办单: the item, days overdue, its record, and who has not reported."""
    days = (today - item.due).days if item.due else 0
    head = f"🔴 督办单 · 逾期 {days} 天"
    steps = [f"{e.at:%m/%d} {_ACTION_CN.get(e.action, e.action)}" for e in events if e.action in _ACTION_CN]
    trail = [f"{cl.created_at:%m/%d} 发布", *steps[-6:]]
    if not any(e.action in ("progress", "complete") for e in events):
        trail.append("未反馈进展")
    leads = [p for p in item.parties if p.role == "lead"] or list(item.parties)
    assists = [p for p in item.parties if p not in leads]
    who = "、".join(f"{mentions(p.slack_ids) or p.name}(牵头)" if p.role == "lead" else (mentions(p.slack_ids) or p.name)
                   for p in leads) or "未指派"
    text = (f"*{head}*\n任务:{cut(item.text, 500)}({cut(item.section or '—', 80)} 第{item.seq}项)\n责任:{who}"
            + (f" · 配合:{'、'.join(mentions(p.slack_ids) or p.name for p in assists)}" if assists else "")
            + f"\n记录:{' → '.join(trail)}")
    blocks: Blocks = [
        {"type": "section", "text": mrkdwn(text)},
        {"type": "actions", "elements": [
            {"type": "button", "action_id": "nudge", "text": plain("提醒责任人"), "value": item.id},
            _menu(item, ((Action.RESCHEDULE.value, "改期"), (Action.REASSIGN.value, "改派"), (Action.VERIFY.value, "办结")))]},
        {"type": "context", "elements": [mrkdwn(f"督办清单|{cut(cl.title, 100)}")]},
    ]
    return blocks, f"{head}:{cut(item.text, 60)}"


def dubandan_summary_blocks(items: list[ItemView], cl: ChecklistView, today: date) -> tuple[Blocks, str]:
    """Several items of one checklist turned red together: one 督办单 listing them, not a flood."""
    head = f"🔴 督办单 · 《{cut(cl.title, 60)}》{len(items)} 项逾期"
    lines = []
    for item in items[:25]:
        days = (today - item.due).days if item.due else 0
        who = "、".join(mentions(p.slack_ids) or p.name for p in item.parties) or "未指派"
        lines.append(f"• 第{item.seq}项 {cut(item.text, 60)} · 逾期 {days} 天 · 责任:{who}")
    if len(items) > 25:
        lines.append(f"…另有 {len(items) - 25} 项,见清单")
    blocks: Blocks = [{"type": "section", "text": mrkdwn(f"*{head}*\n" + "\n".join(lines))},
                      {"type": "context", "elements": [mrkdwn("在清单中对各项选择「改期/改派/办结」,或点「提醒责任人」")]}]
    return blocks, head


_ACTION_CN = {"acknowledge": "签收", "progress": "更新进展", "complete": "报完成", "block": "受阻", "verify": "办结",
              "reject": "退回", "reschedule": "改期", "reassign": "改派", "report_requested": "请求反馈"}


def unassigned_blocks(cl: ChecklistView, items: list[ItemView]) -> tuple[Blocks, str]:
    head = f"📌 《{cut(cl.title, 60)}》有 {len(items)} 项尚未指派责任人"
    blocks: Blocks = [{"type": "section", "text": mrkdwn(f"*{head}*\n选择成员后,该责任单位会被记住,以后自动关联。")}]
    for item in items[:22]:
        blocks.append({"type": "section", "block_id": f"assign:{item.id}", "text": mrkdwn(
            f"*{item.seq}* {cut(item.text, 200)}\n责任:{parties_line(item)}"),
            "accessory": {"type": "users_select", "action_id": "assign_party", "placeholder": plain("指派给")}})
    return blocks, head


def digest_blocks(d: Digest, ledger_name: str) -> tuple[Blocks, str]:
    lines = digest_lines(d)
    body = "\n".join(lines[1:])
    blocks: Blocks = [{"type": "section", "text": mrkdwn(f"*{cut(lines[0], 200)}*")},
                      {"type": "section", "text": mrkdwn(cut(body, 2900))},
                      {"type": "context", "elements": [mrkdwn(f"📎 {ledger_name}")]}]
    return blocks, lines[0]


def cross_digest_blocks(rows: list[tuple[ChecklistView, Digest]], period: str) -> tuple[Blocks, str]:
    head = f"📊 督办周报汇总 · {period} · {len(rows)} 份清单"
    lines = []
    for cl, d in rows[:40]:
        c = cl.counts()
        lines.append(f"• *{cut(cl.title, 40)}* 本周办结 {len(d.completed)} · 新增逾期 {len(d.newly_overdue)} · "
                     f"下周到期 {len(d.due_next_week)} · 受阻 {len(d.blocked)} · 🔴 {c['red']} · 未指派 {d.unassigned}")
    return [{"type": "section", "text": mrkdwn(f"*{head}*")},
            {"type": "section", "text": mrkdwn(cut("\n".join(lines), 2900))}], head


def missing_reports_blocks(cl: ChecklistView, items: list[ItemView]) -> tuple[Blocks, str]:
    head = f"🟡 《{cut(cl.title, 60)}》{len(items)} 项未按时反馈"
    lines = [f"• {cut(i.text, 80)} — {mentions(i.lead_assignees) or '未指派'}" for i in items[:30]]
    return [{"type": "section", "text": mrkdwn(f"*{head}*\n" + "\n".join(lines))}], head


def folded_blocks(count: int, items: list[str]) -> tuple[Blocks, str]:
    head = f"⏰ 服务恢复:{len(items)} 项事项的 {count} 条提醒未能按时送达,汇总如下"
    body = "\n".join(f"• {cut(t, 80)}" for t in items[:40])
    return [{"type": "section", "text": mrkdwn(f"*{head}*\n{body}")}], head
