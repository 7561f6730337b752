"""/duban: help, 新建, 我的任务, 台账, 设置."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.context import BotContext
from bot.listeners.home import _all_groups
from bot.ui import modals
from bot.ui.checklist import item_blocks
from bot.ui.limits import cut
from checklists import ledger
from checklists.services import NotFound

HELP = ("*/duban 用法*\n"
        "• `/duban 新建`:在弹窗中粘贴较短的要求(3000 字以内);长篇讲话请私信我或上传文件\n"
        "• `/duban 我的任务`:查看我负责的待办事项(逾期优先)\n"
        "• `/duban 台账 [清单编号]`:导出本频道最新清单的工作台账(xlsx)\n"
        "• `/duban 设置`:把责任单位关联到成员(会记住,下次自动关联)\n"
        "也可以在任意消息上使用快捷方式「提取督办清单」。")


def register(app: App, ctx: BotContext) -> None:
    def run(body: dict[str, Any], client: Any) -> None:
        text = (body.get("text") or "").strip()
        sub, _, rest = text.partition(" ")
        user, channel = body.get("user_id", ""), body.get("channel_id", "")
        if sub in ("新建", "new"):
            client.views_open(trigger_id=body["trigger_id"], view=modals.new_modal(channel))
        elif sub in ("设置", "settings"):
            client.views_open(trigger_id=body["trigger_id"], view=modals.settings_modal())
        elif sub in ("我的任务", "mine"):
            mine = ctx.service.items_for(ctx.actor(user, _all_groups(ctx)))
            today = ctx.today()
            blocks = [b for i in mine[:45] for b in item_blocks(i, today)] or [
                {"type": "section", "text": {"type": "mrkdwn", "text": "暂无待办的督办事项 ✅"}}]
            ctx.notifier.ephemeral(channel, user, f"你有 {len(mine)} 项待办", blocks)
        elif sub in ("台账", "ledger", "export"):
            export(ctx, channel, user, rest.strip())
        else:
            ctx.notifier.ephemeral(channel, user, HELP)

    # trigger_id expires in 3 s: the modal-opening subcommands run in the ack listener itself.
    def ack_and_open(ack: Ack, body: dict[str, Any], client: Any) -> None:
        sub = (body.get("text") or "").strip().split(" ")[0]
        ack()
        if sub in ("新建", "new", "设置", "settings"):
            run(body, client)

    def lazy(body: dict[str, Any], client: Any) -> None:
        sub = (body.get("text") or "").strip().split(" ")[0]
        if sub not in ("新建", "new", "设置", "settings"):
            run(body, client)

    app.command("/duban")(ack=ack_and_open, lazy=[lazy])


def export(ctx: BotContext, channel: str, user: str, ref: str) -> None:
    try:
        view = ctx.service.find(ref) if ref else ctx.service.latest_in_channel(channel)
    except NotFound as exc:
        ctx.notifier.ephemeral(channel, user, f"⚠️ {exc}")
        return
    data = ledger.to_xlsx(view, ctx.container.clock().astimezone(ctx.settings.app.tz))
    ctx.notifier.upload_file(channel, data, f"台账_{cut(view.title, 20)}_{ctx.today():%m%d}.xlsx", ledger.title_of(view),
                             thread_ts=view.header_ts or None)
