"""SMS through a provider's HTTP API: Brevo (transactional SMS) or Twilio (Messages API).

Both implement `channels.SmsProvider`. What a failure means is said in one place per
provider, as a `channels.ProviderError` with a `failures.Verdict` value:
- 429 → "wait" (its Retry-After, else `DEFAULT_RETRY_AFTER_S`);
- 5xx, a time-out, a dropped connection, an answer that is not JSON → "transient";
- the provider's own refusal of this message (4xx with its error) → "refused";
- the number opted out at the provider (Brevo: blacklisted; Twilio: error 21610) → "blocked";
- the provider refusing our account (401, 402, 403: a wrong key, no credits left) →
  "transient": the operator fixes it, and the messages wait rather than fail.
A reason never holds the phone number (the provider's messages may quote it) nor the key.

Receipts and replies come back to the webhook server at `hook_url(settings, ...)` when
PUBLIC_URL and SMS_HOOK_TOKEN are set (`bot/web/sms_hooks.py`).
"""

from __future__ import annotations

import base64
import json
import logging
import re
from typing import Any

import aiohttp

from bot.config import Settings
from bot.delivery.channels import ProviderError, SmsSent
from bot.delivery.sms_text import sms_length

log = logging.getLogger(__name__)

BREVO_URL = "https://api.brevo.com"
BREVO_PATH = "/v3/transactionalSMS/send"
TWILIO_URL = "https://api.twilio.com"
TWILIO_PATH = "/2010-04-01/Accounts/{sid}/Messages.json"
DEFAULT_RETRY_AFTER_S = 30.0
TWILIO_UNSUBSCRIBED = 21610  # "Attempt to send to unsubscribed recipient"
_BLOCKED_WORDS = ("blacklist", "blocklist", "unsubscribed", "opted out", "opt-out", "opt out")
_NUMBER = re.compile(r"\+?\d[\d\s().-]{4,}\d")
_ACCOUNT_STATUSES = (401, 402, 403)


def hook_url(settings: Settings, provider: str, kind: str) -> str | None:
    """Where the provider posts receipts (`kind="receipt"`) or replies ("inbound"), or None
    when PUBLIC_URL or SMS_HOOK_TOKEN is not set."""
    if not settings.public_url or not settings.sms_hook_token:
        return None
    token = settings.sms_hook_token.get_secret_value()
    return f"{settings.public_url.rstrip('/')}/sms/{provider}/{token}/{kind}"


def scrub(reason: str, limit: int = 200) -> str:
    """A provider's message without the phone numbers it may quote."""
    return _NUMBER.sub("<number>", reason).strip()[:limit]


def retry_after(headers: Any) -> float:
    value = headers.get("Retry-After")
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER_S
    return seconds if seconds > 0 else DEFAULT_RETRY_AFTER_S


class _HttpSms:
    """What both providers share: one aiohttp session, made when first needed, cut after
    SMS_TIMEOUT_S; an answer read as JSON, or the failure it means."""

    name = "sms"

    def __init__(self, settings: Settings, base_url: str) -> None:
        self.settings = settings
        self.base_url = (settings.sms_api_url or base_url).rstrip("/")
        self.sender = settings.sms_sender
        self.timeout = aiohttp.ClientTimeout(total=settings.sms_timeout_s)
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _post(self, url: str, **kwargs: Any) -> tuple[int, Any, Any]:
        """(status, JSON body or None, headers); a network failure raises "transient"."""
        try:
            async with self.session.post(url, **kwargs) as response:
                raw = await response.read()
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                return response.status, body, response.headers
        except TimeoutError as error:
            raise ProviderError("transient", f"{self.name}: no answer in time") from error
        except (aiohttp.ClientError, OSError) as error:
            raise ProviderError("transient", f"{self.name}: {type(error).__name__}") from error

    def _failure(self, status: int, body: Any, headers: Any) -> ProviderError:
        """What a failed answer means; `body` is the provider's JSON (or None)."""
        if status == 429:
            return ProviderError("wait", f"{self.name}: too many requests", retry_after(headers))
        if not isinstance(body, dict) or status >= 500:
            return ProviderError("transient", f"{self.name}: HTTP {status}")
        code = body.get("code")
        message = scrub(str(body.get("message") or ""))
        reason = f"{self.name} {code}: {message}" if code else f"{self.name}: {message}"
        if status in _ACCOUNT_STATUSES:
            return ProviderError("transient", f"{reason} (HTTP {status}: check the SMS account)")
        if self._blocked(code, message):
            return ProviderError("blocked", reason)
        return ProviderError("refused", reason)

    def _blocked(self, code: Any, message: str) -> bool:
        lowered = message.lower()
        return any(word in lowered for word in _BLOCKED_WORDS)


class BrevoSms(_HttpSms):
    """Brevo's transactional SMS: `POST /v3/transactionalSMS/send`, the key in `api-key`."""

    name = "brevo"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings, BREVO_URL)
        assert settings.sms_api_key is not None
        self._key = settings.sms_api_key.get_secret_value()

    async def send(self, to: str, text: str) -> SmsSent:
        length = sms_length(text)
        body: dict[str, Any] = {
            "sender": self.sender,
            "recipient": to.lstrip("+"),  # Brevo wants the country code without "+"
            "content": text,
            "type": "transactional",
            "unicodeEnabled": length.encoding != "GSM-7",
        }
        if url := hook_url(self.settings, self.name, "receipt"):
            body["webUrl"] = url
        status, answer, headers = await self._post(
            self.base_url + BREVO_PATH,
            json=body,
            headers={"api-key": self._key, "accept": "application/json"},
        )
        if status // 100 != 2:
            raise self._failure(status, answer, headers)
        if not isinstance(answer, dict) or answer.get("messageId") is None:
            raise ProviderError("transient", f"{self.name}: an answer without messageId")
        segments = answer.get("smsCount")
        return SmsSent(
            ref=str(answer["messageId"]),
            segments=int(segments) if segments else length.segments,
        )


class TwilioSms(_HttpSms):
    """Twilio's Messages API: a form posted with basic auth (account SID, auth token)."""

    name = "twilio"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings, TWILIO_URL)
        assert settings.sms_api_key is not None and settings.sms_account
        self._account = settings.sms_account
        secret = f"{settings.sms_account}:{settings.sms_api_key.get_secret_value()}"
        self._auth = "Basic " + base64.b64encode(secret.encode()).decode()

    async def send(self, to: str, text: str) -> SmsSent:
        form = {"To": to, "From": self.sender, "Body": text}
        if url := hook_url(self.settings, self.name, "receipt"):
            form["StatusCallback"] = url
        status, answer, headers = await self._post(
            self.base_url + TWILIO_PATH.format(sid=self._account),
            data=form,
            headers={"Authorization": self._auth, "Accept": "application/json"},
        )
        if status // 100 != 2:
            raise self._failure(status, answer, headers)
        if not isinstance(answer, dict) or not answer.get("sid"):
            raise ProviderError("transient", f"{self.name}: an answer without sid")
        segments = answer.get("num_segments")
        try:
            count = int(segments) if segments else 0
        except ValueError:
            count = 0
        return SmsSent(ref=str(answer["sid"]), segments=count or sms_length(text).segments)

    def _blocked(self, code: Any, message: str) -> bool:
        return code == TWILIO_UNSUBSCRIBED or super()._blocked(code, message)


def sms_provider(settings: Settings) -> BrevoSms | TwilioSms | None:
    """The provider SMS_PROVIDER names, or None ("none")."""
    if settings.sms_provider == "brevo":
        return BrevoSms(settings)
    if settings.sms_provider == "twilio":
        return TwilioSms(settings)
    return None
