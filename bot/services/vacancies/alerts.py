"""Vacancy alerts: who hears about which vacancy, when, and what they answered.

Rules this module enforces:
- alerts go only to participants who are followed, whose alert mode is not "off", and who
  consented in the bot and are on Telegram, or were imported with a contact they agreed to
  (an e-mail for instant cards; a phone or an e-mail for digests);
- nobody is told about the same vacancy twice (one `vacancy_alerts` row per pair, unique);
- instant alerts are queued as soon as a vacancy is ready (translated) but never sent during
  quiet hours (21:00-08:00, programme time): they wait until 08:00;
- digests (daily at 09:00, weekly on Monday 09:00) hold at most `DIGEST_SIZE` vacancies, the
  best first, only ones the person was not told about before;
- an expired vacancy is never suggested;
- alerts and digests are messages for the participant (`participant_id`): a person who
  blocked the bot since gets a vacancy card by e-mail only (no SMS text: too long), and a
  digest by SMS as "N new offers for you, ask your counsellor or open the bot"
  (`sms-digest`).
Everything is queued in the outbox in the caller's transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import exclusive, upsert_insert
from bot.db.models import (
    AlertResponse,
    OutboxMessage,
    Participant,
    TranslationState,
    User,
    Vacancy,
    VacancyAlert,
)
from bot.delivery.outbox import OutButton, OutMessage, enqueue, enqueue_many
from bot.services.staff.members import counsellors_for
from bot.services.translation.translator import Translator, translate_vacancy
from bot.services.vacancies import keys
from bot.services.vacancies.cards import (
    BUTTON_TITLE_MAX,
    alert_card,
    callback,
    lead_buttons,
    lead_variables,
    title_by_locale,
    town_by_locale,
)
from bot.services.vacancies.fit import match
from bot.services.vacancies.fit_many import Best, ParticipantIndex, Pick
from bot.services.vacancies.matches import (
    FollowedIndex,
    alertable,
    load_profiles,
    open_and_ready,
    participant_profile,
    vacancy_profile,
)

log = logging.getLogger(__name__)

DIGEST_SIZE = 10
DIGEST_SLICE = 5_000  # digests written per statement: bounds memory at any caseload size
QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(8, 0)
TRANSLATE_PER_TICK = 20
NOT_FOR_ME_REASONS = ("distance", "schedule", "contract", "dutch", "job", "other")


# --- quiet hours --------------------------------------------------------------------------


def outside_quiet_hours(now: datetime, tz: ZoneInfo) -> datetime:
    """`now`, or 08:00 programme time when `now` falls in the quiet hours (21:00-08:00)."""
    local = now.astimezone(tz)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return now
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tzinfo=tz).astimezone(now.tzinfo)


# --- the pipeline: translate, then instant alerts ----------------------------------------


async def process_vacancies(
    session: AsyncSession,
    translator: Translator,
    now: datetime,
    tz: ZoneInfo,
    *,
    translate_all: bool = False,
    followed: FollowedIndex | None = None,
) -> int:
    """Translate vacancies waiting for it, then queue instant alerts for ready vacancies not
    alerted yet. Returns the number of alerts queued. Runs in the clock's background job (a
    few translations per tick, so a tick stays short, with the process's `followed` index)
    and after a CLI import (`translate_all`), never in a participant's request."""
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
            select(Vacancy).where(
                open_and_ready(now.astimezone(tz).date()), Vacancy.alerted_at.is_(None)
            )
        )
    ).all()
    if not ready:
        return 0
    caseload = await (followed or FollowedIndex()).current(session)
    chats = await _chats(session, "instant")  # who may get an instant alert, and where
    send_at = outside_quiet_hours(now, tz)
    picks: list[Pick] = []
    for vacancy in ready:
        vacancy.alerted_at = now
        fits = caseload.index.fits(vacancy_profile(vacancy))
        picks += [
            Pick(pid, vacancy.id, score, round(distance, 1), exact)
            for pid, score, distance, exact in zip(
                caseload.index.ids[fits.rows].tolist(),
                fits.scores.tolist(),
                fits.distances.tolist(),
                fits.exact.tolist(),
                strict=True,
            )
            if pid in chats
        ]
    fresh = await _record_alerts(session, picks, "instant", now)
    by_id = {v.id: v for v in ready}
    messages = [
        OutMessage(
            chat_id=chats[p.participant_id],
            participant_id=p.participant_id,
            dedupe_key=keys.vacancy_alert(p.participant_id, p.vacancy_id),
            not_before=send_at,
            campaign_id=keys.vacancy_campaign(p.vacancy_id),
            **alert_card(by_id[p.vacancy_id], p),
        )
        for p in picks
        if (p.participant_id, p.vacancy_id) in fresh
    ]
    await enqueue_many(session, messages)
    queued = len(messages)
    log.info("vacancy pipeline: %s translated, %s alerts queued", len(waiting), queued)
    return queued


async def _chats(session: AsyncSession, mode: str) -> dict[int, int | None]:
    """Each participant who may receive alerts in `mode`, with their Telegram chat (None:
    not on Telegram, reached by e-mail or SMS)."""
    rows = await session.execute(
        select(Participant.id, User.telegram_id)
        .outerjoin(User, User.id == Participant.user_id)
        .where(alertable(mode))
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
    prefix = keys.digests(mode, today)
    done = {
        int(key.removeprefix(prefix))
        for key in await session.scalars(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.dedupe_key.startswith(prefix, autoescape=True)
            )
        )
    }
    people = [p for p in await load_profiles(session, alertable(mode)) if p.id not in done]
    if not people:
        return 0
    vacancies = (
        await session.scalars(select(Vacancy).where(open_and_ready(today)).order_by(Vacancy.id))
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
    # Each vacancy's button, worked out once however many digests list it.
    buttons = {
        v.id: OutButton(
            key="digest-item",
            variables={"title": title_by_locale(v, BUTTON_TITLE_MAX), "town": town_by_locale(v)},
            callback_data=callback("open", v.id),
        ).as_json()
        for v in vacancies
    }
    everyone = best.people()
    connection = await session.connection()
    for start in range(0, len(everyone), DIGEST_SLICE):
        part = everyone[start : start + DIGEST_SLICE]
        pairs = slice(part[0][1].start, part[-1][1].stop)
        # The lock above makes `already` exact: every chosen pair is new.
        await connection.execute(
            insert(VacancyAlert.__table__),
            [
                {
                    "participant_id": pid,
                    "vacancy_id": vid,
                    "score": score,
                    "mode": mode,
                    "created_at": now,
                }
                for pid, vid, score in zip(
                    best.participant_ids[pairs].tolist(),
                    best.vacancy_ids[pairs].tolist(),
                    best.scores[pairs].tolist(),
                    strict=True,
                )
            ],
        )
        campaign = keys.digest_campaign(mode, today)
        await enqueue_many(
            session,
            [
                OutMessage(
                    chat_id=chats[person],
                    participant_id=person,
                    dedupe_key=keys.digest(mode, today, person),
                    key="digest",
                    variables={"count": mine.stop - mine.start, "mode": mode},
                    buttons=_digest_buttons(best, mine, buttons),
                    campaign_id=campaign,
                )
                for person, mine in part
            ],
        )
    log.info("%s digest: %s queued", mode, len(everyone))
    return len(everyone)


def _digest_buttons(best: Best, mine: slice, buttons: dict[int, dict]) -> list[list[dict]]:
    """One button per vacancy, numbered, with the distance from this person's home."""
    return [
        [{**buttons[vid], "vars": {**buttons[vid]["vars"], "n": n, "km": round(km)}}]
        for n, (vid, km) in enumerate(
            zip(best.vacancy_ids[mine].tolist(), best.distances[mine].tolist(), strict=True),
            start=1,
        )
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
    and the vacancy) each time the person turns to it: pressing it twice tells nobody twice,
    coming back to it after "not for me" tells the counsellor again."""
    alert = await session.scalar(
        select(VacancyAlert).where(
            VacancyAlert.participant_id == participant.id, VacancyAlert.vacancy_id == vacancy.id
        )
    )
    first_time = alert is None or alert.response != AlertResponse.INTERESTED
    alert = await answer(session, participant, vacancy, AlertResponse.INTERESTED, now)
    counsellors = await counsellors_for(session, participant)
    if first_time:
        alert.interest = (alert.interest or 0) + 1
        for counsellor in counsellors:
            await enqueue(
                session,
                chat_id=counsellor.telegram_id,
                dedupe_key=keys.lead(participant.id, vacancy.id, counsellor.id, alert.interest),
                key="lead",
                variables=lead_variables(participant, vacancy, counsellor),
                buttons=lead_buttons(participant),
            )
    return Lead(tuple(c.telegram_id for c in counsellors), first_time)


async def stop_alerts(session: AsyncSession, participant: Participant) -> None:
    """ "Stop these alerts": no more alerts or digests; `/jobs` still works."""
    await session.execute(
        update(Participant).where(Participant.id == participant.id).values(alert_mode="off")
    )
    participant.alert_mode = "off"
