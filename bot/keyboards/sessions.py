"""Buttons about online sessions: invitations, `/sessions`, reminders, feedback."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class SessionAction(CallbackData, prefix="ses"):
    """Packs as "ses:<action>:<session id>:<extra>", the format that
    `services.reminders.session_callback` writes into outbox rows. Actions: open (the
    session's card), book, cancel (give back a seat or leave the waitlist), sure (cancel,
    confirmed), here ("I'll be there"), decline (a seat given from the waitlist), rate (1-5
    in `extra`), comment."""

    action: str
    session_id: int
    extra: str = ""
