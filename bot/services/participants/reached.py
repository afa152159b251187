"""How each person is reached today, for the counsellor's cards, the session desk and the
report: Telegram, SMS, e-mail or nobody (`bot.delivery.channels.reached_by`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Participant, User
from bot.delivery.channels import NOBODY, Channel, contact_of, reached_by

REACHES = (Channel.TELEGRAM.value, Channel.SMS.value, Channel.EMAIL.value, NOBODY)
BATCH = 500  # well under every database's limit on bound parameters


@dataclass(frozen=True)
class Providers:
    """Which providers are set (SMS, SMTP): without one, its channel reaches nobody. The
    composition root puts one in the dispatcher's data as `providers`."""

    sms: bool = True
    email: bool = True

    @classmethod
    def of(cls, settings: Any) -> Providers:
        return cls(sms=settings.sms_provider != "none", email=bool(settings.smtp_host))


ALL_SET = Providers()


def reach_key(reach: str) -> str:
    """The Fluent message that shows a way to reach someone ("✈️ Telegram", "⚠️ nobody")."""
    return f"reach-{reach}"


def reach(
    participant: Participant,
    user: User | None,
    providers: Providers = ALL_SET,
    *,
    on_telegram: bool | None = None,
) -> str:
    """ "telegram", "sms", "email" or "nobody". `on_telegram`: whether the person's Telegram
    account reaches them, when their `user` row is not at hand (a person who just pressed a
    button: yes)."""
    contact = contact_of(participant, user)
    if user is None and on_telegram:
        contact = replace(contact, telegram_chat=participant.user_id)
    return reached_by(contact, sms=providers.sms, email=providers.email)


async def reaches(
    session: AsyncSession, participant_ids: Iterable[int], providers: Providers = ALL_SET
) -> dict[int, str]:
    """How each of these participants is reached (one query per 500 of them)."""
    ids = list(dict.fromkeys(participant_ids))
    found: dict[int, str] = {}
    for start in range(0, len(ids), BATCH):
        rows = await session.execute(
            select(Participant, User)
            .outerjoin(User, User.id == Participant.user_id)
            .where(Participant.id.in_(ids[start : start + BATCH]))
        )
        found.update({p.id: reach(p, user, providers) for p, user in rows})
    return found


async def reach_of(
    session: AsyncSession, participant: Participant, providers: Providers = ALL_SET
) -> str:
    return (await reaches(session, [participant.id], providers)).get(participant.id, NOBODY)
