"""The coordinator's staff register: who may act as staff, and the counsellors' referral links."""

from __future__ import annotations

import re

import png
import pytest
from aiogram.utils.deep_linking import create_deep_link
from sqlalchemy import select

from bot.db.models import Participant
from bot.services.staff import members as staff_service
from bot.services.staff.members import StaffError

START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")


async def test_a_new_counsellor_gets_a_start_safe_referral_code(session) -> None:
    cet = await staff_service.add_staff(session, 1001, "cet", "Sophie Martin", "LRT")
    other = await staff_service.add_staff(session, 1002, "cet", "Pieter Claes", "FM")
    assert (cet.role, cet.territory, cet.active) == ("cet", "LRT", True)
    assert START_PARAMETER.fullmatch(f"ref_{cet.referral_code}")
    assert len(cet.referral_code) >= 12
    assert cet.referral_code != other.referral_code


async def test_adding_the_same_account_again_updates_it_and_keeps_its_link(session) -> None:
    first = await staff_service.add_staff(session, 1001, "cet", "Sophie", "LRT")
    code = first.referral_code
    await staff_service.deactivate_staff(session, 1001)
    again = await staff_service.add_staff(session, 1001, "coordinator", "Sophie Martin")
    assert again.id == first.id
    assert (again.role, again.territory, again.name) == ("coordinator", None, "Sophie Martin")
    assert again.active and again.referral_code == code
    assert len(await staff_service.list_staff(session)) == 1


@pytest.mark.parametrize(
    ("role", "territory", "reason"),
    [
        ("boss", "LRT", "unknown role 'boss'"),
        ("cet", "PARIS", "unknown territory 'PARIS'"),
        ("cet", None, "a cet needs a territory"),
    ],
)
async def test_wrong_role_or_territory_is_refused_with_the_reason(
    session, role, territory, reason
) -> None:
    with pytest.raises(StaffError, match=reason):
        await staff_service.add_staff(session, 1001, role, "Sophie", territory)


async def test_vdab_consultant_and_coordinator_need_no_territory(session) -> None:
    vdab = await staff_service.add_staff(session, 2001, "VDAB", "Els Peeters")
    assert (vdab.role, vdab.territory) == ("vdab", None)


async def test_removed_counsellor_loses_staff_rights_and_referral_link(session) -> None:
    cet = await staff_service.add_staff(session, 1001, "cet", "Sophie", "LRT")
    assert await staff_service.staff_by_telegram_id(session, 1001) is cet
    assert await staff_service.staff_by_referral_code(session, cet.referral_code) is cet

    await staff_service.deactivate_staff(session, 1001)

    assert await staff_service.staff_by_telegram_id(session, 1001) is None
    assert await staff_service.staff_by_referral_code(session, cet.referral_code) is None
    assert [s.active for s in await staff_service.list_staff(session)] == [False]
    assert await staff_service.list_staff(session, include_inactive=False) == []


async def test_removed_counsellor_s_participants_keep_their_records(session) -> None:
    cet = await staff_service.add_staff(session, 1001, "cet", "Sophie", "LRT")
    colleague = await staff_service.add_staff(session, 1002, "cet", "Pieter", "FM")
    for number, counsellor in enumerate((cet, cet, colleague)):
        session.add(Participant(external_id=f"P{number}", counsellor_id=counsellor.id))
    await session.flush()

    removal = await staff_service.deactivate_staff(session, 1001)

    assert removal.participants_without_counsellor == 2
    assert removal.staff.id == cet.id
    kept = await session.scalars(select(Participant.counsellor_id).order_by(Participant.id))
    assert list(kept) == [cet.id, cet.id, colleague.id]


async def test_removing_an_unknown_account_is_refused(session) -> None:
    with pytest.raises(StaffError, match="no staff member with Telegram id 4242"):
        await staff_service.deactivate_staff(session, 4242)


async def test_unknown_referral_code_finds_nobody(session) -> None:
    assert await staff_service.staff_by_referral_code(session, "nope") is None


async def test_referral_link_opens_the_bot_with_the_code(session) -> None:
    cet = await staff_service.add_staff(session, 1001, "cet", "Sophie", "LRT")
    link = create_deep_link("enavant_bot", "start", staff_service.referral_payload(cet))
    # The link as it was written by hand before aiogram made it: flyers keep working.
    assert link == f"https://t.me/enavant_bot?start=ref_{cet.referral_code}"


def test_qr_code_is_a_readable_png() -> None:
    data = staff_service.qr_png("https://t.me/enavant_bot?start=ref_abc")
    width, height, _rows, _info = png.Reader(bytes=data).read()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert width == height > 100
