"""What the SMS provider posts back: delivery receipts and replies (STOP).

Two paths per provider, on the webhook server (and the polling mode's operations server):
- `/sms/<provider>/<SMS_HOOK_TOKEN>/receipt`: the outbox row the provider's message id
  names gets its `receipt` ("delivered", "failed", "undelivered" or "sent");
- `/sms/<provider>/<SMS_HOOK_TOKEN>/inbound`: a reply. STOP (ARRET, STOPPEN, UNSUBSCRIBE...)
  stops SMS at once for every participant with that number: `sms_stopped_at` is set, and the
  sender, which reads the person again before each SMS, sends them no more. Any other reply
  is not kept (the counsellors are reached on Telegram); only a count is logged.
A wrong token is 401 and changes nothing. The provider gets its 200 at once.

Formats: Twilio posts a form (`MessageSid`/`MessageStatus`; `From`/`Body`, and `OptOutType`
with Advanced Opt-Out); Brevo posts JSON (`messageId`, `msg_status` or `event`, `to`, and
`reply` for a reply; its opt-out event `unsubscribe`), and posts replies to the receipt URL
it was given with the SMS, so either path takes either kind.
Nothing personal is logged: no number, no text; outbox and participant ids, counts.
"""

from __future__ import annotations

import hmac
import logging
import string
import unicodedata
from collections.abc import Callable
from datetime import datetime
from typing import Any

import phonenumbers
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db.models import OutboxMessage, Participant

log = logging.getLogger(__name__)

PROVIDERS = ("brevo", "twilio")
STOP_WORDS = frozenset(
    {
        "stop",
        "stopall",
        "stop sms",
        "arret",
        "arreter",
        "stoppen",
        "unsubscribe",
        "desabonner",
        "desinscrire",
        "afmelden",
        "uitschrijven",
        "cancel",
        "end",
        "quit",
    }
)
FINAL_RECEIPTS = frozenset({"delivered", "failed", "undelivered"})
_RECEIPTS = {
    "delivered": "delivered",
    "read": "delivered",
    "failed": "failed",
    "hard_bounce": "failed",
    "hardbounce": "failed",
    "hard_bounces": "failed",
    "rejected": "failed",
    "blacklisted": "failed",
    "blocked": "failed",
    "skip": "failed",
    "skipped": "failed",
    "canceled": "failed",
    "cancelled": "failed",
    "undelivered": "undelivered",
    "soft_bounce": "undelivered",
    "softbounce": "undelivered",
    "soft_bounces": "undelivered",
    "expired": "undelivered",
    "sent": "sent",
    "accepted": "sent",
    "queued": "sent",
    "sending": "sent",
}
_REPLY_EVENTS = frozenset({"replied", "reply", "inbound"})
_OPT_OUT_EVENTS = frozenset({"unsubscribe", "unsubscribed", "opt_out", "optout"})
TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def normalise_receipt(word: str) -> str | None:
    """The provider's word for a message's state, in ours (None: a word we do not know)."""
    return _RECEIPTS.get(word.strip().lower().replace("-", "_"))


def is_stop(text: str) -> bool:
    """A reply asking for no more SMS: STOP, Stop., ARRÊT, stoppen... (trimmed, any case,
    accents and punctuation around it ignored)."""
    folded = unicodedata.normalize("NFKD", text.strip().casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    plain = " ".join(plain.strip(string.punctuation + " \t\r\n").split())
    return plain in STOP_WORDS


def e164(number: str) -> str | None:
    """The sender's number as participants' phones are kept (E.164), or None."""
    number = number.strip()
    if not number:
        return None
    if not number.startswith("+"):
        number = "+" + number.lstrip("0")  # Brevo gives the country code without "+"
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


async def record_receipt(session: AsyncSession, ref: str, word: str) -> int | None:
    """Set the receipt of the row the provider's id names; its id, or None when no row (or
    an unknown word). A late "sent" does not undo a final receipt."""
    receipt = normalise_receipt(word)
    if receipt is None or not ref:
        return None
    row = await session.scalar(
        select(OutboxMessage).where(OutboxMessage.provider_ref == ref).limit(1)
    )
    if row is None:
        return None
    if receipt in FINAL_RECEIPTS or row.receipt not in FINAL_RECEIPTS:
        row.receipt = receipt
    return row.id


async def stop_sms(session: AsyncSession, phone: str, now: datetime) -> list[int]:
    """Every participant with this number stops getting SMS (a first STOP's date is kept);
    the ids of those stopped now."""
    people = await session.scalars(
        select(Participant).where(Participant.phone == phone, Participant.sms_stopped_at.is_(None))
    )
    stopped = []
    for person in people:
        person.sms_stopped_at = now
        stopped.append(person.id)
    return stopped


async def _read(request: web.Request) -> dict[str, Any]:
    """The provider's fields: JSON (Brevo) or a form (Twilio); {} when unreadable."""
    try:
        if request.content_type == "application/json":
            body = await request.json()
            return body if isinstance(body, dict) else {}
        return dict(await request.post())
    except ValueError:
        return {}


class SmsHooks:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        settings: Settings,
        now: Callable[[], datetime],
    ) -> None:
        self.sessionmaker = sessionmaker
        self.token = settings.sms_hook_token.get_secret_value() if settings.sms_hook_token else ""
        self.now = now

    def _allowed(self, request: web.Request) -> bool:
        given = request.match_info.get("token", "")
        return bool(self.token) and hmac.compare_digest(given.encode(), self.token.encode())

    @staticmethod
    def _answer(provider: str) -> web.Response:
        if provider == "twilio":
            return web.Response(text=TWIML_EMPTY, content_type="text/xml")
        return web.json_response({})

    async def receipt(self, request: web.Request) -> web.Response:
        return await self._handle(request, "receipt")

    async def inbound(self, request: web.Request) -> web.Response:
        return await self._handle(request, "inbound")

    async def _handle(self, request: web.Request, path: str) -> web.Response:
        provider = request.match_info["provider"]
        if provider not in PROVIDERS:
            raise web.HTTPNotFound()
        if not self._allowed(request):
            log.warning("sms %s hook: wrong token, ignored", provider)
            return web.Response(status=401, text="Unauthorized")
        fields = await _read(request)
        if provider == "twilio":
            await self._twilio(fields, path)
        else:
            await self._brevo(fields)
        return self._answer(provider)

    async def _twilio(self, fields: dict[str, Any], path: str) -> None:
        body = fields.get("Body")
        if path == "inbound" or (body is not None and "MessageStatus" not in fields):
            opted_out = str(fields.get("OptOutType", "")).upper() == "STOP"
            await self._reply(str(fields.get("From", "")), str(body or ""), opted_out)
            return
        ref = str(fields.get("MessageSid") or fields.get("SmsSid") or "")
        word = str(fields.get("MessageStatus") or fields.get("SmsStatus") or "")
        await self._receipt(ref, word)

    async def _brevo(self, fields: dict[str, Any]) -> None:
        event = str(fields.get("msg_status") or fields.get("event") or "").strip().lower()
        number = str(fields.get("from") or fields.get("to") or "")
        if event in _REPLY_EVENTS or ("reply" in fields and not event):
            await self._reply(number, str(fields.get("reply") or fields.get("text") or ""))
            return
        if event in _OPT_OUT_EVENTS:
            await self._reply(number, "", opted_out=True)
            return
        ref = fields.get("messageId") or fields.get("message_id") or fields.get("messageID")
        await self._receipt(str(ref or ""), event)

    async def _receipt(self, ref: str, word: str) -> None:
        async with self.sessionmaker() as session, session.begin():
            row_id = await record_receipt(session, ref, word)
        if row_id is None:
            log.info("sms receipt for no known message (or an unknown state), ignored")
        else:
            log.info("sms receipt for outbox message %s: %s", row_id, normalise_receipt(word))

    async def _reply(self, number: str, text: str, opted_out: bool = False) -> None:
        if not (opted_out or is_stop(text)):
            log.info("sms reply that is not STOP: not kept (1 reply)")
            return
        phone = e164(number)
        if phone is None:
            log.info("sms STOP from a number that cannot be read: ignored")
            return
        async with self.sessionmaker() as session, session.begin():
            stopped = await stop_sms(session, phone, self.now())
        log.info("sms STOP: %d participant(s) stopped (ids %s)", len(stopped), stopped)


def sms_routes(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    now: Callable[[], datetime],
) -> list[web.RouteDef]:
    """The SMS provider's hooks, to add to the webhook server and the operations server."""
    hooks = SmsHooks(sessionmaker, settings, now)
    return [
        web.post("/sms/{provider}/{token}/receipt", hooks.receipt),
        web.post("/sms/{provider}/{token}/inbound", hooks.inbound),
    ]
