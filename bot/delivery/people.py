"""A participant's message, by the channel that reaches them when it goes (`channels.py`).

The sender hands each row with a `participant_id` here. The person's contact is read at the
start of the batch (so a STOP received a moment ago, or a Telegram account made yesterday, is
taken into account), then their channels are tried in their order:
- Telegram as any outbox row; a 403 (the bot blocked) marks the account unreachable and the
  same row goes on to the next channel at once;
- SMS: only a message with an SMS text (`sms-<key>`), never in the quiet hours (the row waits
  for the morning), paced per provider; a number the provider says opted out is stopped and
  the next channel is tried;
- e-mail: any message, a file attached (the .ics of a booking), paced per provider.
A provider's 429 waits, an outage is retried with the outbox's backoff, a refusal fails the
row: exactly as for Telegram (`failures.classify`). A row is recorded sent with its channel,
its SMS segments and the provider's id of the message (its receipts name it).
"""

from __future__ import annotations

import base64
import html
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from bot.db.models import OutboxStatus, Participant, User
from bot.delivery.channels import (
    Attachment,
    Channel,
    Channels,
    Contact,
    Mail,
    contact_of,
    mail_key,
    mail_subject_key,
    sms_key,
    usable,
)
from bot.delivery.failures import Failure, Verdict, classify
from bot.delivery.lanes import Lane
from bot.delivery.limiter import Limiter, LimiterConfig
from bot.delivery.outcomes import Claimed, Outcomes, mark_blocked
from bot.delivery.sms_text import plain
from bot.i18n import DEFAULT_LOCALE, HtmlFluentCore

log = logging.getLogger(__name__)

NO_PARTICIPANT = "no participant"  # erased since the row was queued
UNREACHABLE = "unreachable"  # no channel reaches the person at all
NO_CHANNEL = "no channel for this message"  # reachable, but not by a channel that carries it

# Send a row to a Telegram chat in a locale and record it sent; else its failure, unrecorded
# (the sender's own path: `OutboxSender._telegram`).
TelegramSend = Callable[[Claimed, int, str | None], Awaitable[tuple[Failure, BaseException] | None]]


class PersonDelivery:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        core: HtmlFluentCore,
        clock: Callable[[], datetime],
        outcomes: Outcomes,
        telegram: TelegramSend,
        channels: Channels,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._core = core
        self._clock = clock
        self._outcomes = outcomes
        self._telegram = telegram
        self._channels = channels
        self._sms_pace = Limiter(LimiterConfig(global_per_s=channels.sms_per_s))
        self._mail_pace = Limiter(LimiterConfig(global_per_s=channels.mail_per_s))

    @property
    def channels(self) -> Channels:
        return self._channels

    async def close(self) -> None:
        await self._sms_pace.close()
        await self._mail_pace.close()
        await self._channels.close()

    async def contacts(self, participant_ids: Iterable[int]) -> dict[int, Contact]:
        ids = set(participant_ids)
        if not ids:
            return {}
        account = aliased(User)
        async with self._sessionmaker() as session:
            found = await session.execute(
                select(Participant, account)
                .outerjoin(account, account.id == Participant.user_id)
                .where(Participant.id.in_(ids))
            )
            return {p.id: contact_of(p, user) for p, user in found}

    async def send(self, row: Claimed, contact: Contact | None) -> None:
        outcomes = self._outcomes
        if contact is None:
            await outcomes.record(row, status=OutboxStatus.CANCELLED, error=NO_PARTICIPANT)
            return
        locale = row.payload.get("locale") or contact.locale or DEFAULT_LOCALE
        sms, mail = self._channels.sms is not None, self._channels.mail is not None
        if not usable(contact, sms=sms, email=mail):
            await outcomes.fail(row, UNREACHABLE)
            return
        for channel in usable(
            contact,
            sms=sms and self._sms_carries(row, locale),
            email=mail,
        ):
            if channel is Channel.TELEGRAM:
                assert contact.telegram_chat is not None
                failed = await self._telegram(row, contact.telegram_chat, locale)
                if failed is not None and failed[0].verdict is Verdict.BLOCKED:
                    log.info(
                        "outbox %s: participant %s blocked the bot", row.id, row.participant_id
                    )
                    await self._telegram_blocked(contact.telegram_chat)
                    continue
                if failed is not None:
                    await outcomes.failed(row, *failed)
                return
            if channel is Channel.SMS:
                if await self._sms(row, contact, locale):
                    return
                continue
            await self._mail(row, contact, locale)
            return
        await outcomes.record(row, status=OutboxStatus.CANCELLED, error=NO_CHANNEL)

    # -- SMS ----------------------------------------------------------------------------------

    def _sms_carries(self, row: Claimed, locale: str) -> bool:
        return (
            self._channels.sms is not None
            and row.kind in ("text", "copy")
            and self._core.has(sms_key(_key(row)), locale)
        )

    async def sms_text(self, row: Claimed, locale: str) -> str:
        """The SMS as it goes: its text, then the opt-out line."""
        core = self._core
        key, variables = sms_key(_key(row)), _variables(row)
        links = await self._links(row)
        if links:
            variables = {**variables, **links}
            if core.has(f"{key}-link", locale):
                key = f"{key}-link"
        body = plain(core.plain(key, locale, variables))
        return f"{body}\n{plain(core.plain('sms-stop', locale, {}))}"

    async def _sms(self, row: Claimed, contact: Contact, locale: str) -> bool:
        """True when the row is settled (sent, waiting, failed); False: try the next channel."""
        outcomes, provider = self._outcomes, self._channels.sms
        assert provider is not None and contact.phone is not None
        now = self._clock()
        if self._channels.quiet is not None and (morning := self._channels.quiet(now)) > now:
            await outcomes.record(
                row,
                status=OutboxStatus.PENDING,
                not_before=morning,
                attempts=row.attempts - 1,  # the night's wait, not a try
            )
            return True
        try:
            text = await self.sms_text(row, locale)
            await self._sms_pace.acquire(None, Lane.BULK)
            sent = await provider.send(contact.phone, text)
        except Exception as error:
            failure = classify(error)
            if failure.verdict is Verdict.BLOCKED:  # the number opted out at the provider
                log.info("outbox %s: participant %s stopped SMS", row.id, row.participant_id)
                await self._sms_stopped(contact.participant_id)
                return False
            await outcomes.failed(row, _transient_if_broken(failure, error), error)
            return True
        await outcomes.record(
            row,
            status=OutboxStatus.SENT,
            sent_at=self._clock(),
            channel=Channel.SMS.value,
            segments=sent.segments,
            provider_ref=sent.ref[:100],
            error=None,
        )
        return True

    # -- e-mail -------------------------------------------------------------------------------

    async def mail(self, row: Claimed, contact: Contact, locale: str) -> Mail:
        """The e-mail as it goes: its subject, text and HTML parts, the row's file attached."""
        core = self._core
        key, variables = _key(row), _variables(row)
        links = await self._links(row)
        variables = {**variables, **links}
        subject_key = mail_subject_key(key) if core.has(mail_subject_key(key), locale) else None
        body_key = mail_key(key) if core.has(mail_key(key), locale) else key
        if links and core.has(f"{body_key}-link", locale):
            body_key = f"{body_key}-link"
        subject = core.plain(subject_key or "mail-subject", locale, variables)
        rendered = core.render(body_key, locale, variables)
        footer = core.render("mail-footer", locale, {})
        urls = [
            (button.get("text") or core.render(button["key"], locale, button.get("vars", {})), url)
            for row_ in row.payload.get("buttons") or ()
            for button in row_
            if (url := button.get("url"))
        ]
        html_body = "<br>\n".join([*rendered.split("\n"), ""]) + "".join(
            f'<p><a href="{html.escape(url)}">{label}</a></p>\n' for label, url in urls
        )
        html_body += "<hr>\n" + "<br>\n".join(footer.split("\n"))
        text = "\n".join(
            [
                core.plain(body_key, locale, variables),
                *(f"{html.unescape(label)}: {url}" for label, url in urls),
                "",
                "--",
                core.plain("mail-footer", locale, {}),
            ]
        )
        return Mail(
            to=contact.email or "",
            subject=plain(subject).replace("\n", " "),
            text=text,
            html=html_body,
            attachments=_attachments(row),
        )

    async def _mail(self, row: Claimed, contact: Contact, locale: str) -> None:
        outcomes, mailer = self._outcomes, self._channels.mail
        assert mailer is not None
        try:
            mail = await self.mail(row, contact, locale)
            await self._mail_pace.acquire(None, Lane.BULK)
            ref = await mailer.send(mail)
        except Exception as error:
            failure = classify(error)
            if failure.verdict is Verdict.BLOCKED:
                failure = Failure(Verdict.REFUSED, "address refused")
            await outcomes.failed(row, _transient_if_broken(failure, error), error)
            return
        await outcomes.record(
            row,
            status=OutboxStatus.SENT,
            sent_at=self._clock(),
            channel=Channel.EMAIL.value,
            provider_ref=ref[:100],
            error=None,
        )

    # -- what a channel taught us about the person ----------------------------------------------

    async def _telegram_blocked(self, chat_id: int) -> None:
        async with self._sessionmaker() as session, session.begin():
            await mark_blocked(session, chat_id, self._clock())

    async def _sms_stopped(self, participant_id: int) -> None:
        async with self._sessionmaker() as session, session.begin():
            await session.execute(
                update(Participant)
                .where(Participant.id == participant_id, Participant.sms_stopped_at.is_(None))
                .values(sms_stopped_at=self._clock())
            )

    async def _links(self, row: Claimed) -> dict[str, str]:
        """The row's links made for this person now (all of them, or none)."""
        specs: dict[str, dict[str, Any]] = row.payload.get("links") or {}
        maker = self._channels.links
        if not specs or maker is None or row.participant_id is None:
            return {}
        made = {}
        for name, spec in specs.items():
            url = await maker(spec["kind"], spec, row.participant_id, self._clock())
            if url is None:
                return {}
            made[name] = url
        return made


def _key(row: Claimed) -> str:
    return "copy" if row.kind == "copy" else row.payload["key"]


def _variables(row: Claimed) -> dict[str, Any]:
    if row.kind == "copy":
        return dict((row.payload.get("header") or {}).get("vars") or {})
    return dict(row.payload.get("vars") or {})


def _attachments(row: Claimed) -> tuple[Attachment, ...]:
    file = row.payload.get("file")
    if not file or "content_b64" not in file:  # a file only Telegram holds is not attached
        return ()
    return (
        Attachment(
            filename=file["filename"],
            content=base64.b64decode(file["content_b64"]),
            mime_type=file.get("mime_type") or "application/octet-stream",
        ),
    )


def _transient_if_broken(failure: Failure, error: BaseException) -> Failure:
    """A provider client that raised something unforeseen (a bug in an SDK, a socket error
    it did not wrap) is an outage to retry, not a message that cannot be rendered."""
    if failure.verdict is Verdict.BROKEN and not isinstance(error, (KeyError, ValueError)):
        return Failure(Verdict.TRANSIENT, failure.reason)
    return failure
