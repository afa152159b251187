"""The kinds of message a person may send that Telegram can copy (service messages cannot be
copied): what the desk relays, and what the gate counts as said in a group."""

from __future__ import annotations

from aiogram.enums import ContentType

# What a person may send and Telegram can copy (service messages cannot be copied).
RELAYED = frozenset(
    {
        ContentType.TEXT,
        ContentType.PHOTO,
        ContentType.DOCUMENT,
        ContentType.VOICE,
        ContentType.AUDIO,
        ContentType.VIDEO,
        ContentType.VIDEO_NOTE,
        ContentType.ANIMATION,
        ContentType.STICKER,
        ContentType.LOCATION,
        ContentType.CONTACT,
    }
)
