"""Questions people ask about working in Belgium: `/faq`, the menu, and free text.

A participant's free text that no step of a conversation took (and that no open ticket
relays to a counsellor) is searched in the FAQ of both languages. An answer comes with its
source and "Did this help?"; "no" leads to the counsellor. Text the FAQ cannot place goes
on to the fallback, which offers the counsellor after two such messages.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from bot.flows.common.keyboards import MenuAction, main_menu
from bot.handlers.common.fallback import MAX_FREE_TEXT, forget_misunderstandings
from bot.handlers.common.presses import ANSWER_FIRST
from bot.services.desk.callbacks import talk_to_counsellor
from bot.services.faq import entries as faq

PAGE = 8  # questions per page of the list
OTHERS = 2  # other answers offered under the best one


class FaqAction(CallbackData, prefix="faq"):
    """ "faq:<action>:<entry id or page>": open an entry, a page of the list, or say
    whether an answer helped (yes / no)."""

    action: str
    ref: str = ""


def _button(text: str, action: str, ref: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=FaqAction(action=action, ref=ref).pack())


def _listing(i18n: I18nContext, page: int) -> InlineKeyboardMarkup:
    entries = faq.all_entries(i18n.locale)
    pages = max((len(entries) + PAGE - 1) // PAGE, 1)
    page = min(max(page, 0), pages - 1)
    rows = [
        [_button(entry.question, "open", entry.id)]
        for entry in entries[page * PAGE : (page + 1) * PAGE]
    ]
    moves = []
    if page > 0:
        moves.append(_button(i18n.get("faq-previous"), "page", str(page - 1)))
    if page < pages - 1:
        moves.append(_button(i18n.get("faq-next"), "page", str(page + 1)))
    if moves:
        rows.append(moves)
    rows.append(
        [InlineKeyboardButton(text=i18n.get("faq-talk"), callback_data=talk_to_counsellor())]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def show_faq(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("faq-intro"), reply_markup=_listing(i18n, 0))


async def menu_faq(callback: CallbackQuery, i18n: I18nContext) -> None:
    await show_faq(callback.message, i18n)


async def page(callback: CallbackQuery, callback_data: FaqAction, i18n: I18nContext) -> None:
    number = int(callback_data.ref) if callback_data.ref.isdigit() else 0
    await callback.message.edit_reply_markup(reply_markup=_listing(i18n, number))


def _answer(entry: faq.Entry, i18n: I18nContext, others: list[faq.Entry]):
    text = i18n.get(
        "faq-answer", question=entry.question, answer=entry.answer.strip(), source=entry.source
    )
    rows = [
        [
            _button(i18n.get("faq-helped-yes"), "yes", entry.id),
            _button(i18n.get("faq-helped-no"), "no", entry.id),
        ]
    ]
    rows += [[_button(i18n.get("faq-other", question=o.question), "open", o.id)] for o in others]
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


async def open_entry(callback: CallbackQuery, callback_data: FaqAction, i18n: I18nContext):
    entry = faq.entry(callback_data.ref, i18n.locale)
    if entry is None:  # an entry removed since the button was sent
        await callback.message.answer(i18n.get("faq-gone"), reply_markup=_listing(i18n, 0))
        return
    text, markup = _answer(entry, i18n, [])
    await callback.message.answer(text, reply_markup=markup)


async def helped(callback: CallbackQuery, i18n: I18nContext) -> None:
    await callback.message.edit_reply_markup(reply_markup=None)
    await callback.message.answer(i18n.get("faq-glad"), reply_markup=main_menu(i18n))


async def did_not_help(callback: CallbackQuery, i18n: I18nContext) -> None:
    await callback.message.edit_reply_markup(reply_markup=None)
    talk = InlineKeyboardButton(text=i18n.get("faq-talk"), callback_data=talk_to_counsellor())
    await callback.message.answer(
        i18n.get("faq-sorry"), reply_markup=InlineKeyboardMarkup(inline_keyboard=[[talk]])
    )


async def search(message: Message, i18n: I18nContext, state: FSMContext) -> None:
    """Free text: the best FAQ answer and two others, else on to the fallback."""
    found = faq.search(message.text, i18n.locale, limit=1 + OTHERS)
    if not found:
        raise SkipHandler  # the fallback answers, and counts what it did not understand
    await forget_misunderstandings(state)
    best, *others = found
    text, markup = _answer(best, i18n, others)
    await message.answer(text, reply_markup=markup)


def build_router() -> Router:
    router = Router(name="faq")
    router.message.register(show_faq, Command("faq"))
    router.callback_query.register(
        menu_faq, MenuAction.filter(F.action == "faq"), flags=ANSWER_FIRST
    )
    for handler, action in (
        (page, "page"),
        (open_entry, "open"),
        (helped, "yes"),
        (did_not_help, "no"),
    ):
        router.callback_query.register(
            handler, FaqAction.filter(F.action == action), flags=ANSWER_FIRST
        )
    # Private chats only: the counsellors' desk group is not a place for FAQ answers.
    router.message.register(
        search,
        F.chat.type == "private",
        F.text.len() <= MAX_FREE_TEXT,
        ~F.text.startswith("/"),
    )
    return router
