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

The glossary is `bot/services/translation/glossary.py`; the providers (deep-translator, run in
worker threads, with its quirks handled) are `bot/services/translation/providers.py`.

Logs carry provider names, failure reasons and vacancy ids, never vacancy text.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.metrics import TRANSLATIONS
from bot.config import Settings
from bot.db.engine import upsert_insert
from bot.db.models import TranslationCacheEntry, TranslationState, Vacancy
from bot.services.translation.glossary import (
    LANGUAGES,
    PLACEHOLDER_RE,
    Glossary,
    check_pair,
    load_glossary,
)
from bot.services.translation.providers import (
    GoogleProvider,
    LibreProvider,
    MyMemoryProvider,
    Provider,
    ProviderFailure,
    call_provider,
    split_text,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Translation:
    text: str  # the translated text, or the fallback text when unavailable
    provider: str  # "cache", "glossary", "libre", "google", "mymemory", or "none" (fallback)
    machine: bool  # True when a machine provider produced it (now or from cache)
    available: bool  # False when every provider failed (fallback)


# Where an answer came from, as `enavant_translations_total` counts it (any machine provider
# answering now is "provider").
_SOURCES = {"cache": "cache", "glossary": "glossary", "none": "fallback"}


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
        translation, entry = await self._answer(session, text, source, target)
        TRANSLATIONS.labels(_SOURCES.get(translation.provider, "provider")).inc()
        return translation, entry

    async def _answer(
        self, session: AsyncSession, text: str, source: str, target: str
    ) -> tuple[Translation, dict[str, str] | None]:
        check_pair(source, target)
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
            if not any(ch.isalpha() for ch in PLACEHOLDER_RE.sub("", core)):
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
                    asyncio.to_thread(
                        call_provider, provider, text, source, target, self.timeout_s
                    ),
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
    if settings.translator == "libre":  # Settings makes sure TRANSLATOR_URL is set
        providers.append(
            LibreProvider(
                settings.translator_url,
                settings.translator_api_key.get_secret_value()
                if settings.translator_api_key
                else None,
            )
        )
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
