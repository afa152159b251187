"""Staff actions are checked on the server: counsellors get them, participants are refused."""

from __future__ import annotations

import logging

import pytest

from bot.services.staff import members as staff_service
from tests.e2e.staff.staff_actions import BUTTONS
from tests.helpers import holds, say, texts
from tests.helpers.people import add_person


async def add_counsellor(sessionmaker, telegram_id: int = 9100):
    async with sessionmaker() as session:
        member = await staff_service.add_staff(
            session, telegram_id=telegram_id, role="cet", territory="LRT", name="Karim"
        )
        await session.commit()
        return member


async def test_a_counsellor_gets_their_invitation_link_and_qr_code(bot_app, sandbox, sessionmaker):
    member = await add_counsellor(sessionmaker)
    karim = sandbox.user(9100, "Karim")
    await karim.send_text("/invite")
    [photo] = [m for m in await karim.replies() if m.photo]
    assert f"?start=ref_{member.referral_code}" in photo.caption
    assert photo.photo.content.startswith(b"\x89PNG")


@pytest.mark.parametrize("command", ["/invite", "/staff", "/mysessions", "/outcome", "/report"])
async def test_a_participant_is_refused_a_staff_command_and_it_is_logged(
    bot_app, participant, caplog, command
):
    caplog.set_level(logging.WARNING)
    await participant.send_text(command)
    assert say("staff-only") in texts(await participant.replies())
    assert any("staff action refused for user id 1001" in r.getMessage() for r in caplog.records)


async def test_a_participant_cannot_change_anyone_s_counsellor(
    bot_app, participant, sessionmaker, caplog
):
    caplog.set_level(logging.WARNING)
    await add_counsellor(sessionmaker)
    await participant.send_text("/reassign 1 9100")
    assert say("staff-only") in texts(await participant.replies())
    assert any("staff action refused for user id 1001" in r.getMessage() for r in caplog.records)


# Every staff button (`staff_actions` finds them in the routers), with made-up ids.
IDS = {"session": 1, "past": 1, "booking": 1, "ticket": 1, "outcome": 1, "person": 1}
STAFF_BUTTONS = [button.data.format(**IDS) for button in BUTTONS.values()]


@pytest.mark.parametrize("data", STAFF_BUTTONS)
async def test_a_forged_staff_button_is_refused(bot_app, participant, caplog, data):
    caplog.set_level(logging.WARNING)
    await participant.send_text("/menu")
    menu = (await participant.replies())[-1]
    await participant.press_data(data, message_id=menu.message_id)
    await participant.replies()
    assert say("staff-only") in participant.callback_answers[-1]
    assert any("staff action refused for user id 1001" in r.getMessage() for r in caplog.records)


async def test_former_staff_are_refused(bot_app, sandbox, sessionmaker):
    await add_counsellor(sessionmaker, 9101)
    async with sessionmaker() as session:
        await staff_service.deactivate_staff(session, 9101)
        await session.commit()
    former = sandbox.user(9101, "Ex")
    await former.send_text("/invite")
    assert say("staff-only") in texts(await former.replies())


async def test_staff_see_the_staff_commands_in_their_menu_and_participants_do_not(
    start_bot, sandbox, participant, sessionmaker
):
    await add_counsellor(sessionmaker)
    await start_bot()
    karim = sandbox.user(9100, "Karim")
    staff_menu = [c.command for c in await karim.commands()]
    assert staff_menu[-9:] == [
        "staff",
        "newsession",
        "mysessions",
        "vacancy",
        "broadcast",
        "outcome",
        "report",
        "invite",
        "reassign",
    ]
    assert "jobs" in staff_menu
    assert "newsession" not in [c.command for c in await participant.commands()]


async def test_a_counsellor_may_not_write_to_someone_of_another_territory(
    bot_app, sandbox, sessionmaker, caplog
):
    caplog.set_level(logging.WARNING)
    async with sessionmaker() as session:
        member = await staff_service.add_staff(
            session, telegram_id=9300, role="cet", territory="FM", name="Inès"
        )
        amelie = await add_person(session, 1, telegram_id=1001)  # Lille-Roubaix-Tourcoing
        await session.commit()
    ines = sandbox.user(9300, "Inès")
    await ines.send_text("/menu")
    menu = (await ines.replies())[-1]
    await ines.press_data(f"esc:write:0:{amelie.id}", message_id=menu.message_id)
    assert not holds(texts(await ines.replies(timeout=2)), "esc-reply-ask", label=...)
    assert say("esc-not-yours") in ines.callback_answers[-1]
    assert any(
        f"staff {member.id} refused lead-write on {amelie.id}" in r.getMessage()
        for r in caplog.records
    )
