"""A tiny round-robin load balancer for tests and benchmarks: the sandbox's webhook points at
it, and it forwards each POST to the next of N upstream replicas (path and headers kept).
An upstream that refuses the connection is marked dead and the next one is tried; tests may
also mark one dead or alive themselves, or send a request to a chosen one."""

from __future__ import annotations

import aiohttp
from aiohttp import web

FORWARDED_HEADERS = ("Content-Type", "X-Telegram-Bot-Api-Secret-Token")


class Balancer:
    def __init__(self, upstreams: list[str], *, timeout: float = 30.0) -> None:
        self.upstreams = [url.rstrip("/") for url in upstreams]
        self.alive = [True] * len(self.upstreams)
        self.forwarded = [0] * len(self.upstreams)  # requests answered, per upstream
        self._next = 0
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None
        self.url = ""

    def mark_dead(self, index: int) -> None:
        self.alive[index] = False

    def mark_alive(self, index: int) -> None:
        self.alive[index] = True

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._session = aiohttp.ClientSession(timeout=self._timeout)
        app = web.Application()
        app.router.add_post("/{path:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self.url = f"http://{host}:{self._runner.addresses[0][1]}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _order(self) -> list[int]:
        count = len(self.upstreams)
        start = self._next
        self._next = (self._next + 1) % count
        return [(start + step) % count for step in range(count)]

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        body = await request.read()
        headers = {h: request.headers[h] for h in FORWARDED_HEADERS if h in request.headers}
        for index in self._order():
            if not self.alive[index]:
                continue
            try:
                async with self._session.post(
                    self.upstreams[index] + request.rel_url.path_qs, data=body, headers=headers
                ) as response:
                    answer = await response.read()
                    self.forwarded[index] += 1
                    kind = response.headers.get("Content-Type")
                    return web.Response(
                        status=response.status,
                        body=answer,
                        headers={"Content-Type": kind} if kind else None,
                    )
            except aiohttp.ClientError:
                # Refused or cut (a replica killed): the next one gets it. A replica cut after
                # it kept the update is answered "duplicate" by the next one, not handled twice.
                self.mark_dead(index)
        return web.Response(status=502, text="no upstream")
