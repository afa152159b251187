"""Escalation: a participant reaches a human (their counsellor), in the counsellors' desk group
(one forum topic per person) or in private; the ticket lives in `bot.services.desk`."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter

from bot.flows.common.keyboards import MenuAction
from bot.handlers.common.presses import ANSWER_FIRST
from bot.handlers.common.staff_only import StaffOnly
from bot.handlers.desk.callbacks import EscalationAction
from bot.handlers.desk.common import (
    Replying,
    in_desk,
    in_ticket,
    not_command,
)
from bot.handlers.desk.participant import (
    back,
    chose_topic,
    close_button,
    close_command,
    relay_to_staff,
    talk,
    talk_button,
)
from bot.handlers.desk.staff import (
    desk_close,
    from_desk,
    reply_button,
    reply_cancel,
    staff_close,
    staff_reply,
    write_button,
)


def build_router() -> Router:
    """Included after the dialogs (a step's typed answer is theirs) and before the FAQ and
    the fallback (which must not answer what belongs to a counsellor). One router for both
    sides: this module's participant and `escalation_staff`'s counsellor."""
    router = Router(name="escalation")

    desk = Router(name="escalation-desk")
    desk.message.filter(in_desk)
    desk.message.register(desk_close, Command("close"))
    desk.message.register(from_desk)

    staff_side = Router(name="escalation-staff")
    staff_side.message.middleware(StaffOnly())
    staff_side.callback_query.middleware(StaffOnly())
    staff_side.callback_query.register(reply_button, EscalationAction.filter(F.action == "reply"))
    staff_side.callback_query.register(reply_cancel, EscalationAction.filter(F.action == "noreply"))
    staff_side.callback_query.register(staff_close, EscalationAction.filter(F.action == "sclose"))
    staff_side.callback_query.register(write_button, EscalationAction.filter(F.action == "write"))
    staff_side.message.register(staff_reply, StateFilter(Replying.message), not_command)

    mine = Router(name="escalation-participant")
    mine.message.filter(F.chat.type == "private")
    mine.message.register(talk, Command("counsellor"))
    mine.message.register(close_command, Command("close"))
    mine.callback_query.register(
        talk_button, MenuAction.filter(F.action == "talk"), flags=ANSWER_FIRST
    )
    for handler, action in (
        (talk_button, "start"),
        (chose_topic, "topic"),
        (close_button, "close"),
        (back, "back"),
    ):
        mine.callback_query.register(
            handler, EscalationAction.filter(F.action == action), flags=ANSWER_FIRST
        )
    mine.message.register(relay_to_staff, not_command, in_ticket)

    router.include_routers(desk, staff_side, mine)
    return router
