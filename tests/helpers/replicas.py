"""Several `enavant run` processes in webhook mode behind the sandbox's round-robin balancer,
on PostgreSQL + Redis: starting them, waiting until they are ready, killing one, stopping all."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from uuid import uuid4

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:REPLICAS"
SECRET = "replicas-Secret_1"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_PATH = "/telegram"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_prefix() -> str:
    return f"hweb{uuid4().hex}"


@dataclass
class Replica:
    port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def tail(self, lines: int = 30) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Replicas:
    """`count` bot processes; `env` is what they share (each gets its own listen port)."""

    count: int
    env: dict[str, str]
    log_dir: Path
    members: list[Replica] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.members = [
            Replica(free_port(), self.log_dir / f"replica{n}.log") for n in range(self.count)
        ]

    def start(self) -> None:
        for replica in self.members:
            env = {**os.environ, **self.env, "WEBHOOK_LISTEN_PORT": str(replica.port)}
            with replica.log.open("ab") as log:
                replica.process = subprocess.Popen(
                    [sys.executable, "-m", "bot", "run"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )

    async def wait_ready(self, seconds: float = 60.0) -> None:
        """Until every replica answers /readyz with 200 (or one died: its log is shown)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        async with aiohttp.ClientSession() as http:
            for replica in self.members:
                while True:
                    if not replica.alive:
                        raise RuntimeError(f"replica on {replica.port} died:\n{replica.tail()}")
                    try:
                        async with http.get(f"{replica.url}/readyz") as response:
                            if response.status == 200:
                                break
                    except aiohttp.ClientError:
                        pass
                    if loop.time() > deadline:
                        raise TimeoutError(f"replica on {replica.port}:\n{replica.tail()}")
                    await asyncio.sleep(0.2)

    def kill(self, index: int) -> None:
        """`kill -9`: no shutdown hook runs, updates it had taken stay in the inbox."""
        process = self.members[index].process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(10)

    def stop(self) -> None:
        """SIGTERM to all, then SIGKILL to any still there after 15 s."""
        running = [r.process for r in self.members if r.alive]
        for process in running:
            process.send_signal(signal.SIGTERM)
        for process in running:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def replica_env(
    *, token: str, api_url: str, database_url: str, redis_url: str, prefix: str, webhook_url: str
) -> dict[str, str]:
    return {
        "BOT_TOKEN": token,
        "TELEGRAM_API_URL": api_url,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": prefix,
        "WEBHOOK_URL": webhook_url,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN_HOST": "127.0.0.1",
        # The bot's pace scaled up like the sandbox's (tests/e2e/conftest.py).
        "SEND_GLOBAL_PER_S": "1000",
        "SEND_PRIVATE_PER_S": "100",
        "SEND_PRIVATE_BURST": "100",
        "OUTBOX_TICK_S": "0.5",
        "LOG_LEVEL": "WARNING",
        "TRANSLATOR": "none",
    }


async def post_update(url: str, update: dict, secret: str = SECRET) -> int:
    """An update posted straight to one replica's webhook, as Telegram would; the status."""
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{url}{WEBHOOK_PATH}", json=update, headers={SECRET_HEADER: secret}) as response,
    ):
        return response.status
