"""Every SMS text, in both languages, rendered as the sender renders it and counted in
segments: one where possible, two at most for those carrying a link or the session's title.

The sender (`bot/delivery/sender.py`) sends `sms-<key>` rendered with the row's variables
(`core.plain`, then `sms_text.plain`), a new line and `sms-stop`. The variables here are the
longest a real message carries: a 60-character title, the longest date, a 40-character link,
a counsellor's long name. Letters the GSM alphabet lacks ("août", "België") are written
without their accent by `sms_text.plain`, so every text is GSM-7."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.delivery.sms_text import plain, sms_length
from bot.i18n import LOCALES, build_core
from bot.services.sessions.reminders import when_text
from tests.helpers.content_keys import families, keys_in_code, messages

PARIS = ZoneInfo("Europe/Paris")
TITLE = "Vlaamse Verpakking zoekt heftruckchauffeurs en magazijniers!"  # 60 characters
LINK = "https://enavant.example/b/Xk3v9QpL2mZt8w"  # 40 characters
INVITE = "https://t.me/EnAvantVooruitBot?start=inv_" + "A" * 22


def _longest_when() -> dict[str, str]:
    """The longest date of a year in each language."""
    start = datetime(2027, 1, 1, 13, 30, tzinfo=UTC)
    days = [start + timedelta(days=n) for n in range(365)]
    texts = [when_text(day, PARIS) for day in days]
    return {locale: max((t[locale] for t in texts), key=len) for locale in LOCALES}


WHEN = _longest_when()
VARIABLES = {
    "title": {"fr": TITLE, "nl": TITLE},
    "when": WHEN,
    "kind": {"key": "session-kind-company_presentation"},
    "minutes": 120,
    "seats": 100,
    "plan": "three",
    "hours": 24,
    "name": "Marie-Christine Van Damme",  # a counsellor, or the imported person's first name
    "url": "https://meet.example.org/vv-presentatie",  # 40 characters
    "link": LINK,
    "count": 10,
    "mode": "weekly",
    "until": {"fr": "30/09/2027", "nl": "30/09/2027"},
}
# The join-invite's variable `url` is the bot's t.me link (65 characters).
PER_KEY = {"sms-join-invite": {"url": INVITE}}
# Texts that may take two segments: they carry the session's title or a link.
TWO_SEGMENTS = {
    "sms-session-invite",
    "sms-session-invite-link",
    "sms-session-booked-for",
    "sms-session-promoted",
    "sms-reminder-3d",
    "sms-reminder-1d",
    "sms-reminder-1h",
    "sms-reminder-now",
    "sms-session-changed",
    "sms-session-cancelled",
    "sms-join-invite",
}
# Keys the outbox contract uses without a producer naming them: a relayed copy (`sms-copy`,
# `mail-copy`), the opt-out line, the e-mail's default subject and footer.
CONTRACT = {"sms-stop", "sms-copy", "mail-copy", "mail-copy-subject", "mail-subject", "mail-footer"}


def sms_keys(locale: str) -> list[str]:
    return sorted(key for key in messages(locale) if key.startswith("sms-") and key != "sms-stop")


def as_sent(core, key: str, locale: str, variables: dict) -> str:
    """What the person's phone shows: the text, a new line, the opt-out line."""
    text = plain(core.plain(key, locale, variables))
    return f"{text}\n{plain(core.plain('sms-stop', locale, {}))}"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_sms_fits_its_segments(locale: str) -> None:
    core = build_core()
    too_long = {}
    for key in sms_keys(locale):
        text = as_sent(core, key, locale, {**VARIABLES, **PER_KEY.get(key, {})})
        length = sms_length(text)
        allowed = 2 if key in TWO_SEGMENTS else 1
        if length.segments > allowed:
            too_long[key] = f"{length.encoding}, {length.units} units, {length.segments}: {text!r}"
    assert too_long == {}


@pytest.mark.parametrize("locale", LOCALES)
def test_sms_texts_are_gsm_7_and_say_who_writes(locale: str) -> None:
    """No emoji nor letter outside GSM-7 in the texts themselves (a title may bring some)."""
    core = build_core()
    sender = {"fr": "En Avant:", "nl": "Vooruit:"}[locale]
    for key in sms_keys(locale):
        text = as_sent(core, key, locale, {**VARIABLES, **PER_KEY.get(key, {})})
        assert sms_length(text).encoding == "GSM-7", (key, text)
        assert text.startswith(sender), (key, text)


def test_the_two_segment_list_names_only_sms_texts() -> None:
    assert set(sms_keys("fr")) >= TWO_SEGMENTS


def test_every_sms_and_mail_text_belongs_to_a_message_the_bot_sends() -> None:
    """No dead text: `sms-<key>`, `sms-<key>-link`, `mail-<key>` and `mail-<key>-subject` are
    for a key the code queues (or the contract's own), in both languages alike."""
    known = set(messages("fr"))
    assert set(messages("nl")) >= {k for k in known if k.startswith(("sms-", "mail-"))}
    named, _built = keys_in_code(known)
    used = set(named) | {key for keys in families().values() for key in keys}
    channel_texts = {key for key in known if key.startswith(("sms-", "mail-"))} - CONTRACT
    dead = set()
    for key in channel_texts:
        base = key.removeprefix("sms-").removeprefix("mail-")
        base = base.removesuffix("-subject")
        if key.endswith("-link"):  # the variant with a one-tap link of a text written
            base = base.removesuffix("-link")
            if key.replace("-link", "") not in known:
                dead.add(key)
        if base not in used:
            dead.add(key)
    assert sorted(dead) == []
