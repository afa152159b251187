"""Each kind of button's callback data has one definition (`bot.common.callbacks`): what a
service packs into an outbox row, the handler's aiogram class parses to the same values, and
the other way round, within Telegram's 64 bytes. The strings sit under messages already
sent, so they are pinned too."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from aiogram.filters.callback_data import CallbackData
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.common.callbacks import MAX_CALLBACK_BYTES, CallbackFormat
from bot.flows.sessions.screens import OrganiserAction
from bot.handlers.desk.callbacks import EscalationAction
from bot.handlers.outcomes.common import OutcomeReview
from bot.handlers.participants.callbacks import ContactAction
from bot.handlers.sessions.callbacks import SessionAction
from bot.handlers.vacancies.callbacks import VacancyAction
from bot.services.desk.callbacks import EscalationCallback, on_ticket, talk_to_counsellor, write_to
from bot.services.outcomes.callbacks import ReviewCallback
from bot.services.outcomes.records import review_callback
from bot.services.participants.callbacks import ContactCallback, stop_contact
from bot.services.sessions.callbacks import OrganiserCallback, SessionCallback
from bot.services.sessions.reminders import session_callback
from bot.services.vacancies.callbacks import VacancyCallback
from bot.services.vacancies.cards import callback as vacancy_callback

PAIRS = [
    (EscalationCallback, EscalationAction),
    (SessionCallback, SessionAction),
    (OrganiserCallback, OrganiserAction),
    (VacancyCallback, VacancyAction),
    (ReviewCallback, OutcomeReview),
    (ContactCallback, ContactAction),
]

# A field's text never holds the separator; ids are ids.
TEXT = st.text(alphabet=st.characters(blacklist_characters=":"), max_size=40)
IDS = st.integers(min_value=0, max_value=10**12)


def _values(form: type[CallbackFormat]):
    fields = {
        name: IDS if field.annotation in (int, "int") else TEXT
        for name, field in form.model_fields.items()
    }
    return st.fixed_dictionaries(fields)


def test_every_format_has_one_handler_class_of_the_same_shape() -> None:
    """Every format is read by exactly one aiogram class built from it (every module of the
    layers imported, so a new format without its pair, or a pair forgotten here, shows)."""
    for layer in ("services", "flows", "handlers"):
        package = importlib.import_module(f"bot.{layer}")
        for module in pkgutil.walk_packages(package.__path__, f"bot.{layer}."):
            importlib.import_module(module.name)
    readers = {
        form: [c for c in form.__subclasses__() if issubclass(c, CallbackData)]
        for form in CallbackFormat.__subclasses__()
    }
    assert {form: classes for form, classes in readers.items()} == {
        form: [action] for form, action in PAIRS
    }
    for form, action in PAIRS:
        assert action.__prefix__ == form.__prefix__
        assert list(action.model_fields) == list(form.model_fields)


@pytest.mark.parametrize(("form", "action"), PAIRS, ids=lambda c: c.__name__)
def test_what_one_side_packs_the_other_reads(form, action) -> None:
    # Derandomized, no example database, no time limits: the same examples on every run and
    # on a busy machine.
    @settings(
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(_values(form))
    def round_trip(values: dict) -> None:
        try:
            packed = form(**values).pack()
        except ValueError:  # over 64 bytes: aiogram refuses it as well
            with pytest.raises(ValueError):
                action(**values).pack()
            return
        assert len(packed.encode()) <= MAX_CALLBACK_BYTES
        assert action(**values).pack() == packed
        assert action.unpack(packed).model_dump() == form(**values).model_dump()
        assert form.unpack(packed).model_dump() == action.unpack(packed).model_dump()

    round_trip()


@pytest.mark.parametrize(("form", "action"), PAIRS, ids=lambda c: c.__name__)
def test_neither_side_packs_over_64_bytes(form, action) -> None:
    values = {
        name: 10**70 if field.annotation in (int, "int") else "x" * 70
        for name, field in form.model_fields.items()
    }
    for side in (form, action):
        with pytest.raises(ValueError):
            side(**values).pack()


def test_the_packed_strings_stay_as_the_buttons_in_chats_have_them() -> None:
    assert [
        talk_to_counsellor(),
        write_to(42),
        on_ticket("reply", 17),
        on_ticket("sclose", 17),
        session_callback("book", 3),
        session_callback("rate", 3, "5"),
        OrganiserCallback(action="list").pack(),
        OrganiserCallback(action="open", session_id=3).pack(),
        vacancy_callback("yes", 11),
        vacancy_callback("why", 11, "lang"),
        review_callback("ok", 13),
        review_callback("fix", 13),
        stop_contact(21, "sms"),
    ] == [
        "esc:start:0:",
        "esc:write:0:42",
        "esc:reply:17:",
        "esc:sclose:17:",
        "ses:book:3:",
        "ses:rate:3:5",
        "desk:list:0:",
        "desk:open:3:",
        "vac:yes:11:",
        "vac:why:11:lang",
        "out:ok:13",
        "out:fix:13",
        "cstop:sms:21",
    ]
