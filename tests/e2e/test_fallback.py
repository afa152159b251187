"""Whatever a participant sends, they get a short answer and a way on: never silence."""

from __future__ import annotations

import pytest

from tests.e2e.test_welcome import buttons, texts


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
