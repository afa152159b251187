"""What an SMS costs: its encoding and its segments (3GPP TS 23.038).

A text made only of the GSM 03.38 alphabet goes in GSM-7: 160 characters in one segment,
153 per segment when it is split (the extension characters such as € count twice). Any
other character (ç, ê, ’, an emoji) makes the whole text UCS-2: 70 characters in one
segment, 67 per segment when split (a character outside the BMP counts twice).
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def sms_length(text: str) -> SmsLength:
    if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text):
        units = sum(2 if c in GSM7_EXTENSION else 1 for c in text)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = 70, 67, "UCS-2"
    segments = 1 if units <= single else -(-units // part)
    return SmsLength(encoding, units, segments)


# Typographic characters our texts or titles may carry, written in GSM-7 instead: a French
# apostrophe or a non-breaking space must not cost a text half its length.
_PLAIN = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "«": '"',
        "»": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u2068": "",  # Fluent's isolation marks around variables
        "\u2069": "",
        # French and Dutch letters the GSM alphabet lacks, as SMS users write them: one such
        # letter ("août", "België", a title) would make the whole text UCS-2, 70 characters
        # a segment instead of 160. The GSM alphabet's own (é è à ù Ç É ä ö ü...) are kept.
        **dict(zip("âêîôûëïÿçáíóú", "aeioueiycaiou", strict=True)),
        **dict(zip("ÂÊÎÔÛËÏŸÀÈÙÁÍÓÚ", "AEIOUEIYAEUAIOU", strict=True)),
        "œ": "oe",
        "Œ": "OE",
    }
)


def plain(text: str) -> str:
    """The text as an SMS carries it: typographic marks and the French and Dutch letters the
    GSM alphabet lacks written in GSM-7, so a text in our languages stays at 160 characters a
    segment (an emoji or another script still makes it UCS-2, which the segment test counts)."""
    return text.translate(_PLAIN).strip()
