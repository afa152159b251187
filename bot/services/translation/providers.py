"""Machine-translation providers: deep-translator 1.11.4 classes, made safe to call.

Its quirks, handled here: `nl` is missing from its LibreTranslate languages and it refuses a
keyless LibreTranslator (`_LibreTranslator`); its HTTP calls have no timeout
(`_BoundedRequests`); network failures escape as raw `requests` exceptions and the HTTP
status is often lost (`call_provider` classifies them); Google takes fewer than 5000
characters and MyMemory 500 bytes (`split_text`); and a translation may be `None` or empty
(a failure).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, Protocol

import requests
from deep_translator import GoogleTranslator, LibreTranslator, MyMemoryTranslator
from deep_translator import google as _dt_google
from deep_translator import libre as _dt_libre
from deep_translator import mymemory as _dt_mymemory
from deep_translator.base import BaseTranslator
from deep_translator.constants import BASE_URLS, LIBRE_LANGUAGES_TO_CODES

log = logging.getLogger(__name__)

# Per-request text limits. deep-translator's Google wants fewer than 5000 characters. MyMemory
# takes 500 bytes of UTF-8: 250 characters stay under it even if every one is accented.
# deep-translator sends LibreTranslate's text in the query string of a POST, so 2000
# characters (up to some 6 kB once percent-encoded) keep the URL within what servers and
# proxies in front of them accept.
GOOGLE_MAX_CHARS = 4999
MYMEMORY_MAX_CHARS = 250
LIBRE_MAX_CHARS = 2000

RETRY_STATUSES = frozenset({429, 503})
_MYMEMORY_WARNING = "MYMEMORY WARNING"  # its quota message, sent as a "translation" with 200


# --- text ---------------------------------------------------------------------------------


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


def call_provider(provider: Provider, text: str, source: str, target: str, timeout_s: float) -> str:
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
                    retry=status in RETRY_STATUSES,
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
