"""E-mail through SMTP (aiosmtplib): `SmtpMailer` implements `channels.Mailer`.

A mail is a text part, an HTML alternative when there is one, and its attachments (a
calendar file goes as text/calendar with the METHOD it carries, so a mail program offers
to add it). One connection is kept and used for mail after mail (one at a time); one the
server closed while idle is opened again.

What a failure means (`channels.ProviderError`):
- the server refusing the recipient or the message for good (5xx) → "refused";
- a temporary refusal (4xx: greylisting, a full mailbox), a time-out, a connection that
  fails or drops → "transient";
- our own login or sender refused → "transient" (the operator fixes the settings, and the
  mails wait rather than fail).
A reason never holds an address.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

import aiosmtplib

from bot.config import Settings
from bot.delivery.channels import Attachment, Mail, ProviderError

_ADDRESS = re.compile(r"<?[^\s<>@]+@[^\s<>@]+>?")
_METHOD = re.compile(rb"^METHOD:([A-Za-z-]+)\s*$", re.MULTILINE)


def scrub(reason: str, limit: int = 200) -> str:
    """A server's answer without the addresses it may quote."""
    return _ADDRESS.sub("<address>", reason).strip()[:limit]


def _verdict(code: int) -> str:
    return "refused" if 500 <= code < 600 else "transient"


def _attach(message: EmailMessage, attachment: Attachment) -> None:
    mime_type, _, _ = attachment.mime_type.partition(";")
    maintype, _, subtype = mime_type.strip().lower().partition("/")
    if maintype == "text":
        params: dict[str, str] = {}
        if subtype == "calendar" and (method := _METHOD.search(attachment.content)):
            params["method"] = method.group(1).decode().upper()
        message.add_attachment(
            attachment.content.decode("utf-8"),
            subtype=subtype or "plain",
            filename=attachment.filename,
            params=params,
        )
    else:
        message.add_attachment(
            attachment.content,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=attachment.filename,
        )


class SmtpMailer:
    name = "smtp"

    def __init__(self, settings: Settings) -> None:
        assert settings.smtp_host and settings.mail_from
        self.host = settings.smtp_host
        self.port = settings.smtp_port
        self.sender = settings.mail_from
        self.username = settings.smtp_username or None  # "" (compose) is no login
        self.password = (
            settings.smtp_password.get_secret_value() or None if settings.smtp_password else None
        )
        self.use_tls = settings.smtp_tls
        self.start_tls = settings.smtp_starttls and not settings.smtp_tls
        self.timeout = settings.smtp_timeout_s
        self.domain = parseaddr(self.sender)[1].rpartition("@")[2] or None
        self._smtp: aiosmtplib.SMTP | None = None
        self._lock = asyncio.Lock()

    def build(self, mail: Mail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Message-ID"] = make_msgid(domain=self.domain)
        message.set_content(mail.text)
        if mail.html:
            message.add_alternative(mail.html, subtype="html")
        for attachment in mail.attachments:
            _attach(message, attachment)
        return message

    async def _connected(self) -> aiosmtplib.SMTP:
        if self._smtp is not None and self._smtp.is_connected:
            return self._smtp
        smtp = aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.use_tls,
            start_tls=self.start_tls,
            timeout=self.timeout,
        )
        try:
            await smtp.connect()  # and STARTTLS, and the login, as set
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return smtp

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    async def _deliver(self, message: EmailMessage) -> None:
        """Send on the kept connection; a connection closed by the server while idle is
        opened again once. A refusal keeps the connection (the client reset it); anything
        else drops it."""
        try:
            try:
                await (await self._connected()).send_message(message)
            except aiosmtplib.SMTPServerDisconnected:
                self._drop()
                await (await self._connected()).send_message(message)
        except (aiosmtplib.SMTPRecipientsRefused, aiosmtplib.SMTPResponseException) as error:
            if getattr(error, "code", 0) == 421:  # the server is closing the connection
                self._drop()
            raise
        except BaseException:
            self._drop()
            raise

    async def send(self, mail: Mail) -> str:
        message = self.build(mail)
        try:
            async with self._lock:
                await self._deliver(message)
        except aiosmtplib.SMTPRecipientsRefused as error:
            codes = [refused.code for refused in error.recipients] or [550]
            first = error.recipients[0] if error.recipients else None
            reason = f"recipient refused: {first.code} {scrub(first.message)}" if first else ""
            raise ProviderError(_verdict(min(codes)), reason or "recipient refused") from error
        except aiosmtplib.SMTPAuthenticationError as error:
            raise ProviderError(
                "transient", f"SMTP login refused: {error.code} (check SMTP_USERNAME/PASSWORD)"
            ) from error
        except aiosmtplib.SMTPSenderRefused as error:
            raise ProviderError(
                "transient", f"sender refused: {error.code} {scrub(error.message)} (MAIL_FROM)"
            ) from error
        except aiosmtplib.SMTPResponseException as error:
            raise ProviderError(
                _verdict(error.code), f"SMTP {error.code} {scrub(error.message)}"
            ) from error
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            raise ProviderError("transient", f"SMTP: {type(error).__name__}") from error
        return str(message["Message-ID"])

    async def close(self) -> None:
        async with self._lock:
            if self._smtp is not None and self._smtp.is_connected:
                with contextlib.suppress(aiosmtplib.SMTPException, OSError, TimeoutError):
                    await self._smtp.quit()
            self._drop()
