"""Buttons and menus on the checklist: item actions and the header's 台账/筛选/刷新."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import Ack, App

from bot.context import BotContext, channel_of, user_of
from bot.ui import modals
from bot.ui.checklist import ITEM_MENU, item_blocks
from bot.ui.limits import cut
from checklists import ledger
from checklists.models import ItemView
from checklists.recurring import occurrences
from checklists.services import Actor, Change, ConflictError, NotFound
from checklists.status import RULES, Action, Role, TransitionError

log = logging.getLogger("duban.actions")
NOT_ALLOWED = "你不是该项的责任人或督办人"
DIRECT = (Action.ACKNOWLEDGE, Action.VERIFY)
DOUBLE_CLICK = timedelta(seconds=30)


def refusal(ctx: BotContext, item: ItemView, actor: Actor, action: Action) -> str | None:
    """Why this actor may not take this action now, from the store (never from the payload)."""
    checklist = ctx.service.get(item.checklist_id)
    roles = ctx.service.roles(item, checklist, actor)
    rule = RULES[action]
    if rule.role not in roles:
        return NOT_ALLOWED if not roles else ("该操作仅限督办人" if rule.role is Role.SUPERVISOR else "该操作仅限责任人")
    if item.status not in rule.allowed_from:
        return f"当前状态为「{item.status.label}」,不能{action.label}"
    return None


def is_repeat(ctx: BotContext, item_id: str, actor: Actor, action: str, now: datetime) -> bool:
    """A double click: the same person did the same thing a moment ago. Answer it with silence."""
    events = ctx.service.history(item_id)
    return bool(events) and events[-1].actor == actor.user_id and events[-1].action == action and \
        now - events[-1].at < DOUBLE_CLICK


def apply_direct(ctx: BotContext, item: ItemView, actor: Actor, action: Action, version: int, channel: str) -> None:
    try:
        ctx.service.act(item.id, action, actor, expected_version=version)
    except (ConflictError, TransitionError) as exc:
        if not is_repeat(ctx, item.id, actor, action.value, ctx.container.clock()):
            ctx.notifier.ephemeral(channel, actor.user_id, f"⚠️ {exc}")
        return
    ctx.notifier.refresh_item(item.id, ctx.today())


def tick(ctx: BotContext, item: ItemView, actor: Actor, channel: str) -> None:
    today = ctx.today()
    created = item.created_at.astimezone(ctx.settings.app.tz).date()
    dues = [d for d in occurrences(item.rrule or "", created, today) if d <= today]
    if not dues:
        ctx.notifier.ephemeral(channel, actor.user_id, "本周期尚未到执行日期")
        return
    try:
        ctx.service.tick_occurrence(item.id, dues[-1], actor)
    except TransitionError as exc:
        ctx.notifier.ephemeral(channel, actor.user_id, f"⚠️ {exc}")
        return
    ctx.notifier.refresh_item(item.id, today)


MODALS = {
    Action.PROGRESS: modals.progress_modal,
    Action.COMPLETE: modals.complete_modal,
    Action.RESCHEDULE: modals.reschedule_modal,
    Action.REASSIGN: modals.reassign_modal,
}


def register(app: App, ctx: BotContext) -> None:
    register_scheduler_actions(app, ctx)

    @app.action(ITEM_MENU)
    def on_item_menu(ack: Ack, body: dict[str, Any], client: Any) -> None:
        ack()
        op, item_id, version = body["actions"][0]["selected_option"]["value"].split("|")
        user, channel = user_of(body), channel_of(body)
        try:
            item = ctx.service.item(item_id)
        except NotFound as exc:
            ctx.notifier.ephemeral(channel, user, f"⚠️ {exc}")
            return
        actor = ctx.actor(user, item.assignees)
        if op == "history":
            client.views_open(trigger_id=body["trigger_id"], view=modals.history_modal(item, ctx.service.history(item.id)))
            return
        if op == "tick":
            tick(ctx, item, actor, channel)
            return
        action = Action(op)
        why = refusal(ctx, item, actor, action)
        if why:
            if not is_repeat(ctx, item.id, actor, action.value, ctx.container.clock()):
                ctx.notifier.ephemeral(channel, user, f"⚠️ {why}")
            return
        if action in DIRECT:
            apply_direct(ctx, item, actor, action, int(version), channel)
        elif action in MODALS:
            client.views_open(trigger_id=body["trigger_id"], view=MODALS[action](item))
        else:
            client.views_open(trigger_id=body["trigger_id"], view=modals.reason_modal(item, action))

    @app.action("export_ledger")
    def on_export(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        view = ctx.service.get(body["actions"][0]["value"])
        data = ledger.to_xlsx(view, ctx.container.clock().astimezone(ctx.settings.app.tz))
        name = f"台账_{cut(view.title, 20)}_{ctx.today():%m%d}.xlsx"
        ctx.notifier.upload_file(channel_of(body), data, name, ledger.title_of(view), thread_ts=view.header_ts or None)

    def _filtered(body: dict[str, Any], keep: Any, empty: str) -> None:
        user, channel = user_of(body), channel_of(body)
        view = ctx.service.get(body["actions"][0]["value"])
        items = [i for i in view.items if keep(i, ctx.actor(user, i.assignees))]
        today = ctx.today()
        blocks = [b for i in items[:45] for b in item_blocks(i, today)] or [
            {"type": "section", "text": {"type": "mrkdwn", "text": empty}}]
        ctx.notifier.ephemeral(channel, user, f"{len(items)} 项", blocks)

    @app.action("filter_mine")
    def on_mine(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        _filtered(body, lambda i, a: bool(a.ids & set(i.assignees)) and i.status.is_open, "你在本清单中没有待办事项")

    @app.action("filter_overdue")
    def on_overdue(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        _filtered(body, lambda i, a: i.colour.value == "red", "本清单没有逾期事项 ✅")

    @app.action("refresh")
    def on_refresh(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        ctx.notifier.refresh_checklist(body["actions"][0]["value"], ctx.today())


def register_scheduler_actions(app: App, ctx: BotContext) -> None:
    """Buttons on scheduler messages: 督办单「提醒责任人」 and the unassigned list's member picker."""

    @app.action("nudge")
    def on_nudge(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        item = ctx.service.item(body["actions"][0]["value"])
        checklist = ctx.service.get(item.checklist_id)
        user = user_of(body)
        if Role.SUPERVISOR not in ctx.service.roles(item, checklist, ctx.actor(user)):
            ctx.notifier.ephemeral(channel_of(body), user, f"⚠️ {NOT_ALLOWED}")
            return
        text = f"🔔 <@{user}> 提醒你尽快办理:{cut(item.text, 200)}(督办清单|{cut(checklist.title, 60)})"
        for assignee in item.lead_assignees:
            if assignee.startswith(("U", "W")):
                ctx.notifier.dm(assignee, text)
        ctx.notifier.ephemeral(channel_of(body), user, "已提醒责任人")

    @app.action("assign_party")
    def on_assign(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        action = body["actions"][0]
        item = ctx.service.item(action["block_id"].split(":", 1)[1])
        checklist = ctx.service.get(item.checklist_id)
        user = user_of(body)
        if Role.SUPERVISOR not in ctx.service.roles(item, checklist, ctx.actor(user)):
            ctx.notifier.ephemeral(channel_of(body), user, f"⚠️ {NOT_ALLOWED}")
            return
        chosen = action["selected_user"]
        if item.parties:  # remember the party -> person mapping for every checklist
            ctx.service.set_directory(item.parties[0].name, [chosen], Actor(user))
        else:
            ctx.service.set_directory(f"成员{chosen}", [chosen], Actor(user))
            ctx.service.act(item.id, Action.REASSIGN, Actor(user), Change(parties=[(f"成员{chosen}", "owner")]))
        ctx.notifier.refresh_item(item.id, ctx.today())
