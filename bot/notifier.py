"""The Slack side of sending: limits checked before every call, posting paced per channel, and a
checklist post that resumes after a failure without posting anything twice."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from slack_sdk import WebClient

from bot.settings import SlackSettings
from bot.ui.checklist import header_blocks, item_pages, page_text
from bot.ui.limits import Blocks, check_message
from checklists.models import ChecklistView
from checklists.services import ChecklistService

log = logging.getLogger("duban.notifier")
META_TYPE = "duban_checklist"


class Notifier:
    def __init__(self, client: WebClient, service: ChecklistService, settings: SlackSettings, *,
                 sleep: Callable[[float], None] = time.sleep, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.service = service
        self.settings = settings
        self._sleep = sleep
        self._monotonic = monotonic
        self._last_post: dict[str, float] = {}
        self._lock = threading.Lock()

    # ---- primitives ------------------------------------------------------------------------------------
    def _pace(self, channel: str) -> None:
        with self._lock:
            wait = self.settings.post_interval_seconds - (self._monotonic() - self._last_post.get(channel, -1e9))
            if wait > 0:
                self._sleep(wait)
            self._last_post[channel] = self._monotonic()

    def post(self, channel: str, blocks: Blocks, text: str, **kw: Any) -> dict[str, Any]:
        check_message(blocks, text)
        self._pace(channel)
        resp = self.client.chat_postMessage(channel=channel, blocks=blocks, text=text, unfurl_links=False, **kw)
        return dict(resp.data) if isinstance(resp.data, dict) else {}

    def update(self, channel: str, ts: str, blocks: Blocks, text: str) -> None:
        check_message(blocks, text)
        self.client.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)

    def ephemeral(self, channel: str, user: str, text: str, blocks: Blocks | None = None) -> None:
        blocks = blocks or [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
        check_message(blocks, text)
        self.client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks)

    def dm(self, user: str, text: str, blocks: Blocks | None = None) -> tuple[str, str]:
        channel = self.client.conversations_open(users=[user])["channel"]["id"]
        blocks = blocks or [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
        resp = self.post(channel, blocks, text)
        return channel, str(resp.get("ts", ""))

    # ---- checklists ------------------------------------------------------------------------------------
    def publish_checklist(self, checklist_id: str, channel: str, today: date) -> ChecklistView:
        """Post the header and the item messages. Safe to call again after any failure: parts that
        reached Slack are found again (by message metadata) and not re-posted."""
        view = self.service.get(checklist_id)
        header_ts = view.header_ts or self._find_posted(channel, None, checklist_id).get(-1, "")
        if not header_ts:
            blocks, text = header_blocks(view)
            header_ts = str(self.post(channel, blocks, text, metadata=self._meta(checklist_id, -1))["ts"])
        self.service.set_location(checklist_id, channel=channel, header_ts=header_ts)
        view = self.service.get(checklist_id)
        pages = item_pages(view.items, today)
        by_id = {i.id: i for i in view.items}
        missing = [n for n, (_, ids) in enumerate(pages) if any(not by_id[i].message_ts for i in ids)]
        found = self._find_posted(channel, header_ts, checklist_id) if missing else {}
        for n in missing:
            blocks, ids = pages[n]
            ts = found.get(n) or str(self.post(channel, blocks, page_text([by_id[i] for i in ids]), thread_ts=header_ts,
                                               metadata=self._meta(checklist_id, n))["ts"])
            self.service.set_location(checklist_id, channel=channel, header_ts=header_ts,
                                      item_messages={i: ts for i in ids})
        return self.service.get(checklist_id)

    def refresh_item(self, item_id: str, today: date) -> None:
        """Re-render the message that holds the item (in place) and the header counts."""
        item = self.service.item(item_id)
        view = self.service.get(item.checklist_id)
        if not view.channel or not item.message_ts:
            return
        siblings = [i for i in view.items if i.message_ts == item.message_ts]
        pages = item_pages(siblings, today)
        if pages:
            self.update(view.channel, item.message_ts, pages[0][0], page_text(siblings))
        self.refresh_header(view)

    def refresh_header(self, view: ChecklistView) -> None:
        if view.channel and view.header_ts:
            blocks, text = header_blocks(view)
            self.update(view.channel, view.header_ts, blocks, text)

    def refresh_checklist(self, checklist_id: str, today: date) -> None:
        view = self.service.get(checklist_id)
        self.refresh_header(view)
        by_ts: dict[str, list[Any]] = {}
        for item in view.items:
            if item.message_ts:
                by_ts.setdefault(item.message_ts, []).append(item)
        for ts, items in by_ts.items():
            pages = item_pages(items, today)
            if pages:
                self.update(view.channel, ts, pages[0][0], page_text(items))

    def upload_file(self, channel: str, data: bytes, filename: str, title: str, thread_ts: str | None = None,
                    comment: str = "") -> None:
        """files upload v2 (getUploadURLExternal + completeUploadExternal), via slack-sdk."""
        kwargs: dict[str, Any] = {"channel": channel, "content": data, "filename": filename, "title": title}
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        if comment:
            kwargs["initial_comment"] = comment
        self.client.files_upload_v2(**kwargs)

    # ---- internals -------------------------------------------------------------------------------------
    @staticmethod
    def _meta(checklist_id: str, part: int) -> dict[str, Any]:
        return {"event_type": META_TYPE, "event_payload": {"checklist_id": checklist_id, "part": part}}

    def _find_posted(self, channel: str, header_ts: str | None, checklist_id: str) -> dict[int, str]:
        """Parts of this checklist already in Slack, by their message metadata: part -> ts."""
        try:
            if header_ts:
                resp = self.client.conversations_replies(channel=channel, ts=header_ts, include_all_metadata=True,
                                                         limit=200)
            else:
                resp = self.client.conversations_history(channel=channel, include_all_metadata=True, limit=50)
        except Exception as exc:  # history is a best effort; without it we post what we know is missing
            log.warning("could not read channel history for resume: %s", type(exc).__name__)
            return {}
        found: dict[int, str] = {}
        messages: list[dict[str, Any]] = resp.get("messages", []) or []
        for msg in messages:
            meta = msg.get("metadata") or {}
            payload = meta.get("event_payload") or {}
            if meta.get("event_type") == META_TYPE and payload.get("checklist_id") == checklist_id:
                found[int(payload.get("part", -2))] = str(msg["ts"])
        return found
