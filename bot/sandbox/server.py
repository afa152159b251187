"""The sandbox HTTP server: Bot API routes, user-side routes, fault injection, start and stop."""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from aiohttp import web

from bot.sandbox.api import METHODS, ApiError, read_params
from bot.sandbox.bots import BotSandbox, bot_id_of
from bot.sandbox.client import UserClient
from bot.sandbox.limits import SandboxLimits
from bot.sandbox.user_api import UserApi

logger = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456:TEST"
_dumps = partial(json.dumps, ensure_ascii=False)


# What a proxy in front of Telegram (nginx, a load balancer) answers when Telegram is down.
HTML_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
OUTAGES = ("html502", "timeout", "disconnect")


@dataclass(frozen=True)
class Fault:
    status: int | None  # None: drop the connection without answering
    description: str
    retry_after: int | None = None
    html: bool = False  # answered by a proxy: an HTML page, not Bot API JSON
    hold_s: float = 0.0  # how long the call hangs before it fails (a time-out)


class SandboxServer(BotSandbox):
    """A local Telegram Bot API server with a simulated user side.

    The server is also the sandbox of its first bot, so single-bot tests inspect it directly;
    further tokens are further bots, reached with :meth:`bot`.
    """

    def __init__(
        self,
        token: str | Sequence[str] = DEFAULT_TOKEN,
        limits: SandboxLimits | None = None,
        *,
        bot_username: str = "enavant_sandbox_bot",
        bot_name: str = "En Avant · Vooruit",
        callback_query_ttl: float = 15.0,
        webhook_attempts: int = 4,
        webhook_backoff: float = 0.05,
    ) -> None:
        tokens = [token] if isinstance(token, str) else list(token)
        if not tokens:
            raise ValueError("a sandbox needs at least one bot token")
        limits = limits or SandboxLimits()
        options = {
            "callback_query_ttl": callback_query_ttl,
            "webhook_attempts": webhook_attempts,
            "webhook_backoff": webhook_backoff,
        }
        super().__init__(tokens[0], limits, username=bot_username, name=bot_name, **options)
        self.bots: dict[str, BotSandbox] = {self.token: self}
        for extra in tokens[1:]:
            number = bot_id_of(extra)
            self.bots[extra] = BotSandbox(
                extra,
                limits,
                username=f"sandbox{number}_bot",
                name=f"Sandbox bot {number}",
                **options,
            )
        self._faults: defaultdict[str, deque[Fault]] = defaultdict(deque)
        self._outage: tuple[float, Fault] | None = None  # (until, what every call gets)
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    def bot(self, token_or_id: str | int) -> BotSandbox:
        for bot in self.bots.values():
            if token_or_id in (bot.token, bot.bot_id):
                return bot
        raise KeyError(f"no bot {token_or_id} in this sandbox")

    # lifecycle

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("the sandbox is not started")
        return self._url

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        users = UserApi({bot.bot_id: bot.state for bot in self.bots.values()}, self.bot_id)
        app = web.Application(middlewares=[users.errors], client_max_size=64 * 1024**2)
        app.add_routes(users.routes())
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        # Handlers are cancelled when a client goes away, so abandoned long polls end at once.
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self._url = f"http://{host}:{self._runner.addresses[0][1]}"
        for bot in self.bots.values():
            bot.webhook.start()
        logger.info("sandbox Bot API listening on %s", self._url)
        return self._url

    async def stop(self) -> None:
        for bot in self.bots.values():
            bot.state.pulse.close()
            await bot.webhook.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # Bot API over HTTP

    async def _api(self, request: web.Request) -> web.StreamResponse:
        bot = self.bots.get(request.match_info["token"])
        if bot is None:
            return self._error(self, ApiError(401, "Unauthorized"))
        name = request.match_info["method"]
        try:
            params = await read_params(request.headers, request.content, request.query)
            if (fault := self._take_fault(bot, name)) is not None:
                if fault.hold_s:
                    await asyncio.sleep(fault.hold_s)
                if fault.status is None:
                    if request.transport is not None:
                        request.transport.close()
                    return web.Response(status=500)  # never reaches the client
                if fault.html:
                    bot.stats[f"http_{fault.status}"] += 1
                    return web.Response(
                        status=fault.status, text=HTML_502, content_type="text/html"
                    )
                raise ApiError(fault.status, fault.description, fault.retry_after)
            result = await bot.call(name, params)
        except ApiError as exc:
            return self._error(bot, exc)
        return web.json_response({"ok": True, "result": result}, dumps=_dumps)

    @staticmethod
    def _error(bot: BotSandbox, exc: ApiError) -> web.Response:
        bot.stats[f"http_{exc.status}"] += 1
        return web.json_response(exc.payload(), status=exc.status, dumps=_dumps)

    async def _file(self, request: web.Request) -> web.StreamResponse:
        bot = self.bots.get(request.match_info["token"])
        if bot is None:
            return self._error(self, ApiError(401, "Unauthorized"))
        path = request.match_info["path"]
        for record in bot.state.files.values():
            if record.path == path:
                return web.Response(body=record.content, content_type="application/octet-stream")
        return self._error(bot, ApiError(404, "Not Found: file not found"))

    # fault injection (for every bot of the sandbox)

    def inject_failure(
        self,
        method: str,
        status: int = 500,
        count: int = 1,
        description: str | None = None,
        retry_after: int | None = None,
        html: bool = False,
    ) -> None:
        """Make the next ``count`` calls of ``method`` fail with ``status``; ``html``: with a
        proxy's HTML page instead of Telegram's JSON."""
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            description = {
                400: "Bad Request: injected failure",
                403: "Forbidden: bot was blocked by the user",
                429: f"Too Many Requests: retry after {retry_after}",
                500: "Internal Server Error",
                502: "Bad Gateway",
            }.get(status, f"Error {status}")
        fault = Fault(status, description, retry_after, html=html)
        self._faults[method.lower()].extend([fault] * count)

    def inject_disconnect(self, method: str, count: int = 1) -> None:
        """Make the next ``count`` calls of ``method`` drop the connection without a response."""
        self._faults[method.lower()].extend([Fault(None, "disconnect")] * count)

    def inject_timeout(self, method: str, seconds: float, count: int = 1) -> None:
        """Make the next ``count`` calls of ``method`` hang ``seconds``, then drop the
        connection unanswered (the bot's own time-out should give up first)."""
        self._faults[method.lower()].extend([Fault(None, "timeout", hold_s=seconds)] * count)

    def outage(self, seconds: float, kind: str = "html502", hold_s: float = 5.0) -> None:
        """For the next ``seconds``, every Bot API call fails: ``html502`` (a proxy's HTML
        page), ``timeout`` (hangs ``hold_s``, then no answer) or ``disconnect``."""
        if kind not in OUTAGES:
            raise ValueError(f"unknown outage {kind!r}; one of {OUTAGES}")
        fault = {
            "html502": Fault(502, "Bad Gateway", html=True),
            "timeout": Fault(None, "timeout", hold_s=hold_s),
            "disconnect": Fault(None, "disconnect"),
        }[kind]
        self._outage = (asyncio.get_running_loop().time() + seconds, fault)

    def _take_fault(self, bot: BotSandbox, method: str) -> Fault | None:
        queue = self._faults.get(method.lower())
        fault = queue.popleft() if queue else self._outage_fault()
        if fault is not None:
            spec = METHODS.get(method.lower())
            bot.stats[spec.name if spec else method] += 1  # a failed call is still a call
        return fault

    def _outage_fault(self) -> Fault | None:
        if self._outage is None:
            return None
        until, fault = self._outage
        if asyncio.get_running_loop().time() >= until:
            self._outage = None
            return None
        return fault

    def user(
        self,
        user_id: int,
        first_name: str = "Test",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "fr",
    ) -> UserClient:
        """A user of this server's first bot (build a UserClient with bot_id for the others)."""
        return UserClient(
            self.url,
            user_id,
            first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )


async def run_forever(
    host: str = "127.0.0.1",
    port: int = 8081,
    tokens: str | Sequence[str] = DEFAULT_TOKEN,
    limits: SandboxLimits | None = None,
) -> None:
    """Serve a sandbox until cancelled (``enavant sandbox``)."""
    server = SandboxServer(tokens, limits)
    await server.start(host, port)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()
