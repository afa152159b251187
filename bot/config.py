"""Settings from the environment and `.env` (names fixed by DESIGN.md §6)."""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

OFFICIAL_API_URL = "https://api.telegram.org"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./enavant.db"
# What Telegram accepts as a webhook's secret_token.
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Secrets are SecretStr: printed as '**********', read with `.get_secret_value()`.
    bot_token: SecretStr | None = None
    telegram_api_url: str = OFFICIAL_API_URL
    # For links such as https://t.me/<username>?start=...; asked from Telegram (getMe) if unset.
    bot_username: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    # Several replicas: conversation state, per-person order, the shared pace and the clock's
    # lease live in Redis.
    redis_url: str | None = None
    # Every Redis key the bot writes starts with this (several bots, or tests, share a server).
    redis_prefix: str = Field(default="enavant", pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    # Webhook mode (`enavant run` with WEBHOOK_URL set): Telegram posts updates to WEBHOOK_URL
    # (public HTTPS, e.g. https://bot.example.org/telegram), which a reverse proxy forwards to
    # WEBHOOK_LISTEN_HOST:WEBHOOK_LISTEN_PORT. Telegram sends WEBHOOK_SECRET in a header; a
    # request without it is refused (401). Unset: long polling.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen_host: str = "0.0.0.0"
    webhook_listen_port: int = Field(default=8080, ge=1, le=65535)
    # In polling mode, /healthz, /readyz and /metrics on this port when set (webhook mode
    # serves them on the webhook's port).
    health_port: int | None = Field(default=None, ge=0, le=65535)
    # An update id seen is remembered this long, so a delivery repeated by Telegram (or sent
    # to two replicas) is handled once.
    update_dedupe_ttl_s: float = Field(default=24 * 3600, gt=0)
    translator: str = Field(default="none", pattern="^(libre|google|mymemory|none)$")
    translator_url: str | None = None
    # LibreTranslate key (self-hosted servers usually need none).
    translator_api_key: SecretStr | None = None
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
    # SMS and e-mail (`bot/delivery/channels.py`): none by default, so the embedded bot sends
    # nothing but Telegram (`enavant outbox status` says so).
    # SMS through a provider's HTTP API; SMS_API_URL points elsewhere than the provider's
    # own address (a test stub, a proxy). SMS_SENDER: the alphanumeric sender shown.
    sms_provider: str = Field(default="none", pattern="^(none|brevo|twilio)$")
    sms_api_url: str | None = None
    sms_api_key: SecretStr | None = None
    sms_account: str | None = None  # Twilio's account SID (its API key is SMS_API_KEY)
    sms_sender: str = Field(default="EnAvant", min_length=1, max_length=16)
    sms_per_s: float = Field(default=5.0, gt=0)
    sms_timeout_s: float = Field(default=10.0, gt=0)
    # Receipts and replies (STOP) from the SMS provider come to the webhook server at
    # /sms/<provider>/<SMS_HOOK_TOKEN>/...: the token keeps others from faking them.
    sms_hook_token: SecretStr | None = None
    # E-mail through SMTP (aiosmtplib). SMTP_TLS: TLS from the start (port 465);
    # SMTP_STARTTLS: upgrade after connecting (port 587).
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_tls: bool = False
    smtp_starttls: bool = True
    smtp_timeout_s: float = Field(default=20.0, gt=0)
    mail_from: str | None = None
    mail_per_s: float = Field(default=5.0, gt=0)
    # Links a person without Telegram taps (one-tap booking): the public address of the
    # webhook server, and the secret that signs them.
    public_url: str | None = None
    link_secret: SecretStr | None = None

    @model_validator(mode="after")
    def _translator_has_a_server(self) -> Settings:
        if self.translator == "libre" and not self.translator_url:
            raise ValueError("TRANSLATOR=libre needs TRANSLATOR_URL (the LibreTranslate server)")
        return self

    @model_validator(mode="after")
    def _webhook_has_a_secret(self) -> Settings:
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        if self.webhook_url and not _SECRET.fullmatch(secret):
            raise ValueError("WEBHOOK_URL needs WEBHOOK_SECRET (1-256 of A-Z, a-z, 0-9, _ and -)")
        return self

    @model_validator(mode="after")
    def _channels_are_complete(self) -> Settings:
        if self.sms_provider != "none" and not self.sms_api_key:
            raise ValueError(f"SMS_PROVIDER={self.sms_provider} needs SMS_API_KEY")
        if self.sms_provider == "twilio" and not self.sms_account:
            raise ValueError("SMS_PROVIDER=twilio needs SMS_ACCOUNT (the account SID)")
        if self.smtp_host and not self.mail_from:
            raise ValueError("SMTP_HOST needs MAIL_FROM (the sender's address)")
        if self.public_url and not self.link_secret:
            raise ValueError("PUBLIC_URL needs LINK_SECRET (it signs the one-tap links)")
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
