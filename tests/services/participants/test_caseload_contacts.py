"""A counsellor's caseload brings the phone numbers and e-mail addresses of people who will
never open Telegram, each with the consent the person gave them, and their language."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from bot.db.models import Participant
from bot.delivery.channels import contact_of, reached_by
from bot.services.participants.caseload import import_caseload

NOW = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
BASE = "external_id,first_name,territory,joined,status,status_date,employer,occupations,postcode,dutch_level,driving_licence,max_commute_km,availability"  # noqa: E501
HEADER = BASE + ",phone,phone_consent,email,email_consent,language"
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "caseload.csv"


def row(external_id: str, territory: str, contacts: str) -> str:
    return f"{external_id},Nadia,{territory},2024-03-04,followed,,,Cariste,,,,,,{contacts}"


def caseload(*rows: str, header: str = HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


async def person(session, external_id: str) -> Participant:
    return await session.scalar(select(Participant).where(Participant.external_id == external_id))


def naive(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=None) if moment else None


async def test_contacts_come_normalised_with_the_consent_the_counsellor_recorded(session):
    report = await import_caseload(
        session,
        caseload(
            row("LRT-1", "LRT", "06 12 34 56 78,2024-12-02,Nadia@Example.FR,oui,fr"),
            row("WAPI-2", "WAPI", "0470 12 34 56,ja,,,nl"),
        ),
        now=NOW,
    )
    assert report.summary == "created 2, updated 0, rejected 0"
    nadia, jan = await person(session, "LRT-1"), await person(session, "WAPI-2")
    assert (nadia.phone, naive(nadia.phone_consent_at)) == ("+33612345678", datetime(2024, 12, 2))
    assert (nadia.email, naive(nadia.email_consent_at)) == ("Nadia@example.fr", naive(NOW))
    assert (nadia.locale, jan.locale) == ("fr", "nl")
    assert (jan.phone, jan.email) == ("+32470123456", None)  # Belgian, read as such
    # Never opened Telegram: reached by SMS (SMS first after Telegram), by e-mail otherwise.
    assert reached_by(contact_of(nadia, None)) == "sms"
    assert reached_by(contact_of(nadia, None), sms=False) == "email"


async def test_a_contact_without_consent_is_kept_but_not_used_and_the_report_says_so(session):
    report = await import_caseload(
        session, caseload(row("LRT-1", "LRT", "06 12 34 56 78,,nadia@example.fr,non,")), now=NOW
    )
    assert report.without_consent == 2
    assert "2 phone numbers or e-mail addresses without consent" in report.summary
    nadia = await person(session, "LRT-1")
    assert (nadia.phone, nadia.phone_consent_at, nadia.email_consent_at) == (
        "+33612345678",
        None,
        None,
    )
    assert reached_by(contact_of(nadia, None)) == "nobody"


async def test_a_bad_phone_or_address_refuses_the_row_without_repeating_it(session):
    report = await import_caseload(
        session,
        caseload(
            row("LRT-1", "LRT", "03 20 12 34 56,oui,,,"),
            row("LRT-2", "LRT", "06 12,oui,nadia@example,oui,de"),
            row("LRT-3", "LRT", "+44 7911 123456,2030-01-01,,,"),
        ),
        now=NOW,
    )
    reasons = [str(rejection) for rejection in report.rejections]
    assert reasons == [
        "line 2: phone is not a mobile number (an SMS needs one) "
        "(e.g. 06 12 34 56 78, 0470 12 34 56 or +33 6 12 34 56 78)",
        "line 3: phone is not a phone number "
        "(e.g. 06 12 34 56 78, 0470 12 34 56 or +33 6 12 34 56 78); "
        "email is not an e-mail address (e.g. nadia.martin@example.fr); "
        "language must be one of fr, nl",
        "line 4: phone is not a French, Belgian or Dutch number "
        "(e.g. 06 12 34 56 78, 0470 12 34 56 or +33 6 12 34 56 78); "
        "phone_consent 2030-01-01 is in the future",
    ]
    assert not any("7911" in reason or "03 20" in reason for reason in reasons)
    assert await person(session, "LRT-1") is None


async def test_reimport_changes_contacts_keeps_consents_given_and_never_undoes_a_stop(session):
    await import_caseload(
        session,
        caseload(row("LRT-1", "LRT", "06 12 34 56 78,2024-12-02,nadia@example.fr,,")),
        now=NOW,
    )
    nadia = await person(session, "LRT-1")
    nadia.email_consent_at = NOW  # she agreed in /profile since
    nadia.sms_stopped_at = NOW  # and answered STOP to an SMS
    await session.flush()

    report = await import_caseload(
        session,
        caseload(row("LRT-1", "LRT", "0612345678,oui,NADIA@example.fr,,nl")),
        now=NOW.replace(day=8),
    )
    assert report.summary == "created 0, updated 1, rejected 0"
    nadia = await person(session, "LRT-1")
    assert naive(nadia.phone_consent_at) == datetime(2024, 12, 2)  # the same number: kept
    assert (nadia.email, naive(nadia.email_consent_at)) == ("NADIA@example.fr", naive(NOW))
    assert nadia.sms_stopped_at is not None and nadia.locale == "nl"

    await import_caseload(session, caseload(row("LRT-1", "LRT", "07 81 23 45 67,,,,")), now=NOW)
    nadia = await person(session, "LRT-1")
    # A new number: the old consent does not carry over; an empty cell removes nothing.
    assert (nadia.phone, nadia.phone_consent_at) == ("+33781234567", None)
    assert nadia.email == "NADIA@example.fr" and nadia.locale == "nl"


async def test_a_file_without_the_contact_columns_imports_as_before(session):
    report = await import_caseload(
        session, caseload(row("LRT-1", "LRT", "")[:-1], header=BASE), now=NOW
    )
    assert report.summary == "created 1, updated 0, rejected 0"
    assert (await person(session, "LRT-1")).phone is None


async def test_the_example_caseload_imports(session):
    report = await import_caseload(session, EXAMPLE, now=NOW, name=EXAMPLE.name)
    assert report.rejected == 0 and report.created >= 3
    assert [p.phone for p in await session.scalars(select(Participant).order_by(Participant.id))][
        :2
    ] == ["+33612345678", "+32470123456"]
