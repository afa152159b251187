"""Vacancy matching at programme scale: one new vacancy against everyone, and the daily digest.

100,000 synthetic participants (homes in LRT, FM and WAPI, 1-3 occupations, everyone followed,
consented, reachable and on the daily digest: the digest's worst case) and 5,000 open,
translated, already-alerted vacancies in West Flanders, in a migrated SQLite file. Measures
- `match_one_ms`: the counsellor's view of one new vacancy (`matches.followed_matches`, its
  queries included), the median over 5 new vacancies of different occupations;
- `instant_one_ms`: the vacancy pipeline (`alerts.process_vacancies`, commit included) for one
  new vacancy while 10% of the people are on instant alerts, median of 3;
- `digest_all_s`: `alerts.send_digests(..., "daily", ...)` for everyone, commit included;
- `peak_rss_mb`: the process's peak resident memory, data generation included.
Prints {"participants", "vacancies", "match_one_ms", "digest_all_s", "peak_rss_mb", ...};
goals: match_one_ms <= 200, digest_all_s <= 60, peak_rss_mb <= 500.

    python benchmarks/bench_matching.py --json
    python benchmarks/bench_matching.py --participants 2000 --vacancies 100   # a quick run
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import pstats
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, select, update

from bot.common.reference import Occupation, Place, load_occupations, places_by_territory
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.migrate import upgrade
from bot.db.models import (
    Contract,
    OutboxMessage,
    Participant,
    ParticipantStatus,
    Schedule,
    TranslationState,
    User,
    Vacancy,
    VacancyAlert,
)
from bot.services.translation.translator import Translator
from bot.services.vacancies import alerts, matches

TZ = ZoneInfo("Europe/Paris")
CHUNK = 5_000
HOME_TERRITORIES = ("LRT", "FM", "WAPI")
LEVELS = ("A0", "A1", "A2", "B1", "B2")
LEVEL_WEIGHTS = (35, 30, 20, 10, 5)
VACANCY_LEVELS = ("A0", "A1", "A2", "B1")
VACANCY_LEVEL_WEIGHTS = (40, 30, 20, 10)
COMMUTES = (15, 30, 45, 60)
EMPLOYERS = tuple(f"Werkgever {n} BV" for n in range(300))
JITTER_DEG = 0.01  # about 1 km around the commune's centre
MATCH_RUNS = 5
INSTANT_RUNS = 3
INSTANT_SHARE = 10  # one participant in INSTANT_SHARE is on instant alerts for that measure


def _chunks(rows: Iterator[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _users(count: int, now: datetime) -> Iterator[dict]:
    for n in range(1, count + 1):
        yield {
            "id": n,
            "telegram_id": 10_000_000 + n,
            "locale": "fr",
            "reachable": True,
            "created_at": now,
            "last_seen_at": now,
        }


def _participants(count: int, rng: random.Random, codes: list[str], now: datetime):
    homes = {t: places_by_territory()[t] for t in HOME_TERRITORIES}
    for n in range(1, count + 1):
        territory = rng.choice(HOME_TERRITORIES)
        home = rng.choice(homes[territory])
        yield {
            "id": n,
            "user_id": n,
            "consent_at": now,
            "territory": territory,
            "occupations": rng.sample(codes, rng.randint(1, 3)),
            "dutch_level": rng.choices(LEVELS, LEVEL_WEIGHTS)[0],
            "driving_licence": rng.random() < 0.6,
            "max_commute_km": rng.choice(COMMUTES),
            "home_postcode": home.postcode,
            "home_lat": home.lat + rng.uniform(-JITTER_DEG, JITTER_DEG),
            "home_lon": home.lon + rng.uniform(-JITTER_DEG, JITTER_DEG),
            "availability": rng.sample(Schedule.ALL, rng.randint(1, 4)),
            "alert_mode": "daily",
            "status": ParticipantStatus.FOLLOWED,
            "last_contact_at": now,
            "created_at": now,
            "updated_at": now,
        }


def _vacancy(
    rng: random.Random,
    occupation: Occupation,
    place: Place,
    external_id: str,
    today: date,
    alerted_at: datetime | None,
    now: datetime,
) -> dict:
    return {
        "external_id": external_id,
        "lang": "nl",
        "title_nl": f"{occupation.label_nl} (m/v/x) - {place.name_nl}",
        "title_fr": f"{occupation.label_fr} (h/f) - {place.name_fr}",
        "description_nl": "Voltijds, onmiddellijk beschikbaar.",
        "description_fr": "Temps plein, disponible immédiatement.",
        "translation": TranslationState.DONE,
        "employer": rng.choice(EMPLOYERS),
        "occupation": occupation.code,
        "postcode": place.postcode,
        "municipality": place.name_nl,
        "lat": place.lat,
        "lon": place.lon,
        "dutch_level": rng.choices(VACANCY_LEVELS, VACANCY_LEVEL_WEIGHTS)[0],
        "driving_licence": rng.random() < 0.15,
        "contract": rng.choice(Contract.ALL),
        "schedule": rng.sample(Schedule.ALL, rng.randint(0, 2)),
        "hours_per_week": 38,
        "published": today - timedelta(days=rng.randint(0, 30)),
        "expires": None if rng.random() < 0.3 else today + timedelta(days=rng.randint(1, 60)),
        "alerted_at": alerted_at,
        "created_at": now,
        "updated_at": now,
    }


async def _seed(engine, participants: int, vacancies: int, rng, now: datetime, today: date):
    occupations = load_occupations()
    codes = [o.code for o in occupations]
    workplaces = places_by_territory()["WVL"]
    async with engine.begin() as connection:
        for rows in _chunks(_users(participants, now)):
            await connection.execute(insert(User), rows)
        for rows in _chunks(_participants(participants, rng, codes, now)):
            await connection.execute(insert(Participant), rows)
        alerted = now - timedelta(hours=12)
        offers = (
            _vacancy(
                rng, rng.choice(occupations), rng.choice(workplaces), f"v:{n}", today, alerted, now
            )
            for n in range(vacancies)
        )
        for rows in _chunks(offers):
            await connection.execute(insert(Vacancy), rows)


async def _new_vacancy(session, rng, occupation, external_id, today, now, alerted_at) -> Vacancy:
    place = rng.choice(places_by_territory()["WVL"])
    vacancy = Vacancy(**_vacancy(rng, occupation, place, external_id, today, alerted_at, now))
    session.add(vacancy)
    await session.commit()
    return vacancy


async def _match_one(sessionmaker, rng, now: datetime, today: date) -> dict:
    """The counsellor's view, for MATCH_RUNS new vacancies of different occupations, as the
    running bot computes it (its index of followed participants kept between calls: the
    first call, which builds it, is reported apart)."""
    timings, matched = [], []
    followed = matches.FollowedIndex()
    async with sessionmaker() as session:
        started = time.perf_counter()
        await followed.current(session)
        build = time.perf_counter() - started
        for n, occupation in enumerate(rng.sample(load_occupations(), MATCH_RUNS)):
            vacancy = await _new_vacancy(session, rng, occupation, f"new:{n}", today, now, now)
            started = time.perf_counter()
            found = await matches.followed_matches(session, vacancy, today, followed)
            timings.append(time.perf_counter() - started)
            matched.append(len(found))
        # Back to exactly the seeded vacancies, so the digest sees what it was given.
        await session.execute(delete(Vacancy).where(Vacancy.external_id.startswith("new:")))
        await session.commit()
    return {
        "match_one_ms": round(statistics.median(timings) * 1000, 1),
        "match_one_max_ms": round(max(timings) * 1000, 1),
        "match_one_matched": matched,
        "index_build_ms": round(build * 1000, 1),
    }


async def _instant_one(sessionmaker, rng, now: datetime, today: date) -> dict:
    """The vacancy pipeline for one new vacancy, with 1 person in INSTANT_SHARE on instant
    alerts; everything it did is undone afterwards."""
    translator = Translator([])
    followed = matches.FollowedIndex()
    timings, queued = [], []
    async with sessionmaker() as session:
        await session.execute(
            update(Participant)
            .where(Participant.id % INSTANT_SHARE == 0)
            .values(alert_mode="instant")
        )
        await session.commit()
        await followed.current(session)  # built once, as in the running bot
        for n, occupation in enumerate(rng.sample(load_occupations(), INSTANT_RUNS)):
            await _new_vacancy(session, rng, occupation, f"instant:{n}", today, now, None)
            started = time.perf_counter()
            queued.append(
                await alerts.process_vacancies(session, translator, now, TZ, followed=followed)
            )
            await session.commit()
            timings.append(time.perf_counter() - started)
        new = select(Vacancy.id).where(Vacancy.external_id.startswith("instant:"))
        await session.execute(delete(OutboxMessage).where(OutboxMessage.dedupe_key.like("alert:%")))
        await session.execute(delete(VacancyAlert).where(VacancyAlert.vacancy_id.in_(new)))
        await session.execute(delete(Vacancy).where(Vacancy.external_id.startswith("instant:")))
        await session.execute(update(Participant).values(alert_mode="daily"))
        await session.commit()
    return {
        "instant_one_ms": round(statistics.median(timings) * 1000, 1),
        "instant_queued": queued,
    }


async def _digest_all(sessionmaker, now: datetime, profile: bool) -> dict:
    profiler = cProfile.Profile() if profile else None
    async with sessionmaker() as session:
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        queued = await alerts.send_digests(session, "daily", now, TZ)
        await session.commit()
        elapsed = time.perf_counter() - started
        if profiler:
            profiler.disable()
            report = io.StringIO()
            pstats.Stats(profiler, stream=report).sort_stats("cumulative").print_stats(40)
            print(report.getvalue(), file=sys.stderr)
        recorded = await session.scalar(
            select(func.count()).select_from(VacancyAlert).where(VacancyAlert.mode == "daily")
        )
    return {
        "digest_all_s": round(elapsed, 2),
        "digests_queued": queued,
        "alerts_recorded": recorded,
    }


async def main(
    participants: int, vacancies: int, seed: int, profile: bool = False, verbose: bool = False
) -> dict:
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    today = now.astimezone(TZ).date()
    folder = tempfile.TemporaryDirectory()
    engine = create_engine(f"sqlite+aiosqlite:///{Path(folder.name) / 'bench.db'}")
    try:
        await upgrade(engine)
        started = time.perf_counter()
        await _seed(engine, participants, vacancies, rng, now, today)
        seeded = time.perf_counter() - started
        sessionmaker = create_sessionmaker(engine)
        result: dict = {"participants": participants, "vacancies": vacancies}
        for name, phase in (
            ("match_one", _match_one(sessionmaker, rng, now, today)),
            ("instant_one", _instant_one(sessionmaker, rng, now, today)),
            ("digest_all", _digest_all(sessionmaker, now, profile)),
        ):
            if verbose:
                print(f"{name}...", file=sys.stderr, flush=True)
            result.update(await phase)
            if verbose:
                print(json.dumps(result), file=sys.stderr, flush=True)
        result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        result["seed_s"] = round(seeded, 1)
        result["seed"] = seed
        return result
    finally:
        await engine.dispose()
        folder.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the result as one JSON line")
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the digest, top functions to stderr"
    )
    parser.add_argument("--verbose", action="store_true", help="each phase's results to stderr")
    options = parser.parse_args()
    result = asyncio.run(
        main(
            options.participants, options.vacancies, options.seed, options.profile, options.verbose
        )
    )
    print(json.dumps(result) if options.json else result)
