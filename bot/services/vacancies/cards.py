"""What a participant (or their counsellor) reads about a vacancy: the alert card, its
buttons, titles and towns in both languages, the reasons it fits, the lead.

Cards are described as outbox payloads (a Fluent key and variables, some of them per
language), so the same card renders in the reader's language whether the outbox sends it
later or a handler answers with it at once (`bot.delivery.sender.render`).
"""

from __future__ import annotations

from typing import Any

from bot.common.reference import (
    distance_km,
    find_occupation,
    find_place_by_postcode,
)
from bot.db.models import (
    Participant,
    Staff,
    TranslationState,
    Vacancy,
)
from bot.delivery.outbox import OutButton
from bot.services.desk.callbacks import write_to
from bot.services.participants import contacts
from bot.services.participants.callbacks import stop_contact
from bot.services.participants.reached import reach, reach_key
from bot.services.vacancies.callbacks import VacancyCallback
from bot.services.vacancies.fit import Match, match, reasons_for
from bot.services.vacancies.fit_many import Pick
from bot.services.vacancies.matches import participant_profile, vacancy_profile

DESCRIPTION_PREVIEW = 500
BUTTON_TITLE_MAX = 40  # a digest or /jobs button stays on one line of a phone
ORIGINAL_TEXT_MAX = 3500


def callback(action: str, vacancy_id: int, extra: str = "") -> str:
    """The callback data of a vacancy button (`VacancyCallback`)."""
    return VacancyCallback(action=action, vacancy_id=vacancy_id, extra=extra).pack()


def lead_buttons(participant: Participant) -> list[list[OutButton]]:
    """Under a lead: "Write to <name>" (`bot.services.desk.callbacks.write_to`), and "Stop
    SMS" / "Stop e-mails" for a person who agreed to them and said STOP on the phone."""
    name = {"name": participant.first_name or "—"}
    rows = [[OutButton(key="lead-write", variables=name, callback_data=write_to(participant.id))]]
    stops = [
        OutButton(key=f"lead-stop-{channel}", callback_data=stop_contact(participant.id, channel))
        for channel in (contacts.SMS, contacts.EMAIL)
        if contacts.usable(participant, channel)
    ]
    if stops:
        rows.append(stops)
    return rows


def title_by_locale(vacancy: Vacancy, limit: int = 200) -> dict[str, str]:
    return {
        "fr": shorten(vacancy.title_fr or vacancy.title_nl or "", limit),
        "nl": shorten(vacancy.title_nl or vacancy.title_fr or "", limit),
    }


def title_in(vacancy: Vacancy, locale: str, limit: int = 200) -> str:
    """The title in `locale`, else the other language's."""
    return title_by_locale(vacancy, limit)["nl" if locale == "nl" else "fr"]


def town_by_locale(vacancy: Vacancy) -> dict[str, str]:
    places = find_place_by_postcode(vacancy.postcode)
    if places and len({p.name_nl for p in places}) == 1:
        return {"fr": places[0].name_fr, "nl": places[0].name_nl}
    return {"fr": vacancy.municipality, "nl": vacancy.municipality}


def town_name(vacancy: Vacancy, locale: str) -> str:
    names = town_by_locale(vacancy)
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


def occupation_by_locale(code: str) -> dict[str, str]:
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
            variables["occupation"] = occupation_by_locale(variables.pop("code"))
        if "town" in variables:
            variables["town"] = town_by_locale(vacancy)
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
    and distance, what is asked, why it fits, and the buttons to answer (none for a vacancy
    not saved yet, as the poster's preview draws it: a button needs the vacancy's id)."""
    return {
        "key": "alert-card",
        "variables": {
            "title": title_by_locale(vacancy),
            "employer": vacancy.employer,
            "town": town_by_locale(vacancy),
            "km": round(pick.distance_km),
            "contract": {"key": f"contract-{vacancy.contract}"},
            "hours": vacancy.hours_per_week or 0,
            "reasons": reason_messages(vacancy, pick.distance_km, pick.exact_occupation),
            "description": _description(vacancy),
            **_translation_notes(vacancy),
        },
        "buttons": alert_buttons(vacancy.id) if vacancy.id is not None else [],
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


def lead_variables(participant: Participant, vacancy: Vacancy, counsellor: Staff) -> dict:
    fit = match(participant_profile(participant), vacancy_profile(vacancy))
    return {
        "name": participant.first_name or "—",
        "participant": participant.external_id or str(participant.id),
        # The person just answered in Telegram: reached there, unless they prefer otherwise.
        "reach": {
            "key": reach_key(reach(participant, None, on_telegram=bool(participant.user_id)))
        },
        "territory": participant.territory or "—",
        "dutch": participant.dutch_level or "—",
        "occupations": [occupation_by_locale(code) for code in participant.occupations or ()],
        "title": title_by_locale(vacancy),
        "employer": vacancy.employer,
        "town": town_by_locale(vacancy),
        "vacancy": vacancy.external_id,
        "url": vacancy.url or "",
        "km": round(fit.distance_km) if fit else "?",
        "reasons": (
            reason_messages(vacancy, fit.distance_km, fit.exact_occupation, for_staff=True)
            if fit
            else []
        ),
    }
