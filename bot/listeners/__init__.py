"""Bolt listeners, one module per kind, each with register(app, ctx). Ack first, then the work."""

from __future__ import annotations

from slack_bolt import App

from bot.context import BotContext
from bot.listeners import actions, commands, drafts, home, messages, shortcuts, views


def register_all(app: App, ctx: BotContext) -> None:
    for module in (messages, shortcuts, commands, actions, drafts, views, home):
        module.register(app, ctx)
