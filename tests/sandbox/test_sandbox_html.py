"""The HTML parse mode on its own: offsets, entities, Telegram's error wording."""

import pytest

from bot.sandbox.html import EntityParseError, parse_html, strip_formatted


def test_offsets_are_utf16_and_entities_nest() -> None:
    text, entities = parse_html("é😀 <b>gras <i>et</i></b>")
    assert text == "é😀 gras et"
    assert entities == [
        {"offset": 4, "length": 7, "type": "bold"},
        {"offset": 9, "length": 2, "type": "italic"},
    ]


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("&lt;&gt;&amp;&quot;", '<>&"'),
        ("&#233;&#xE9;", "éé"),
        ("&nbsp; &copy; & alone", "&nbsp; &copy; & alone"),  # unknown entities stay literal
        ("&lt-no-semicolon &ltx", "<-no-semicolon &ltx"),
        ("&#0; &#xD800;", "&#0; &#xD800;"),
    ],
)
def test_character_references(html: str, text: str) -> None:
    assert parse_html(html)[0] == text


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("é<x>", 'Unsupported start tag "x" at byte offset 2'),
        ("ok <b", "Unclosed start tag at byte offset 3"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        (
            '<a href="x" title>y</a>',
            'Expected equal sign in declaration of an attribute of the tag "a"',
        ),
        ("<a href=x/y>l</a>", "Unexpected end of name token at byte offset 8"),
        ("<<b>", 'Unsupported start tag "<b" at byte offset 0'),
    ],
)
def test_errors(html: str, error: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(html)
    assert str(caught.value).startswith(error)


def test_tags_are_case_insensitive_and_short_end_tags_close() -> None:
    assert parse_html("<B>x</b><i>y</>") == (
        "xy",
        [{"offset": 0, "length": 1, "type": "bold"}, {"offset": 1, "length": 1, "type": "italic"}],
    )


def test_link_without_href_and_custom_emoji() -> None:
    _, entities = parse_html('<a>https://x.y</a><tg-emoji emoji-id="42">👍</tg-emoji>')
    assert entities[0] == {"offset": 0, "length": 11, "type": "text_link", "url": "https://x.y"}
    assert entities[1]["custom_emoji_id"] == "42"


def test_strip_keeps_entities_on_the_same_characters() -> None:
    text, entities = parse_html("  <b>hi</b> there \n")
    assert strip_formatted(text, entities) == (
        "hi there",
        [{"offset": 0, "length": 2, "type": "bold"}],
    )
