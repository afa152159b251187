"""Both languages are first-class: same keys, same variables, every message renders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fluent.syntax import FluentParser, ast, visitor

from bot.i18n import CONTENT_DIR, LOCALES, build_core


class _Variables(visitor.Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.names.add(node.id.name)


def _messages(locale: str) -> dict[str, set[str]]:
    """key -> variables used, over every .ftl file of one locale."""
    found: dict[str, set[str]] = {}
    for path in sorted((CONTENT_DIR / locale).rglob("*.ftl")):
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        junk = [entry for entry in resource.body if isinstance(entry, ast.Junk)]
        assert not junk, f"{path}: syntax error: {junk[0].annotations[0].message}"
        for entry in resource.body:
            if isinstance(entry, ast.Message | ast.Term):
                collector = _Variables()
                collector.visit(entry)
                key = entry.id.name if isinstance(entry, ast.Message) else f"-{entry.id.name}"
                assert key not in found, f"{path}: {key} defined twice"
                found[key] = collector.names
    return found


def test_every_key_exists_in_both_languages() -> None:
    french, dutch = _messages("fr"), _messages("nl")
    assert sorted(set(french) - set(dutch)) == [], "keys only in French"
    assert sorted(set(dutch) - set(french)) == [], "keys only in Dutch"


def test_every_message_uses_the_same_variables_in_both_languages() -> None:
    french, dutch = _messages("fr"), _messages("nl")
    different = {key: (french[key], dutch[key]) for key in french if french[key] != dutch.get(key)}
    assert different == {}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_renders(locale: str) -> None:
    core = build_core()
    for key, variables in _messages(locale).items():
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


_KEY_IN_CODE = re.compile(r"""(?:i18n\.get|I18nText|core\.get)\(\s*f?["']([a-z0-9-]+)["']""")


def test_every_key_used_in_code_exists() -> None:
    known = set(_messages("fr"))
    used = {
        key
        for path in (CONTENT_DIR.parent / "bot").rglob("*.py")
        for key in _KEY_IN_CODE.findall(path.read_text(encoding="utf-8"))
    }
    assert used, "the scan found no keys: the pattern is out of date"
    assert sorted(used - known) == []
