"""Modal submissions. Validation errors go back into the modal; the change then edits the message."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from slack_bolt import Ack, App

from bot.context import BotContext, user_of
from bot.pipeline import run_intake, send_draft
from bot.ui.limits import cut
from checklists import drafts as edits
from checklists.services import Actor, Change, ConflictError, NotFound
from checklists.status import Action, TransitionError

log = logging.getLogger("duban.views")
ROLE_WORDS = {"牵头": "lead", "配合": "assist", "协办": "assist", "责任": "owner", "负责": "owner"}


def value(view: dict[str, Any], block: str) -> Any:
    """The submitted value of an input block, whatever its element type."""
    state = (view.get("state") or {}).get("values", {}).get(block, {}).get("value") or {}
    for key in ("value", "selected_date", "selected_conversation", "selected_users", "selected_user"):
        if state.get(key) not in (None, ""):
            return state[key]
    if state.get("selected_option"):
        return state["selected_option"]["value"]
    return None


def parse_parties(text: str) -> list[tuple[str, str]]:
    out = []
    for piece in (text or "").replace(",", "、").replace(",", "、").split("、"):
        name, _, role = piece.strip().partition(":")
        if name.strip():
            out.append((name.strip(), ROLE_WORDS.get(role.strip(), "owner")))
    return out


def _item_change(ctx: BotContext, ack: Ack, body: dict[str, Any], action: Action, change: Change,
                 error_block: str) -> None:
    view = body["view"]
    item_id, version = view["private_metadata"].split("|")
    user = user_of(body)
    try:
        item = ctx.service.item(item_id)
        actor = ctx.actor(user, item.assignees)
        ctx.service.act(item_id, action, actor, change, expected_version=int(version))
    except (TransitionError, ConflictError, NotFound) as exc:
        ack(response_action="errors", errors={error_block: cut(str(exc), 150)})
        return
    ack()
    ctx.notifier.refresh_item(item_id, ctx.today())


def register(app: App, ctx: BotContext) -> None:
    @app.view("progress")
    def on_progress(ack: Ack, body: dict[str, Any]) -> None:
        v = body["view"]
        _item_change(ctx, ack, body, Action.PROGRESS, Change(
            percent=int(value(v, "percent") or 0), comment=value(v, "comment") or "",
            evidence=value(v, "evidence") or ""), "percent")

    @app.view("complete")
    def on_complete(ack: Ack, body: dict[str, Any]) -> None:
        v = body["view"]
        _item_change(ctx, ack, body, Action.COMPLETE, Change(evidence=value(v, "evidence") or "",
                                                             comment=value(v, "comment") or ""), "evidence")

    def reason_listener(action: Action) -> Any:
        # Bolt passes arguments by name, so the action is bound by a closure, not a default argument.
        def on_reason(ack: Ack, body: dict[str, Any]) -> None:
            _item_change(ctx, ack, body, action, Change(reason=value(body["view"], "reason") or ""), "reason")
        return on_reason

    for action in (Action.BLOCK, Action.REJECT, Action.CANCEL):
        app.view(f"reason:{action.value}")(reason_listener(action))

    @app.view("reschedule")
    def on_reschedule(ack: Ack, body: dict[str, Any]) -> None:
        v = body["view"]
        due = value(v, "due")
        amount = value(v, "amount")
        if not due and amount is None:
            ack(response_action="errors", errors={"due": "请选择新的完成时限"})
            return
        _item_change(ctx, ack, body, Action.RESCHEDULE, Change(
            due=date.fromisoformat(due) if due else None, amount=float(amount) if amount is not None else None,
            comment=value(v, "comment") or ""), "due")

    @app.view("reassign")
    def on_reassign(ack: Ack, body: dict[str, Any]) -> None:
        v = body["view"]
        parties = parse_parties(value(v, "parties") or "")
        if not parties:
            ack(response_action="errors", errors={"parties": "请填写至少一个责任单位"})
            return
        _item_change(ctx, ack, body, Action.REASSIGN, Change(parties=parties, comment=value(v, "comment") or ""),
                     "parties")

    @app.view("draft_edit")
    def on_draft_edit(ack: Ack, body: dict[str, Any]) -> None:
        v = body["view"]
        draft_id, item_id = v["private_metadata"].split("|")
        due, amount = value(v, "due"), value(v, "amount")
        change = edits.edit_item(item_id, text=value(v, "text"), parties=parse_parties(value(v, "parties") or ""),
                                 due=date.fromisoformat(due) if due else None,
                                 amount=float(amount) if amount is not None else None)
        try:
            ctx.drafts.edit(draft_id, user_of(body), change)
        except (TransitionError, ConflictError, NotFound) as exc:
            ack(response_action="errors", errors={"text": cut(str(exc), 150)})
            return
        ack()
        send_draft(ctx, draft_id, user_of(body))

    def ack_publish(ack: Ack, body: dict[str, Any]) -> None:
        if not value(body["view"], "channel"):
            ack(response_action="errors", errors={"channel": "请选择频道"})
            return
        ack()

    def do_publish(body: dict[str, Any]) -> None:
        from bot.listeners.drafts import publish

        channel = value(body["view"], "channel")
        if channel:
            publish(ctx, body["view"]["private_metadata"], user_of(body), channel)

    app.view("publish")(ack=ack_publish, lazy=[do_publish])

    def ack_new(ack: Ack, body: dict[str, Any]) -> None:
        ack()

    def do_new(body: dict[str, Any]) -> None:
        v = body["view"]
        channel = v.get("private_metadata") or ""
        user = user_of(body)
        if not channel:
            channel = ctx.client.conversations_open(users=[user])["channel"]["id"]
        draft_id = run_intake(ctx, user=user, channel=channel, thread_ts=None, text=value(v, "text") or "")
        meeting = value(v, "meeting_date")
        if draft_id and meeting:
            ctx.drafts.edit(draft_id, user, edits.set_meta(meeting_date=date.fromisoformat(meeting)))

    app.view("new")(ack=ack_new, lazy=[do_new])

    @app.view("settings")
    def on_settings(ack: Ack, body: dict[str, Any]) -> None:
        v = body["view"]
        name, users = (value(v, "party") or "").strip(), value(v, "users") or []
        if not name:
            ack(response_action="errors", errors={"party": "请填写责任单位名称"})
            return
        ack()
        aliases = [a.strip() for a in (value(v, "aliases") or "").split("、") if a.strip()]
        ctx.service.set_directory(name, users, Actor(user_of(body)), aliases=aliases)
