"""The Slack Web API client: configurable base URL (GovSlack, proxies, the tests' fake Slack) and
slack-sdk's own retry handlers for 429 (Retry-After honoured), connection errors and 5xx."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.settings import SlackSettings


class TokenRedactingFilter(logging.Filter):
    """Never log tokens: slack-sdk's debug logs can echo request headers."""

    def filter(self, record: logging.LogRecord) -> bool:
        import re

        msg = record.getMessage()
        if "xox" in msg or "xapp-" in msg:
            record.msg = re.sub(r"xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+", "xox*-***", msg)
            record.args = ()
        return True


def install_log_redaction() -> None:
    """Filters on a logger miss its children's records; filters on the handlers see every record."""
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, TokenRedactingFilter) for f in handler.filters):
            handler.addFilter(TokenRedactingFilter())


def make_client(token: str | None, settings: SlackSettings) -> WebClient:
    return WebClient(
        token=token, base_url=settings.api_base_url, timeout=30,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=settings.retry_max),
                        ConnectionErrorRetryHandler(max_retry_count=settings.retry_max),
                        ServerErrorRetryHandler(max_retry_count=settings.retry_max)])
