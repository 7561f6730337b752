"""The message shortcut 「提取督办清单」 on any existing message or file."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.context import BotContext
from bot.pipeline import run_intake

CALLBACK_ID = "extract_checklist"


def register(app: App, ctx: BotContext) -> None:
    def ack_fast(ack: Ack) -> None:
        ack()

    def work(body: dict[str, Any]) -> None:
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id", "")
        user = (body.get("user") or {}).get("id", "")
        run_intake(ctx, user=user, channel=channel, thread_ts=message.get("thread_ts") or message.get("ts"),
                   text=message.get("text") or "", files=message.get("files") or None)

    app.shortcut(CALLBACK_ID)(ack=ack_fast, lazy=[work])
