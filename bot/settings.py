"""Settings: config.toml plus environment overrides (DUBAN_<SECTION>__<KEY>); secrets from env only."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

CONFIG_ENV = "DUBAN_CONFIG"


class DatabaseSettings(BaseModel):
    url: str = "sqlite:///duban.db"


class SlackSettings(BaseModel):
    # GovSlack and proxies use another host; the tests point it at a local fake Slack.
    api_base_url: str = "https://slack.com/api/"
    http_port: int = 3000
    max_upload_mb: float = 5.0
    supervisor_channel: str = ""
    # Slack allows about one message per second per channel; long checklists are paced to stay under it.
    post_interval_seconds: float = 1.0
    retry_max: int = 3

    @field_validator("api_base_url")
    @classmethod
    def _trailing_slash(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return v if v.endswith("/") else v + "/"


class AppSettings(BaseModel):
    timezone: str = "Asia/Shanghai"
    blue_days: Annotated[int, Field(ge=0, le=30)] = 3

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {v!r}") from exc
        return v

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class SchedulerSettings(BaseModel):
    enabled: bool = True
    tick_seconds: Annotated[int, Field(ge=5)] = 60
    remind_workdays_before: list[int] = [3, 1, 0]
    remind_hour: Annotated[int, Field(ge=0, le=23)] = 9
    quiet_start: Annotated[int, Field(ge=0, le=23)] = 20
    quiet_end: Annotated[int, Field(ge=0, le=23)] = 8
    overdue_cap: Annotated[int, Field(ge=0)] = 5
    feedback_weekday: Annotated[int, Field(ge=0, le=6)] = 4  # Friday
    feedback_hour: int = 10
    feedback_deadline_weekday: int = 0  # Monday 09:00
    feedback_deadline_hour: int = 9
    digest_weekday: int = 0
    digest_hour: int = 9
    fold_after_hours: int = 24  # missed reminders older than this are folded into one summary
    max_sends_per_second: float = 1.0  # Slack's pace for chat.postMessage; the only bottleneck by design


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DUBAN_", env_nested_delimiter="__", extra="ignore")

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)
    app: AppSettings = Field(default_factory=AppSettings)
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)
    directory: dict[str, list[str]] = {}  # party name -> Slack user/group ids, loaded into the store

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=Path(os.environ.get(CONFIG_ENV, "config.toml")))
        return init_settings, env_settings, toml


class Secrets(BaseModel):
    """Slack credentials, from the environment only, never from a file, never logged."""

    bot_token: SecretStr | None = None
    app_token: SecretStr | None = None
    signing_secret: SecretStr | None = None

    @classmethod
    def from_env(cls) -> Secrets:
        def get(name: str) -> SecretStr | None:
            value = os.environ.get(name, "").strip()
            return SecretStr(value) if value else None

        return cls(bot_token=get("SLACK_BOT_TOKEN"), app_token=get("SLACK_APP_TOKEN"),
                   signing_secret=get("SLACK_SIGNING_SECRET"))


class SettingsError(SystemExit):
    """Start-up stops with one clear line."""


def load_settings(**overrides: Any) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise SettingsError(f"配置错误 / invalid setting: {where}: {err['msg']}") from None
    except (OSError, ValueError) as exc:
        raise SettingsError(f"配置文件无法读取 / cannot read config: {exc}") from None
