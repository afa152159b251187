"""The aiohttp application: the webhook (when the bot runs in webhook mode), the
operators' endpoints /healthz (alive), /readyz (able to serve) and /metrics (Prometheus),
and the pages people open from an SMS or an e-mail (`routes`: `bot.web.links.link_routes`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from pydantic import ValidationError

from bot.web.feeder import Feeder, chat_key
from bot.web.metrics import count_duplicate, exposition, update_type

log = logging.getLogger(__name__)

Check = Callable[[], Awaitable[bool]]
CHECK_TIMEOUT_S = 2.0


class InboxRequestHandler(SimpleRequestHandler):
    """aiogram's webhook handler, answering 200 once the update is kept in the inbox (not
    once it is handled), and 200 without handling it again when its id was already taken.
    A wrong or missing secret is 401, a body that is no update 400: neither is kept."""

    def __init__(self, dispatcher: Dispatcher, bot: Bot, secret_token: str, feeder: Feeder):
        super().__init__(dispatcher, bot, handle_in_background=True, secret_token=secret_token)
        self.feeder = feeder

    async def close(self) -> None:
        """The bot's HTTP session belongs to the App, which closes it."""

    async def handle(self, request: web.Request) -> web.Response:
        bot = await self.resolve_bot(request)
        if not self.verify_secret(request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""), bot):
            return web.Response(body="Unauthorized", status=401)
        raw = await request.text()
        try:
            update = Update.model_validate_json(raw, context={"bot": bot})
        except (ValidationError, ValueError):
            return web.Response(body="Bad Request", status=400)
        key = chat_key(update)
        if not await self.feeder.inbox.take(update.update_id, raw, key):
            count_duplicate(update_type(update))
            return web.json_response({})
        self.feeder.handle(update, key)
        return web.json_response({})

    __call__ = handle


async def _healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "alive"})


def _readyz(checks: Mapping[str, Check]) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def one(name: str, check: Check) -> bool:
        try:
            return bool(await asyncio.wait_for(check(), CHECK_TIMEOUT_S))
        except Exception as error:  # a check failing is an answer, not an error
            log.warning("readiness check %s failed: %s", name, type(error).__name__)
            return False

    async def readyz(request: web.Request) -> web.Response:
        names = list(checks)
        results = await asyncio.gather(*(one(name, checks[name]) for name in names))
        body = {
            name: "ok" if good else "failing" for name, good in zip(names, results, strict=True)
        }
        ready = all(results)
        return web.json_response(
            {"status": "ready" if ready else "not ready", "checks": body},
            status=200 if ready else 503,
        )

    return readyz


async def _metrics(request: web.Request) -> web.Response:
    body, content_type = exposition()
    return web.Response(body=body, headers={"Content-Type": content_type})


def operations_app(
    checks: Mapping[str, Check], routes: Sequence[web.RouteDef] = ()
) -> web.Application:
    """/healthz, /readyz and /metrics (polling mode's HEALTH_PORT, and the webhook's app),
    and `routes` beside them (the SMS provider's hooks, the one-tap link pages)."""
    app = web.Application()
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/readyz", _readyz(checks))
    app.router.add_get("/metrics", _metrics)
    app.router.add_routes(routes)
    return app


def webhook_path(url: str) -> str:
    return urlsplit(url).path or "/"


def webhook_app(
    dispatcher: Dispatcher,
    bot: Bot,
    feeder: Feeder,
    *,
    url: str,
    secret: str,
    checks: Mapping[str, Check],
    routes: Sequence[web.RouteDef] = (),
) -> web.Application:
    app = operations_app(checks, routes)
    InboxRequestHandler(dispatcher, bot, secret, feeder).register(app, path=webhook_path(url))
    return app


class Server:
    """An aiohttp application on a host and port; `start` returns once it listens."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def start(self, host: str, port: int) -> None:
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
