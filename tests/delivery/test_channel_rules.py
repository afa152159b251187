"""Which channel reaches a participant, and what an SMS costs."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.delivery.channels import NOBODY, Channel, contact_of, reached_by, usable
from bot.delivery.sms_text import GSM7_BASIC, plain, sms_length

AGREED = datetime(2026, 12, 1, tzinfo=UTC)


def person(**fields):
    values = {
        "id": 7,
        "locale": None,
        "channels": ["telegram", "sms", "email"],
        "phone": None,
        "phone_consent_at": None,
        "sms_stopped_at": None,
        "email": None,
        "email_consent_at": None,
        "email_stopped_at": None,
    }
    return SimpleNamespace(**(values | fields))


def account(reachable: bool = True, locale: str | None = "nl"):
    return SimpleNamespace(telegram_id=1001, locale=locale, reachable=reachable)


def test_a_telegram_user_is_reached_on_telegram_first() -> None:
    contact = contact_of(person(phone="+33612345678", phone_consent_at=AGREED), account())
    assert usable(contact) == [Channel.TELEGRAM, Channel.SMS]
    assert contact.locale == "nl"


def test_who_blocked_the_bot_falls_back_to_the_sms_they_agreed_to() -> None:
    contact = contact_of(person(phone="+33612345678", phone_consent_at=AGREED), account(False))
    assert reached_by(contact) == "sms"


def test_a_contact_without_consent_or_after_stop_is_not_used() -> None:
    no_consent = contact_of(person(phone="+33612345678", email="a@b.fr"), None)
    assert reached_by(no_consent) == NOBODY
    stopped = person(phone="+33612345678", phone_consent_at=AGREED, sms_stopped_at=AGREED)
    assert usable(contact_of(stopped, None)) == []


def test_the_persons_order_is_kept_and_a_channel_without_provider_is_skipped() -> None:
    both = person(
        channels=["email", "sms", "telegram"],
        phone="+32470123456",
        phone_consent_at=AGREED,
        email="jo@example.be",
        email_consent_at=AGREED,
        locale="nl",
    )
    contact = contact_of(both, None)
    assert usable(contact) == [Channel.EMAIL, Channel.SMS]
    assert usable(contact, email=False) == [Channel.SMS]
    assert reached_by(contact, sms=False, email=False) == NOBODY
    assert contact.locale == "nl"  # never on Telegram: the language the counsellor recorded


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("é" * 160, "GSM-7", 1),  # é is in the GSM alphabet
        ("€" * 80, "GSM-7", 1),  # an extension character counts twice
        ("€" * 81, "GSM-7", 2),
        ("ç" + "a" * 69, "UCS-2", 1),  # ç is not: the whole text is UCS-2
        ("ç" + "a" * 70, "UCS-2", 2),
        ("ê" * 134, "UCS-2", 2),
        ("ê" * 135, "UCS-2", 3),
    ],
)
def test_segments_follow_the_gsm_rules(text: str, encoding: str, segments: int) -> None:
    length = sms_length(text)
    assert (length.encoding, length.segments) == (encoding, segments)


@settings(derandomize=True, max_examples=200)
@given(st.text(alphabet=sorted(GSM7_BASIC - {"\r"}), max_size=800))
def test_gsm_text_is_split_in_153_character_parts(text: str) -> None:
    length = sms_length(text)
    assert length.encoding == "GSM-7"
    assert length.segments == (1 if len(text) <= 160 else -(-len(text) // 153))


def test_typographic_marks_do_not_make_an_sms_ucs2() -> None:
    text = plain("\u2068Karim\u2069 vous r\u00e9pond\u00a0: \u00ab l\u2019atelier \u00bb\u2026")
    assert text == 'Karim vous répond : " l\'atelier "...'
    assert sms_length(text).encoding == "GSM-7"


def test_french_and_dutch_letters_outside_gsm_are_written_without_their_accent() -> None:
    text = plain("Vooruit: België, août, Noël, ça, cœur; En Avant: été, à, Ç")
    assert text == "Vooruit: Belgie, aout, Noel, ca, coeur; En Avant: été, à, Ç"
    assert sms_length(text).encoding == "GSM-7"
