"""The glossary: fixed Dutch <-> French terms (`content/reference/glossary.csv`) that come out
the same in every translation (DESIGN.md §5): place names, job titles, contract and workplace
words, gender marks such as "(m/v/x)" / "(h/f/x)".

Before a provider sees a text its glossary terms are replaced by placeholders, and after it
answers the target terms are put back; a text made of glossary terms only needs no provider.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from bot.common.reference import REFERENCE_DIR

GLOSSARY_CSV = REFERENCE_DIR / "glossary.csv"
LANGUAGES = ("nl", "fr")


# --- glossary -----------------------------------------------------------------------------

# A placeholder is a made-up capitalised word with a number: translators leave such "names"
# alone. Restoring tolerates a changed case and spaces slipped in ("xqz 3").
_PLACEHOLDER = "XQZ{}"
PLACEHOLDER_RE = re.compile(r"(?<![^\W\d_])x\s*q\s*z\s*(\d+)(?!\d)", re.IGNORECASE)
_ACCENTS = {
    "a": "aàâäáã",
    "c": "cç",
    "e": "eéèêë",
    "i": "iîïí",
    "n": "nñ",
    "o": "oôöó",
    "u": "uùûüú",
    "y": "yÿ",
}
_HYPHENS = " -‐"
# A hyphen next to a term makes it part of a longer name ("Saint-André-lez-Lille").
_BEFORE = r"(?<![\w\-‐])"
_AFTER = r"(?![\w\-‐])"


def _fold(text: str) -> str:
    """The form glossary look-ups compare: no accents, small letters, œ as oe, one kind of
    apostrophe, hyphens as spaces, no spaces around slashes."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("’", "'")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[\s\-‐]+", " ", text)
    return re.sub(r"\s*/\s*", "/", text).strip()


def _letter_pattern(ch: str) -> str:
    base = _fold(ch)
    variants = _ACCENTS.get(base, base if len(base) == 1 else "")
    if not variants:
        return re.escape(ch)
    if ch.isupper():
        # A capital in a term must be a capital in the text (place names, acronyms).
        return "(?-i:[" + re.escape(variants.upper()) + "])"
    return "[" + re.escape(variants) + "]"


def _term_pattern(term: str) -> str:
    parts: list[str] = []
    for ch in term:
        if ch in _HYPHENS:
            if parts and parts[-1] == r"[\s\-‐]+":
                continue
            parts.append(r"[\s\-‐]+")
        elif ch == "/":
            parts.append(r"\s*/\s*")
        elif ch in "'’":
            parts.append("['’]")
        elif ch in "œŒ":
            parts.append("(?:œ|oe)" if ch == "œ" else "(?-i:Œ|OE)")
        elif ch.isalpha():
            parts.append(_letter_pattern(ch))
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


def _match_case(matched: str, source_term: str, target_term: str) -> str:
    """The target term in the case the text used: "Heftruckchauffeur" gives "Cariste",
    "KORTRIJK" gives "COURTRAI"; otherwise the glossary's own case."""
    letters = [ch for ch in matched if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        if not all(ch.isupper() for ch in source_term if ch.isalpha()):
            return target_term.upper()
        return target_term
    first = next((ch for ch in matched if ch.isalpha()), "")
    source_first = next((ch for ch in source_term if ch.isalpha()), "")
    if first.isupper() and source_first.islower():
        for i, ch in enumerate(target_term):
            if ch.isalpha():
                return target_term[:i] + ch.upper() + target_term[i + 1 :]
    return target_term


class Glossary:
    """Fixed Dutch-French term pairs, used in both directions. For each language the first
    pair of a term wins, so a later pair can add a synonym for one direction only."""

    def __init__(self, pairs: Iterable[tuple[str, str]], version: str | None = None):
        self.pairs = tuple((nl.strip(), fr.strip()) for nl, fr in pairs)
        for nl, fr in self.pairs:
            if not nl or not fr:
                raise ValueError("a glossary pair has an empty side")
        if version is None:
            serialised = "\n".join(f"{nl};{fr}" for nl, fr in self.pairs)
            version = hashlib.sha256(serialised.encode("utf-8")).hexdigest()
        self.version = version
        self._index: dict[str, tuple[re.Pattern[str] | None, dict[str, tuple[str, str]]]] = {}
        for source, side in (("nl", 0), ("fr", 1)):
            lookup: dict[str, tuple[str, str]] = {}
            for pair in self.pairs:
                lookup.setdefault(_fold(pair[side]), (pair[side], pair[1 - side]))
            terms = sorted((term for term, _ in lookup.values()), key=len, reverse=True)
            pattern = None
            if terms:
                alternatives = "|".join(_term_pattern(term) for term in terms)
                pattern = re.compile(f"{_BEFORE}(?:{alternatives}){_AFTER}", re.IGNORECASE)
            self._index[source] = (pattern, lookup)

    @classmethod
    def from_file(cls, path: Path) -> Glossary:
        """`nl;fr` rows of a `;`-separated UTF-8 file whose leading `#` lines are comments;
        the version is the sha256 of the file's bytes."""
        raw = path.read_bytes()
        lines = raw.decode("utf-8").splitlines(keepends=True)
        body = "".join(line for line in lines if not line.startswith("#"))
        rows = csv.DictReader(io.StringIO(body), delimiter=";")
        return cls(((row["nl"], row["fr"]) for row in rows), hashlib.sha256(raw).hexdigest())

    def __len__(self) -> int:
        return len(self.pairs)

    def _replacements(self, text: str, source: str, target: str) -> list[tuple[int, int, str]]:
        check_pair(source, target)
        pattern, lookup = self._index[source]
        if pattern is None:
            return []
        found = []
        for match in pattern.finditer(text):
            entry = lookup.get(_fold(match.group()))
            if entry is not None:  # always found: the pattern is built from the same terms
                found.append((match.start(), match.end(), _match_case(match.group(), *entry)))
        return found

    def translate_terms(self, text: str, source: str, target: str) -> str:
        """`text` with every glossary term replaced, the rest left as it is."""
        out, last = [], 0
        for start, end, replacement in self._replacements(text, source, target):
            out += [text[last:start], replacement]
            last = end
        return "".join([*out, text[last:]])

    def covers(self, text: str, source: str, target: str) -> bool:
        """True when nothing but glossary terms, digits and punctuation is left to translate."""
        found = self._replacements(text, source, target)
        if not found:
            return False
        rest, last = [], 0
        for start, end, _ in found:
            rest.append(text[last:start])
            last = end
        rest.append(text[last:])
        return not any(ch.isalpha() for ch in "".join(rest))

    def protect(self, text: str, source: str, target: str) -> tuple[str, tuple[str, ...]]:
        """`text` with each glossary term replaced by a numbered placeholder, and the target
        terms in placeholder order. A text that already contains something that reads as a
        placeholder is left unprotected rather than risk a wrong restore."""
        if PLACEHOLDER_RE.search(text):
            return text, ()
        out, terms, last = [], [], 0
        for start, end, replacement in self._replacements(text, source, target):
            out += [text[last:start], _PLACEHOLDER.format(len(terms))]
            terms.append(replacement)
            last = end
        return "".join([*out, text[last:]]), tuple(terms)

    @staticmethod
    def restore(text: str, terms: Sequence[str]) -> str | None:
        """The provider's answer with the target terms back in place, or None when it lost,
        duplicated or invented a placeholder (the caller then translates the raw text)."""
        if not terms:
            return text
        seen: list[int] = []

        def put_back(match: re.Match[str]) -> str:
            index = int(match.group(1))
            seen.append(index)
            return terms[index] if index < len(terms) else match.group()

        restored = PLACEHOLDER_RE.sub(put_back, text)
        return restored if sorted(seen) == list(range(len(terms))) else None


@cache
def load_glossary(path: Path = GLOSSARY_CSV) -> Glossary:
    """The glossary file, read once per path."""
    return Glossary.from_file(path)


def glossary_translate(text: str, source: str, target: str) -> str:
    """Term by term through the glossary only (the fallback for titles): "Heftruckchauffeur
    (m/v/x)" gives "Cariste (h/f/x)"; words it does not know stay as they are."""
    return load_glossary().translate_terms(text, source, target)


def check_pair(source: str, target: str) -> None:
    if source not in LANGUAGES or target not in LANGUAGES or source == target:
        raise ValueError(f"unsupported language pair {source!r} -> {target!r}")
