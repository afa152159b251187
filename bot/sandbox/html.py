"""Telegram's HTML parse mode, following the Bot API server (tdlib) closely.

The point is to reject what Telegram rejects, with the same wording and byte offsets, so a bot
that passes here does not fail in production with "can't parse entities". Offsets of the
entities produced are in UTF-16 code units, like Telegram's.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

ALLOWED_TAGS = frozenset(
    {"a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler", "tg-emoji"}
    | {"span", "pre", "code", "blockquote"}
)
SIMPLE_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# tdlib treats the terminating NUL as a space; the parser below appends one as a sentinel.
SPACES = frozenset(" \t\r\n\v\0")
END = "\0"
NAME_TOKEN = frozenset(string.ascii_letters + string.digits + ".-")


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; the message is Telegram's own wording."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _OpenTag:
    name: str
    argument: str
    offset: int
    expandable: bool


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Return the plain text and its entities, or raise EntityParseError."""
    s = text + END
    out: list[str] = []
    utf16 = 0
    stack: list[_OpenTag] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(text):
        c = s[i]
        if c == "&" and (decoded := _decode_entity(s, i)) is not None:
            char, i = decoded
            out.append(char)
            utf16 += utf16_len(char)
            continue
        if c != "<":
            out.append(c)
            utf16 += utf16_len(c)
            i += 1
            continue
        begin = i
        i += 1
        if s[i] != "/":
            tag, i = _start_tag(s, begin, i, utf16)
            stack.append(tag)
        else:
            i = _end_tag(s, begin, i, stack, entities, utf16, "".join(out))
        i += 1  # past '>'
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    # A language survives only on pre; Bot API code entities have none.
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def strip_formatted(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Trim surrounding whitespace as Telegram does, keeping entities on the same characters."""
    stripped = text.strip()
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    limit = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(0, entity["offset"] - shift)
        end = min(limit, entity["offset"] + entity["length"] - shift)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def _byte_offset(s: str, index: int) -> int:
    return len(s[:index].encode("utf-8"))


def _decode_entity(s: str, pos: int) -> tuple[str, int] | None:
    """Decode ``&name;`` or ``&#N;``; None means the ampersand is kept literally, like tdlib."""
    end = pos + 1
    if s[end] == "#":
        end += 1
        base, digits = (16, string.hexdigits) if s[end] == "x" else (10, string.digits)
        if base == 16:
            end += 1
        code = 0
        while s[end] in digits:
            code = code * base + int(s[end], base)
            end += 1
            if code >= 0x10FFFF:
                return None
        if code == 0 or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        while s[end].isascii() and s[end].isalpha():
            end += 1
        named = NAMED_ENTITIES.get(s[pos + 1 : end])
        if named is None:
            return None
        char = named
    if s[end] == ";":
        end += 1
    return char, end


def _start_tag(s: str, begin: int, i: int, utf16: int) -> tuple[_OpenTag, int]:
    offset = _byte_offset(s, begin)
    while s[i] not in SPACES and s[i] != ">":
        i += 1
    if s[i] == END:
        raise EntityParseError(f"Unclosed start tag at byte offset {offset}")
    name = s[begin + 1 : i].lower()
    if name not in ALLOWED_TAGS:
        raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {offset}')
    argument = ""
    expandable = False
    while s[i] != ">":
        while s[i] != END and s[i] in SPACES:
            i += 1
        if s[i] == ">":
            break
        attr_begin = i
        while s[i] not in SPACES and s[i] not in "=>":
            i += 1
        attribute = s[attr_begin:i]
        if not attribute:
            raise EntityParseError(
                f'Empty attribute name in the tag "{name}" at byte offset {offset}'
            )
        while s[i] != END and s[i] in SPACES:
            i += 1
        if s[i] != "=":
            if name == "blockquote" and attribute == "expandable":
                expandable = True
                continue
            raise EntityParseError(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{name}" at byte offset {offset}'
            )
        i += 1
        while s[i] != END and s[i] in SPACES:
            i += 1
        if s[i] == END:
            raise EntityParseError(f"Unclosed start tag at byte offset {offset}")
        value, i = _attribute_value(s, i)
        if s[i] == END:
            raise EntityParseError(f"Unclosed start tag at byte offset {offset}")
        argument = _tag_argument(name, attribute, value, argument)
    if name == "span" and argument != "spoiler":
        raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
    return _OpenTag(name, argument, utf16, expandable), i


def _attribute_value(s: str, i: int) -> tuple[str, int]:
    if s[i] not in "'\"":
        # A name token: letters, digits, periods or hyphens, case-insensitive.
        token_begin = i
        while s[i] in NAME_TOKEN:
            i += 1
        if s[i] not in SPACES and s[i] != ">":
            raise EntityParseError(
                f"Unexpected end of name token at byte offset {_byte_offset(s, token_begin)}"
            )
        return s[token_begin:i].lower(), i
    quote = s[i]
    i += 1
    value: list[str] = []
    while s[i] != quote and s[i] != END:
        if s[i] == "&" and (decoded := _decode_entity(s, i)) is not None:
            char, i = decoded
            value.append(char)
            continue
        value.append(s[i])
        i += 1
    if s[i] == quote:
        i += 1
    return "".join(value), i


def _tag_argument(tag: str, attribute: str, value: str, current: str) -> str:
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    return current


def _end_tag(
    s: str,
    begin: int,
    i: int,
    stack: list[_OpenTag],
    entities: list[dict[str, Any]],
    utf16: int,
    plain: str,
) -> int:
    offset = _byte_offset(s, begin)
    if not stack:
        raise EntityParseError(f"Unexpected end tag at byte offset {offset}")
    while s[i] not in SPACES and s[i] != ">":
        i += 1
    end_name = s[begin + 2 : i]
    while s[i] != END and s[i] in SPACES:
        i += 1
    if s[i] != ">":
        raise EntityParseError(f"Unclosed end tag at byte offset {offset}")
    tag = stack.pop()
    if end_name and end_name != tag.name:
        raise EntityParseError(
            f'Unmatched end tag at byte offset {offset}, expected "</{tag.name}>", '
            f'found "</{end_name}>"'
        )
    if utf16 > tag.offset:
        _add_entity(tag, utf16 - tag.offset, entities, plain)
    return i


def _add_entity(tag: _OpenTag, length: int, entities: list[dict[str, Any]], plain: str) -> None:
    entity: dict[str, Any] = {"offset": tag.offset, "length": length}
    if tag.name in SIMPLE_ENTITY_TYPES:
        entity["type"] = SIMPLE_ENTITY_TYPES[tag.name]
    elif tag.name == "a":
        # Without href Telegram links the text itself; an empty link makes no entity.
        url = tag.argument or _tail_utf16(plain, length)
        if not url:
            return
        entity.update(type="text_link", url=url)
    elif tag.name == "tg-emoji":
        entity.update(type="custom_emoji", custom_emoji_id=tag.argument)
    elif tag.name == "blockquote":
        entity["type"] = "expandable_blockquote" if tag.expandable else "blockquote"
    elif tag.name == "pre":
        last = entities[-1] if entities else None
        # <pre><code class="language-x">…</code></pre> is one pre entity with a language.
        if (
            last is not None
            and last["type"] == "code"
            and (last["offset"], last["length"]) == (tag.offset, length)
            and last.get("language")
        ):
            last["type"] = "pre"
            return
        entity["type"] = "pre"
    else:  # code
        entity["type"] = "code"
        if tag.argument:
            entity["language"] = tag.argument
    entities.append(entity)


def _tail_utf16(plain: str, length: int) -> str:
    encoded = plain.encode("utf-16-le")
    return encoded[len(encoded) - 2 * length :].decode("utf-16-le")
