"""A LibreTranslate-compatible HTTP server on 127.0.0.1 for tests, with scripted failures.

It answers LibreTranslate's `POST /translate` (parameters in the query string, a form or a
JSON body, as the real server accepts) and `GET /languages`. So that deep-translator's other
providers can run their real code against it too, it also answers like Google's mobile page
(`GET /m`, the translation in `<div class="result-container">`) and MyMemory's `GET /get`.

By default it "translates" with `translate(text, source, target)`, a visible marker in front
of the text. Replies queued with `queue(...)` are used first, one per request: an HTTP error
(`Reply.error(429, retry_after=1)`), a slow answer (`Reply.slow(5.0)`) or any JSON body
(`Reply.body({"translatedText": None})`). Every request is recorded in `calls`.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

LANGUAGES = (("nl", "Dutch"), ("fr", "French"), ("en", "English"))


def mark(text: str, source: str, target: str) -> str:
    """The default fake translation: "[nl>fr] " in front of the text."""
    return f"[{source}>{target}] {text}"


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: object = None  # None: the normal translation
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def error(cls, status: int, retry_after: float | None = None) -> Reply:
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        return cls(status=status, body={"error": f"stub error {status}"}, headers=headers)

    @classmethod
    def slow(cls, delay_s: float) -> Reply:
        return cls(delay_s=delay_s)

    @classmethod
    def json(cls, body: object) -> Reply:
        return cls(body=body)


@dataclass(frozen=True)
class Call:
    path: str
    text: str
    source: str
    target: str
    api_key: str | None


class LibreTranslateStub:
    def __init__(self, translate: Callable[[str, str, str], str] = mark) -> None:
        self.translate = translate
        self.calls: list[Call] = []
        self._replies: deque[Reply] = deque()
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def queue(self, *replies: Reply) -> None:
        self._replies.extend(replies)

    def calls_to(self, path: str) -> list[Call]:
        return [call for call in self.calls if call.path == path]

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/translate", self._libre)
        app.router.add_get("/languages", self._languages)
        app.router.add_get("/m", self._google)
        app.router.add_get("/get", self._mymemory)
        # A slow reply waits on `_closing`, so stopping never waits for it.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _next_reply(self) -> Reply:
        reply = self._replies.popleft() if self._replies else Reply()
        if reply.delay_s:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), reply.delay_s)
        return reply

    async def _libre(self, request: web.Request) -> web.Response:
        params = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            params.update(await request.post())
        call = Call(
            "/translate",
            str(params.get("q", "")),
            str(params.get("source", "")),
            str(params.get("target", "")),
            params.get("api_key"),
        )
        self.calls.append(call)
        reply = await self._next_reply()
        if reply.status != 200 or reply.body is not None:
            return web.json_response(reply.body, status=reply.status, headers=reply.headers)
        text = self.translate(call.text, call.source, call.target)
        return web.json_response({"translatedText": text})

    async def _languages(self, _request: web.Request) -> web.Response:
        codes = [code for code, _ in LANGUAGES]
        return web.json_response(
            [{"code": code, "name": name, "targets": codes} for code, name in LANGUAGES]
        )

    async def _google(self, request: web.Request) -> web.Response:
        q = request.query
        call = Call("/m", q.get("q", ""), q.get("sl", ""), q.get("tl", ""), None)
        self.calls.append(call)
        reply = await self._next_reply()
        if reply.status != 200:
            return web.Response(status=reply.status, text="error", headers=reply.headers)
        text = self.translate(call.text, call.source, call.target)
        page = f'<html><body><div class="result-container">{html.escape(text)}</div></body></html>'
        return web.Response(text=page, content_type="text/html")

    async def _mymemory(self, request: web.Request) -> web.Response:
        q = request.query
        source, _, target = q.get("langpair", "").partition("|")
        call = Call("/get", q.get("q", ""), source[:2], target[:2], None)
        self.calls.append(call)
        reply = await self._next_reply()
        if reply.status != 200 or reply.body is not None:
            body = json.dumps(reply.body)
            return web.Response(status=reply.status, text=body, content_type="application/json")
        text = self.translate(call.text, call.source, call.target)
        return web.json_response(
            {"responseData": {"translatedText": text}, "responseStatus": 200, "matches": []}
        )
