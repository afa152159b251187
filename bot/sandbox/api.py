"""Plumbing shared by the Bot API method handlers: errors, typed parameters, the method registry.

Telegram accepts parameters from the query string, JSON, urlencoded forms and multipart forms.
aiogram sends forms in which strings are raw and every other value (numbers, booleans, objects)
is JSON-encoded, so typed accessors below accept both raw JSON values and their string forms.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import MultipartReader, StreamReader

ATTACH_PREFIX = "attach://"


class ApiError(Exception):
    """A Bot API error answered as ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    return ApiError(403, f"Forbidden: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)


@dataclass(frozen=True)
class Upload:
    """A file sent as a multipart part."""

    filename: str
    content_type: str
    content: bytes


class Params:
    """The parameters of one call, with Telegram-like coercion and error wording."""

    def __init__(self, values: Mapping[str, Any], uploads: Mapping[str, Upload]) -> None:
        self.values = dict(values)
        self.uploads = dict(uploads)

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    def integer(self, name: str, *, error: str | None = None) -> int | None:
        value = self.values.get(name)
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            raise bad_request(error or f"invalid {name} specified")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(error or f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value)

    def obj(self, name: str, *, error: str) -> Any:
        """A JSON object or array; aiogram sends them JSON-encoded inside form fields."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(error) from None

    def file(self, name: str) -> Upload | str | None:
        """An uploaded part (``attach://<part>`` or the part itself) or a file_id string."""
        if name in self.uploads:
            return self.uploads[name]
        value = self.text(name)
        if not value:
            return None
        if value.startswith(ATTACH_PREFIX):
            upload = self.uploads.get(value.removeprefix(ATTACH_PREFIX))
            if upload is None:
                raise bad_request(f'can\'t find attached file "{value}"')
            return upload
        return value


async def read_params(
    headers: Mapping[str, str], content: StreamReader, query: Mapping[str, str]
) -> Params:
    """Parse a request (or a webhook reply) body of any content type Telegram accepts."""
    values: dict[str, Any] = dict(query)
    uploads: dict[str, Upload] = {}
    mimetype = headers.get("Content-Type", "").split(";")[0].strip().lower()
    if mimetype.startswith("multipart/"):
        reader = MultipartReader(headers, content)
        while (part := await reader.next()) is not None:
            if part.name is None or isinstance(part, MultipartReader):
                continue
            if part.filename is not None:
                ctype = part.headers.get("Content-Type", "application/octet-stream")
                data = await part.read(decode=True)
                uploads[part.name] = Upload(part.filename, ctype, bytes(data))
            else:
                values[part.name] = await part.text()
        return Params(values, uploads)
    body = await content.read()
    if not body:
        return Params(values, uploads)
    if mimetype == "application/json":
        try:
            parsed = json.loads(body)
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if not isinstance(parsed, dict):
            raise bad_request("can't parse JSON object")
        values.update(parsed)
    else:
        text = body.decode("utf-8", errors="replace")
        values.update(urllib.parse.parse_qsl(text, keep_blank_values=True))
    return Params(values, uploads)


Handler = Callable[..., Any]


@dataclass(frozen=True)
class MethodSpec:
    name: str
    handler: Handler
    # Counted by the flood limits (Telegram limits messages, not reads or chat actions).
    limited: bool


METHODS: dict[str, MethodSpec] = {}


def api_method(name: str, *, limited: bool = False) -> Callable[[Handler], Handler]:
    """Register a handler ``(state, params) -> result`` (sync, or async for waiting methods).

    Handlers that change state are synchronous on purpose: with no await between the flood
    check and the state change, concurrent calls cannot overshoot a limit.
    """

    def register(handler: Handler) -> Handler:
        METHODS[name.lower()] = MethodSpec(name, handler, limited)
        return handler

    return register
