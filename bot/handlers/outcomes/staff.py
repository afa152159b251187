"""Outcomes, the counsellor's side: the answer to a participant's report (✅ confirm, ✏️ correct:
the dialog `bot.flows.outcomes.record` at the employer, with what was reported) and
`/outcome`, which opens the same dialog at its first step."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, StartMode
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.clock import Now, today_in
from bot.common.dates import day_text
from bot.db.models import Outcome, OutcomeKind, Participant, Staff
from bot.flows.common.widgets import start_below
from bot.flows.outcomes.record import RecordOutcome
from bot.handlers.common.staff_only import refuse
from bot.handlers.outcomes.common import OutcomeReview
from bot.services.outcomes import records as outcomes
from bot.services.outcomes.records import OutcomeRefused
from bot.services.sessions.listings import participant_label
from bot.services.staff import rights

log = logging.getLogger(__name__)


async def review(
    callback: CallbackQuery,
    callback_data: OutcomeReview,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    current_time: Now,
    tz: ZoneInfo,
    dialog_manager: DialogManager,
) -> None:
    outcome = await session.get(Outcome, callback_data.outcome_id)
    participant = await session.get(Participant, outcome.participant_id) if outcome else None
    if participant is None:
        await callback.answer(i18n.get("out-review-gone"), show_alert=True)
        return
    if not rights.may_act_on_participant(staff_member, participant):
        await refuse(callback, i18n, staff_member, "outcome-review", outcome.id, "out-not-allowed")
        return
    if callback_data.action == "fix":
        data = {
            "participant_id": participant.id,
            "kind": OutcomeKind.JOB,
            "employer": outcome.employer,
            "start_date": outcome.start_date.isoformat() if outcome.start_date else None,
            "correcting": outcome.id,
        }
        await start_below(dialog_manager, RecordOutcome.employer, data)
        return
    try:
        await outcomes.confirm(
            session, staff_member, outcome, current_time(), today_in(tz, current_time())
        )
    except OutcomeRefused:
        await callback.answer(i18n.get("out-review-already"), show_alert=True)
        return
    log.info("outcome %s confirmed by staff %s", outcome.id, staff_member.id)
    confirmed = i18n.get(
        "out-review-confirmed",
        label=participant_label(participant),
        start=day_text(outcome.start_date, i18n.locale),
    )
    await callback.message.edit_text(
        f"{callback.message.html_text}\n\n{confirmed}", reply_markup=None
    )


async def start_outcome(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(RecordOutcome.who, mode=StartMode.RESET_STACK)
