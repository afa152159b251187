"""Both languages are first-class: same keys, same variables, every message renders."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n import CONTENT_DIR, LOCALES, build_core
from tests.helpers.content_keys import NOT_KEYS, families, keys_in_code, messages


def test_every_key_exists_in_both_languages() -> None:
    french, dutch = messages("fr"), messages("nl")
    assert sorted(set(french) - set(dutch)) == [], "keys only in French"
    assert sorted(set(dutch) - set(french)) == [], "keys only in Dutch"


def test_every_message_uses_the_same_variables_in_both_languages() -> None:
    french, dutch = messages("fr"), messages("nl")
    different = {key: (french[key], dutch[key]) for key in french if french[key] != dutch.get(key)}
    assert different == {}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_renders(locale: str) -> None:
    core = build_core()
    for key, variables in messages(locale).items():
        if key.startswith("-"):
            continue
        text = core.get(key, locale, **{name: "x" for name in variables})
        assert text.strip(), f"{locale}/{key} is empty"


def test_variables_are_escaped_for_telegram_html() -> None:
    core = build_core()
    assert "&lt;b&gt;Tom&lt;/b&gt;" in core.get("welcome-back", "fr", name="<b>Tom</b>")


def test_content_folders_exist_for_each_locale() -> None:
    for locale in LOCALES:
        assert Path(CONTENT_DIR / locale).is_dir()


# --- the keys the code uses --------------------------------------------------------------------
#
# A key is seen where the code names one: the first argument of `i18n.get`/`core.get`/`I18nText`,
# an argument or a variable named `key` or `*_key` (the outbox's `key=`, `done_key=`...), and a
# `{"key": ...}` structured variable of the outbox. A key built from parts (an f-string there, or
# any f-string starting like a family of keys, e.g. f"territory-{code}") must be listed in
# FAMILIES with every key it can make, taken from the code's constants where it has them.


def test_every_key_used_in_code_exists() -> None:
    known = set(messages("fr"))
    named, _ = keys_in_code(known)
    assert len(named) > 100, "the scan found few keys: it is out of date"
    missing = {key: where for key, where in named.items() if key not in known}
    assert missing == {}


def test_every_key_built_from_parts_is_listed_with_the_keys_it_makes() -> None:
    _, built = keys_in_code(set(messages("fr")))
    listed = set(families()) | NOT_KEYS
    unlisted = {template: where for template, where in built.items() if template not in listed}
    assert unlisted == {}, "list these in families() with every value the parts take"
    assert sorted(set(families()) - set(built)) == [], "no longer built: remove from _families"
    assert sorted(NOT_KEYS - set(built)) == [], "no longer in the code: remove from NOT_KEYS"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_key_built_from_parts_exists(locale: str) -> None:
    known = set(messages(locale))
    missing = {
        template: sorted(keys - known) for template, keys in families().items() if keys - known
    }
    assert missing == {}
