"""Whatever a participant sends, they get a short answer and a way on: never silence."""

from __future__ import annotations

import pytest

from bot.services import staff as staff_service
from tests.helpers import buttons, texts

NL_TALK = "💬 Mijn consulent spreken"


async def last_toast(user) -> str:
    return (await user.fetch_callback_answers())[-1].text or ""


MENU = [
    "💼 Mes offres",
    "📅 Présentations et ateliers",
    "📖 Questions fréquentes",
    "💬 Parler à mon conseiller",
    "🎉 J'ai trouvé un emploi !",
    "👤 Mon profil",
    "ℹ️ Le projet",
    "❓ Aide",
    "🌐 Langue / Taal",
]


async def test_random_text_gets_a_hint_and_the_menu(bot_app, participant):
    await participant.send_text("bonjour, je cherche du travail")
    replies = await participant.replies()
    assert "Je n'ai pas compris" in texts(replies)
    assert buttons(replies) == MENU


@pytest.mark.parametrize(
    ("language", "not_understood", "offer", "talk"),
    [
        ("fr", "Touchez un bouton du menu", "touchez « 💬 Parler à mon conseiller »", MENU[3]),
        ("nl", "Tik op een knop van het menu", "tik op „💬 Mijn consulent spreken”", NL_TALK),
    ],
)
async def test_twice_not_understood_shows_the_menu_with_the_counsellor_first(
    bot_app, sandbox, language, not_understood, offer, talk
):
    """The bot says "touch a button of the menu": the menu is there, the counsellor on top."""
    user = sandbox.user(1003, "Amélie", language_code=language)
    await user.send_text("bonjour")
    await user.replies()
    await user.send_text("je ne sais pas")
    said, menu = await user.replies()
    assert not_understood in said.text
    assert offer in menu.text
    assert len(menu.button_texts()) == len(MENU)
    assert menu.button_texts()[0] == talk
    assert menu.callback_data()[0] == "menu:talk"


async def test_staff_not_understood_get_the_staff_home(bot_app, sandbox, sessionmaker):
    async with sessionmaker() as session:
        await staff_service.add_staff(session, 9100, "cet", "Karim", "LRT")
        await session.commit()
    karim = sandbox.user(9100, "Karim")
    for text in ("bonjour", "je ne sais pas", "/emploi"):
        await karim.send_text(text)
        replies = await karim.replies()
        assert "Espace équipe" in texts(replies)
        assert "Parler à mon conseiller" not in texts(replies)
        assert "💼 Mes offres" not in buttons(replies)


async def test_unknown_command_is_named_in_the_answer(bot_app, participant):
    await participant.send_text("/emploi")
    replies = await participant.replies()
    assert "Je ne connais pas la commande /emploi" in texts(replies)
    assert buttons(replies) == MENU


@pytest.mark.parametrize("send", ["send_sticker", "send_voice", "send_photo"])
async def test_media_gets_an_answer(bot_app, participant, send):
    await getattr(participant, send)()
    replies = await participant.replies()
    assert "Je ne sais pas lire ce type de message" in texts(replies)
    assert buttons(replies) == MENU


async def test_very_long_text_is_refused_politely(bot_app, participant):
    await participant.send_text("a" * 600)
    assert "trop long" in texts(await participant.replies())


async def test_text_with_html_characters_does_not_break_the_reply(bot_app, sandbox, participant):
    await participant.send_text("<b>1 < 2 & 3</b>")
    assert "Je n'ai pas compris" in texts(await participant.replies())


async def test_free_text_inside_a_flow_points_back_to_its_buttons(bot_app, participant):
    await participant.send_text("/start")
    await participant.replies()
    await participant.send_text("français")
    replies = await participant.replies()
    assert "Répondez avec les boutons" in texts(replies)
    assert buttons(replies) == ["🇫🇷 Français", "🇧🇪 Nederlands"]


async def test_button_from_an_old_flow_says_it_expired_and_shows_the_menu(bot_app, participant):
    await participant.send_text("/start")
    first = (await participant.replies())[-1]
    french = first.callback_data()[0]
    await participant.send_text("/cancel")
    await participant.replies()
    # The flow removed its keyboard; an old client (or a second device) can still send it.
    await participant.press_data(french, message_id=first.message_id)
    replies = await participant.replies()
    assert "Ce bouton n'est plus actif" in await last_toast(participant)
    assert buttons(replies) == MENU


async def test_unknown_button_data_is_answered(bot_app, participant, sandbox):
    await participant.send_text("/menu")
    menu = (await participant.replies())[-1]
    await participant.press_data("menu:vanished", message_id=menu.message_id)
    replies = await participant.replies()
    assert "Ce bouton n'est plus actif" in await last_toast(participant)
    assert buttons(replies) == MENU


async def test_cancel_leaves_a_flow_and_says_so(bot_app, participant):
    await participant.send_text("/start")
    await participant.replies()
    await participant.send_text("/cancel")
    replies = await participant.replies()
    assert "C'est arrêté" in texts(replies)
    assert buttons(replies) == MENU


async def test_cancel_outside_a_flow_says_nothing_was_running(bot_app, participant):
    await participant.send_text("/cancel")
    assert "Il n'y avait rien en cours" in texts(await participant.replies())
