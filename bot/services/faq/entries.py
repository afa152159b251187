"""The FAQ: short, sourced answers about working in West Flanders from France or Wallonia.

One TOML file per entry and language, `content/<locale>/faq/<id>.toml`, with the fields `id`
(the file name), `question`, `keywords`, `answer` and `source` (see content/fr/faq/README.md).
Both languages hold the same ids. The files are read and checked once per folder
(functools.cache); a file that is not TOML, a missing or empty field, or an id in one language
only raises `FaqError` listing every problem with its file, so a broken edit stops the bot at
start instead of showing half an answer.

Search reads both languages: a French speaker typing "ziekenfonds" or a Dutch speaker typing
"mutuelle" finds the health insurance entry, shown in the reader's own language.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from bot.common.content import CONTENT_DIR
from bot.common.reference import normalize

LOCALES = ("fr", "nl")
FIELDS = ("id", "question", "keywords", "answer", "source")


class FaqError(ValueError):
    """The FAQ files are broken; the message lists every problem, one per line."""


@dataclass(frozen=True)
class Entry:
    id: str
    locale: str
    question: str
    keywords: tuple[str, ...]
    answer: str
    source: str


def _locale(locale: str) -> str:
    """Dutch for "nl", French for anything else (as in reference.py)."""
    return "nl" if locale == "nl" else "fr"


# --- loading ------------------------------------------------------------------------------


def _read_entry(path: Path, locale: str, problems: list[str]) -> Entry | None:
    """The entry in `path`, or None after adding what is wrong with it to `problems`."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        problems.append(f"{path}: not a valid TOML file ({error})")
        return None
    before = len(problems)
    for name in sorted(set(data) - set(FIELDS)):
        problems.append(f"{path}: unknown field '{name}' (allowed: {', '.join(FIELDS)})")
    for name in ("id", "question", "answer", "source"):
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{path}: field '{name}' is missing or empty")
    keywords = data.get("keywords")
    if (
        not isinstance(keywords, list)
        or not keywords
        or not all(isinstance(k, str) and k.strip() for k in keywords)
    ):
        problems.append(f"{path}: field 'keywords' must be a list of words, none of them empty")
    if isinstance(data.get("id"), str) and data["id"].strip() != path.stem:
        problems.append(f"{path}: id '{data['id']}' differs from the file name '{path.stem}'")
    if isinstance(data.get("source"), str) and "\n" in data["source"].strip():
        problems.append(f"{path}: field 'source' must be one line")
    if len(problems) > before:
        return None
    return Entry(
        id=path.stem,
        locale=locale,
        question=data["question"].strip(),
        keywords=tuple(k.strip() for k in keywords),
        answer=data["answer"].strip(),
        source=data["source"].strip(),
    )


@cache
def load_faq(content_dir: Path = CONTENT_DIR) -> Mapping[str, tuple[Entry, ...]]:
    """Every entry of `content_dir/<locale>/faq/*.toml`, per locale, in id order.

    Raises FaqError when a folder is missing or empty, a file is broken, or the two languages
    do not hold the same ids."""
    problems: list[str] = []
    entries: dict[str, tuple[Entry, ...]] = {}
    ids: dict[str, set[str]] = {}
    for locale in LOCALES:
        folder = content_dir / locale / "faq"
        paths = sorted(folder.glob("*.toml"))
        if not paths:
            problems.append(f"{folder}: no FAQ entry (*.toml) found")
        ids[locale] = {path.stem for path in paths}
        read = (_read_entry(path, locale, problems) for path in paths)
        entries[locale] = tuple(entry for entry in read if entry is not None)
    for locale, other in (LOCALES, LOCALES[::-1]):
        for missing in sorted(ids[locale] - ids[other]):
            problems.append(
                f"{content_dir / locale / 'faq' / missing}.toml: "
                f"no {missing}.toml in {content_dir / other / 'faq'} (same ids in both languages)"
            )
    if problems:
        raise FaqError("The FAQ files have problems:\n" + "\n".join(problems))
    return MappingProxyType(entries)


def all_entries(locale: str, content_dir: Path = CONTENT_DIR) -> tuple[Entry, ...]:
    """Every entry in `locale`, in id order."""
    return load_faq(content_dir)[_locale(locale)]


@cache
def _by_id(content_dir: Path) -> Mapping[tuple[str, str], Entry]:
    return {(e.locale, e.id): e for entries in load_faq(content_dir).values() for e in entries}


def entry(entry_id: str, locale: str, content_dir: Path = CONTENT_DIR) -> Entry | None:
    """The entry `entry_id` in `locale`; None for an unknown id (e.g. an old button)."""
    return _by_id(content_dir).get((_locale(locale), entry_id))


# --- search -------------------------------------------------------------------------------

# Words that say nothing about the topic ("comment", "ik", "de"...), already normalized.
_STOP_WORDS_FR_NL = """
    a ai as au aux avant avec avez avoir apres bien c ca ce cela ces cet cette combien comment
    d dans de des dois doit du elle elles en est et etre faire fait faut il ils j je l la le les
    leur lui m ma mais me mes moi mon n ne nous on ou par pas peut peux plus pour pourquoi puis
    qu quand que quel quelle quelles quels qui quoi s sa se ses si son sont suis sur t ta te tes
    ton tres tu un une vos votre vous y
    aan al als ben bij dan dat deze die dit door een er geen heb hebben hebt heeft het hoe hoeveel
    hun ik in is je jij kan kunnen maar met mij mijn moet moeten na naar niet nog of om ons ook op
    over te tot u uit uw van voor waar wanneer wat we welk welke wie wij wil wilt word wordt zal
    ze zich zij zijn zo
"""
STOP_WORDS = frozenset(_STOP_WORDS_FR_NL.split())

# A word in the question or the keywords says more than a word in the answer; the other
# language counts a little less so that, on a tie, the reader's own wording wins.
_FIELD_WEIGHTS = {"question": 3.0, "keywords": 3.0, "answer": 1.0}
_OTHER_LANGUAGE = 0.8
_MIN_SIMILARITY = 0.8  # difflib ratio: one wrong letter in a 7-letter word is 0.86
_MIN_SHARE = 0.35  # results scoring under this share of the best one are noise
# A best score under this means only common words matched ("je cherche du travail"): better
# to say "not understood" (and, the second time, offer the counsellor) than a random answer.
_MIN_SCORE = 4.0


def _words(text: str) -> list[str]:
    return [w for w in normalize(text).split() if len(w) > 1 and w not in STOP_WORDS]


def _entry_words(entry: Entry) -> dict[str, set[str]]:
    """Field name -> the entry's words in that field. A keyword of several words also counts
    as one word written together ("activ emploi" -> "activemploi")."""
    keywords = {w for k in entry.keywords for w in _words(k)}
    keywords |= {normalize(k).replace(" ", "") for k in entry.keywords if " " in normalize(k)}
    return {
        "question": set(_words(entry.question)),
        "keywords": keywords,
        "answer": set(_words(entry.answer)),
    }


@cache
def _index(
    content_dir: Path, locale: str
) -> tuple[tuple[tuple[str, dict[str, float]], ...], tuple[str, ...]]:
    """For a reader of `locale`: (entry id, word -> weight) per entry, in id order, and the
    vocabulary of every word."""
    other = LOCALES[1 - LOCALES.index(locale)]
    by_id = _by_id(content_dir)
    index = []
    for own in load_faq(content_dir)[locale]:
        weights: dict[str, float] = {}
        for language, factor in ((locale, 1.0), (other, _OTHER_LANGUAGE)):
            fields = _entry_words(by_id[(language, own.id)])
            for field, words in fields.items():
                for word in words:
                    weight = _FIELD_WEIGHTS[field] * factor
                    weights[word] = max(weights.get(word, 0.0), weight)
        index.append((own.id, weights))
    vocabulary = tuple(sorted({w for _, weights in index for w in weights}))
    return tuple(index), vocabulary


def _closeness(query_word: str, word: str) -> float:
    """How well a typed word matches a word of the FAQ, 0 for no match: whole word, the start
    of a longer word ("loonbrief" -> "loonbrieven"), the word with a short ending ("impots" ->
    "impot"), part of a compound either way ("fonds" -> "ziekenfonds", "belastingbrief" ->
    "belasting"). A bare prefix is not enough: "werkloos" must not match "werk"."""
    if query_word == word:
        return 1.0
    if len(query_word) >= 4 and word.startswith(query_word):
        return 0.9
    if len(word) >= 4 and query_word.startswith(word) and len(query_word) - len(word) <= 2:
        return 0.85
    if len(query_word) >= 5 and query_word in word:
        return 0.75
    if len(word) >= 7 and word in query_word:
        return 0.6
    return 0.0


def _matches(query_word: str, vocabulary: tuple[str, ...]) -> dict[str, float]:
    """FAQ words matching `query_word` -> closeness, typos included ("chomqge")."""
    found = {}
    for word in vocabulary:
        closeness = _closeness(query_word, word)
        if closeness:
            found[word] = closeness
    if len(query_word) >= 4:
        for word in difflib.get_close_matches(query_word, vocabulary, n=5, cutoff=_MIN_SIMILARITY):
            ratio = difflib.SequenceMatcher(None, query_word, word).ratio()
            found[word] = max(found.get(word, 0.0), 0.9 * ratio)
    return found


def search(query: str, locale: str, limit: int = 3, content_dir: Path = CONTENT_DIR) -> list[Entry]:
    """Entries matching the words of `query`, best first, in the reader's `locale`.

    Words are compared in both languages, ignoring case, accents, stop words and small typos.
    Each query word adds its best weight in the entry (question and keywords 3, answer 1,
    the other language 80 %) times how closely it matches, times how rare the word is among
    entries, so "chômage" counts more than "belge". Entries under about a third of the best
    score are left out; ties keep id order; nothing matches (or only words most entries
    share), nothing is returned."""
    locale = _locale(locale)
    index, vocabulary = _index(content_dir, locale)
    scores = [0.0] * len(index)
    for query_word in dict.fromkeys(_words(query)):
        matches = _matches(query_word, vocabulary)
        hits = {}
        for position, (_, weights) in enumerate(index):
            best = max((weights[w] * c for w, c in matches.items() if w in weights), default=0.0)
            if best:
                hits[position] = best
        rarity = math.log(1 + len(index) / len(hits)) if hits else 0.0
        for position, best in hits.items():
            scores[position] += rarity * best
    ranked = sorted((-score, position) for position, score in enumerate(scores) if score > 0)
    if not ranked or limit <= 0 or -ranked[0][0] < _MIN_SCORE:
        return []
    floor = -ranked[0][0] * _MIN_SHARE
    by_id = _by_id(content_dir)
    return [
        by_id[(locale, index[position][0])] for score, position in ranked[:limit] if -score >= floor
    ]
