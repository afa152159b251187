"""Staff write one message to many participants: the message (a text, or a photo or document
with a caption), the audience (only those the staff member may reach are offered), then how
many it reaches and a preview exactly as participants get it, and "Send".

Every choice is checked again on the server (`bot.services.broadcasts.sending`): a forged or stale
button reaching an audience beyond the staff member's rights is refused and logged. Sending
queues the messages in the outbox; the staff member's progress message is edited by
`BroadcastJobs`, which also queues the final report.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import F
from aiogram.types import CallbackQuery, ContentType, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import MessageInput, TextInput
from aiogram_dialog.widgets.kbd import Button, Row
from aiogram_dialog.widgets.text import Multi

from bot.common import reference
from bot.db.base import as_utc
from bot.db.models import Staff
from bot.delivery.sender import deliver
from bot.flows.common.states import SendBroadcast
from bot.flows.common.steps import (
    again,
    back_button,
    bot_now,
    cancel,
    go,
    i18n_of,
    item_list,
    not_an_answer,
    occupation_search,
    programme_tz,
)
from bot.flows.common.widgets import I18nText, buttons_only
from bot.services.broadcasts import sending as broadcasts
from bot.services.broadcasts.sending import BroadcastRefused
from bot.services.sessions.reminders import when_text
from bot.services.staff import members as staff
from bot.services.staff import rights

log = logging.getLogger(__name__)

# A command is never an answer (a known one is handled before the dialog is reached).
ANSWER = F.text & ~F.text.startswith("/")
# The message: such a text, or a photo or document (with its caption).
WRITTEN = F.photo | F.document | ANSWER
REFUSALS = {"audience": "bc-refused", "sent": "bc-already-sent"}


def _refusal(manager: DialogManager, refusal: BroadcastRefused) -> str:
    return i18n_of(manager).get(REFUSALS.get(refusal.reason, "bc-unknown"))


# After the audience: the step that asks for its value, if it has one.
VALUE_STEP = {
    "territory": SendBroadcast.territory,
    "occupation": SendBroadcast.occupation,
    "session": SendBroadcast.session,
}


async def _member(manager: DialogManager) -> Staff | None:
    """The staff member, checked on every step: they may have left the team meanwhile."""
    user_id = manager.event.from_user.id
    member = await staff.staff_by_telegram_id(manager.middleware_data["session"], user_id)
    if member is None:
        log.warning("broadcast step refused for user id %s", user_id)
    return member


async def _left_team(event: CallbackQuery, manager: DialogManager) -> None:
    await manager.done()
    await event.answer(i18n_of(manager).get("staff-only"), show_alert=True)


# --- the message --------------------------------------------------------------------------


async def _written(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    if message.photo or message.document:
        kind = "photo" if message.photo else "document"
        file_id = message.photo[-1].file_id if message.photo else message.document.file_id
        attachment, text = {"kind": kind, "file_id": file_id}, message.caption or ""
    else:
        attachment, text = None, message.text
    try:
        broadcasts.check_message(text, attachment)
    except BroadcastRefused:
        key = "bc-text-long" if attachment is None else "bc-caption-long"
        await again(message, manager, i18n_of(manager).get(key, length=len(text)))
        return
    manager.dialog_data.update(text=text, attachment=attachment)
    await manager.switch_to(SendBroadcast.audience, show_mode=ShowMode.SEND)


async def _message_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"has_message": "text" in dialog_manager.dialog_data}


# --- the audience -------------------------------------------------------------------------


async def _audience_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    member, i18n = await _member(dialog_manager), i18n_of(dialog_manager)
    offered = rights.audiences_for(member) if member else ()
    return {"items": [(a, i18n.get(f"bc-audience-{a}")) for a in offered]}


async def _territory_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    member, i18n = await _member(dialog_manager), i18n_of(dialog_manager)
    offered = rights.territories_of(member) if member else ()
    return {"items": [(t, i18n.get(f"territory-{t}")) for t in offered]}


async def _results_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = i18n_of(dialog_manager).locale
    found = (reference.find_occupation(c) for c in dialog_manager.dialog_data["results"])
    return {
        "items": [(o.code, o.label(locale)) for o in found if o],
        "query": dialog_manager.dialog_data["query"],
    }


async def _session_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n, tz = i18n_of(dialog_manager), programme_tz(dialog_manager)
    member = await _member(dialog_manager)
    found = (
        await broadcasts.upcoming_sessions(
            dialog_manager.middleware_data["session"], member, bot_now(dialog_manager)
        )
        if member
        else []
    )
    items = [
        (
            str(s.id),
            i18n.get(
                "bc-session-item",
                when=when_text(as_utc(s.starts_at), tz)[i18n.locale],
                title=(s.title_nl if i18n.locale == "nl" else None) or s.title_fr,
            ),
        )
        for s in found
    ]
    return {"items": items, "none": not items}


async def _audience_picked(callback: CallbackQuery, _w: Any, manager: DialogManager, audience):
    member = await _member(manager)
    if member is None:
        await _left_team(callback, manager)
        return
    if audience not in rights.audiences_for(member):
        log.warning("broadcast audience %r refused to staff %s", audience[:20], member.id)
        await again(callback.message, manager, i18n_of(manager).get("bc-refused"))
        return
    if audience in VALUE_STEP:
        await manager.switch_to(VALUE_STEP[audience])
        return
    await _to_confirm(callback, manager, member, audience, None)


def _picked(audience: str):
    async def on_click(callback: CallbackQuery, _w: Any, manager: DialogManager, value: str):
        member = await _member(manager)
        if member is None:
            await _left_team(callback, manager)
            return
        await _to_confirm(callback, manager, member, audience, value)

    return on_click


async def _to_confirm(
    callback: CallbackQuery, manager: DialogManager, member: Staff, audience: str, value
) -> None:
    """Count the audience (the rights checked), show the message exactly as participants
    will get it, then ask to confirm below it."""
    middleware, i18n = manager.middleware_data, i18n_of(manager)
    try:
        reach = await broadcasts.count(middleware["session"], member, audience, value)
    except BroadcastRefused as refusal:
        await again(callback.message, manager, _refusal(manager, refusal))
        return
    data = manager.dialog_data
    data.update(
        audience=audience, value=value, reach=reach.reachable, unreachable=reach.unreachable
    )
    chat_id = callback.message.chat.id
    preview = broadcasts.message(data["text"], data["attachment"], chat_id)
    await callback.message.answer(i18n.get("bc-preview"))
    await deliver(
        middleware["bot"], i18n.core, chat_id, preview.kind, preview.payload(), i18n.locale
    )
    await manager.switch_to(SendBroadcast.confirm, show_mode=ShowMode.SEND)


# --- confirm and send ---------------------------------------------------------------------


async def _confirm_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    return {
        "count": data["reach"],
        "unreachable": data["unreachable"],
        "somebody": data["reach"] > 0,
        "nobody": data["reach"] == 0,
    }


async def _send(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    member = await _member(manager)
    if member is None:
        await _left_team(callback, manager)
        return
    session, i18n, data = manager.middleware_data["session"], i18n_of(manager), manager.dialog_data
    try:
        broadcast = await broadcasts.create(
            session, member, data["audience"], data["value"], data["text"], data["attachment"]
        )
        total = await broadcasts.send(session, broadcast, bot_now(manager))
    except BroadcastRefused as refusal:
        await again(callback.message, manager, _refusal(manager, refusal))
        await manager.switch_to(SendBroadcast.audience, show_mode=ShowMode.SEND)
        return
    await manager.done()
    manager.show_mode = ShowMode.SEND
    progress = await callback.message.answer(i18n.get("bc-progress", sent=0, total=total))
    # Committed with the broadcast: the job edits this message as the rows go out.
    broadcast.progress_chat_id = progress.chat.id
    broadcast.progress_message_id = progress.message_id


# --- windows ------------------------------------------------------------------------------


def _cancel_button(step: str) -> Button:
    return Button(I18nText("bc-cancel"), id=f"cancel_{step}", on_click=cancel("bc-cancelled"))


def broadcast_dialog() -> Dialog:
    step = SendBroadcast
    return Dialog(
        Window(
            I18nText("bc-write"),
            Multi(I18nText("bc-current"), when="has_message"),
            Button(I18nText("bc-keep"), id="keep", on_click=go(step.audience), when="has_message"),
            _cancel_button("message"),
            MessageInput(
                _written,
                content_types=[ContentType.TEXT, ContentType.PHOTO, ContentType.DOCUMENT],
                filter=WRITTEN,
            ),
            MessageInput(not_an_answer("bc-type-message")),
            state=step.message,
            getter=_message_getter,
        ),
        Window(
            I18nText("bc-audience"),
            item_list("audience", _audience_picked),
            Row(back_button(step.message), _cancel_button("audience")),
            buttons_only(),
            state=step.audience,
            getter=_audience_getter,
        ),
        Window(
            I18nText("bc-territory"),
            item_list("territory", _picked("territory")),
            Row(back_button(step.audience), _cancel_button("territory")),
            buttons_only(),
            state=step.territory,
            getter=_territory_getter,
        ),
        Window(
            I18nText("bc-occupation"),
            Row(back_button(step.audience), _cancel_button("occupation")),
            TextInput(
                "occ_text",
                on_success=occupation_search("bc-occupation-unknown", step.occupation_pick),
                filter=ANSWER,
            ),
            MessageInput(not_an_answer("bc-type-message")),
            state=step.occupation,
        ),
        Window(
            I18nText("bc-occupation-pick"),
            item_list("occupation", _picked("occupation")),
            Row(back_button(step.occupation), _cancel_button("occupation_pick")),
            TextInput(
                "occ_again",
                on_success=occupation_search("bc-occupation-unknown", step.occupation_pick),
                filter=ANSWER,
            ),
            MessageInput(not_an_answer("bc-type-message")),
            state=step.occupation_pick,
            getter=_results_getter,
        ),
        Window(
            I18nText("bc-session"),
            Multi(I18nText("bc-session-none"), when="none"),
            item_list("session", _picked("session")),
            Row(back_button(step.audience), _cancel_button("session")),
            buttons_only(),
            state=step.session,
            getter=_session_getter,
        ),
        Window(
            I18nText("bc-reach"),
            Multi(I18nText("bc-nobody"), when="nobody"),
            Button(I18nText("bc-send"), id="send", on_click=_send, when="somebody"),
            Row(
                Button(I18nText("bc-edit"), id="edit", on_click=go(step.message)),
                back_button(step.audience),
            ),
            _cancel_button("confirm"),
            buttons_only(),
            state=step.confirm,
            getter=_confirm_getter,
        ),
    )
