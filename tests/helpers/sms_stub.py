"""An SMS provider on 127.0.0.1 for tests: Brevo's and Twilio's HTTP APIs, with scripted failures.

It answers the two APIs the bot speaks (`bot/delivery/sms.py`), on one server whose address
is SMS_API_URL:
- Brevo: `POST /v3/transactionalSMS/send` (JSON `sender`, `recipient`, `content`,
  `unicodeEnabled`, `webUrl`; the key in the `api-key` header) → 201 `{"messageId": ...}`;
- Twilio: `POST /2010-04-01/Accounts/<sid>/Messages.json` (a form: `To`, `From`, `Body`,
  `StatusCallback`; basic auth with the account SID and its token) → 201 with `sid`,
  `num_segments` and `status`.

Every SMS that arrives is recorded in `received` (`Sms`: provider, to, text, sender, the ref
answered, the key it carried, its callback URL). `fail_next(n, Fault.rate_limited(3))` makes
the next n requests fail: 429 with Retry-After, 500, a refusal in the provider's words
(400), a number that opted out, a page that is not JSON, or a hang (for time-outs).
A failed request is recorded in `attempts` but not in `received`.

The bot's side of the provider: `post_receipt(ref, "delivered")` posts a delivery receipt to
the callback URL the SMS carried (or `url=`), and `post_reply(url, phone, "STOP")` posts an
inbound reply, each in the provider's own format (Twilio: a form; Brevo: JSON).

Use it with the `sms_stub` fixture (registered for every test in tests/conftest.py).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
import pytest
from aiohttp import web

BREVO_PATH = "/v3/transactionalSMS/send"
TWILIO_PATH = "/2010-04-01/Accounts/{sid}/Messages.json"


@dataclass(frozen=True)
class Fault:
    """One scripted failed answer. `kind`: "429", "500", "refused", "blocked", "html", "hang"."""

    kind: str
    retry_after: float | None = None
    message: str = ""
    hang_s: float = 30.0

    @classmethod
    def rate_limited(cls, retry_after: float | None = 3) -> Fault:
        return cls("429", retry_after=retry_after)

    @classmethod
    def server_error(cls) -> Fault:
        return cls("500")

    @classmethod
    def refused(cls, message: str = "Invalid phone number") -> Fault:
        return cls("refused", message=message)

    @classmethod
    def blocked(cls) -> Fault:
        """The number opted out at the provider (Brevo: blacklisted; Twilio: 21610)."""
        return cls("blocked")

    @classmethod
    def not_json(cls) -> Fault:
        """A proxy's HTML error page (502)."""
        return cls("html")

    @classmethod
    def hang(cls, seconds: float = 30.0) -> Fault:
        """No answer for `seconds` (the server stops waiting when the stub stops)."""
        return cls("hang", hang_s=seconds)


@dataclass(frozen=True)
class Sms:
    provider: str  # "brevo" or "twilio"
    to: str  # as the provider got it (Brevo: digits without "+"; Twilio: E.164)
    text: str
    sender: str
    ref: str  # the provider's id of the message, as answered
    segments: int
    api_key: str | None  # Brevo's api-key header, or Twilio's basic-auth password
    account: str | None  # Twilio's account SID (path and basic-auth user)
    callback: str | None  # Brevo's webUrl or Twilio's StatusCallback
    unicode: bool | None = None  # Brevo's unicodeEnabled

    @property
    def e164(self) -> str:
        return self.to if self.to.startswith("+") else f"+{self.to}"


@dataclass
class Attempt:
    provider: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)


def _segments(text: str) -> int:
    from bot.delivery.sms_text import sms_length

    return sms_length(text).segments


class SmsStub:
    def __init__(self) -> None:
        self.received: list[Sms] = []
        self.attempts: list[Attempt] = []
        self._faults: deque[Fault] = deque()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        self._client: aiohttp.ClientSession | None = None
        self.port = 0

    # -- set-up ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The base URL to give as SMS_API_URL."""
        return f"http://127.0.0.1:{self.port}"

    def fail_next(self, count: int, fault: Fault) -> None:
        self._faults.extend([fault] * count)

    def to(self, phone: str) -> list[Sms]:
        """The SMS received for this number (E.164)."""
        return [sms for sms in self.received if sms.e164 == phone]

    def texts_to(self, phone: str) -> list[str]:
        return [sms.text for sms in self.to(phone)]

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post(BREVO_PATH, self._brevo)
        app.router.add_post(TWILIO_PATH, self._twilio)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self._closing.set()
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- the provider's webhooks to the bot --------------------------------------------------

    async def post_receipt(
        self, ref: str, status: str = "delivered", *, url: str | None = None
    ) -> aiohttp.ClientResponse:
        """A delivery receipt for the SMS `ref`, posted as its provider does, to the callback
        URL it carried (or `url`). `status` in the provider's words (Brevo: "delivered",
        "hard_bounce"...; Twilio: "delivered", "undelivered", "failed"...)."""
        sms = next((s for s in self.received if s.ref == ref), None)
        target = url or (sms.callback if sms else None)
        if target is None:
            raise AssertionError(f"no callback URL known for SMS {ref}")
        provider = sms.provider if sms else ("twilio" if ref.startswith("SM") else "brevo")
        if provider == "twilio":
            form = {
                "MessageSid": ref,
                "SmsSid": ref,
                "MessageStatus": status,
                "SmsStatus": status,
                "AccountSid": sms.account if sms and sms.account else "AC0",
                "To": sms.to if sms else "",
                "From": sms.sender if sms else "",
            }
            if status in ("failed", "undelivered"):
                form["ErrorCode"] = "30003"
            return await self._post(target, data=form)
        body = {
            "id": next(self._ids),
            "messageId": int(ref) if ref.isdigit() else ref,
            "to": sms.to if sms else "",
            "msg_status": status,
            "event": status,
            "date": "2026-12-07 10:00:00",
            "type": "transactional",
            "status": "OK",
            "sms_count": sms.segments if sms else 1,
        }
        return await self._post(target, json=body)

    async def post_reply(
        self, url: str, phone: str, text: str, *, provider: str = "twilio"
    ) -> aiohttp.ClientResponse:
        """An SMS from `phone` (E.164) to our sender, posted to the bot's inbound hook `url`."""
        if provider == "twilio":
            form = {
                "MessageSid": f"SM{next(self._ids):032x}",
                "AccountSid": "AC0",
                "From": phone,
                "To": "+32460000000",
                "Body": text,
                "NumSegments": "1",
            }
            return await self._post(url, data=form)
        body = {
            "id": next(self._ids),
            "msg_status": "replied",
            "event": "replied",
            "to": phone.lstrip("+"),
            "reply": text,
            "date": "2026-12-07 10:00:00",
            "type": "transactional",
        }
        return await self._post(url, json=body)

    async def _post(self, url: str, **kwargs: object) -> aiohttp.ClientResponse:
        if self._client is None:
            self._client = aiohttp.ClientSession()
        response = await self._client.post(url, **kwargs)
        await response.read()
        return response

    # -- the provider's API ------------------------------------------------------------------

    async def _fault(self, provider: str) -> web.Response | None:
        if not self._faults:
            return None
        fault = self._faults.popleft()
        if fault.kind == "hang":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), fault.hang_s)
            self.attempts.append(Attempt(provider, 504))
            return web.json_response({"message": "late"}, status=504)
        if fault.kind == "429":
            headers = {} if fault.retry_after is None else {"Retry-After": f"{fault.retry_after:g}"}
            body = (
                {"code": 20429, "message": "Too Many Requests", "status": 429}
                if provider == "twilio"
                else {"code": "too_many_requests", "message": "Too many requests"}
            )
            response = web.json_response(body, status=429, headers=headers)
        elif fault.kind == "500":
            response = web.json_response({"message": "Internal error"}, status=500)
        elif fault.kind == "html":
            response = web.Response(
                status=502, text="<html><body>Bad gateway</body></html>", content_type="text/html"
            )
        elif fault.kind == "blocked":
            body = (
                {
                    "code": 21610,
                    "message": "Attempt to send to unsubscribed recipient",
                    "status": 400,
                }
                if provider == "twilio"
                else {"code": "invalid_parameter", "message": "Recipient is blacklisted"}
            )
            response = web.json_response(body, status=400)
        else:
            body = (
                {"code": 21211, "message": fault.message, "status": 400}
                if provider == "twilio"
                else {"code": "invalid_parameter", "message": fault.message}
            )
            response = web.json_response(body, status=400)
        self.attempts.append(Attempt(provider, response.status, dict(response.headers)))
        return response

    async def _brevo(self, request: web.Request) -> web.Response:
        if (failed := await self._fault("brevo")) is not None:
            return failed
        body = await request.json()
        ref = str(1511882900176220 + next(self._ids))
        segments = _segments(body.get("content", ""))
        self.received.append(
            Sms(
                provider="brevo",
                to=str(body.get("recipient", "")),
                text=str(body.get("content", "")),
                sender=str(body.get("sender", "")),
                ref=ref,
                segments=segments,
                api_key=request.headers.get("api-key"),
                account=None,
                callback=body.get("webUrl"),
                unicode=body.get("unicodeEnabled"),
            )
        )
        self.attempts.append(Attempt("brevo", 201))
        return web.json_response({"messageId": int(ref)}, status=201)

    async def _twilio(self, request: web.Request) -> web.Response:
        if (failed := await self._fault("twilio")) is not None:
            return failed
        sid = request.match_info["sid"]
        user, password = _basic_auth(request.headers.get("Authorization", ""))
        if user != sid:
            self.attempts.append(Attempt("twilio", 401))
            return web.json_response(
                {"code": 20003, "message": "Authenticate", "status": 401}, status=401
            )
        form = await request.post()
        ref = f"SM{next(self._ids):032x}"
        text = str(form.get("Body", ""))
        segments = _segments(text)
        self.received.append(
            Sms(
                provider="twilio",
                to=str(form.get("To", "")),
                text=text,
                sender=str(form.get("From", "")),
                ref=ref,
                segments=segments,
                api_key=password,
                account=sid,
                callback=str(form["StatusCallback"]) if "StatusCallback" in form else None,
            )
        )
        self.attempts.append(Attempt("twilio", 201))
        return web.json_response(
            {
                "sid": ref,
                "account_sid": sid,
                "to": form.get("To"),
                "from": form.get("From"),
                "body": text,
                "status": "queued",
                "num_segments": str(segments),
                "error_code": None,
                "error_message": None,
            },
            status=201,
        )


def _basic_auth(header: str) -> tuple[str | None, str | None]:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None, None
    user, _, password = base64.b64decode(encoded).decode().partition(":")
    return user, password


@pytest.fixture
async def sms_stub() -> AsyncIterator[SmsStub]:
    stub = SmsStub()
    await stub.start()
    yield stub
    await stub.stop()
