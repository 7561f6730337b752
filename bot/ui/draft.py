"""Draft review, shown privately to the sender: grouped items, marks, edit menu, party mapping, 发布."""

from __future__ import annotations

from datetime import date

from bot.ui.limits import MAX_BLOCKS_MESSAGE, Blocks, cut, mrkdwn, plain
from extractors.models import Extraction, Item
from extractors.render import deadline_label

PAGE_SIZE = 15
DRAFT_ITEM_MENU = "draft_item_menu"


def _item_line(n: int, it: Item) -> str:
    low = "⚠️ " if it.confidence < 0.6 else ""
    kind = "🚫 " if it.kind == "prohibition" else ""
    parties = "、".join(p.name for p in it.responsible) or "—"
    due = deadline_label(it.deadline)
    flag = " ⚠️时限待明确" if it.deadline and it.deadline.placeholder else ""
    return f"{low}*{n}* {kind}{cut(it.text, 600)}\n时限:{due}{flag} · 责任:{parties}"


def _ordered(ex: Extraction) -> list[tuple[int, Item]]:
    """Items in section order, low-confidence items first within their section."""
    numbered = list(enumerate(ex.items, 1))
    sections: dict[str, list[tuple[int, Item]]] = {}
    for n, it in numbered:
        sections.setdefault(it.section, []).append((n, it))
    out = []
    for group in sections.values():
        out += sorted(group, key=lambda p: (p[1].confidence >= 0.6, p[0]))
    return out


def draft_blocks(draft_id: str, ex: Extraction, *, page: int, unmatched: list[str], meeting_date: date | None,
                 supervisors: list[str]) -> tuple[Blocks, str]:
    ordered = _ordered(ex)
    pages = max(1, -(-len(ordered) // PAGE_SIZE))
    page = max(0, min(page, pages - 1))
    blocks: Blocks = [
        {"type": "section", "text": mrkdwn(f"*草稿 · 仅你可见* 《{cut(ex.title, 100)}》 共 {len(ex.items)} 项"
                                           f"(第 {page + 1}/{pages} 页)")},
        {"type": "actions", "block_id": f"draft_meta:{draft_id}", "elements": [
            {"type": "datepicker", "action_id": "draft_meeting_date", "placeholder": plain("会议日期"),
             **({"initial_date": meeting_date.isoformat()} if meeting_date else {})},
            {"type": "multi_users_select", "action_id": "draft_supervisors", "placeholder": plain("督办人"),
             **({"initial_users": supervisors} if supervisors else {})},
        ]},
    ]
    section = None
    for n, it in ordered[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]:
        if it.section != section:
            section = it.section
            blocks.append({"type": "context", "elements": [mrkdwn(f"*{cut(section or '总体要求', 280)}*")]})
        blocks.append({"type": "section", "block_id": f"draft_item:{it.id}", "text": mrkdwn(_item_line(n, it)),
                       "accessory": {"type": "overflow", "action_id": DRAFT_ITEM_MENU, "options": [
                           {"text": plain(label), "value": f"{op}|{draft_id}|{it.id}"}
                           for op, label in (("edit", "编辑"), ("remove", "删除"), ("merge", "与上一项合并"),
                                             ("quote", "查看原文"))]}})
    if unmatched:
        blocks.append({"type": "section", "text": mrkdwn("*未关联的责任单位*(关联后会记住):")})
        for name in unmatched[:8]:
            blocks.append({"type": "section", "block_id": f"map:{draft_id}:{cut(name, 60)}", "text": mrkdwn(name),
                           "accessory": {"type": "users_select", "action_id": "draft_map_party",
                                         "placeholder": plain("选择成员")}})
        if len(unmatched) > 8:
            blocks.append({"type": "context", "elements": [mrkdwn(f"另有 {len(unmatched) - 8} 个,可在 `/duban 设置` 中关联")]})
    nav = []
    if page > 0:
        nav.append({"type": "button", "action_id": "draft_page", "text": plain("上一页"), "value": f"{draft_id}|{page - 1}"})
    if page < pages - 1:
        nav.append({"type": "button", "action_id": "draft_page", "text": plain("下一页"), "value": f"{draft_id}|{page + 1}"})
    blocks.append({"type": "actions", "block_id": f"draft_actions:{draft_id}", "elements": [
        {"type": "button", "action_id": "draft_publish", "style": "primary", "text": plain("发布"), "value": draft_id},
        {"type": "button", "action_id": "draft_cancel", "text": plain("取消"), "value": draft_id}, *nav]})
    assert len(blocks) <= MAX_BLOCKS_MESSAGE
    return blocks, f"草稿:《{ex.title}》共 {len(ex.items)} 项,请审核后发布"


def summary_text(ex: Extraction, title: str, chars: int) -> str:
    """✅ 解析完成:识别 41 项任务 · 27 项有责任单位 · 12 项有明确时限 · 9 项时限待明确"""
    items = ex.items
    with_party = sum(bool(i.responsible) for i in items)
    dated = sum(bool(i.deadline and not i.deadline.placeholder) for i in items)
    pending = sum(bool(i.deadline and i.deadline.placeholder) for i in items)
    cleaned = []
    names = set(ex.cleaning.removed)
    if names & {"nav.current_position", "nav.prev_next", "nav.related", "nav.source"}:
        cleaned.append("网页导航")
    if names & {"legal.copyright"}:
        cleaned.append("版权声明")
    if any(n.startswith(("truncation", "page.")) for n in names):
        cleaned.append("截断/付费提示")
    if ex.cleaning.pinyin_stripped:
        cleaned.append("拼音注音")
    garbled = len(ex.cleaning.garbled)
    lines = [f"✅ 解析完成《{cut(title, 60)}》({chars:,}字):识别 {len(items)} 项任务 · {with_party} 项有责任单位 · "
             f"{dated} 项有明确时限 · {pending} 项时限待明确(原文为\"X\")"]
    if cleaned or garbled:
        lines.append(("已清理:" + "、".join(cleaned) if cleaned else "") + (f"   ⚠️ {garbled} 处乱码已标注" if garbled else ""))
    lines.append("草稿已私信发给你,审核后点击「发布」。")
    return "\n".join(lines)
