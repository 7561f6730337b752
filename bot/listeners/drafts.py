"""Draft review actions: edit/remove/merge items, meeting date, supervisors, party mapping, 发布."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError

from bot.context import BotContext, channel_of, user_of
from bot.pipeline import send_draft
from bot.ui import modals
from bot.ui.draft import DRAFT_ITEM_MENU
from checklists import drafts as edits
from checklists.services import Actor, ConflictError, NotFound
from checklists.status import TransitionError

log = logging.getLogger("duban.drafts")


def _refresh(ctx: BotContext, body: dict[str, Any], draft_id: str, page: int = 0) -> None:
    message = body.get("message") or {}
    send_draft(ctx, draft_id, user_of(body), page, dm_channel=channel_of(body), ts=message.get("ts", ""))


def publish(ctx: BotContext, draft_id: str, user: str, channel: str) -> None:
    """Create the checklist once and post it; pressing 发布 again after a failure resumes the post."""
    row, _ = ctx.drafts.get(draft_id)
    try:
        view, _created = ctx.drafts.publish(draft_id, user, channel=channel)
        view = ctx.notifier.publish_checklist(view.id, channel, ctx.today())
    except (ConflictError, TransitionError, NotFound) as exc:
        ctx.notifier.dm(user, f"⚠️ {exc}")
        return
    except SlackApiError as exc:
        log.warning("publish interrupted: %s", exc.response.get("error"))
        ctx.notifier.dm(user, "⚠️ 发布中断(Slack 暂时不可用)。已发布的部分不会重复,请再次点击「发布」继续。")
        return
    done = f"✅ 已发布到 <#{channel}>:《{view.title}》共 {len(view.items)} 项"
    if row.channel and row.thread_ts:
        ctx.notifier.update(row.channel, row.thread_ts, [{"type": "section", "text": {"type": "mrkdwn", "text": done}}],
                            done)
    ctx.notifier.dm(user, done)


def register(app: App, ctx: BotContext) -> None:
    @app.action("draft_show")
    def on_show(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        draft_id = body["actions"][0]["value"]
        row, _ = ctx.drafts.get(draft_id)
        if row.user != user_of(body):
            ctx.notifier.ephemeral(channel_of(body), user_of(body), "草稿仅提交人可见")
            return
        send_draft(ctx, draft_id, row.user)

    @app.action(DRAFT_ITEM_MENU)
    def on_item(ack: Ack, body: dict[str, Any], client: Any) -> None:
        ack()
        op, draft_id, item_id = body["actions"][0]["selected_option"]["value"].split("|")
        user = user_of(body)
        row, ex = ctx.drafts.get(draft_id)
        item = next((i for i in ex.items if i.id == item_id), None)
        if item is None or row.user != user:
            return
        if op == "edit":
            parties = "、".join(f"{p.name}:{ {'lead': '牵头', 'assist': '配合'}.get(p.role, '责任') }"
                               for p in item.responsible)
            client.views_open(trigger_id=body["trigger_id"], view=modals.draft_edit_modal(
                draft_id, item_id, item.text, parties, item.deadline.due if item.deadline else None,
                bool(item.deadline and item.deadline.placeholder)))
        elif op == "quote":
            client.views_open(trigger_id=body["trigger_id"], view=modals.quote_modal(item.quote, item.section))
        else:
            change = edits.remove_item(item_id) if op == "remove" else edits.merge_with_previous(item_id)
            try:
                ctx.drafts.edit(draft_id, user, change)
            except (TransitionError, ConflictError) as exc:
                ctx.notifier.ephemeral(channel_of(body), user, f"⚠️ {exc}")
                return
            _refresh(ctx, body, draft_id)

    @app.action("draft_meeting_date")
    def on_date(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        from datetime import date

        draft_id = body["actions"][0]["block_id"].split(":", 1)[1]
        picked = date.fromisoformat(body["actions"][0]["selected_date"])
        ctx.drafts.edit(draft_id, user_of(body), edits.set_meta(meeting_date=picked))

    @app.action("draft_supervisors")
    def on_supervisors(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        draft_id = body["actions"][0]["block_id"].split(":", 1)[1]
        ctx.drafts.edit(draft_id, user_of(body), edits.set_meta(supervisors=body["actions"][0]["selected_users"]))

    @app.action("draft_map_party")
    def on_map(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        _, draft_id, name = body["actions"][0]["block_id"].split(":", 2)
        row, ex = ctx.drafts.get(draft_id)
        if row.user != user_of(body):
            return
        full = next((p.name for it in ex.items for p in it.responsible if p.name.startswith(name)), name)
        ctx.service.set_directory(full, [body["actions"][0]["selected_user"]], Actor(user_of(body)))
        _refresh(ctx, body, draft_id)

    @app.action("draft_page")
    def on_page(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        draft_id, page = body["actions"][0]["value"].split("|")
        _refresh(ctx, body, draft_id, int(page))

    @app.action("draft_cancel")
    def on_cancel(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        draft_id = body["actions"][0]["value"]
        try:
            ctx.drafts.cancel(draft_id, user_of(body))
        except (TransitionError, NotFound) as exc:
            ctx.notifier.ephemeral(channel_of(body), user_of(body), f"⚠️ {exc}")
            return
        text = "草稿已取消,未发布任何内容。"
        ctx.notifier.update(channel_of(body), (body.get("message") or {}).get("ts", ""),
                            [{"type": "section", "text": {"type": "mrkdwn", "text": text}}], text)

    def ack_publish(ack: Ack, body: dict[str, Any], client: Any) -> None:
        draft_id = body["actions"][0]["value"]
        row, _ = ctx.drafts.get(draft_id)
        ack()
        if not row.channel or row.channel.startswith("D"):  # from a DM: choose the channel first
            client.views_open(trigger_id=body["trigger_id"], view=modals.publish_modal(draft_id))

    def do_publish(body: dict[str, Any]) -> None:
        draft_id = body["actions"][0]["value"]
        row, _ = ctx.drafts.get(draft_id)
        if row.channel and not row.channel.startswith("D"):
            publish(ctx, draft_id, user_of(body), row.channel)

    app.action("draft_publish")(ack=ack_publish, lazy=[do_publish])
