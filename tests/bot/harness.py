"""The app as Slack sees it: HTTP mode on an ephemeral port, correctly signed requests with real payload
shapes, and the fake Slack Web API behind a configurable base URL."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from slack_sdk.signature import SignatureVerifier

from bot.app import build_app
from bot.bootstrap import Container, bootstrap
from bot.context import BotContext
from bot.fake_slack import FakeSlack
from bot.main import make_http_server
from bot.settings import Secrets, Settings
from checklists.store import make_engine, upgrade
from tests.fakes import FakeClock

TRIGGER_ID = "13345224609.738474920.8088930838d88f008e0"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"


@dataclass
class Harness:
    fake: FakeSlack
    container: Container
    ctx: BotContext
    url: str
    clock: FakeClock
    server: Any

    def _post(self, body: bytes, content_type: str, *, headers: dict[str, str] | None = None,
              signature: str | None = None) -> tuple[int, str]:
        ts = str(int(time.time()))
        sig = signature or SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=body)
        req = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig or "",
            **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def event(self, event: dict[str, Any], *, event_id: str = "Ev01", retry: int | None = None) -> int:
        body = {"token": "legacy", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
                "event_id": event_id, "event_time": int(time.time()), "event": event,
                "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}]}
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        status, _ = self._post(json.dumps(body).encode(), "application/json", headers=headers)
        return status

    def interactive(self, payload: dict[str, Any]) -> tuple[int, str]:
        payload = {"team": {"id": "T1"}, "api_app_id": "A1", "token": "legacy", **payload}
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self._post(body, "application/x-www-form-urlencoded")

    def command(self, user: str, channel: str, text: str) -> tuple[int, str]:
        body = urllib.parse.urlencode({"token": "legacy", "team_id": "T1", "channel_id": channel, "user_id": user,
                                       "command": "/duban", "text": text, "trigger_id": TRIGGER_ID,
                                       "response_url": "https://hooks.slack.com/commands/1234/5678",
                                       "api_app_id": "A1"}).encode()
        return self._post(body, "application/x-www-form-urlencoded")

    # ---- payload shapes --------------------------------------------------------------------------------
    def block_action(self, user: str, channel: str, message_ts: str, action: dict[str, Any]) -> tuple[int, str]:
        return self.interactive({
            "type": "block_actions", "user": {"id": user, "username": user, "team_id": "T1"},
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": False},
            "trigger_id": TRIGGER_ID, "channel": {"id": channel, "name": "duban"},
            "message": {"type": "message", "ts": message_ts, "text": "", "user": "UBOT"},
            "response_url": "https://hooks.slack.com/actions/T1/1/x", "actions": [
                {"action_ts": str(time.time()), "block_id": action.pop("block_id", "b1"), **action}]})

    def select(self, user: str, channel: str, message_ts: str, action_id: str, value: str) -> tuple[int, str]:
        return self.block_action(user, channel, message_ts, {
            "type": "static_select", "action_id": action_id,
            "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": value}})

    def button(self, user: str, channel: str, message_ts: str, action_id: str, value: str) -> tuple[int, str]:
        return self.block_action(user, channel, message_ts, {
            "type": "button", "action_id": action_id, "value": value, "text": {"type": "plain_text", "text": "x"}})

    def submit(self, user: str, callback_id: str, metadata: str, values: dict[str, Any]) -> tuple[int, str]:
        return self.interactive({
            "type": "view_submission", "user": {"id": user, "team_id": "T1"}, "trigger_id": "1.2.3",
            "view": {"id": "V1", "type": "modal", "callback_id": callback_id, "private_metadata": metadata,
                     "state": {"values": {block: {"value": v} for block, v in values.items()}},
                     "hash": "156772938.1827394", "team_id": "T1"}})

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.fake.close()


def start(tmp_path: Path, *, now: datetime | None = None, db_url: str | None = None, **slack: Any) -> Harness:
    fake = FakeSlack()
    url = db_url or f"sqlite:///{tmp_path / 'bot.db'}"
    upgrade(make_engine(url))
    settings = Settings(database={"url": url},
                        slack={"api_base_url": fake.api_url, "post_interval_seconds": 0, **slack},
                        scheduler={"enabled": False})
    clock = FakeClock(now)
    container = bootstrap(settings, clock=clock)
    secrets = Secrets(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET)  # type: ignore[arg-type]
    app, ctx = build_app(container, secrets)
    server = make_http_server(app, 0, host="127.0.0.1")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return Harness(fake, container, ctx, f"http://127.0.0.1:{server.server_address[1]}/slack/events", clock, server)
