"""The manifest declares what the bot uses and nothing more; settings load from TOML and env."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.listeners.shortcuts import CALLBACK_ID
from bot.settings import Secrets, SettingsError, load_settings

ROOT = Path(__file__).parent.parent.parent
# Every Web API method the bot calls, and the scope it needs.
METHOD_SCOPES = {
    "chat.postMessage": "chat:write", "chat.update": "chat:write", "chat.postEphemeral": "chat:write",
    "conversations.open": "im:write", "conversations.replies": "channels:history",
    "conversations.history": "channels:history", "files.info": "files:read",
    "files.getUploadURLExternal": "files:write", "files.completeUploadExternal": "files:write",
    "usergroups.users.list": "usergroups:read", "views.open": None, "views.publish": None, "views.update": None,
}
EVENT_SCOPES = {"app_mention": "app_mentions:read", "message.im": "im:history", "app_home_opened": None}


def test_manifest_scopes_are_exactly_what_is_used() -> None:
    manifest = yaml.safe_load((ROOT / "slack" / "manifest.yaml").read_text(encoding="utf-8"))
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    needed = {s for s in (*METHOD_SCOPES.values(), *EVENT_SCOPES.values()) if s} | {"commands", "groups:history"}
    assert scopes == needed
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == set(EVENT_SCOPES)
    assert manifest["features"]["shortcuts"][0]["callback_id"] == CALLBACK_ID
    assert manifest["features"]["slash_commands"][0]["command"] == "/duban"
    assert manifest["settings"]["socket_mode_enabled"] is True


def test_http_manifest_points_everything_at_one_endpoint() -> None:
    http = yaml.safe_load((ROOT / "slack" / "manifest.http.yaml").read_text(encoding="utf-8"))
    assert http["settings"]["socket_mode_enabled"] is False
    urls = {http["settings"]["event_subscriptions"]["request_url"], http["settings"]["interactivity"]["request_url"],
            http["features"]["slash_commands"][0]["url"]}
    assert len(urls) == 1 and urls.pop().endswith("/slack/events")


def test_example_config_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUBAN_CONFIG", str(ROOT / "config.example.toml"))
    settings = load_settings()
    assert settings.app.timezone == "Asia/Shanghai" and settings.scheduler.remind_workdays_before == [3, 1, 0]


def test_env_overrides_toml(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[slack]\napi_base_url = "https://slack.com/api/"\n[database]\nurl = "sqlite:///a.db"\n')
    monkeypatch.setenv("DUBAN_CONFIG", str(cfg))
    monkeypatch.setenv("DUBAN_SLACK__API_BASE_URL", "https://slack-gov.com/api")
    monkeypatch.setenv("DUBAN_DATABASE__URL", "postgresql+psycopg://x@db/duban")
    settings = load_settings()
    assert settings.slack.api_base_url == "https://slack-gov.com/api/"
    assert settings.database.url == "postgresql+psycopg://x@db/duban"


def test_invalid_setting_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUBAN_APP__TIMEZONE", "Mars/Olympus")
    with pytest.raises(SettingsError) as exc:
        load_settings()
    assert str(exc.value).count("\n") == 0 and "app.timezone" in str(exc.value)


def test_secrets_never_print(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-123-456-secretvalue")
    secrets = Secrets.from_env()
    assert "secretvalue" not in repr(secrets) and "secretvalue" not in str(secrets.model_dump())


def test_bot_refuses_to_start_without_tokens(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "bot.cli", "bot"], capture_output=True, text=True, cwd=tmp_path,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, timeout=60, check=False)
    assert out.returncode == 2 and "SLACK_BOT_TOKEN" in out.stderr and "Traceback" not in out.stderr


def test_bot_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}
    out = subprocess.run([sys.executable, "-m", "bot.cli", "bot"], capture_output=True, text=True, cwd=tmp_path,
                         env=env, timeout=60, check=False)
    assert out.returncode == 2 and "duban db upgrade" in out.stderr and "xoxb-1" not in out.stderr


def test_tokens_never_reach_the_log(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from bot.slack_client import TokenRedactingFilter

    record = logging.LogRecord("slack_sdk.web.base_client", logging.DEBUG, __file__, 1,
                               "Sending a request - headers: %s", ({"Authorization": "Bearer xoxb-123-456-abcDEF"},),
                               None)
    assert TokenRedactingFilter().filter(record)
    assert "abcDEF" not in record.getMessage() and "xox*-***" in record.getMessage()
