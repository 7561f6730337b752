"""App Home: 我的任务 (open items across checklists, red first) and 我督办的."""

from __future__ import annotations

from datetime import date

from bot.ui.checklist import item_blocks
from bot.ui.limits import MAX_BLOCKS_VIEW, Blocks, cut, mrkdwn, plain
from checklists.digest import bar
from checklists.models import ChecklistView, ItemView


def home_view(mine: list[ItemView], supervised: list[ChecklistView], today: date) -> dict[str, object]:
    blocks: Blocks = [{"type": "header", "text": plain("我的任务", 150)}]
    if not mine:
        blocks.append({"type": "section", "text": mrkdwn("暂无待办的督办事项。")})
    budget = MAX_BLOCKS_VIEW - 4 - min(len(supervised), 20) * 1
    shown = mine[: max(0, budget - 1)]
    for item in shown:
        blocks += item_blocks(item, today)
    if len(mine) > len(shown):
        blocks.append({"type": "context", "elements": [mrkdwn(f"另有 {len(mine) - len(shown)} 项未显示")]})
    blocks.append({"type": "header", "text": plain("我督办的", 150)})
    if not supervised:
        blocks.append({"type": "section", "text": mrkdwn("暂无。")})
    for cl in supervised[:20]:
        c = cl.counts()
        blocks.append({"type": "section", "text": mrkdwn(
            f"*{cut(cl.title, 200)}* 共 {sum(c.values())} 项 ✅ {c['done']} 🔵 {c['blue']} 🟡 {c['yellow']} 🔴 {c['red']}"
            f"  {bar(cl.done_ratio)} {round(cl.done_ratio * 100)}%")})
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS_VIEW]}
