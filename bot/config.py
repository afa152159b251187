"""Settings from the environment and `.env` (names fixed by DESIGN.md §6)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

OFFICIAL_API_URL = "https://api.telegram.org"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./enavant.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: str | None = None
    telegram_api_url: str = OFFICIAL_API_URL
    # For links such as https://t.me/<username>?start=...; asked from Telegram (getMe) if unset.
    bot_username: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    translator: str = Field(default="none", pattern="^(libre|google|mymemory|none)$")
    translator_url: str | None = None
    # LibreTranslate key (self-hosted servers usually need none).
    translator_api_key: str | None = None
    # Each provider call is cut after this many seconds; failures open a circuit breaker.
    translator_timeout_s: float = Field(default=10.0, gt=0)
    tz: str = "Europe/Paris"
    # The counsellors' desk: a staff supergroup with topics (one per participant). Unset:
    # participants' messages go to their counsellor in private, with a "Reply" button.
    desk_chat_id: int | None = None
    # How often escalation deadlines (first answer within one working day) are checked.
    sla_tick_s: float = Field(default=60.0, gt=0)
    log_level: str = "INFO"
    # Telegram's flood limits as the bot keeps them (DESIGN.md §2.2); lower is safer.
    send_global_per_s: float = Field(default=25.0, gt=0)
    send_private_per_s: float = Field(default=1.0, gt=0)
    send_private_burst: int = Field(default=3, ge=1)
    send_group_per_min: float = Field(default=20.0, gt=0)
    # The outbox: how often due messages are looked for, how long a claim lasts (a live
    # sender renews it, so only a crashed sender's messages wait that long), how many tries
    # an outage gets (backoff 2 s, 4 s, 8 s... capped at 10 minutes: 10 tries ≈ 17 minutes).
    outbox_tick_s: float = Field(default=2.0, gt=0)
    outbox_lease_s: float = Field(default=45.0, gt=0)
    outbox_max_attempts: int = Field(default=10, ge=1)

    @model_validator(mode="after")
    def _translator_has_a_server(self) -> Settings:
        if self.translator == "libre" and not self.translator_url:
            raise ValueError("TRANSLATOR=libre needs TRANSLATOR_URL (the LibreTranslate server)")
        return self

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, url: str) -> str:
        try:
            backend = make_url(url).get_backend_name()
        except ArgumentError:
            raise ValueError("not a database URL (e.g. sqlite+aiosqlite:///./enavant.db)") from None
        if backend not in ("sqlite", "postgresql"):
            raise ValueError("only SQLite and PostgreSQL are supported")
        return url


@lru_cache
def get_settings() -> Settings:
    return Settings()
