"""Whose menu it is. "The menu" the bot shows after /menu, /cancel, a message it did not
understand or an expired button is the staff home for staff, and the participant menu for
everyone else; a staff member who chose to see the bot as a participant (`/start
participant`, the home's button, a participant's link) gets the participant side until
/staff. Handlers get the `Home` of the update's sender as `home`. The staff home itself is
drawn by `bot.handlers.staff.home`, handed in by the composition root as `staff_screen`."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.types import InaccessibleMessage, InlineKeyboardMarkup, Message, TelegramObject
from aiogram_i18n import I18nContext

from bot.db.models import Staff, User
from bot.flows.common.keyboards import main_menu
from bot.services.staff import members as staff

# The storage key (its "destiny") of a staff member's choice of side, apart from the
# conversation state that /menu and /cancel empty.
SIDE = "side"
_UNKNOWN = object()


class Home:
    """The sender of one update: staff on the staff side, or not; and their menu."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data  # the update's: session, user, i18n, state, bot, clock...
        self._staff: Any = _UNKNOWN

    @property
    def i18n(self) -> I18nContext:
        return self._data["i18n"]

    @property
    def user(self) -> User | None:
        return self._data.get("user")

    async def staff(self) -> Staff | None:
        """The active staff member sending the update, unless they are on the participant
        side."""
        if self._staff is _UNKNOWN:
            # The sender's Telegram id, not `user`'s: a rolled back update expired that row.
            sender, member = self._data.get("event_from_user"), None
            if sender is not None:
                member = await staff.staff_by_telegram_id(self._data["session"], sender.id)
            if member is not None and await self._participant_side():
                member = None
            self._staff = member
        return self._staff

    def _side(self) -> FSMContext | None:
        state: FSMContext | None = self._data.get("state")
        if state is None:
            return None
        return FSMContext(state.storage, dataclasses.replace(state.key, destiny=SIDE))

    async def _participant_side(self) -> bool:
        side = self._side()
        return side is not None and (await side.get_data()).get("participant", False)

    async def set_participant_view(self, on: bool) -> None:
        side = self._side()
        if side is not None:
            await side.set_data({"participant": True} if on else {})
        self._staff = _UNKNOWN

    async def screen(self, *, hello: bool = False) -> tuple[str, InlineKeyboardMarkup]:
        """The menu's text and buttons (`hello`: the staff home greets, for /start)."""
        member = await self.staff()
        if member is None:
            return self.i18n.get("menu-title"), main_menu(self.i18n)
        data = self._data
        now = data["current_time"]()
        return await data["staff_screen"](
            member, self.i18n, data["session"], data["bot"], now, data["tz"], hello=hello
        )

    async def send(
        self,
        target: Message | InaccessibleMessage | int,
        *,
        hello: bool = False,
        offer_counsellor: bool = False,
    ) -> None:
        """The menu, as a new message in `target`'s chat (or chat id). `offer_counsellor`:
        for a participant the bot did not understand twice, the counsellor is offered first."""
        if offer_counsellor and await self.staff() is None:
            text = self.i18n.get("fallback-offer-human")
            markup = main_menu(self.i18n, first="talk")
        else:
            text, markup = await self.screen(hello=hello)
        if isinstance(target, int):
            await self._data["bot"].send_message(target, text, reply_markup=markup)
        else:
            await target.answer(text, reply_markup=markup)


class HomeMiddleware(BaseMiddleware):
    """Hands every handler the `Home` of the update's sender (after the session, the user
    and the language are known)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        data["home"] = Home(data)
        return await handler(event, data)
