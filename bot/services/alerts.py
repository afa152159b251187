"""Vacancy alerts: who hears about which vacancy, when, and what they answered.

Rules this module enforces:
- alerts go only to participants who are followed, consented, on Telegram, reachable, and
  whose alert mode is not "off";
- nobody is told about the same vacancy twice (one `vacancy_alerts` row per pair, unique);
- instant alerts are queued as soon as a vacancy is ready (translated) but never sent during
  quiet hours (21:00-08:00, programme time): they wait until 08:00;
- digests (daily at 09:00, weekly on Monday 09:00) hold at most `DIGEST_SIZE` vacancies, the
  best first, only ones the person was not told about before;
- an expired vacancy is never suggested.
Everything is queued in the outbox in the caller's transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, and_, cast, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.engine import exclusive, upsert_insert
from bot.db.models import (
    AlertResponse,
    OutboxMessage,
    Participant,
    ParticipantStatus,
    Staff,
    TranslationState,
    User,
    Vacancy,
    VacancyAlert,
)
from bot.delivery.outbox import OutButton, OutMessage, enqueue, enqueue_many
from bot.services.match_index import ParticipantIndex, Pick
from bot.services.matching import Match, ParticipantProfile, VacancyProfile, match, reasons_for
from bot.services.reference import (
    distance_km,
    find_occupation,
    find_place_by_postcode,
    related_codes,
)
from bot.services.staff import counsellors_for

log = logging.getLogger(__name__)

DIGEST_SIZE = 10
DIGEST_SLICE = 5_000  # digests written per statement: bounds memory at any caseload size
JOBS_SHOWN = 10
QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(8, 0)
TRANSLATE_PER_TICK = 20
NOT_FOR_ME_REASONS = ("distance", "schedule", "contract", "dutch", "job", "other")
DESCRIPTION_PREVIEW = 500
BUTTON_TITLE_MAX = 40  # a digest or /jobs button stays on one line of a phone
ORIGINAL_TEXT_MAX = 3500


def callback(action: str, vacancy_id: int, extra: str = "") -> str:
    """The callback data of a vacancy button, in the format of the handlers' `VacancyAction`
    ("vac:<action>:<vacancy id>:<extra>")."""
    return f"vac:{action}:{vacancy_id}:{extra}"


# --- profiles -----------------------------------------------------------------------------

_PROFILE_COLUMNS = (
    Participant.id,
    Participant.occupations,
    Participant.home_lat,
    Participant.home_lon,
    Participant.max_commute_km,
    Participant.dutch_level,
    Participant.driving_licence,
    Participant.availability,
)


def _profile(row: Sequence[Any]) -> ParticipantProfile:
    pid, occupations, lat, lon, commute, level, licence, availability = row[:8]
    return ParticipantProfile(
        id=pid,
        occupations=frozenset(occupations or ()),
        lat=lat,
        lon=lon,
        max_commute_km=commute,
        dutch_level=level,
        driving_licence=bool(licence),
        availability=frozenset(availability or ()),
    )


def participant_profile(participant: Participant) -> ParticipantProfile:
    return _profile([getattr(participant, c.key) for c in _PROFILE_COLUMNS])


def vacancy_profile(vacancy: Vacancy) -> VacancyProfile:
    return VacancyProfile(
        id=vacancy.id,
        occupation=vacancy.occupation,
        lat=vacancy.lat,
        lon=vacancy.lon,
        municipality=vacancy.municipality,
        dutch_level=vacancy.dutch_level,
        driving_licence=vacancy.driving_licence,
        schedule=frozenset(vacancy.schedule or ()),
        expires=vacancy.expires,
    )


def _alertable(mode: str | None = None):
    """Who may receive alerts (in `mode`, when given)."""
    conditions = [
        Participant.status == ParticipantStatus.FOLLOWED,
        Participant.consent_at.is_not(None),
        User.reachable.is_(True),
    ]
    conditions.append(Participant.alert_mode == mode if mode else Participant.alert_mode != "off")
    return and_(*conditions)


def _holding(codes: set[str]):
    """Participants who hold one of these occupation codes: a text match on the stored JSON
    list, so the database does the narrowing (codes are digits and dots, stored quoted)."""
    stored = cast(Participant.occupations, String)
    return or_(*(stored.like(f'%"{code}"%') for code in sorted(codes)))


async def _profiles(
    session: AsyncSession, condition, codes: set[str] | None = None
) -> list[ParticipantProfile]:
    """Profiles of the participants who may receive alerts and meet `condition`; with
    `codes`, only those holding one of them."""
    query = select(*_PROFILE_COLUMNS).join(User, User.id == Participant.user_id).where(condition)
    if codes is not None:
        query = query.where(_holding(codes))
    return [_profile(row) for row in await session.execute(query)]


def _codes_fitting(code: str) -> set[str]:
    """The participant occupation codes a vacancy of `code` may fit."""
    return {code, *related_codes(code)}


def _open(today: date):
    return (Vacancy.expires.is_(None) | (Vacancy.expires >= today)) & (
        Vacancy.translation != TranslationState.PENDING
    )


# --- quiet hours --------------------------------------------------------------------------


def outside_quiet_hours(now: datetime, tz: ZoneInfo) -> datetime:
    """`now`, or 08:00 programme time when `now` falls in the quiet hours (21:00-08:00)."""
    local = now.astimezone(tz)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return now
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tzinfo=tz).astimezone(now.tzinfo)


# --- the counsellor's view ----------------------------------------------------------------


@dataclass(frozen=True)
class CandidateMatch:
    participant_id: int
    external_id: str | None
    on_telegram: bool
    match: Match


async def followed_matches(
    session: AsyncSession, vacancy: Vacancy, today: date
) -> list[CandidateMatch]:
    """Every followed participant the vacancy fits, best first, imported people not yet on
    Telegram and people without consent to alerts included (the counsellor decides)."""
    if vacancy.expires is not None and vacancy.expires < today:
        return []
    profile = vacancy_profile(vacancy)
    rows = (
        await session.execute(
            select(*_PROFILE_COLUMNS, Participant.external_id, Participant.user_id).where(
                Participant.status == ParticipantStatus.FOLLOWED,
                _holding(_codes_fitting(vacancy.occupation)),
            )
        )
    ).all()
    people = [_profile(row) for row in rows]
    known = {row[0]: (row[8], row[9]) for row in rows}
    index = ParticipantIndex(people)
    fits = index.fits(profile)
    by_id = {p.id: p for p in people}
    found = []
    for pid in index.ids[fits.rows].tolist():
        fit = match(by_id[pid], profile, today)
        if fit is not None:
            external_id, user_id = known[pid]
            found.append(CandidateMatch(pid, external_id, user_id is not None, fit))
    found.sort(key=lambda c: (-c.match.score, c.match.distance_km, c.participant_id))
    return found


async def jobs_for(
    session: AsyncSession, participant: Participant, today: date, limit: int = JOBS_SHOWN
) -> list[tuple[Vacancy, Match]]:
    """A participant's current matches, best first (`/jobs`)."""
    mine = set(participant.occupations or ())
    codes = mine | {r for code in mine for r in related_codes(code)}
    if not codes:
        return []
    vacancies = (
        await session.scalars(select(Vacancy).where(_open(today), Vacancy.occupation.in_(codes)))
    ).all()
    profile = participant_profile(participant)
    found = [(v, m) for v in vacancies if (m := match(profile, vacancy_profile(v), today))]
    found.sort(key=lambda pair: (-pair[1].score, -pair[0].id))
    return found[:limit]


# --- the pipeline: translate, then instant alerts ----------------------------------------


async def process_vacancies(
    session: AsyncSession,
    translator: Any,
    now: datetime,
    tz: ZoneInfo,
    *,
    translate_all: bool = False,
) -> int:
    """Translate vacancies waiting for it, then queue instant alerts for ready vacancies not
    alerted yet. Returns the number of alerts queued. Runs in the clock's background job (a
    few translations per tick, so a tick stays short) and after a CLI import
    (`translate_all`), never in a participant's request."""
    from bot.services.translation import translate_vacancy

    waiting = (
        await session.scalars(
            select(Vacancy)
            .where(Vacancy.translation == TranslationState.PENDING)
            .order_by(Vacancy.id)
            .limit(None if translate_all else TRANSLATE_PER_TICK)
        )
    ).all()
    for vacancy in waiting:
        await translate_vacancy(session, translator, vacancy)
    ready = (
        await session.scalars(
            select(Vacancy).where(_open(now.astimezone(tz).date()), Vacancy.alerted_at.is_(None))
        )
    ).all()
    if not ready:
        return 0
    codes = set().union(*(_codes_fitting(v.occupation) for v in ready))
    people = await _profiles(session, _alertable("instant"), codes)
    index = ParticipantIndex(people)
    chats = await _chats(session, "instant") if people else {}
    send_at = outside_quiet_hours(now, tz)
    picks: list[Pick] = []
    for vacancy in ready:
        vacancy.alerted_at = now
        fits = index.fits(vacancy_profile(vacancy))
        picks += [
            Pick(int(index.ids[row]), vacancy.id, score, round(distance, 1), exact)
            for row, score, distance, exact in zip(
                fits.rows.tolist(),
                fits.scores.tolist(),
                fits.distances.tolist(),
                fits.exact.tolist(),
                strict=True,
            )
        ]
    fresh = await _record_alerts(session, picks, "instant", now)
    by_id = {v.id: v for v in ready}
    messages = [
        OutMessage(
            chat_id=chats[p.participant_id],
            dedupe_key=f"alert:{p.participant_id}:{p.vacancy_id}",
            not_before=send_at,
            campaign_id=f"vacancy:{p.vacancy_id}",
            **alert_card(by_id[p.vacancy_id], p),
        )
        for p in picks
        if (p.participant_id, p.vacancy_id) in fresh
    ]
    await enqueue_many(session, messages)
    queued = len(messages)
    log.info("vacancy pipeline: %s translated, %s alerts queued", len(waiting), queued)
    return queued


async def _chats(session: AsyncSession, mode: str) -> dict[int, int]:
    """Telegram chat of each participant who may receive alerts in `mode`."""
    rows = await session.execute(
        select(Participant.id, User.telegram_id)
        .join(User, User.id == Participant.user_id)
        .where(_alertable(mode))
    )
    return {pid: chat for pid, chat in rows}


async def _record_alerts(
    session: AsyncSession, picks: list[Pick], mode: str, now: datetime
) -> set[tuple[int, int]]:
    """Record the suggestions; returns the (participant, vacancy) pairs that were new, so
    only those are sent (another replica may have recorded some a moment before)."""
    if not picks:
        return set()
    rows = [
        {
            "participant_id": p.participant_id,
            "vacancy_id": p.vacancy_id,
            "score": p.score,
            "mode": mode,
            "created_at": now,
        }
        for p in picks
    ]
    statement = (
        upsert_insert(session)(VacancyAlert)
        .on_conflict_do_nothing(index_elements=["participant_id", "vacancy_id"])
        .returning(VacancyAlert.participant_id, VacancyAlert.vacancy_id)
    )
    result = await session.execute(statement, rows)
    return {(pid, vid) for pid, vid in result}


# --- digests ------------------------------------------------------------------------------


async def send_digests(session: AsyncSession, mode: str, now: datetime, tz: ZoneInfo) -> int:
    """Queue the `mode` ("daily" or "weekly") digest of everyone in that mode: up to
    `DIGEST_SIZE` vacancies each, best first, none they were told about before. Returns the
    number of digests queued; running it twice the same day queues nothing more."""
    await exclusive(session, f"digest:{mode}")
    today = now.astimezone(tz).date()
    prefix = f"digest:{mode}:{today.isoformat()}:"
    done = {
        int(key.removeprefix(prefix))
        for key in await session.scalars(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.dedupe_key.startswith(prefix, autoescape=True)
            )
        )
    }
    people = [p for p in await _profiles(session, _alertable(mode)) if p.id not in done]
    if not people:
        return 0
    vacancies = (
        await session.scalars(select(Vacancy).where(_open(today)).order_by(Vacancy.id))
    ).all()
    if not vacancies:
        return 0
    sent = await session.execute(
        select(VacancyAlert.participant_id, VacancyAlert.vacancy_id).where(
            VacancyAlert.vacancy_id.in_([v.id for v in vacancies])
        )
    )
    already = {(pid, vid) for pid, vid in sent}
    best = ParticipantIndex(people).best(
        [vacancy_profile(v) for v in vacancies], DIGEST_SIZE, already
    )
    del people, already
    chats = await _chats(session, mode)
    # Each vacancy's title and town, worked out once however many digests list it.
    items = {v.id: {"title": _title(v, BUTTON_TITLE_MAX), "town": _town(v)} for v in vacancies}
    everyone = best.people()
    for start in range(0, len(everyone), DIGEST_SLICE):
        part = everyone[start : start + DIGEST_SLICE]
        # The lock above makes `already` exact: every chosen pair is new.
        await session.execute(
            insert(VacancyAlert.__table__),
            [
                {
                    "participant_id": pid,
                    "vacancy_id": vid,
                    "score": score,
                    "mode": mode,
                    "created_at": now,
                }
                for _, pairs in part
                for pid, vid, score in zip(
                    best.participant_ids[pairs].tolist(),
                    best.vacancy_ids[pairs].tolist(),
                    best.scores[pairs].tolist(),
                    strict=True,
                )
            ],
        )
        await enqueue_many(
            session,
            [
                _digest(chats[person], f"{prefix}{person}", mode, today, best, pairs, items)
                for person, pairs in part
            ],
        )
    log.info("%s digest: %s queued", mode, len(everyone))
    return len(everyone)


def _digest(chat_id, dedupe_key, mode, today, best, pairs: slice, items) -> OutMessage:
    vacancy_ids = best.vacancy_ids[pairs].tolist()
    distances = best.distances[pairs].tolist()
    return OutMessage(
        chat_id=chat_id,
        dedupe_key=dedupe_key,
        key="digest",
        variables={"count": len(vacancy_ids), "mode": mode},
        buttons=[
            [
                OutButton(
                    key="digest-item",
                    variables={"n": n, **items[vid], "km": round(km)},
                    callback_data=callback("open", vid),
                )
            ]
            for n, (vid, km) in enumerate(zip(vacancy_ids, distances, strict=True), start=1)
        ],
        campaign_id=f"digest:{mode}:{today.isoformat()}",
    )


# --- what a participant reads -------------------------------------------------------------


def _title(vacancy: Vacancy, limit: int = 200) -> dict[str, str]:
    return {
        "fr": shorten(vacancy.title_fr or vacancy.title_nl or "", limit),
        "nl": shorten(vacancy.title_nl or vacancy.title_fr or "", limit),
    }


def title_in(vacancy: Vacancy, locale: str, limit: int = 200) -> str:
    """The title in `locale`, else the other language's."""
    return _title(vacancy, limit)["nl" if locale == "nl" else "fr"]


def _town(vacancy: Vacancy) -> dict[str, str]:
    places = find_place_by_postcode(vacancy.postcode)
    if places and len({p.name_nl for p in places}) == 1:
        return {"fr": places[0].name_fr, "nl": places[0].name_nl}
    return {"fr": vacancy.municipality, "nl": vacancy.municipality}


def town_name(vacancy: Vacancy, locale: str) -> str:
    names = _town(vacancy)
    return names.get(locale) or names["fr"]


def distance_only(participant: Participant, vacancy: Vacancy) -> Pick:
    """A vacancy seen by someone it no longer fits (their profile changed): the card still
    shows how far it is."""
    km = 0.0
    if participant.home_lat is not None and participant.home_lon is not None:
        km = distance_km(participant.home_lat, participant.home_lon, vacancy.lat, vacancy.lon)
    return Pick(participant.id, vacancy.id, 0.0, round(km, 1), False)


def shorten(text: str, limit: int = ORIGINAL_TEXT_MAX) -> str:
    """Text cut at `limit` characters (Telegram allows 4096 per message), marked with "…"."""
    text = text.strip()
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def _occupation(code: str) -> dict[str, str]:
    occupation = find_occupation(code)
    if occupation is None:
        return {"fr": code, "nl": code}
    return {"fr": occupation.label_fr, "nl": occupation.label_nl}


def reason_messages(
    vacancy: Vacancy, distance: float, exact: bool, for_staff: bool = False
) -> list[dict[str, Any]]:
    """The reasons a vacancy fits, as messages (`{"key", "vars"}`) in either language:
    addressed to the participant ("your job"), or `for_staff` about them ("same job")."""
    prefix = "staff-reason" if for_staff else "match-reason"
    reasons = []
    for reason in reasons_for(vacancy_profile(vacancy), distance, exact):
        variables: dict[str, Any] = dict(reason.variables)
        if "code" in variables:
            variables["occupation"] = _occupation(variables.pop("code"))
        if "town" in variables:
            variables["town"] = _town(vacancy)
        reasons.append({"key": f"{prefix}-{reason.code}", "vars": variables})
    return reasons


def _description(vacancy: Vacancy) -> dict[str, str]:
    return {
        "fr": shorten(vacancy.description_fr or "", DESCRIPTION_PREVIEW),
        "nl": shorten(vacancy.description_nl or "", DESCRIPTION_PREVIEW),
    }


def _translation_notes(vacancy: Vacancy) -> dict[str, dict[str, str]]:
    """Per reading language: was the text machine-translated, or is the original shown
    because translation was unavailable? Readers of the original language see neither."""
    machine, translated = {}, {}
    for locale in ("fr", "nl"):
        foreign = vacancy.lang != locale
        done = foreign and vacancy.translation == TranslationState.DONE
        unavailable = foreign and vacancy.translation == TranslationState.UNAVAILABLE
        machine[locale] = "yes" if done else "no"
        translated[locale] = "no" if unavailable else "yes"
    return {"machine": machine, "translated": translated}


def alert_card(vacancy: Vacancy, pick: Pick | Match) -> dict[str, Any]:
    """The message about one vacancy (`enqueue` keyword arguments): title, employer, town
    and distance, what is asked, why it fits, and the buttons to answer."""
    return {
        "key": "alert-card",
        "variables": {
            "title": _title(vacancy),
            "employer": vacancy.employer,
            "town": _town(vacancy),
            "km": round(pick.distance_km),
            "contract": {"key": f"contract-{vacancy.contract}"},
            "hours": vacancy.hours_per_week or 0,
            "reasons": reason_messages(vacancy, pick.distance_km, pick.exact_occupation),
            "description": _description(vacancy),
            **_translation_notes(vacancy),
        },
        "buttons": alert_buttons(vacancy.id),
    }


def alert_buttons(vacancy_id: int) -> list[list[OutButton]]:
    return [
        [OutButton(key="alert-interested", callback_data=callback("yes", vacancy_id))],
        [
            OutButton(key="alert-not-for-me", callback_data=callback("no", vacancy_id)),
            OutButton(key="alert-original", callback_data=callback("orig", vacancy_id)),
        ],
        [OutButton(key="alert-stop", callback_data=callback("stop", vacancy_id))],
    ]


# --- answers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lead:
    counsellor_chats: tuple[int, ...]
    first_time: bool


async def answer(
    session: AsyncSession,
    participant: Participant,
    vacancy: Vacancy,
    response: str,
    now: datetime,
    reason: str | None = None,
) -> VacancyAlert:
    """Record the participant's answer to a vacancy (the last answer counts)."""
    alert = await session.scalar(
        select(VacancyAlert).where(
            VacancyAlert.participant_id == participant.id, VacancyAlert.vacancy_id == vacancy.id
        )
    )
    if alert is None:  # seen through /jobs rather than an alert
        alert = VacancyAlert(
            participant_id=participant.id, vacancy_id=vacancy.id, score=0.0, mode="jobs"
        )
        fit = match(participant_profile(participant), vacancy_profile(vacancy))
        if fit is not None:
            alert.score = fit.score
        session.add(alert)
    alert.response = response
    alert.reason = reason if reason in NOT_FOR_ME_REASONS else None
    alert.responded_at = now
    await session.flush()
    return alert


async def express_interest(
    session: AsyncSession, participant: Participant, vacancy: Vacancy, now: datetime
) -> Lead:
    """ "I'm interested": recorded, and the counsellor gets a lead (the participant's summary
    and the vacancy) once per pair."""
    alert = await session.scalar(
        select(VacancyAlert).where(
            VacancyAlert.participant_id == participant.id, VacancyAlert.vacancy_id == vacancy.id
        )
    )
    first_time = alert is None or alert.response != AlertResponse.INTERESTED
    await answer(session, participant, vacancy, AlertResponse.INTERESTED, now)
    counsellors = await counsellors_for(session, participant)
    if first_time:
        for counsellor in counsellors:
            await enqueue(
                session,
                chat_id=counsellor.telegram_id,
                dedupe_key=f"lead:{participant.id}:{vacancy.id}:{counsellor.id}",
                key="lead",
                variables=lead_variables(participant, vacancy, counsellor),
            )
    return Lead(tuple(c.telegram_id for c in counsellors), first_time)


def lead_variables(participant: Participant, vacancy: Vacancy, counsellor: Staff) -> dict:
    fit = match(participant_profile(participant), vacancy_profile(vacancy))
    return {
        "name": participant.first_name or "—",
        "participant": participant.external_id or str(participant.id),
        "territory": participant.territory or "—",
        "dutch": participant.dutch_level or "—",
        "occupations": [_occupation(code) for code in participant.occupations or ()],
        "title": _title(vacancy),
        "employer": vacancy.employer,
        "town": _town(vacancy),
        "vacancy": vacancy.external_id,
        "url": vacancy.url or "",
        "km": round(fit.distance_km) if fit else "?",
        "reasons": (
            reason_messages(vacancy, fit.distance_km, fit.exact_occupation, for_staff=True)
            if fit
            else []
        ),
    }


async def stop_alerts(session: AsyncSession, participant: Participant) -> None:
    """ "Stop these alerts": no more alerts or digests; `/jobs` still works."""
    await session.execute(
        update(Participant).where(Participant.id == participant.id).values(alert_mode="off")
    )
    participant.alert_mode = "off"


def today_in(tz: ZoneInfo, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(tz).date()
