"""Intake to draft: the work that runs after the ack (a lazy listener), shared by every way in."""

from __future__ import annotations

import logging
from typing import Any

from bot.context import BotContext
from bot.intake import Source, file_source, message_source
from bot.ui.draft import draft_blocks, summary_text
from bot.ui.limits import cut
from extractors import extract
from extractors.intake import IntakeError

log = logging.getLogger("duban.intake")


def _status(ctx: BotContext, channel: str, thread_ts: str | None, text: str) -> str:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    kw = {"thread_ts": thread_ts} if thread_ts else {}
    return str(ctx.notifier.post(channel, blocks, text, **kw).get("ts", ""))


def _set_status(ctx: BotContext, channel: str, ts: str, text: str, button: dict[str, Any] | None = None) -> None:
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": cut(text, 2900)}}]
    if button:
        blocks.append({"type": "actions", "elements": [button]})
    ctx.notifier.update(channel, ts, blocks, cut(text, 3000))


def run_intake(ctx: BotContext, *, user: str, channel: str, thread_ts: str | None, text: str = "",
               files: list[dict[str, Any]] | None = None) -> str | None:
    """Message or files -> extraction -> a draft DM'd to the user; the status message tells the outcome.
    Returns the draft id, or None when the input was refused (the reason is in the thread)."""
    name = (files[0].get("name") or files[0].get("title") or "文件") if files else "讲话"
    status_ts = _status(ctx, channel, thread_ts, f"📄 已收到《{cut(name, 60)}》,正在解析…")
    try:
        source: Source = (file_source(ctx.client, files[0], ctx.bot_token, ctx.max_bytes) if files
                          else message_source(text))
        ex = extract(source.text)
        if not ex.items:
            raise IntakeError("no_directives", "未识别到督办事项(没有\"要/必须/确保…\"一类的部署要求) / no directives found")
        title = ex.title or source.name or "讲话"
        draft_id = ctx.drafts.create(ex, user=user, channel=channel, thread_ts=status_ts)
        send_draft(ctx, draft_id, user)
        _set_status(ctx, channel, status_ts, summary_text(ex, title, len(source.text)),
                    {"type": "button", "action_id": "draft_show", "text": {"type": "plain_text", "text": "查看草稿"},
                     "value": draft_id})
        return draft_id
    except IntakeError as exc:
        _set_status(ctx, channel, status_ts, f"⚠️ 无法解析:{exc.message}")
    except Exception as exc:  # the user is told; the log has the type, never the speech
        log.exception("intake failed: %s", type(exc).__name__)
        _set_status(ctx, channel, status_ts, "⚠️ 解析失败,请稍后重试 / extraction failed, please retry")
    return None


def send_draft(ctx: BotContext, draft_id: str, user: str, page: int = 0, *, dm_channel: str = "",
               ts: str = "") -> None:
    """Show (or refresh in place) the draft in the user's DM."""
    row, ex = ctx.drafts.get(draft_id)
    unmatched = unmatched_names(ctx, ex)
    blocks, text = draft_blocks(draft_id, ex, page=page, unmatched=unmatched, meeting_date=row.meeting_date,
                                supervisors=list(row.supervisors))
    if dm_channel and ts:
        ctx.notifier.update(dm_channel, ts, blocks, text)
    else:
        ctx.notifier.dm(user, text, blocks)


def unmatched_names(ctx: BotContext, ex: Any) -> list[str]:
    return ctx.service.unknown_parties(p.name for it in ex.items for p in it.responsible)


__all__ = ["run_intake", "send_draft"]
