"""A participant and vacancies: `/jobs`, and the buttons under alerts and digests."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import (
    CallbackQuery,
    Message,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.clock import today_in
from bot.db.base import utcnow
from bot.db.models import AlertResponse, Participant, User, Vacancy
from bot.delivery.outbox import message_payload
from bot.delivery.sender import render
from bot.flows.common.keyboards import MenuAction
from bot.handlers.common.presses import ANSWER_FIRST
from bot.handlers.common.screens import ParticipantButton, registered_or_register
from bot.handlers.vacancies.callbacks import VacancyAction
from bot.services.participants import counsellors
from bot.services.vacancies import alerts, matches
from bot.services.vacancies import cards as vacancy_cards
from bot.services.vacancies.fit import match


async def jobs(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    user: User,
    tz: ZoneInfo,
    dialog_manager: DialogManager,
) -> None:
    """The participant's current matches, best first: one button per vacancy."""
    participant = await registered_or_register(
        message, i18n, "jobs-register-first", session, user, dialog_manager
    )
    if participant is None:
        return
    found = await matches.jobs_for(session, participant, today_in(tz))
    if not found:
        alone = await counsellors.own_counsellor(session, participant) is None
        await message.answer(i18n.get("jobs-none-team" if alone else "jobs-none"))
        return
    builder = InlineKeyboardBuilder()
    for n, (vacancy, fit) in enumerate(found, start=1):
        builder.button(
            text=i18n.get(
                "digest-item",
                n=n,
                title=vacancy_cards.title_in(vacancy, i18n.locale, vacancy_cards.BUTTON_TITLE_MAX),
                town=vacancy_cards.town_name(vacancy, i18n.locale),
                km=round(fit.distance_km),
            ),
            callback_data=VacancyAction(action="open", vacancy_id=vacancy.id),
        )
    await message.answer(
        i18n.get("jobs-title", count=len(found)), reply_markup=builder.adjust(1).as_markup()
    )


async def menu_jobs(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    user: User,
    tz: ZoneInfo,
    dialog_manager: DialogManager,
) -> None:
    await jobs(callback.message, i18n, session, user, tz, dialog_manager)


class VacancyButton(ParticipantButton):
    """Behind every vacancy button: a registered participant (else an invitation to
    register) and, except for "stop", a vacancy still open (else "no longer available").
    Handlers get them as `participant` and `vacancy`."""

    register_first = "jobs-register-first"

    async def check(self, callback: CallbackQuery, data: dict[str, Any]) -> bool:
        action: VacancyAction = data["callback_data"]
        vacancy = await data["session"].get(Vacancy, action.vacancy_id)
        today = today_in(data["tz"])
        gone = vacancy is None or (vacancy.expires is not None and vacancy.expires < today)
        if gone and action.action != "stop":
            await callback.message.answer(data["i18n"].get("vacancy-gone"))
            return False
        data["vacancy"] = vacancy
        return True


async def open_card(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    participant: Participant,
    vacancy: Vacancy,
) -> None:
    """A vacancy from a digest or `/jobs`, as a full card with its answer buttons."""
    fit = match(matches.participant_profile(participant), matches.vacancy_profile(vacancy))
    if fit is None:  # the profile changed since: still show the card, without reasons
        fit = vacancy_cards.distance_only(participant, vacancy)
    text, markup = render(
        i18n.core, message_payload(**vacancy_cards.alert_card(vacancy, fit)), i18n.locale
    )
    await callback.message.answer(text, reply_markup=markup)


async def interested(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    participant: Participant,
    vacancy: Vacancy,
) -> None:
    lead = await alerts.express_interest(session, participant, vacancy, utcnow())
    if not lead.counsellor_chats:
        key = "alert-interested-nobody"
    elif await counsellors.own_counsellor(session, participant) is None:
        key = "alert-interested-team" if lead.first_time else "alert-interested-team-again"
    else:
        key = "alert-interested-done" if lead.first_time else "alert-interested-again"
    await callback.message.answer(i18n.get(key, title=vacancy_cards.title_in(vacancy, i18n.locale)))


async def not_for_me(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    participant: Participant,
    vacancy: Vacancy,
) -> None:
    await alerts.answer(session, participant, vacancy, AlertResponse.NOT_FOR_ME, utcnow())
    builder = InlineKeyboardBuilder()
    for reason in (*alerts.NOT_FOR_ME_REASONS, "skip"):
        builder.button(
            text=i18n.get(f"alert-reason-{reason}"),
            callback_data=VacancyAction(action="why", vacancy_id=vacancy.id, extra=reason),
        )
    await callback.message.answer(
        i18n.get("alert-why-not"), reply_markup=builder.adjust(2).as_markup()
    )


async def why_not(
    callback: CallbackQuery,
    callback_data: VacancyAction,
    i18n: I18nContext,
    session: AsyncSession,
    participant: Participant,
    vacancy: Vacancy,
) -> None:
    reason = callback_data.extra if callback_data.extra in alerts.NOT_FOR_ME_REASONS else None
    await alerts.answer(session, participant, vacancy, AlertResponse.NOT_FOR_ME, utcnow(), reason)
    await callback.message.edit_reply_markup(reply_markup=None)
    await callback.message.answer(i18n.get("alert-not-for-me-done"))


async def original(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    participant: Participant,
    vacancy: Vacancy,
) -> None:
    nl = vacancy.lang == "nl"
    await callback.message.answer(
        i18n.get(
            "alert-original-text",
            title=(vacancy.title_nl if nl else vacancy.title_fr) or "",
            description=vacancy_cards.shorten(
                (vacancy.description_nl if nl else vacancy.description_fr) or ""
            ),
        )
    )


async def stop(
    callback: CallbackQuery, i18n: I18nContext, session: AsyncSession, participant: Participant
) -> None:
    await alerts.stop_alerts(session, participant)
    await callback.message.answer(i18n.get("alert-stopped"))


def build_router() -> Router:
    router = Router(name="vacancies")
    router.message.register(jobs, Command("jobs"))
    router.callback_query.register(
        menu_jobs, MenuAction.filter(F.action == "jobs"), flags=ANSWER_FIRST
    )
    buttons = Router(name="vacancy-buttons")
    buttons.callback_query.middleware(VacancyButton())
    for handler, action in (
        (open_card, "open"),
        (interested, "yes"),
        (not_for_me, "no"),
        (why_not, "why"),
        (original, "orig"),
        (stop, "stop"),
    ):
        buttons.callback_query.register(
            handler, VacancyAction.filter(F.action == action), flags=ANSWER_FIRST
        )
    router.include_router(buttons)
    return router
