"""The callback data of the sessions' buttons, for services and handlers alike
(`bot.common.callbacks`)."""

from __future__ import annotations

from bot.common.callbacks import CallbackFormat


class SessionCallback(CallbackFormat, prefix="ses"):
    """ "ses:<action>:<session id>:<extra>", a participant's buttons (invitations,
    `/sessions`, reminders, feedback). Actions: open (the session's card), book, cancel (give
    back a seat or leave the waitlist), sure (cancel, confirmed), here ("I'll be there"),
    decline (a seat given from the waitlist), rate (1-5 in `extra`), comment."""

    action: str
    session_id: int
    extra: str = ""


class OrganiserCallback(CallbackFormat, prefix="desk"):
    """ "desk:<action>:<session id>:<extra>", the organiser's session screens (and the staff
    home's session buttons). Actions: list, open (the session's screen), who, att
    (attendance), mark (`extra` "<booking id>.<attendance>"), settle (the attendance list is
    complete), ask (`extra` the field to change), yes (apply the change typed), cancel, drop
    (cancel, confirmed), book (ask whom), pick (`extra` the participant id)."""

    action: str
    session_id: int = 0
    extra: str = ""
