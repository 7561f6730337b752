"""Plain-text renderings of an Extraction: a readable checklist table and Markdown."""

from __future__ import annotations

import json

from extractors.models import Deadline, Extraction, Item

ROLE_CN = {"lead": "牵头", "assist": "配合", "owner": "负责"}


def deadline_label(d: Deadline | None) -> str:
    if d is None:
        return "—"
    if d.placeholder:
        return f"{d.text}(时限待明确)"
    if d.due:
        return f"{d.text}({d.due.month}月{d.due.day}日)" if d.kind != "by" else f"{d.due.isoformat()}"
    return d.text


def parties_label(item: Item) -> str:
    if not item.responsible:
        return "—"
    return "、".join(p.name + (f"({ROLE_CN[p.role]})" if p.role != "owner" else "") for p in item.responsible)


def as_json(ex: Extraction, *, explain: bool = False) -> str:
    return json.dumps(ex.contract(explain=explain), ensure_ascii=False, indent=1)


def as_table(ex: Extraction, *, explain: bool = False) -> str:
    lines = [f"📋 {ex.title or '(无标题)'}" + (f"({ex.meeting_date})" if ex.meeting_date else ""),
             f"识别 {len(ex.items)} 项 · {sum(bool(i.responsible) for i in ex.items)} 项有责任单位 · "
             f"{sum(bool(i.deadline) for i in ex.items)} 项有时限 · "
             f"{sum(bool(i.deadline and i.deadline.placeholder) for i in ex.items)} 项时限待明确", ""]
    section = None
    for n, it in enumerate(ex.items, 1):
        if it.section != section:
            section = it.section
            lines.append(f"【{section or '总体要求'}】")
        flag = "⚠️" if it.confidence < 0.6 else ("🚫" if it.kind == "prohibition" else "")
        lines.append(f"{n:>3}. {flag}{it.text}")
        lines.append(f"     责任:{parties_label(it)} · 时限:{deadline_label(it.deadline)}")
        if explain:
            rules = [*it.rules, it.deadline.rule if it.deadline else "", *(p.rule for p in it.responsible)]
            lines.append(f"     规则:{', '.join(r for r in rules if r)}  置信度 {it.confidence:.2f} "
                         f"{' '.join(it.warnings)}  [{it.start}:{it.end}]")
    return "\n".join(lines)


def as_markdown(ex: Extraction) -> str:
    out = [f"# {ex.title or '督办清单'}", ""]
    if ex.meeting_date:
        out += [f"会议日期:{ex.meeting_date}", ""]
    out += ["| 序号 | 工作任务 | 责任单位 | 完成时限 | 类型 |", "|---|---|---|---|---|"]
    for n, it in enumerate(ex.items, 1):
        cells = [str(n), it.text, parties_label(it), deadline_label(it.deadline),
                 "禁止性规定" if it.kind == "prohibition" else "任务"]
        out.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(out)
