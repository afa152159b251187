"""One-tap booking links: what a link says is what was signed, nobody can make or change one
without the secret, it fits in an SMS, and it stops working at the booking cut-off."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from bot.config import Settings
from bot.db.models import SessionStatus
from bot.services.sessions import links
from tests.helpers.sessions import NOW, a_session

SECRET = b"a secret only the bot knows"
IDS = st.integers(min_value=0, max_value=2**31 - 1)
SMALL_IDS = st.integers(min_value=0, max_value=2**21 - 1)  # two million: years of programme
MOMENTS = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
SOON = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2055, 1, 1), timezones=st.just(UTC)
)
# Derandomized, no example database, no time limits: the same examples on every run and on
# a busy machine.
same_examples = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.too_slow],
)


@same_examples
@given(session_id=IDS, participant_id=IDS, expires_at=MOMENTS)
def test_a_link_says_what_was_signed(session_id, participant_id, expires_at) -> None:
    token = links.sign(SECRET, links.BOOK, session_id, participant_id, expires_at)
    claim = links.verify(SECRET, token)
    assert claim is not None
    assert (claim.kind, claim.session_id, claim.participant_id) == (
        links.BOOK,
        session_id,
        participant_id,
    )
    # Expiry to the minute, never later than asked.
    assert expires_at - timedelta(minutes=1) < claim.expires_at <= expires_at
    assert set(token) <= set(string.ascii_letters + string.digits + "-_")
    assert len(token) <= 36


@same_examples
@given(session_id=SMALL_IDS, participant_id=SMALL_IDS, expires_at=SOON)
def test_a_link_fits_an_sms(session_id, participant_id, expires_at) -> None:
    token = links.sign(SECRET, links.BOOK, session_id, participant_id, expires_at)
    assert len(token) <= 32
    # "https://enavant-vooruit.eu/b/<token>": a third of an SMS.
    assert len(f"https://enavant-vooruit.eu{links.PATH}{token}") <= 60


@same_examples
@given(session_id=IDS, participant_id=IDS, expires_at=MOMENTS, data=st.data())
def test_a_link_changed_anywhere_is_refused(session_id, participant_id, expires_at, data):
    token = links.sign(SECRET, links.BOOK, session_id, participant_id, expires_at)
    where = data.draw(st.integers(min_value=0, max_value=len(token) - 1))
    other = data.draw(
        st.sampled_from(string.ascii_letters + string.digits + "-_").filter(
            lambda c: c != token[where]
        )
    )
    tampered = token[:where] + other + token[where + 1 :]
    assert links.verify(SECRET, tampered) is None


@same_examples
@given(session_id=IDS, participant_id=IDS, expires_at=MOMENTS)
def test_a_link_signed_with_another_secret_is_refused(session_id, participant_id, expires_at):
    token = links.sign(b"someone else's secret", links.BOOK, session_id, participant_id, expires_at)
    assert links.verify(SECRET, token) is None


@same_examples
@given(st.text(max_size=80))
def test_anything_else_is_refused_without_error(text: str) -> None:
    assert links.verify(SECRET, text) is None


def test_a_shortened_or_lengthened_link_is_refused() -> None:
    token = links.sign(SECRET, links.BOOK, 12, 345, NOW)
    assert links.verify(SECRET, token[:-1]) is None
    assert links.verify(SECRET, token + "A") is None
    assert links.verify(SECRET, token + "=") is None  # padding: another spelling
    assert links.verify(SECRET, "") is None


def test_two_links_for_the_same_seat_are_two_links() -> None:
    """Each link is used once: one sent later (a new expiry) is not the same link."""
    first = links.verify(SECRET, links.sign(SECRET, links.BOOK, 12, 345, NOW))
    later = links.verify(SECRET, links.sign(SECRET, links.BOOK, 12, 345, NOW + timedelta(days=1)))
    assert first.digest != later.digest


async def test_a_link_expires_at_the_booking_cutoff(session) -> None:
    programme_session = await a_session(
        session, status=SessionStatus.PUBLISHED, starts_in=timedelta(days=5)
    )
    cutoff = programme_session.starts_at - timedelta(hours=programme_session.cutoff_hours)
    assert links.expiry(programme_session, NOW) == cutoff


async def test_a_link_lives_at_most_thirty_days(session) -> None:
    programme_session = await a_session(
        session, status=SessionStatus.PUBLISHED, starts_in=timedelta(days=60)
    )
    assert links.expiry(programme_session, NOW) == NOW + timedelta(days=links.MAX_DAYS)


def link_settings(**changes) -> Settings:
    values = {
        "public_url": "https://bot.example.org/",
        "link_secret": SecretStr("s3cret-of-the-bot!"),
    }
    return Settings(_env_file=None, **(values | changes))


async def test_the_link_for_an_sms_is_the_page_of_the_webhook_server(session, sessionmaker) -> None:
    programme_session = await a_session(session, status=SessionStatus.PUBLISHED)
    await session.commit()
    make_link = links.link_maker(link_settings(), sessionmaker)

    url = await make_link("book", {"session_id": programme_session.id}, 7, NOW)

    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("https", "bot.example.org")
    assert parts.path.startswith("/b/")
    claim = links.verify(b"s3cret-of-the-bot!", parts.path.removeprefix("/b/"))
    assert (claim.session_id, claim.participant_id) == (programme_session.id, 7)
    assert claim.expires_at == links.expiry(programme_session, NOW)
    assert len(url) <= 60


@pytest.mark.parametrize(
    ("status", "starts_in"),
    [
        (SessionStatus.CANCELLED, timedelta(days=5)),
        (SessionStatus.DRAFT, timedelta(days=5)),
        (SessionStatus.PUBLISHED, timedelta(hours=23)),  # past the 24 h cut-off
    ],
)
async def test_no_link_for_a_session_that_cannot_be_booked(
    session, sessionmaker, status, starts_in
) -> None:
    programme_session = await a_session(session, status=status, starts_in=starts_in)
    await session.commit()
    make_link = links.link_maker(link_settings(), sessionmaker)
    assert await make_link("book", {"session_id": programme_session.id}, 7, NOW) is None
    assert await make_link("book", {"session_id": 999_999}, 7, NOW) is None
    assert await make_link("other", {"session_id": programme_session.id}, 7, NOW) is None


def test_no_links_without_a_public_address(sessionmaker) -> None:
    assert links.link_maker(Settings(_env_file=None), sessionmaker) is None


def test_a_short_secret_is_refused(sessionmaker) -> None:
    with pytest.raises(ValueError, match="LINK_SECRET"):
        links.link_maker(link_settings(link_secret=SecretStr("short")), sessionmaker)
