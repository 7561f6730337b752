"""What every listener needs, wired once: services, drafts, notifier, settings, and small helpers."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from slack_sdk import WebClient

from bot.bootstrap import Container
from bot.notifier import Notifier
from bot.settings import Settings
from checklists.drafts import Drafts
from checklists.services import Actor, ChecklistService

log = logging.getLogger("duban.bot")
GROUP_CACHE_SECONDS = 300


@dataclass
class BotContext:
    container: Container
    notifier: Notifier
    drafts: Drafts
    bot_token: str
    _groups: dict[str, tuple[float, frozenset[str]]] = field(default_factory=dict)

    @property
    def service(self) -> ChecklistService:
        return self.container.service

    @property
    def settings(self) -> Settings:
        return self.container.settings

    @property
    def client(self) -> WebClient:
        return self.notifier.client

    @property
    def max_bytes(self) -> int:
        return int(self.container.settings.slack.max_upload_mb * 1024 * 1024)

    def today(self) -> date:
        return self.container.clock().astimezone(self.container.settings.app.tz).date()

    def finish(self, body: dict[str, Any]) -> None:
        """The event's handling is over: a later retry of it is a duplicate, never a takeover."""
        from checklists.drafts import finish_event

        if body.get("event_id"):
            finish_event(self.container.store, str(body["event_id"]), self.container.clock())

    def actor(self, user: str, candidate_groups: Iterable[str] = ()) -> Actor:
        """The user, with those of the candidate user groups they belong to (asked of Slack, cached)."""
        groups = set()
        for gid in candidate_groups:
            if gid.startswith("S") and user in self._group_members(gid):
                groups.add(gid)
        return Actor(user, frozenset(groups))

    def _group_members(self, gid: str) -> frozenset[str]:
        cached = self._groups.get(gid)
        if cached and time.monotonic() - cached[0] < GROUP_CACHE_SECONDS:
            return cached[1]
        try:
            users: list[str] = self.client.usergroups_users_list(usergroup=gid).get("users", []) or []
            members = frozenset(users)
        except Exception as exc:  # a group we cannot read grants nothing
            log.warning("usergroups.users.list failed for %s: %s", gid, type(exc).__name__)
            members = frozenset()
        self._groups[gid] = (time.monotonic(), members)
        return members


def user_of(body: dict[str, Any]) -> str:
    user = body.get("user") or {}
    if isinstance(user, dict):
        return str(user.get("id", ""))
    return str(user or body.get("user_id", ""))


def channel_of(body: dict[str, Any]) -> str:
    ch = body.get("channel") or (body.get("container") or {}).get("channel_id") or body.get("channel_id") or ""
    return str(ch.get("id", "")) if isinstance(ch, dict) else str(ch)
