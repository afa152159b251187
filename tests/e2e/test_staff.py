"""Staff actions are checked on the server: counsellors get them, participants are refused."""

from __future__ import annotations

import logging

from bot.services import staff as staff_service
from tests.e2e.test_welcome import texts


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


async def test_a_participant_is_refused_a_staff_command_and_it_is_logged(
    bot_app, participant, caplog
):
    caplog.set_level(logging.WARNING)
    await participant.send_text("/invite")
    assert "réservée à l'équipe" in texts(await participant.replies())
    assert any("staff action refused for user id 1001" in r.getMessage() for r in caplog.records)


async def test_a_participant_cannot_change_anyone_s_counsellor(
    bot_app, participant, sessionmaker, caplog
):
    caplog.set_level(logging.WARNING)
    await add_counsellor(sessionmaker)
    await participant.send_text("/reassign 1 9100")
    assert "réservée à l'équipe" in texts(await participant.replies())
    assert any("staff action refused for user id 1001" in r.getMessage() for r in caplog.records)


async def test_a_forged_staff_button_is_refused(bot_app, participant):
    await participant.send_text("/menu")
    menu = (await participant.replies())[-1]
    await participant.press_data("staff:invite", message_id=menu.message_id)
    await participant.replies()
    assert "réservée à l'équipe" in participant.callback_answers[-1]


async def test_former_staff_are_refused(bot_app, sandbox, sessionmaker):
    await add_counsellor(sessionmaker, 9101)
    async with sessionmaker() as session:
        await staff_service.deactivate_staff(session, 9101)
        await session.commit()
    former = sandbox.user(9101, "Ex")
    await former.send_text("/invite")
    assert "réservée à l'équipe" in texts(await former.replies())


async def test_staff_see_the_staff_commands_in_their_menu_and_participants_do_not(
    start_bot, sandbox, participant, sessionmaker
):
    await add_counsellor(sessionmaker)
    await start_bot()
    karim = sandbox.user(9100, "Karim")
    staff_menu = [c.command for c in await karim.commands()]
    assert staff_menu[-8:] == [
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
