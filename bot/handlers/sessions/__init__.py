"""Online sessions: a participant sees, books and cancels seats, answers reminders and "how
was it?"; the organiser manages a session from its screen (`/mysessions`). The rules are
`bot.services.sessions`'s."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command

from bot.flows.sessions.screens import OrganiserAction, OrganiserSession
from bot.handlers.common.staff_only import StaffOnly
from bot.handlers.sessions import participant
from bot.handlers.sessions.organiser import attendance, mark, my_sessions, open_session, settle, who
from bot.handlers.sessions.organiser_changes import (
    ask_cancel,
    ask_change,
    ask_whom,
    cancel_session,
    pick,
)


def _organiser_router() -> Router:
    """The organiser's screens (`organiser`) and what changes a session (`organiser_changes`);
    what is typed is the dialog's (`bot.flows.sessions.organiser`)."""
    router = Router(name="session-desk")
    router.message.middleware(StaffOnly())
    router.callback_query.middleware(StaffOnly())
    router.callback_query.middleware(OrganiserSession())
    router.message.register(my_sessions, Command("mysessions"))
    for handler, action in (
        (my_sessions, "list"),
        (open_session, "open"),
        (who, "who"),
        (attendance, "att"),
        (mark, "mark"),
        (settle, "settle"),
        (ask_change, "ask"),
        (ask_cancel, "cancel"),
        (cancel_session, "drop"),
        (ask_whom, "book"),
        (pick, "pick"),
    ):
        router.callback_query.register(handler, OrganiserAction.filter(F.action == action))
    return router


def build_router() -> Router:
    router = Router(name="sessions")
    router.include_routers(participant.build_router(), _organiser_router())
    return router
