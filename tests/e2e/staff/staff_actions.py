"""Every staff button and command of the running bot, found in its routers (those behind
`StaffOnly`), and what each does to the object it carries. The tests of staff rights press
every one of them: a participant is refused them all (`test_staff`), a CET of another
territory every one that names an object of a territory not theirs (`test_staff_rights`).

A new staff button or command makes `test_every_staff_action_is_listed` fail until it is
listed here with the object it carries and how its rights are checked."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from aiogram import Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram_dialog import Dialog

from bot.handlers.common.staff_only import StaffOnly

# What a staff action carries:
OBJECT = "object"  # a session, request, outcome or person: refused outside the actor's rights
SCOPED = "scoped"  # no object, but what it shows or reaches is the actor's territory only
FREE = "free"  # nothing of a territory (their own link, the home, a blank form)


@dataclass(frozen=True)
class StaffButton:
    """`data` is the callback data, with the seeded objects' ids in braces: {session} (to
    come), {past} (started, with a seat {booking}), {ticket}, {outcome}, {person}.
    `after`: a command sent first (the flow the button belongs to)."""

    data: str
    kind: str
    after: str | None = None


# "<callback prefix>:<handler>" → the button.
BUTTONS = {
    "staff:invite_button": StaffButton("staff:invite", FREE),
    "vpost:post_vacancy_button": StaffButton("vpost", FREE),
    "spost:post_session_button": StaffButton("spost", FREE),
    "home:back_home": StaffButton("home:back:0", FREE),
    "home:participant_view": StaffButton("home:participant:0", FREE),
    "home:open_ticket": StaffButton("home:ticket:{ticket}", OBJECT),
    "desk:my_sessions": StaffButton("desk:list:0:", SCOPED),
    "desk:open_session": StaffButton("desk:open:{session}:", OBJECT),
    "desk:who": StaffButton("desk:who:{session}:", OBJECT),
    "desk:attendance": StaffButton("desk:att:{past}:", OBJECT),
    "desk:mark": StaffButton("desk:mark:{past}:{booking}.attended", OBJECT),
    "desk:settle": StaffButton("desk:settle:{past}:", OBJECT),
    "desk:ask_change": StaffButton("desk:ask:{session}:url", OBJECT),
    "desk:ask_cancel": StaffButton("desk:cancel:{session}:", OBJECT),
    "desk:ask_whom": StaffButton("desk:book:{session}:", OBJECT),
    "desk:pick": StaffButton("desk:pick:{session}:{person}", OBJECT),
    "desk:cancel_session": StaffButton("desk:drop:{session}:", OBJECT),
    "esc:reply_button": StaffButton("esc:reply:{ticket}:", OBJECT),
    "esc:reply_cancel": StaffButton("esc:noreply:0:", FREE),
    "esc:write_button": StaffButton("esc:write:0:{person}", OBJECT),
    "esc:staff_close": StaffButton("esc:sclose:{ticket}:", OBJECT),
    "out:review": StaffButton("out:ok:{outcome}", OBJECT),
    "cstop:stop_contact": StaffButton("cstop:sms:{person}", OBJECT),
    "report:send_report": StaffButton("report:month", SCOPED),
}

# Staff commands → what they carry ({person}: the seeded participant's reference, {to}: the
# Telegram id of a counsellor of the actor's own territory).
COMMANDS = {
    "staff": ("/staff", FREE),
    "invite": ("/invite", FREE),
    "newsession": ("/newsession", FREE),
    "vacancy": ("/vacancy", FREE),
    "mysessions": ("/mysessions", SCOPED),
    "report": ("/report", SCOPED),  # its buttons: `report:send_report`
    "outcome": ("/outcome", SCOPED),  # a dialog: whom it finds and saves is checked
    "broadcast": ("/broadcast", SCOPED),  # a dialog: `bot.services.broadcasts.sending` checks
    "reassign": ("/reassign {person} {to}", OBJECT),
}

# Staff messages that are not commands: the answer to a question a button asked, checked
# again when typed (the button that asked is in BUTTONS).
TYPED = {
    "staff_reply": "esc:reply_button, esc:write_button (checked again)",
}


def _routers(router: Router, staff: bool = False) -> Iterator[tuple[Router, bool]]:
    staff = staff or any(isinstance(m, StaffOnly) for m in router.callback_query.middleware)
    yield router, staff
    for child in router.sub_routers:
        yield from _routers(child, staff)


def _staff_routers(dispatcher) -> list[Router]:
    # A dialog's own buttons and typed answers are its steps (the broadcast's, /outcome's, the
    # session desk's): the dialog looks the staff member up again and checks the rights.
    return [
        router for router, staff in _routers(dispatcher) if staff and not isinstance(router, Dialog)
    ]


def staff_buttons(dispatcher) -> set[str]:
    """ "<callback prefix>:<handler>" of every staff button handler."""
    found = set()
    for router in _staff_routers(dispatcher):
        for handler in router.callback_query.handlers:
            prefixes = [
                f.callback.callback_data.__prefix__
                for f in handler.filters or ()
                if isinstance(f.callback, CallbackQueryFilter)
            ]
            found.add(f"{(prefixes or ['?'])[0]}:{handler.callback.__name__}")
    return found


def staff_messages(dispatcher) -> tuple[set[str], set[str]]:
    """The staff commands, and the handlers of staff messages that are not commands."""
    commands, typed = set(), set()
    for router in _staff_routers(dispatcher):
        for handler in router.message.handlers:
            named = [
                c
                for f in handler.filters or ()
                if isinstance(f.callback, Command)
                for c in f.callback.commands
            ]
            if named:
                commands.update(str(c) for c in named)
            else:
                typed.add(handler.callback.__name__)
    return commands, typed
