"""An SMTP server on 127.0.0.1 for tests (aiosmtpd), recording every message, with refusals.

Each message accepted is parsed into an `email.message.EmailMessage` and kept in
`messages` (`Received`: the envelope's sender and recipients, the parsed message, and its
subject, text part, HTML part and attachments at hand). `refuse_next(n, "451 4.3.0 Try
again later")` makes the next n messages be refused, at the recipient (`at="rcpt"`, the
default: the client sees its recipient refused) or after the data (`at="data"`).
With `auth=("user", "secret")` the server asks for that login (without TLS, as tests go).
`idle_timeout_s`: the server closes a connection idle that long (as real servers do).
`connections` counts the connections opened (a client that keeps its connection opens one).

Use it with the `smtp_stub` fixture (registered for every test in tests/conftest.py).
"""

from __future__ import annotations

import socket
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass(frozen=True)
class Part:
    filename: str | None
    content_type: str  # e.g. "text/calendar"
    params: dict[str, str]  # e.g. {"method": "REQUEST", "charset": "utf-8"}
    content: bytes


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    peer: tuple[str, int] | None = None  # the client's end: one per connection

    @property
    def to(self) -> str:
        return str(self.message["To"])

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str | None:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else None

    @property
    def html(self) -> str | None:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else None

    @property
    def attachments(self) -> list[Part]:
        found = []
        for part in self.message.iter_attachments():
            params = {k.lower(): v for k, v in part.get_params(header="content-type")[1:]}
            found.append(
                Part(
                    part.get_filename(),
                    part.get_content_type(),
                    params,
                    part.get_payload(decode=True) or b"",
                )
            )
        return found


@dataclass(frozen=True)
class Refusal:
    reply: str  # e.g. "451 4.3.0 Try again later", "550 5.1.1 No such user"
    at: str = "rcpt"  # "rcpt" or "data"


class _Handler:
    def __init__(self, stub: SmtpStub) -> None:
        self.stub = stub

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        if session.host_name is None:  # the first greeting of a connection
            self.stub.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refusal = self.stub._refusals[0] if self.stub._refusals else None
        if refusal is not None and refusal.at == "rcpt":
            self.stub._refusals.popleft()
            self.stub.refused += 1
            return refusal.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        refusal = self.stub._refusals[0] if self.stub._refusals else None
        if refusal is not None and refusal.at == "data":
            self.stub._refusals.popleft()
            self.stub.refused += 1
            return refusal.reply
        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        self.stub.messages.append(
            Received(envelope.mail_from, tuple(envelope.rcpt_tos), message, session.peer)  # type: ignore[arg-type]
        )
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpStub:
    host = "127.0.0.1"

    def __init__(
        self, auth: tuple[str, str] | None = None, idle_timeout_s: float | None = None
    ) -> None:
        self.messages: list[Received] = []
        self.refused = 0
        self.logins: list[str] = []
        self._refusals: deque[Refusal] = deque()
        self._auth = auth
        self._idle_timeout_s = idle_timeout_s
        self.connections = 0
        self.port = 0
        self._controller: Controller | None = None

    def refuse_next(self, count: int, reply: str, *, at: str = "rcpt") -> None:
        self._refusals.extend([Refusal(reply, at)] * count)

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.rcpt_tos]

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and self._auth is not None:
            login = auth_data.login.decode()
            if (login, auth_data.password.decode()) == self._auth:
                self.logins.append(login)
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def start(self) -> None:
        self.port = _free_port()
        kwargs: dict = {}
        if self._auth is not None:
            kwargs = {"authenticator": self._authenticate, "auth_require_tls": False}
        if self._idle_timeout_s is not None:
            kwargs["timeout"] = self._idle_timeout_s
        self._controller = Controller(
            _Handler(self), hostname=self.host, port=self.port, ready_timeout=10, **kwargs
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()


@pytest.fixture
def smtp_stub() -> Iterator[SmtpStub]:
    stub = SmtpStub()
    stub.start()
    yield stub
    stub.stop()
