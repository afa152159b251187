"""Outcomes: a participant says "I found a job!" and their counsellor confirms it; staff record a
job, a training or leaving with `/outcome`. The steps are the dialogs of `bot.flows.outcomes`;
the rules are `bot.services.outcomes`'s."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command

from bot.flows.common.keyboards import MenuAction
from bot.handlers.common.presses import ANSWER_FIRST
from bot.handlers.common.staff_only import StaffOnly
from bot.handlers.outcomes.common import (
    OutcomeReview,
)
from bot.handlers.outcomes.participant import found_job
from bot.handlers.outcomes.staff import review, start_outcome


def build_router() -> Router:
    router = Router(name="outcomes")
    router.include_routers(_participant_router(), _staff_router())
    return router


def _participant_router() -> Router:
    router = Router(name="outcomes-participant")
    router.callback_query.register(
        found_job, MenuAction.filter(F.action == "found_job"), flags=ANSWER_FIRST
    )
    return router


def _staff_router() -> Router:
    router = Router(name="outcomes-staff")
    router.message.middleware(StaffOnly())
    router.callback_query.middleware(StaffOnly())
    router.message.register(start_outcome, Command("outcome"))
    router.callback_query.register(review, OutcomeReview.filter())
    return router
