"""E-mail through SMTP, against aiosmtpd on 127.0.0.1: what arrives (subject, text and HTML
parts, the calendar file), and what the server's refusals mean for the outbox."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.config import Settings
from bot.delivery.channels import Attachment, Mail, ProviderError
from bot.delivery.mail import SmtpMailer
from tests.helpers.smtp_stub import SmtpStub

ADDRESS = "lea.dubois@example.be"
ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//En Avant//FR\r\nMETHOD:PUBLISH\r\n"
    b"BEGIN:VEVENT\r\nUID:session-5@enavant\r\nSUMMARY:Atelier CV\r\nEND:VEVENT\r\n"
    b"END:VCALENDAR\r\n"
)


def settings(stub: SmtpStub, **extra: object) -> Settings:
    values: dict = {
        "smtp_host": stub.host,
        "smtp_port": stub.port,
        "smtp_starttls": False,
        "smtp_timeout_s": 5.0,
        "mail_from": "En Avant <bot@enavant.example.org>",
        "_env_file": None,
    }
    return Settings(**(values | extra))


def invitation(**extra: object) -> Mail:
    values: dict = {
        "to": ADDRESS,
        "subject": "Votre place à l'atelier CV",
        "text": "Bonjour Léa,\nVotre place est réservée : mardi 12 janvier à 10 h.",
        "html": "<p>Bonjour Léa,<br>Votre place est <b>réservée</b> : mardi 12 janvier à 10 h.</p>",
        "attachments": (Attachment("atelier-cv.ics", ICS, "text/calendar"),),
    }
    return Mail(**(values | extra))


@pytest.fixture
async def mailer(smtp_stub):
    mailer = SmtpMailer(settings(smtp_stub))
    yield mailer
    await mailer.close()


async def test_an_invitation_arrives_with_its_parts_and_its_calendar_file(
    smtp_stub, mailer
) -> None:
    message_id = await mailer.send(invitation())

    [got] = smtp_stub.messages
    assert got.rcpt_tos == (ADDRESS,) and got.mail_from == "bot@enavant.example.org"
    assert got.message["From"] == "En Avant <bot@enavant.example.org>"
    assert got.message["Message-ID"] == message_id
    assert message_id.endswith("@enavant.example.org>")
    assert got.subject == "Votre place à l'atelier CV"
    assert "Votre place est réservée : mardi 12 janvier à 10 h." in got.text
    assert "<b>réservée</b>" in got.html
    [ics] = got.attachments
    assert (ics.filename, ics.content_type) == ("atelier-cv.ics", "text/calendar")
    assert ics.params["method"] == "PUBLISH"  # as the file says
    assert ics.content.replace(b"\r\n", b"\n") == ICS.replace(b"\r\n", b"\n")


async def test_a_plain_mail_has_one_text_part(smtp_stub, mailer) -> None:
    await mailer.send(Mail(to=ADDRESS, subject="Rappel", text="Demain à 10 h."))
    [got] = smtp_stub.messages
    assert got.message.get_content_type() == "text/plain"
    assert got.text.strip() == "Demain à 10 h."
    assert got.html is None and got.attachments == []


async def test_the_server_login_is_used_when_set() -> None:
    stub = SmtpStub(auth=("bot", "mail-secret"))
    stub.start()
    try:
        mailer = SmtpMailer(settings(stub, smtp_username="bot", smtp_password="mail-secret"))
        await mailer.send(invitation())
        await mailer.close()
        assert stub.logins == ["bot"] and len(stub.messages) == 1

        wrong = SmtpMailer(settings(stub, smtp_username="bot", smtp_password="wrong"))
        with pytest.raises(ProviderError) as told:
            await wrong.send(invitation())
        # Our settings are wrong, not the mail: it waits for the operator to fix them.
        assert told.value.verdict == "transient"
        assert "wrong" not in told.value.reason
    finally:
        stub.stop()


@pytest.mark.parametrize(
    ("reply", "at", "verdict"),
    [
        (f"550 5.1.1 <{ADDRESS}>: no such user", "rcpt", "refused"),
        ("451 4.7.1 Greylisted, try again later", "rcpt", "transient"),
        ("554 5.6.0 Message refused", "data", "refused"),
        ("452 4.3.1 Insufficient system storage", "data", "transient"),
    ],
)
async def test_what_a_refusal_means(smtp_stub, mailer, caplog, reply, at, verdict) -> None:
    smtp_stub.refuse_next(1, reply, at=at)
    with caplog.at_level(logging.DEBUG, "bot"), pytest.raises(ProviderError) as told:
        await mailer.send(invitation())
    assert told.value.verdict == verdict
    assert ADDRESS not in told.value.reason and ADDRESS not in caplog.text
    assert smtp_stub.messages == []

    await mailer.send(invitation())  # the next try goes, on the same connection
    assert len(smtp_stub.messages) == 1
    assert smtp_stub.connections == 1


async def test_mail_after_mail_goes_on_one_connection(smtp_stub, mailer) -> None:
    for n in range(3):
        await mailer.send(invitation(subject=f"Message {n}"))
    assert [m.subject for m in smtp_stub.messages] == ["Message 0", "Message 1", "Message 2"]
    assert smtp_stub.connections == 1
    assert len({m.peer for m in smtp_stub.messages}) == 1


async def test_a_connection_the_server_closed_while_idle_is_opened_again() -> None:
    stub = SmtpStub(idle_timeout_s=0.2)
    stub.start()
    mailer = SmtpMailer(settings(stub))
    try:
        await mailer.send(invitation(subject="avant"))
        await asyncio.sleep(0.6)  # the server hangs up on the idle client
        await mailer.send(invitation(subject="après"))
    finally:
        await mailer.close()
        stub.stop()
    assert [m.subject for m in stub.messages] == ["avant", "après"]
    assert stub.connections == 2


async def test_a_server_that_cannot_be_reached_is_tried_again(smtp_stub) -> None:
    mailer = SmtpMailer(settings(smtp_stub, smtp_port=9))  # nothing listens there
    with pytest.raises(ProviderError) as told:
        await mailer.send(invitation())
    assert told.value.verdict == "transient"
