"""The callback data of the desk's buttons (a request and its answers), for services and
handlers alike (`bot.common.callbacks`)."""

from __future__ import annotations

from bot.common.callbacks import CallbackFormat


class EscalationCallback(CallbackFormat, prefix="esc"):
    """ "esc:<action>:<ticket id>:<extra>". `start` (ticket 0) asks the topic and opens a
    ticket; `write` (ticket 0, the participant id in `extra`) lets staff write first; reply
    and sclose sit under a request in a staff member's private chat; the other actions belong
    to `bot.handlers.desk.participant`."""

    action: str
    ticket_id: int = 0
    extra: str = ""


def talk_to_counsellor() -> str:
    """The callback data of every "Talk to my counsellor" button."""
    return EscalationCallback(action="start").pack()


def write_to(participant_id: int) -> str:
    """ "Write to <name>" under a lead: staff writing first open a ticket, so the answer comes
    back to them."""
    return EscalationCallback(action="write", extra=str(participant_id)).pack()


def on_ticket(action: str, ticket_id: int) -> str:
    """A button about one ticket ("reply", "sclose")."""
    return EscalationCallback(action=action, ticket_id=ticket_id).pack()
