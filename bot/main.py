"""`duban bot`: Socket Mode by default (no public URL); `--http PORT` for instances behind a balancer."""

from __future__ import annotations

import logging
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from bot.app import build_app
from bot.bootstrap import bootstrap
from bot.settings import Secrets, SettingsError, load_settings

log = logging.getLogger("duban")


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        log.debug("http %s", args[0] if args else "")


def make_http_server(app: object, port: int, host: str = "0.0.0.0") -> WSGIServer:
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    handler = SlackRequestHandler(app)  # type: ignore[arg-type]
    return make_server(host, port, handler, server_class=ThreadingWSGIServer, handler_class=QuietHandler)


def run_bot(http_port: int | None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    from bot.slack_client import install_log_redaction

    install_log_redaction()
    try:
        settings = load_settings()
        secrets = Secrets.from_env()
        if not secrets.bot_token:
            raise SettingsError("缺少 SLACK_BOT_TOKEN 环境变量 / SLACK_BOT_TOKEN is not set")
        if http_port is None and not secrets.app_token:
            raise SettingsError("Socket Mode 需要 SLACK_APP_TOKEN(或使用 --http PORT) / SLACK_APP_TOKEN is not set")
        if http_port is not None and not secrets.signing_secret:
            raise SettingsError("HTTP 模式需要 SLACK_SIGNING_SECRET / SLACK_SIGNING_SECRET is not set")
        container = bootstrap(settings)
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 2
    except Exception as exc:  # e.g. NotMigrated: one clear line
        print(f"启动失败 / cannot start: {exc}", file=sys.stderr)
        return 2
    app, ctx = build_app(container, secrets)
    scheduler = None
    if settings.scheduler.enabled:
        from bot.scheduler import start_scheduler

        scheduler = start_scheduler(ctx)
    try:
        if http_port is not None:
            log.info("HTTP mode on port %s (POST /slack/events)", http_port)
            make_http_server(app, http_port).serve_forever()
        else:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            assert secrets.app_token is not None
            log.info("Socket Mode")
            SocketModeHandler(app, secrets.app_token.get_secret_value(), web_client=app.client).start()
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
    return 0
