"""App Home: 我的任务 and 我督办的."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.context import BotContext
from bot.ui.home import home_view


def publish_home(ctx: BotContext, user: str) -> None:
    service = ctx.service
    actor = ctx.actor(user, _all_groups(ctx))
    mine = service.items_for(actor)
    supervised = service.supervised_by(user)
    ctx.client.views_publish(user_id=user, view=home_view(mine, supervised, ctx.today()))


def _all_groups(ctx: BotContext) -> list[str]:
    return [i for _, ids, _ in ctx.service.directory_entries() for i in ids if i.startswith("S")]


def register(app: App, ctx: BotContext) -> None:
    @app.event("app_home_opened")
    def on_home(event: dict[str, Any], body: dict[str, Any]) -> None:
        try:
            if event.get("tab", "home") == "home":
                publish_home(ctx, event.get("user", ""))
        finally:
            ctx.finish(body)
