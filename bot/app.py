"""build_app(container, secrets) -> a Bolt App with every listener registered. Socket Mode or HTTP."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from bot.bootstrap import Container
from bot.context import BotContext
from bot.listeners import register_all
from bot.notifier import Notifier
from bot.settings import Secrets
from bot.slack_client import install_log_redaction, make_client
from checklists.drafts import Drafts, first_time

log = logging.getLogger("duban.app")


def build_app(container: Container, secrets: Secrets, *, client: WebClient | None = None,
              notifier: Notifier | None = None) -> tuple[App, BotContext]:
    install_log_redaction()
    token = secrets.bot_token.get_secret_value() if secrets.bot_token else None
    client = client or make_client(token, container.settings.slack)
    app = App(
        client=client,
        signing_secret=secrets.signing_secret.get_secret_value() if secrets.signing_secret else None,
        # With no signing secret (Socket Mode) there is nothing to verify; in HTTP mode it is required.
        request_verification_enabled=secrets.signing_secret is not None,
        token_verification_enabled=False,
        ignoring_self_events_enabled=True,
    )
    notifier = notifier or Notifier(client, container.service, container.settings.slack)
    ctx = BotContext(container=container, notifier=notifier, drafts=Drafts(container.store, container.service,
                                                                            container.clock), bot_token=token or "")

    @app.middleware
    def drop_retried_events(body: dict[str, Any], next: Any) -> BoltResponse | None:
        """Slack retries an event it thinks was lost; the store remembers every event id, on all instances."""
        event_id = body.get("event_id")
        if event_id and not first_time(container.store, str(event_id), container.clock()):
            return BoltResponse(status=200, body="")
        next()
        return None

    register_all(app, ctx)
    return app, ctx
