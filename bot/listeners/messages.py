"""Messages: a speech pasted in a DM, a mention with the text, or a file/snippet shared with the bot."""

from __future__ import annotations

from typing import Any

import regex
from slack_bolt import Ack, App

from bot.context import BotContext
from bot.pipeline import run_intake

IGNORED_SUBTYPES = {"message_changed", "message_deleted", "bot_message", "channel_join", "channel_leave",
                    "message_replied", "thread_broadcast"}
MENTION = regex.compile(r"<@[UW][A-Z0-9]+>")
HAN = regex.compile(r"\p{Han}")
MIN_SPEECH_HAN = 20  # shorter DMs are questions, answered with help
HELP = ("我是督办助手 📋 把领导讲话、会议纪要或分工方案发给我:\n"
        "• 直接粘贴到私信,或在频道里 @我 并附上文字\n"
        "• 上传 .txt / .docx / .xlsx / .pdf 文件(长篇粘贴会自动变成文本片段,同样可以)\n"
        "• 在任意消息上使用快捷方式「提取督办清单」\n"
        "我会先私信你一份草稿,审核后点「发布」即可在频道中跟踪督办。输入 `/duban help` 查看更多。")


def _ack(ack: Ack) -> None:
    ack()


def register(app: App, ctx: BotContext) -> None:
    def on_message(event: dict[str, Any], body: dict[str, Any]) -> None:
        try:
            handle_message(event)
        finally:
            ctx.finish(body)

    def handle_message(event: dict[str, Any]) -> None:
        if event.get("bot_id") or event.get("subtype") in IGNORED_SUBTYPES:
            return
        if event.get("channel_type") != "im":
            return  # in channels the bot answers mentions only
        text = event.get("text") or ""
        files = event.get("files") or []
        user, channel = event.get("user", ""), event.get("channel", "")
        if not files and len(HAN.findall(text)) < MIN_SPEECH_HAN:
            ctx.notifier.post(channel, [{"type": "section", "text": {"type": "mrkdwn", "text": HELP}}], HELP)
            return
        run_intake(ctx, user=user, channel=channel, thread_ts=None, text=text, files=files or None)

    def on_mention(event: dict[str, Any], body: dict[str, Any]) -> None:
        try:
            handle_mention(event)
        finally:
            ctx.finish(body)

    def handle_mention(event: dict[str, Any]) -> None:
        text = MENTION.sub("", event.get("text") or "").strip()
        files = event.get("files") or []
        channel, user = event.get("channel", ""), event.get("user", "")
        thread = event.get("thread_ts") or event.get("ts")
        if not files and len(HAN.findall(text)) < MIN_SPEECH_HAN:
            ctx.notifier.post(channel, [{"type": "section", "text": {"type": "mrkdwn", "text": HELP}}], HELP,
                              thread_ts=thread)
            return
        run_intake(ctx, user=user, channel=channel, thread_ts=thread, text=text, files=files or None)

    app.event("message")(ack=_ack, lazy=[on_message])
    app.event("app_mention")(ack=_ack, lazy=[on_mention])
