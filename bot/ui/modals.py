"""Modals: short inputs only (a modal text input holds at most 3,000 characters)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.ui.limits import MAX_INPUT_CHARS, Blocks, cut, mrkdwn, plain
from checklists.models import EventView, ItemView
from checklists.status import STATUS_LABELS, Action, Status

View = dict[str, Any]


def _modal(callback_id: str, title: str, blocks: Blocks, metadata: str, submit: str = "提交") -> View:
    return {"type": "modal", "callback_id": callback_id, "title": plain(title, 24), "submit": plain(submit, 24),
            "close": plain("取消", 24), "private_metadata": metadata, "blocks": blocks}


def _input(block_id: str, label: str, element: dict[str, Any], optional: bool = False) -> dict[str, Any]:
    return {"type": "input", "block_id": block_id, "label": plain(label), "element": element, "optional": optional}


def _text(action_id: str, *, multiline: bool = False, initial: str = "", placeholder: str = "") -> dict[str, Any]:
    el: dict[str, Any] = {"type": "plain_text_input", "action_id": action_id, "multiline": multiline,
                          "max_length": MAX_INPUT_CHARS}
    if initial:
        el["initial_value"] = cut(initial, MAX_INPUT_CHARS)
    if placeholder:
        el["placeholder"] = plain(placeholder, 150)
    return el


def progress_modal(item: ItemView) -> View:
    steps = list(range(0, 101, 10))
    options = [{"text": plain(f"{p}%"), "value": str(p)} for p in steps]
    current = options[min(range(len(steps)), key=lambda k: abs(steps[k] - item.progress))]
    return _modal("progress", "更新进展", [
        {"type": "section", "text": mrkdwn(cut(item.text, 500))},
        _input("percent", "完成进度", {"type": "static_select", "action_id": "value", "options": options,
                                     "initial_option": current}),
        _input("comment", "进展说明", _text("value", multiline=True), optional=True),
        _input("evidence", "佐证材料链接", _text("value", placeholder="https://…"), optional=True),
    ], f"{item.id}|{item.version}")


def reason_modal(item: ItemView, action: Action) -> View:
    label = {Action.BLOCK: "受阻原因", Action.REJECT: "退回原因", Action.CANCEL: "撤销原因"}.get(action, "说明")
    return _modal(f"reason:{action.value}", action.label, [
        {"type": "section", "text": mrkdwn(cut(item.text, 500))},
        _input("reason", label, _text("value", multiline=True)),
    ], f"{item.id}|{item.version}")


def complete_modal(item: ItemView) -> View:
    return _modal("complete", "标记完成", [
        {"type": "section", "text": mrkdwn(cut(item.text, 500))},
        _input("evidence", "佐证材料链接", _text("value", placeholder="https://…"), optional=True),
        _input("comment", "完成情况", _text("value", multiline=True), optional=True),
    ], f"{item.id}|{item.version}")


def reschedule_modal(item: ItemView) -> View:
    blocks: Blocks = [{"type": "section", "text": mrkdwn(cut(item.text, 500))}]
    due: dict[str, Any] = {"type": "datepicker", "action_id": "value"}
    if item.due:
        due["initial_date"] = item.due.isoformat()
    blocks.append(_input("due", "新的完成时限", due, optional=True))
    if item.placeholder:
        blocks.append(_input("amount", f"补充时限数值(原文:{cut(item.deadline_text, 30)})",
                             {"type": "number_input", "action_id": "value", "is_decimal_allowed": True}, optional=True))
    blocks.append(_input("comment", "说明", _text("value"), optional=True))
    return _modal("reschedule", "改期", blocks, f"{item.id}|{item.version}")


def reassign_modal(item: ItemView) -> View:
    current = "、".join(f"{p.name}:{p.role_label}" for p in item.parties)
    return _modal("reassign", "改派", [
        {"type": "section", "text": mrkdwn(cut(item.text, 500))},
        _input("parties", "责任单位(名称:牵头/配合/责任,用、分隔)", _text("value", initial=current)),
        _input("comment", "说明", _text("value"), optional=True),
    ], f"{item.id}|{item.version}")


def history_modal(item: ItemView, events: list[EventView]) -> View:
    blocks: Blocks = [
        {"type": "section", "text": mrkdwn(f"*原文依据*\n>{cut(item.quote, 2800)}")},
        {"type": "section", "text": mrkdwn(f"*所在部分*:{cut(item.section or '—', 500)}")},
        {"type": "divider"},
    ]
    for e in events[-90:]:
        to = STATUS_LABELS.get(Status(e.to_status), e.to_status) if e.to_status else ""
        note = e.data.get("reason") or e.data.get("comment") or ""
        blocks.append({"type": "context", "elements": [mrkdwn(
            f"{e.at:%m-%d %H:%M} <@{e.actor}> {e.action}{' → ' + to if to else ''}{' · ' + cut(note, 200) if note else ''}")]})
    return {"type": "modal", "title": plain("原文与记录", 24), "close": plain("关闭", 24), "blocks": blocks}


def draft_edit_modal(draft_id: str, item_id: str, text: str, parties: str, due: date | None,
                     placeholder: bool) -> View:
    due_el: dict[str, Any] = {"type": "datepicker", "action_id": "value"}
    if due:
        due_el["initial_date"] = due.isoformat()
    blocks: Blocks = [
        _input("text", "任务内容", _text("value", multiline=True, initial=text)),
        _input("parties", "责任单位(名称:牵头/配合/责任,用、分隔)", _text("value", initial=parties), optional=True),
        _input("due", "完成时限", due_el, optional=True),
    ]
    if placeholder:
        blocks.append(_input("amount", "补充原文中的 X", {"type": "number_input", "action_id": "value",
                                                         "is_decimal_allowed": True}, optional=True))
    return _modal("draft_edit", "编辑事项", blocks, f"{draft_id}|{item_id}", submit="保存")


def quote_modal(quote: str, section: str) -> View:
    return {"type": "modal", "title": plain("原文依据", 24), "close": plain("关闭", 24), "blocks": [
        {"type": "section", "text": mrkdwn(f">{cut(quote, 2900)}")},
        {"type": "context", "elements": [mrkdwn(cut(section or "—", 1000))]}]}


def publish_modal(draft_id: str) -> View:
    return _modal("publish", "发布到频道", [
        _input("channel", "发布到", {"type": "conversations_select", "action_id": "value",
                                  "filter": {"include": ["public", "private"], "exclude_bot_users": True}}),
    ], draft_id, submit="发布")


def new_modal(channel: str) -> View:
    return _modal("new", "新建督办清单", [
        {"type": "context", "elements": [mrkdwn(
            "文本框最多 3000 字。长篇讲话请直接粘贴到与我的私信,或上传 .txt/.docx/.pdf 文件。")]},
        _input("text", "讲话或会议要求", _text("value", multiline=True)),
        _input("meeting_date", "会议日期", {"type": "datepicker", "action_id": "value"}, optional=True),
    ], channel, submit="解析")


def settings_modal() -> View:
    return _modal("settings", "设置", [
        _input("party", "责任单位名称", _text("value", placeholder="如:区疾控中心")),
        _input("users", "对应成员", {"type": "multi_users_select", "action_id": "value"}),
        _input("aliases", "别名(用、分隔)", _text("value"), optional=True),
    ], "", submit="保存")
