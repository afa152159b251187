"""A participant finds answers about working in Belgium, and a person when they do not help."""

from __future__ import annotations

from tests.helpers import holds, say, texts


async def test_faq_lists_questions_by_page_and_an_answer_carries_its_source(
    bot_app, participant
) -> None:
    await participant.send_text("/faq")
    [listing] = await participant.replies()
    assert say("faq-intro") in listing.text
    questions = listing.button_texts()
    assert say("faq-next") in questions and say("faq-talk") in questions
    assert len([q for q in questions if q.endswith("?")]) == 8

    await participant.press(say("faq-next"), message_id=listing.message_id)
    [page_two] = [m for m in await participant.replies() if m.edited]
    assert say("faq-previous") in page_two.button_texts()

    await participant.press(page_two.button_texts()[0], message_id=listing.message_id)
    [answer] = await participant.replies()
    assert holds(answer.text, "faq-answer", question=..., answer=..., source=...)
    await participant.press(say("faq-helped-yes"), message_id=answer.message_id)
    assert say("faq-glad") in texts(await participant.replies())


async def test_a_typed_question_is_answered_and_no_leads_to_the_counsellor(
    bot_app, participant
) -> None:
    await participant.send_text("Où je paie mes impots si je travaille en Belgique ?")
    [answer] = await participant.replies()
    assert "impôt sur le revenu en Belgique" in answer.text
    assert "BOI-INT-CVB-BEL-10-60" in answer.text
    await participant.press(say("faq-helped-no"), message_id=answer.message_id)
    [sorry] = [m for m in await participant.replies() if not m.edited]
    assert say("faq-sorry") in sorry.text
    assert sorry.callback_data() == ["esc:start:0:"]


async def test_a_dutch_reader_gets_the_dutch_answer_for_a_french_word(bot_app, sandbox) -> None:
    user = sandbox.user(1002, "Pieter", language_code="nl")
    await user.send_text("mutuelle")
    [answer] = await user.replies()
    assert "ziekenfonds" in answer.text  # the Dutch answer of the FAQ file
    assert holds(answer.text, "faq-answer", "nl", question=..., answer=..., source=...)


async def test_after_two_messages_not_understood_the_counsellor_is_offered(
    bot_app, participant
) -> None:
    await participant.send_text("je cherche du travail")
    first = texts(await participant.replies())
    assert say("fallback-text") in first and say("fallback-offer-human") not in first
    await participant.send_text("blablabla")
    second = await participant.replies()
    assert say("fallback-offer-human") in texts(second)
    assert second[-1].button_texts()[0] == say("menu-talk")
