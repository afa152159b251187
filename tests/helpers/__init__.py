"""What many tests read of the bot's messages, in one place (test modules import from here,
never from each other). The rest by theme: `people`, `vacancies`, `sessions` (rows in the
database), `outbox`, `chat` (a conversation through the sandbox), `screens` (the buttons of
the bot's main screens), `desk` (a participant's request to their counsellor)."""

from __future__ import annotations

from tests.helpers.fluent import holds, say

__all__ = ["buttons", "holds", "say", "texts"]


def texts(messages) -> str:
    return "\n".join(m.text or "" for m in messages)


def buttons(messages) -> list[str]:
    """The buttons of the newest message that has some (edits that remove a finished step's
    keyboard may come after it)."""
    with_buttons = [m for m in messages if m.buttons]
    return with_buttons[-1].button_texts() if with_buttons else []
