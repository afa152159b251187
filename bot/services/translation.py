"""Vacancy translation between Dutch and French (DESIGN.md §5): cache, then glossary, then the
provider chain, then the fallback. It never raises because a provider failed.

The rule this module enforces: a participant always gets the vacancy. Every provider call
is bounded (hard timeout, a few retries, a circuit breaker per provider); when all of them
fail, the title goes through the glossary alone and the original text is shown, marked
"automatic translation unavailable" (`TranslationState.UNAVAILABLE`; the wording lives in
the Fluent files). Translation runs when a vacancy is imported or in a background job, never
inside a participant's request.

Glossary terms (`content/reference/glossary.csv`) come out the same every time: before a
provider sees the text they are replaced by placeholders, and after it answers the target
terms are put back. A text made of glossary terms only (most titles: "Heftruckchauffeur
(m/v/x) - Kortrijk") needs no provider at all.

Providers are deep-translator 1.11.4 classes, run in worker threads. Its quirks, handled here:
`nl` is missing from its LibreTranslate languages and it refuses a keyless LibreTranslator
(`_LibreTranslator`); its HTTP calls have no timeout (`_BoundedRequests`); network failures
escape as raw `requests` exceptions and the HTTP status is often lost (`_attempt` classifies
them); Google takes fewer than 5000 characters and MyMemory 500 bytes (`split_text`); and a
translation may be `None` or empty (a failure).

Logs carry provider names, failure reasons and vacancy ids, never vacancy text.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Protocol

import requests
from deep_translator import GoogleTranslator, LibreTranslator, MyMemoryTranslator
from deep_translator import google as _dt_google
from deep_translator import libre as _dt_libre
from deep_translator import mymemory as _dt_mymemory
from deep_translator.base import BaseTranslator
from deep_translator.constants import BASE_URLS, LIBRE_LANGUAGES_TO_CODES
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.db.engine import upsert_insert
from bot.db.models import TranslationCacheEntry, TranslationState, Vacancy
from bot.services.reference import REFERENCE_DIR

log = logging.getLogger(__name__)

GLOSSARY_CSV = REFERENCE_DIR / "glossary.csv"
LANGUAGES = ("nl", "fr")

# Per-request text limits. deep-translator's Google wants fewer than 5000 characters. MyMemory
# takes 500 bytes of UTF-8: 250 characters stay under it even if every one is accented.
# deep-translator sends LibreTranslate's text in the query string of a POST, so 2000
# characters (up to some 6 kB once percent-encoded) keep the URL within what servers and
# proxies in front of them accept.
GOOGLE_MAX_CHARS = 4999
MYMEMORY_MAX_CHARS = 250
LIBRE_MAX_CHARS = 2000

_RETRY_STATUSES = frozenset({429, 503})
_MYMEMORY_WARNING = "MYMEMORY WARNING"  # its quota message, sent as a "translation" with 200


@dataclass(frozen=True)
class Translation:
    text: str  # the translated text, or the fallback text when unavailable
    provider: str  # "cache", "glossary", "libre", "google", "mymemory", or "none" (fallback)
    machine: bool  # True when a machine provider produced it (now or from cache)
    available: bool  # False when every provider failed (fallback)


# --- text ---------------------------------------------------------------------------------


def normalize_text(text: str) -> str:
    """The form that is translated and cached: NFC, line ends unified, runs of spaces and of
    blank lines collapsed, ends trimmed. Case, punctuation and gender marks stay: unlike
    `reference.normalize` (made for matching), they change the translation."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = (re.sub(r"[^\S\n]+", " ", line).strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def cache_key(text: str, source: str, target: str, glossary_version: str) -> str:
    """sha256 of the normalised text, the language pair and the glossary version, so editing
    the glossary retires every cached translation made with the old one."""
    payload = f"{glossary_version}\n{source}\n{target}\n{normalize_text(text)}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# Boundaries to split on, coarsest first: paragraphs, lines, sentences, words.
_BOUNDARIES = (
    re.compile(r"\n\s*\n"),
    re.compile(r"\n"),
    re.compile(r"(?<=[.!?…;:])\s+"),
    re.compile(r"\s+"),
)


def split_text(text: str, max_chars: int) -> list[str]:
    """`text` in pieces of at most `max_chars`, cut at the coarsest boundary that works
    (paragraph, line, sentence, word; a hard cut only for a "word" longer than the limit).
    Separators stay attached to the piece before them, so `"".join(pieces) == text`."""
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    return _pack(text, max_chars, 0) if text else []


def _pack(text: str, limit: int, level: int) -> list[str]:
    if len(text) <= limit:
        return [text]
    if level == len(_BOUNDARIES):
        return [text[i : i + limit] for i in range(0, len(text), limit)]
    pieces, start = [], 0
    for match in _BOUNDARIES[level].finditer(text):
        if match.end() > start:
            pieces.append(text[start : match.end()])
            start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        if len(piece) > limit:
            if current:
                chunks.append(current)
            *full, current = _pack(piece, limit, level + 1)  # the rest may take more pieces
            chunks.extend(full)
        elif len(current) + len(piece) > limit:
            chunks.append(current)
            current = piece
        else:
            current += piece
    if current:
        chunks.append(current)
    return chunks


# --- glossary -----------------------------------------------------------------------------

# A placeholder is a made-up capitalised word with a number: translators leave such "names"
# alone. Restoring tolerates a changed case and spaces slipped in ("xqz 3").
_PLACEHOLDER = "XQZ{}"
_PLACEHOLDER_RE = re.compile(r"(?<![^\W\d_])x\s*q\s*z\s*(\d+)(?!\d)", re.IGNORECASE)
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
        _check_pair(source, target)
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
        if _PLACEHOLDER_RE.search(text):
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

        restored = _PLACEHOLDER_RE.sub(put_back, text)
        return restored if sorted(seen) == list(range(len(terms))) else None


@cache
def load_glossary(path: Path = GLOSSARY_CSV) -> Glossary:
    """The glossary file, read once per path."""
    return Glossary.from_file(path)


def glossary_translate(text: str, source: str, target: str) -> str:
    """Term by term through the glossary only (the fallback for titles): "Heftruckchauffeur
    (m/v/x)" gives "Cariste (h/f/x)"; words it does not know stay as they are."""
    return load_glossary().translate_terms(text, source, target)


def _check_pair(source: str, target: str) -> None:
    if source not in LANGUAGES or target not in LANGUAGES or source == target:
        raise ValueError(f"unsupported language pair {source!r} -> {target!r}")


# --- bounded HTTP inside deep-translator --------------------------------------------------

_call_state = threading.local()


class _BoundedRequests:
    """Stands in for the `requests` module inside deep-translator's libre, google and
    mymemory modules, whose `requests.get`/`requests.post` calls carry no timeout.

    In a thread that runs a provider call (`request_timeout`) it adds that timeout, so a
    worker thread left behind by `asyncio.wait_for` ends soon instead of hanging on a dead
    socket, and it notes the response's status and Retry-After, which deep-translator's
    exceptions often drop. Anywhere else it behaves exactly like `requests`.
    """

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self._send(requests.get, url, kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self._send(requests.post, url, kwargs)

    @staticmethod
    def _send(method: Callable[..., requests.Response], url: str, kwargs: dict) -> Any:
        timeout = getattr(_call_state, "timeout", None)
        if timeout is not None:
            kwargs.setdefault("timeout", timeout)
        response = method(url, **kwargs)
        _call_state.status = response.status_code
        _call_state.retry_after = response.headers.get("Retry-After")
        return response


_BOUNDED_REQUESTS = _BoundedRequests()
for _module in (_dt_libre, _dt_google, _dt_mymemory):
    _module.requests = _BOUNDED_REQUESTS


@contextmanager
def request_timeout(seconds: float) -> Iterator[None]:
    """Within the block, deep-translator's HTTP calls made by this thread time out after
    `seconds` (connect and each read)."""
    _call_state.timeout = seconds
    _call_state.status = None
    _call_state.retry_after = None
    try:
        yield
    finally:
        _call_state.timeout = None


# --- providers ----------------------------------------------------------------------------


class Provider(Protocol):
    """One machine translator. `translate` is blocking (it runs in a worker thread), takes
    at most `max_chars` characters and may raise anything or return None."""

    name: str
    max_chars: int

    def translate(self, text: str, source: str, target: str) -> str | None: ...


# deep-translator's LibreTranslate table lacks Dutch, which LibreTranslate has had for years.
_LIBRE_LANGUAGES = {**LIBRE_LANGUAGES_TO_CODES, "Dutch": "nl"}


class _LibreTranslator(LibreTranslator):
    """deep-translator's LibreTranslator with Dutch, and without its refusal of an empty key:
    a self-hosted server usually has none, and then no `api_key` parameter is sent at all
    (its `translate` adds one only when set). Only the constructor differs."""

    def __init__(self, url: str, api_key: str | None, source: str, target: str):
        self.api_key = api_key
        BaseTranslator.__init__(
            self, base_url=url, source=source, target=target, languages=_LIBRE_LANGUAGES
        )


class LibreProvider:
    """A LibreTranslate server (`TRANSLATOR_URL`), usually self-hosted."""

    max_chars = LIBRE_MAX_CHARS

    def __init__(self, url: str, api_key: str | None = None, *, name: str = "libre"):
        self.url = url.rstrip("/") + "/"  # deep-translator appends "translate"
        self.api_key = api_key or None
        self.name = name

    def translate(self, text: str, source: str, target: str) -> str | None:
        return _LibreTranslator(self.url, self.api_key, source, target).translate(text)


class GoogleProvider:
    """Google Translate's public page, through deep-translator."""

    max_chars = GOOGLE_MAX_CHARS

    def __init__(self, *, base_url: str | None = None, name: str = "google"):
        self.base_url = base_url or BASE_URLS["GOOGLE_TRANSLATE"]
        self.name = name

    def translate(self, text: str, source: str, target: str) -> str | None:
        translator = GoogleTranslator(source=source, target=target)
        translator._base_url = self.base_url  # the only way to point it elsewhere (tests)
        return translator.translate(text)


class MyMemoryProvider:
    """MyMemory's free API, through deep-translator."""

    max_chars = MYMEMORY_MAX_CHARS
    _codes: ClassVar[dict[str, str]] = {"nl": "dutch", "fr": "french"}  # it has no "nl"

    def __init__(self, *, base_url: str | None = None, name: str = "mymemory"):
        self.base_url = base_url or BASE_URLS["MYMEMORY"]
        self.name = name

    def translate(self, text: str, source: str, target: str) -> str | None:
        translator = MyMemoryTranslator(source=self._codes[source], target=self._codes[target])
        translator._base_url = self.base_url
        result = translator.translate(text)
        # Over its daily quota MyMemory answers 200 with a warning as the "translation".
        if isinstance(result, str) and result.upper().startswith(_MYMEMORY_WARNING):
            return None
        return result


# --- the chain ----------------------------------------------------------------------------


class ProviderFailure(Exception):
    """A provider call that gave no usable translation; `reason` is safe to log."""

    def __init__(self, reason: str, *, retry: bool = False, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry = retry
        self.retry_after = retry_after


def _attempt(provider: Provider, text: str, source: str, target: str, timeout_s: float) -> str:
    """One provider call, in a worker thread; every way it can go wrong becomes a
    `ProviderFailure` (retry on 429, 503, timeouts and connection errors)."""
    with request_timeout(timeout_s):
        try:
            result = provider.translate(text, source, target)
        except requests.Timeout:
            raise ProviderFailure("timeout", retry=True) from None
        except requests.ConnectionError:
            raise ProviderFailure("connection error", retry=True) from None
        except Exception as exc:  # deep-translator's own exceptions, parsing errors, ...
            status = getattr(_call_state, "status", None)
            if status is not None and not 200 <= status < 300:
                raise ProviderFailure(
                    f"http {status}",
                    retry=status in _RETRY_STATUSES,
                    retry_after=_seconds(getattr(_call_state, "retry_after", None)),
                ) from None
            # The class name only: deep-translator's messages quote the text.
            raise ProviderFailure(f"error {type(exc).__name__}") from None
    if not isinstance(result, str) or not result.strip():
        raise ProviderFailure("empty result")
    return result


def _seconds(retry_after: str | None) -> float | None:
    try:
        return max(0.0, float(retry_after)) if retry_after else None
    except ValueError:  # an HTTP date: rare for these APIs, so the usual backoff applies
        return None


class _Breaker:
    """Closed until `failures` calls in a row fail; then open (the provider is skipped) for
    `cooldown_s`; then half-open: one trial call closes it again or reopens it. A trial
    that never reports back (its task was cancelled) blocks others for one cooldown only."""

    def __init__(self, failures: int, cooldown_s: float, clock: Callable[[], float]):
        self.threshold = failures
        self.cooldown_s = cooldown_s
        self.clock = clock
        self.failures = 0
        self.opened_at: float | None = None
        self.trial_at: float | None = None

    def allow(self) -> bool:
        if self.opened_at is None:
            return True
        now = self.clock()
        if now - self.opened_at < self.cooldown_s:
            return False
        if self.trial_at is not None and now - self.trial_at < self.cooldown_s:
            return False  # another caller's trial is under way
        self.trial_at = now
        return True

    def success(self) -> None:
        self.failures, self.opened_at, self.trial_at = 0, None, None

    def failure(self) -> None:
        self.failures += 1
        if self.trial_at is not None or self.failures >= self.threshold:
            self.opened_at = self.clock()
        self.trial_at = None


class Translator:
    """Cache, glossary, providers in order, fallback. One per process: the circuit breakers
    live here."""

    def __init__(
        self,
        providers: Sequence[Provider],
        *,
        glossary: Glossary | None = None,
        timeout_s: float = 10.0,
        retries: int = 2,
        breaker_failures: int = 3,
        breaker_cooldown_s: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        backoff_s: float = 0.5,
        max_backoff_s: float = 5.0,
    ):
        if timeout_s <= 0 or retries < 0 or breaker_failures < 1:
            raise ValueError("timeout_s > 0, retries >= 0 and breaker_failures >= 1")
        self.providers = tuple(providers)
        self.glossary = glossary if glossary is not None else load_glossary()
        self.timeout_s = timeout_s
        self.retries = retries
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self._breakers = [
            _Breaker(breaker_failures, breaker_cooldown_s, clock) for _ in self.providers
        ]

    async def translate(
        self, session: AsyncSession, text: str, source: str = "nl", target: str = "fr"
    ) -> Translation:
        """`text` in `target`. A machine translation is added to the cache in the session's
        transaction; the caller commits."""
        translation, entry = await self._translate(session, text, source, target)
        if entry is not None:
            await _store(session, [entry])
        return translation

    async def _translate(
        self, session: AsyncSession, text: str, source: str, target: str
    ) -> tuple[Translation, dict[str, str] | None]:
        """The translation, and the cache row to write for a new machine translation (written
        later by the caller, so no write lock is held while providers are waited for)."""
        _check_pair(source, target)
        text = normalize_text(text)
        if not text:
            return Translation("", "glossary", machine=False, available=True), None
        # Glossary-only texts never reach the cache, so checking them first changes nothing
        # but saves a query.
        if self.glossary.covers(text, source, target):
            translated = self.glossary.translate_terms(text, source, target)
            return Translation(translated, "glossary", machine=False, available=True), None

        key = cache_key(text, source, target, self.glossary.version)
        # A read must not flush the caller's pending changes: on SQLite that would take the
        # write lock and keep it while the providers are waited for.
        with session.no_autoflush:
            cached = await session.get(TranslationCacheEntry, key)
        if cached is not None:
            return Translation(cached.text, "cache", machine=True, available=True), None

        protected, terms = self.glossary.protect(text, source, target)
        for provider, breaker in zip(self.providers, self._breakers, strict=True):
            if not breaker.allow():
                log.info("translation provider %s skipped: circuit open", provider.name)
                continue
            try:
                translated = self.glossary.restore(
                    await self._call(provider, protected, source, target), terms
                )
                if translated is None:
                    # The provider lost or duplicated a placeholder: its translation of the
                    # raw text reads better than a text with a hole in it.
                    log.info("translation provider %s mangled placeholders", provider.name)
                    translated = await self._call(provider, text, source, target)
            except ProviderFailure as failure:
                breaker.failure()
                log.warning("translation provider %s failed: %s", provider.name, failure.reason)
                continue
            breaker.success()
            entry = {
                "key": key,
                "source": source,
                "target": target,
                "text": translated,
                "provider": provider.name,
            }
            return Translation(translated, provider.name, machine=True, available=True), entry
        return Translation(text, "none", machine=False, available=False), None

    async def _call(self, provider: Provider, text: str, source: str, target: str) -> str:
        """The whole text through one provider, piece by piece within its size limit; the
        whitespace around each piece is kept (Google strips it)."""
        out = []
        for piece in split_text(text, provider.max_chars):
            core = piece.strip()
            if not any(ch.isalpha() for ch in _PLACEHOLDER_RE.sub("", core)):
                out.append(piece)  # only placeholders, numbers or punctuation
                continue
            lead = piece[: len(piece) - len(piece.lstrip())]
            trail = piece[len(piece.rstrip()) :]
            out.append(lead + await self._with_retries(provider, core, source, target) + trail)
        return "".join(out)

    async def _with_retries(self, provider: Provider, text: str, source: str, target: str) -> str:
        for attempt in range(self.retries + 1):
            try:
                # The hard bound. The thread may outlive it, but `request_timeout` ends its
                # HTTP call about `timeout_s` later, so abandoned threads do not pile up.
                return await asyncio.wait_for(
                    asyncio.to_thread(_attempt, provider, text, source, target, self.timeout_s),
                    self.timeout_s,
                )
            except TimeoutError:
                failure = ProviderFailure("timeout", retry=True)
            except ProviderFailure as exc:
                failure = exc
            if not failure.retry or attempt == self.retries:
                raise failure
            delay = failure.retry_after
            if delay is None:
                delay = self.backoff_s * 2**attempt
            await asyncio.sleep(min(delay, self.max_backoff_s))
        raise AssertionError("unreachable")


async def _store(session: AsyncSession, entries: Sequence[dict[str, str]]) -> None:
    """Cache rows; a row another worker wrote first is kept (same key, same translation)."""
    insert = upsert_insert(session)
    for entry in entries:
        await session.execute(
            insert(TranslationCacheEntry)
            .values(**entry)
            .on_conflict_do_nothing(index_elements=["key"])
        )


def build_translator(settings: Settings) -> Translator:
    """The translator `TRANSLATOR` names; `none` gives one with no providers (glossary and
    fallback only). One provider per configuration: text is only ever sent to the service
    the operator chose."""
    timeout = settings.translator_timeout_s
    providers: list[Provider] = []
    if settings.translator == "libre":
        if not settings.translator_url:
            raise ValueError("TRANSLATOR=libre needs TRANSLATOR_URL (the LibreTranslate server)")
        providers.append(LibreProvider(settings.translator_url, settings.translator_api_key))
    elif settings.translator == "google":
        providers.append(GoogleProvider())
    elif settings.translator == "mymemory":
        providers.append(MyMemoryProvider())
    return Translator(providers, timeout_s=timeout)


# --- vacancies ----------------------------------------------------------------------------

_TITLE_MAX = Vacancy.__table__.c.title_fr.type.length


async def translate_vacancy(
    session: AsyncSession, translator: Translator, vacancy: Vacancy
) -> None:
    """Fill the other language's title and description of `vacancy` (written in
    `vacancy.lang`) and set `vacancy.translation`. When no provider answers, the title goes
    through the glossary, the other description stays None and the state is UNAVAILABLE.
    Never raises because a provider failed; the caller commits."""
    source = vacancy.lang
    if source not in LANGUAGES:
        # Bad data must not stop the background job at this vacancy on every tick.
        log.warning("vacancy %s: no translation from language %r", vacancy.id, source)
        vacancy.translation = TranslationState.UNAVAILABLE
        return
    target = "fr" if source == "nl" else "nl"
    title = getattr(vacancy, f"title_{source}") or ""
    description = getattr(vacancy, f"description_{source}") or ""

    title_result, title_entry = await translator._translate(session, title, source, target)
    description_result, description_entry = None, None
    # Without a translated title the vacancy is shown as the original anyway.
    if description.strip() and title_result.available:
        description_result, description_entry = await translator._translate(
            session, description, source, target
        )
    # Cache rows last, after every provider call (see Translator._translate).
    await _store(session, [entry for entry in (title_entry, description_entry) if entry])

    if not title.strip():
        new_title = None
    elif title_result.available:
        new_title = title_result.text
    else:
        new_title = translator.glossary.translate_terms(normalize_text(title), source, target)
    if new_title is not None and _TITLE_MAX and len(new_title) > _TITLE_MAX:
        new_title = new_title[: _TITLE_MAX - 1].rstrip() + "…"  # French runs longer
    setattr(vacancy, f"title_{target}", new_title)
    setattr(
        vacancy,
        f"description_{target}",
        description_result.text if description_result and description_result.available else None,
    )

    if title_result.available and (
        not description.strip() or (description_result and description_result.available)
    ):
        vacancy.translation = TranslationState.DONE
        log.info("vacancy %s translated %s->%s", vacancy.id, source, target)
    else:
        vacancy.translation = TranslationState.UNAVAILABLE
        log.warning("vacancy %s: automatic translation unavailable", vacancy.id)
