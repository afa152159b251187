"""Vacancies: the rules a job offer must meet, the file import (VDAB or employers' exports,
CSV or JSON) and saving one offer, whether it came from a file or from a staff member.

`check_vacancy` is the one place for the rules, so a file row and an offer typed into the bot
are held to the same standard. Saving is idempotent on `external_id`: importing the same
file again changes nothing, and an edited offer is updated in place with what follows from
the edit (a new translation when its text changed, new alerts when who it suits changed).
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.checks import is_web_address
from bot.common.reference import (
    Place,
    find_place,
    find_place_by_postcode,
)
from bot.common.row_rules import (
    MISSING,
    RowModel,
    collapsed,
    empty,
    iso_date,
    rule,
    scalar,
    short_text,
    text,
    whole,
)
from bot.common.rows import (
    LIST_SEPARATOR,
    ImportReport,
    OnBatch,
    Record,
    Rejection,
    Source,
    Table,
    batches,
    checked_rows,
    known_items,
    occupation_code,
    read_table,
    sort_rows,
)
from bot.db.models import Contract, Schedule, TranslationState, Vacancy

FIELDS = (
    "external_id",
    "title_nl",
    "employer",
    "occupation",
    "postcode",
    "municipality",
    "description_nl",
    "dutch_level",
    "driving_licence",
    "contract",
    "schedule",
    "hours_per_week",
    "published",
    "expires",
    "url",
)
FORMATS = ("csv", "xlsx", "json")
LANGS = ("nl", "fr")
CEFR_LEVELS = ("A0", "A1", "A2", "B1", "B2", "C1", "C2")
YES = frozenset({"yes", "oui", "ja", "true", "1"})
NO = frozenset({"no", "non", "nee", "false", "0"})
# Belgian law caps a working week at 50 hours even with overtime; more is a typo.
HOURS_RANGE = (1, 50)
EXTERNAL_ID_MAX = 64
TITLE_MAX = 200
EMPLOYER_MAX = 120
OCCUPATION_MAX = 100
POSTCODE_MAX = 12
MUNICIPALITY_MAX = 80
# Leaves room for the title, place and buttons in one 4096-character Telegram message.
DESCRIPTION_MAX = 3500
URL_MAX = 500

# What a participant is matched on: when one of these changes, people who did not match
# before may match now, so the vacancy is offered to the alert pipeline again.
MATCHING_FIELDS = (
    "occupation",
    "postcode",
    "lat",
    "lon",
    "dutch_level",
    "driving_licence",
    "contract",
    "schedule",
    "expires",
)
# Shown but not matched on: an edit is saved silently.
OTHER_FIELDS = ("employer", "municipality", "hours_per_week", "published", "url")


class VacancyImportError(ValueError):
    """The whole file is refused (not CSV or JSON as expected, wrong columns)."""


@dataclass(frozen=True)
class VacancyDraft:
    """A vacancy that passed `check_vacancy`, ready to store. `title` and `description` are
    in `lang` ("nl" or "fr"); `occupation` is an ESCO code; `schedule` is empty when the
    offer sets no constraint."""

    external_id: str
    lang: str
    title: str
    description: str | None
    employer: str
    occupation: str
    postcode: str
    municipality: str
    lat: float
    lon: float
    dutch_level: str
    driving_licence: bool
    contract: str
    schedule: tuple[str, ...]
    hours_per_week: int | None
    published: date
    expires: date | None
    url: str | None


@dataclass
class VacancyImport(ImportReport):
    """What an import did; `changed_ids` are the vacancies created or updated, in file
    order (what a translation or alert run afterwards needs to look at)."""

    changed_ids: list[int] = field(default_factory=list)


# --- the rules ----------------------------------------------------------------------------


def check_vacancy(
    fields: Mapping[str, Any], today: date, lang: str = "nl"
) -> tuple[VacancyDraft | None, list[str]]:
    """The draft, or None and every problem found (short English reasons, not only the
    first). The text is read from `title_<lang>` and `description_<lang>`; a missing key
    counts as an empty value. Rules:

    - required: external_id, title, employer, occupation, postcode, dutch_level, contract,
      published; optional (empty allowed): municipality, description, driving_licence (empty
      means no), schedule (empty means no constraint), hours_per_week, expires, url;
    - occupation: an ESCO code or any French or Dutch label or synonym of the reference list
      (exact once case, accents and "(m/v/x)" are ignored), stored as the code;
    - postcode: a place of the reference list (any territory), which gives lat/lon. A given
      municipality must not name another commune: a commune or locality served by the
      postcode is kept as written ("Heule" for 8501), text that names no known place (a
      business park) is kept too, and an empty one becomes the commune's Dutch name (the
      postcode must then serve a single commune);
    - dutch_level A0..C2; driving_licence yes/no (oui/non, ja/nee, true/false, 1/0);
      contract permanent/temporary/interim; schedule day/shifts/nights/weekends,
      `;`-separated or a list;
    - hours_per_week a whole number from 1 to 50; published an ISO date not after `today`;
      expires an ISO date not before published (already past is fine: the vacancy is kept
      but no longer matched); url http(s) with a host;
    - texts are trimmed and their runs of spaces collapsed (descriptions keep their line
      breaks), then held to the column sizes.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}")
    row, problems = VacancyRow.check(fields, today=today, lang=lang)
    return (None if row is None else row.draft(lang)), problems


def _paragraphs(longest: int) -> BeforeValidator:
    """Like `text`, but line breaks survive (at most one empty line in a row), so a
    description keeps its layout; optional."""

    def check(value: Any, name: str, problems: list[str], _context: Any) -> str | None:
        lines = [collapsed(line) for line in scalar(value, name, problems).splitlines()]
        written = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
        if len(written) > longest:
            problems.append(f"{name} is longer than {longest} characters")
        return written or None

    return rule(check, "description_{lang}")


def _occupation(value: Any, name: str, problems: list[str], _context: Any) -> str | None:
    """The ESCO code. Typos are refused, not guessed (a wrong trade would send the offer to
    the wrong people), but the closest title is suggested."""
    written = short_text(value, name, OCCUPATION_MAX, problems, required=True)
    return None if written is None else occupation_code(written, problems)


def _place(
    cells: tuple[Any, Any], _name: str, problems: list[str], _context: Any
) -> tuple[str, str, float, float] | None:
    """(postcode, municipality, lat, lon) from the postcode and municipality cells; see
    `check_vacancy` for the municipality rule."""
    postcode_text = short_text(cells[0], "postcode", POSTCODE_MAX, problems, required=True)
    municipality = short_text(cells[1], "municipality", MUNICIPALITY_MAX, problems, required=False)
    if postcode_text is None:
        return None
    places = find_place_by_postcode(postcode_text)
    if not places:
        problems.append(f"unknown postcode {postcode_text!r}")
        return None
    postcode = places[0].postcode
    if municipality is None:
        communes = sorted({place.name_nl for place in places})
        if len(communes) > 1:
            problems.append(
                f"municipality is empty and postcode {postcode} serves several communes "
                f"({', '.join(communes)})"
            )
            return None
        return postcode, places[0].name_nl, places[0].lat, places[0].lon
    named = {(place.country, place.name_fr) for place in find_place(municipality)}
    served = [place for place in places if (place.country, place.name_fr) in named]
    if named and not served:
        problems.append(
            f"municipality {municipality!r} is not served by postcode {postcode} "
            f"({', '.join(sorted({place.name_nl for place in places}))})"
        )
        return None
    lat, lon = _middle(served or places)
    return postcode, municipality, lat, lon


def _middle(places: list[Place]) -> tuple[float, float]:
    """The point of a commune, or the middle of those sharing a postcode (close enough for
    a commute radius)."""
    lat = sum(place.lat for place in places) / len(places)
    lon = sum(place.lon for place in places) / len(places)
    return round(lat, 4), round(lon, 4)


def _choice(allowed: tuple[str, ...], *, upper: bool) -> BeforeValidator:
    """One of `allowed` (compared in upper or lower case); required."""

    def check(value: Any, name: str, problems: list[str], _context: Any) -> str | None:
        written = scalar(value, name, problems)
        written = written.upper() if upper else written.lower()
        if not written:
            empty(value, name, problems)
            return None
        if written not in allowed:
            problems.append(f"{name} must be one of {', '.join(allowed)}")
        return written

    return rule(check)


def _yes_no(value: Any, name: str, problems: list[str], _context: Any) -> bool:
    """Empty means no."""
    answer = scalar(value, name, problems).lower()
    if answer and answer not in YES | NO:
        problems.append(f"{name} must be yes or no")
    return answer in YES


def _schedule(value: Any, name: str, problems: list[str], _context: Any) -> tuple[str, ...]:
    """The schedules named (a JSON list or `;`-separated text), in the canonical order, each
    once."""
    if isinstance(value, list | tuple):
        if not all(isinstance(item, str) for item in value):
            problems.append(f"{name} must be a list of words")
            return ()
        parts = list(value)
    else:
        parts = scalar(value, name, problems).split(LIST_SEPARATOR)
    items = [part.strip().lower() for part in parts if part.strip()]
    return known_items(items, Schedule.ALL, name, problems)


def _hours(value: Any, name: str, problems: list[str], _context: Any) -> int | None:
    written = scalar(value, name, problems)
    return whole(written, name, HOURS_RANGE, problems) if written else None


def _period(
    cells: tuple[Any, Any], _name: str, problems: list[str], context: Any
) -> tuple[date | None, date | None]:
    """(published, expires): published required and not after today; expires optional, not
    before published."""
    published = _day(cells[0], "published", problems, required=True)
    expires = _day(cells[1], "expires", problems, required=False)
    if published and published > context["today"]:
        problems.append(f"published {published.isoformat()} is in the future")
    if published and expires and expires < published:
        problems.append("expires is before published")
    return published, expires


def _day(value: Any, name: str, problems: list[str], *, required: bool) -> date | None:
    written = scalar(value, name, problems)
    if not written:
        if required:
            empty(value, name, problems)
        return None
    return iso_date(written, name, problems)


def _url(value: Any, name: str, problems: list[str], _context: Any) -> str | None:
    url = short_text(value, name, URL_MAX, problems, required=False)
    if url is None:
        return None
    if not is_web_address(url, ("http", "https")):
        problems.append(f"{name} must be an http(s) address")
        return None
    return url


class VacancyRow(RowModel):
    """One vacancy as a file or a staff member gives it (CSV text or JSON values), each
    field's rule saying what its cells must hold (see `check_vacancy`); `draft` is what is
    stored."""

    external_id: Annotated[str, text(EXTERNAL_ID_MAX, required=True)]
    title: Annotated[str, text(TITLE_MAX, required=True, name="title_{lang}")]
    description: Annotated[str | None, _paragraphs(DESCRIPTION_MAX)]
    employer: Annotated[str, text(EMPLOYER_MAX, required=True)]
    occupation: Annotated[str, rule(_occupation)]
    place: Annotated[tuple[str, str, float, float], rule(_place)]
    dutch_level: Annotated[str, _choice(CEFR_LEVELS, upper=True)]
    driving_licence: Annotated[bool, rule(_yes_no)]
    contract: Annotated[str, _choice(Contract.ALL, upper=False)]
    schedule: Annotated[tuple[str, ...], rule(_schedule)]
    hours_per_week: Annotated[int | None, rule(_hours)]
    period: Annotated[tuple[date, date | None], rule(_period)]
    url: Annotated[str | None, rule(_url)]

    @classmethod
    def inputs(cls, cells: Mapping[str, Any], context: Mapping[str, Any]) -> dict[str, Any]:
        """Each field's cell as given (a JSON value too), MISSING when the key is absent;
        the texts in the context's `lang`; the place and the period from two cells each."""
        inputs = {name: cells.get(name, MISSING) for name in cls.field_names}
        lang = context["lang"]
        inputs["title"] = cells.get(f"title_{lang}", MISSING)
        inputs["description"] = cells.get(f"description_{lang}", MISSING)
        inputs["place"] = (cells.get("postcode", MISSING), cells.get("municipality", MISSING))
        inputs["period"] = (cells.get("published", MISSING), cells.get("expires", MISSING))
        return inputs

    def draft(self, lang: str) -> VacancyDraft:
        postcode, municipality, lat, lon = self.place
        published, expires = self.period
        return VacancyDraft(
            external_id=self.external_id,
            lang=lang,
            title=self.title,
            description=self.description,
            employer=self.employer,
            occupation=self.occupation,
            postcode=postcode,
            municipality=municipality,
            lat=lat,
            lon=lon,
            dutch_level=self.dutch_level,
            driving_licence=self.driving_licence,
            contract=self.contract,
            schedule=self.schedule,
            hours_per_week=self.hours_per_week,
            published=published,
            expires=expires,
            url=self.url,
        )


# --- reading files ------------------------------------------------------------------------


def guess_format(filename: str, head: str | bytes) -> str:
    """The format of a file, "csv", "xlsx" or "json": by its extension, else a zip archive
    is a workbook, and JSON when the text starts with `[` or `{` (a CSV header never does).
    `head` is the file's start (its text or bytes)."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix in FORMATS:
        return suffix
    if isinstance(head, bytes):
        if head.startswith(b"PK\x03\x04"):
            return "xlsx"
        head = head.decode("utf-8", "replace")
    return "json" if head.lstrip("\ufeff \t\r\n")[:1] in ("[", "{") else "csv"


def read_vacancies(
    source: Source, fmt: str, today: date
) -> tuple[list[tuple[int, VacancyDraft]], list[Rejection]]:
    """The file's good vacancies, each with its line (CSV), row (xlsx) or item number
    (JSON), and the reasons its bad ones are refused; no database involved."""
    return sort_rows(_checked(vacancy_table(source, fmt), today))


def vacancy_table(source: Source, fmt: str, name: str = "") -> Table:
    """The file as a table: a CSV or workbook must have exactly the columns of FIELDS in its
    header (see `csv_rows.read_table`), or it is refused as a whole; a JSON file must be a
    list of objects whose keys are among FIELDS (an optional field may be left out)."""
    if fmt in ("csv", "xlsx"):
        return read_table(source, FIELDS, VacancyImportError, name or f"file.{fmt}")
    if fmt == "json":
        items, encoding = _json_items(source)
        done = [0]

        def progress() -> tuple[int, int]:
            return done[0], len(items)

        return Table(f"JSON ({encoding})", None, list(FIELDS), _json_records(items, done), progress)
    raise ValueError(f"unknown format {fmt!r}")


def _checked(table: Table, today: date) -> Iterator[tuple[int, VacancyDraft | Rejection]]:
    """The vacancies checked as they are read. The same external_id twice: the later one is
    refused."""
    unit = "item" if table.encoding.startswith("JSON") else "line"
    return checked_rows(
        table.records,
        lambda _number, fields: check_vacancy(fields, today),
        lambda draft: draft.external_id,
        lambda draft, first: f"external_id {draft.external_id!r} already on {unit} {first}",
        unit,
    )


def _json_items(source: Source) -> tuple[list[Any], str]:
    """The list a JSON file holds, and its encoding (UTF-8, else Windows-1252)."""
    encoding = "UTF-8"
    if isinstance(source, str):
        text = source
    else:
        try:
            data = source if isinstance(source, bytes) else Path(source).read_bytes()
        except OSError as error:
            raise VacancyImportError(f"cannot read the file: {error.strerror or error}") from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            encoding, text = "Windows-1252", data.decode("cp1252", "replace")
        del data
    try:
        items = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise VacancyImportError(f"not valid JSON ({where}: {error.msg})") from None
    if not isinstance(items, list):
        raise VacancyImportError("the JSON must be a list of vacancy objects")
    return items, encoding


def _json_records(items: list[Any], done: list[int]) -> Iterator[Record]:
    """(item number from 1, object, problems) per item of the list; each item is let go
    once read."""
    for index in range(len(items)):
        item, items[index] = items[index], None
        number = done[0] = index + 1
        if not isinstance(item, dict):
            yield number, {}, ["not an object"]
            continue
        # An unknown key is most likely a misspelt field whose value would be lost.
        unknown = [key for key in item if key not in FIELDS]
        problems = [f"unknown fields: {', '.join(map(str, unknown))}"] if unknown else []
        yield number, item, problems


# --- storing ------------------------------------------------------------------------------


def new_external_id() -> str:
    """An external_id for a vacancy posted in the bot by staff ("bot-" and 10 hex digits),
    which no file export uses."""
    return f"bot-{secrets.token_hex(5)}"


async def save_vacancy(
    session: AsyncSession, draft: VacancyDraft, posted_by: int | None = None
) -> str:
    """Create or update the vacancy with the draft's external_id: "created", "updated" or
    "unchanged" (identical content: nothing is written). See `_apply` for what an update
    resets. `posted_by` (a staff id) is recorded when given, never cleared."""
    vacancy = await session.scalar(select(Vacancy).where(Vacancy.external_id == draft.external_id))
    outcome, _ = _store(session, vacancy, draft, posted_by)
    await session.flush()
    return outcome


async def import_vacancies(
    session: AsyncSession,
    source: Source,
    fmt: str,
    today: date,
    *,
    on_batch: OnBatch | None = None,
    name: str = "",
) -> VacancyImport:
    """Every good vacancy of the file is saved (as `save_vacancy` does) and every bad one is
    reported; a bad one changes nothing. The file is read and applied a batch at a time,
    `on_batch` called after each (see `csv_rows.OnBatch`). The caller commits."""
    table = vacancy_table(source, fmt, name)
    report = VacancyImport(read_as=table.read_as)
    for batch in batches(_checked(table, today)):
        drafts = [draft for _, draft in batch if isinstance(draft, VacancyDraft)]
        report.rejections.extend(draft for _, draft in batch if isinstance(draft, Rejection))
        ids = [draft.external_id for draft in drafts]
        existing = await _vacancies_by_external_id(session, ids)
        changed: list[Vacancy] = []
        for draft in drafts:
            outcome, vacancy = _store(session, existing.get(draft.external_id), draft, None)
            setattr(report, outcome, getattr(report, outcome) + 1)
            if outcome != "unchanged":
                changed.append(vacancy)
        await session.flush()
        report.changed_ids.extend(vacancy.id for vacancy in changed)
        if on_batch is not None:
            await on_batch(report, table)
    return report


def _store(
    session: AsyncSession, vacancy: Vacancy | None, draft: VacancyDraft, posted_by: int | None
) -> tuple[str, Vacancy]:
    if vacancy is None:
        vacancy = Vacancy(
            external_id=draft.external_id,
            translation=TranslationState.PENDING,
            alerted_at=None,
            posted_by=posted_by,
        )
        _apply(vacancy, draft)
        session.add(vacancy)
        return "created", vacancy
    changed = _apply(vacancy, draft)
    if posted_by is not None and vacancy.posted_by != posted_by:
        vacancy.posted_by = posted_by
        changed = True
    return ("updated" if changed else "unchanged"), vacancy


def _apply(vacancy: Vacancy, draft: VacancyDraft) -> bool:
    """Write what differs and say whether anything did. New text: the translation is redone
    (the other language's title and description are cleared, so an outdated translation is
    never shown). A new value of a MATCHING_FIELDS field: `alerted_at` is cleared, so the
    alert pipeline looks for people who match now (VacancyAlert keeps anyone from getting
    the same vacancy twice). Only changed attributes are set, so an identical draft writes
    nothing and leaves `updated_at` alone."""
    other = "fr" if draft.lang == "nl" else "nl"
    wanted_text = {
        "lang": draft.lang,
        f"title_{draft.lang}": draft.title,
        f"description_{draft.lang}": draft.description,
    }
    text_changed = _set(vacancy, wanted_text)
    if text_changed:
        _set(vacancy, {f"title_{other}": None, f"description_{other}": None})
        _set(vacancy, {"translation": TranslationState.PENDING})
    wanted = {name: getattr(draft, name) for name in (*MATCHING_FIELDS, *OTHER_FIELDS)}
    wanted["schedule"] = list(draft.schedule)
    matching_changed = _set(vacancy, {name: wanted[name] for name in MATCHING_FIELDS})
    if matching_changed and vacancy.alerted_at is not None:
        vacancy.alerted_at = None
    other_changed = _set(vacancy, {name: wanted[name] for name in OTHER_FIELDS})
    return text_changed or matching_changed or other_changed


def _set(vacancy: Vacancy, values: Mapping[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(vacancy, name) != value:
            setattr(vacancy, name, value)
            changed = True
    return changed


async def _vacancies_by_external_id(
    session: AsyncSession, external_ids: list[str]
) -> dict[str, Vacancy]:
    found: dict[str, Vacancy] = {}
    batch = 500  # well under every database's limit on bound parameters
    for start in range(0, len(external_ids), batch):
        chunk = external_ids[start : start + batch]
        vacancies = await session.scalars(select(Vacancy).where(Vacancy.external_id.in_(chunk)))
        found.update({vacancy.external_id: vacancy for vacancy in vacancies})
    return found


# --- reading back -------------------------------------------------------------------------


def open_vacancies(today: date) -> ColumnElement[bool]:
    """Where-clause of the vacancies still open on `today`: no expiry date, or expiring
    today or later. Expired ones stay stored (leads point to them) but match nobody."""
    return or_(Vacancy.expires.is_(None), Vacancy.expires >= today)


async def find_vacancy(session: AsyncSession, ref: str) -> Vacancy | None:
    """The vacancy whose external_id is `ref`, else, when `ref` is a number, the one with
    that internal id."""
    ref = ref.strip()
    if not ref:
        return None
    vacancy = await session.scalar(select(Vacancy).where(Vacancy.external_id == ref))
    # Bounded so an absurd number cannot overflow the database's integer type.
    if vacancy is None and ref.isdigit() and len(ref) <= 18:
        vacancy = await session.get(Vacancy, int(ref))
    return vacancy
