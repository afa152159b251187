"""The `enavant` command as an operator meets it: clear one-line failures, a working run."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.sandbox import UserClient

pytestmark = pytest.mark.own_sqlite  # see tests/conftest.py

ENAVANT = [sys.executable, "-m", "bot"]
ROOT = Path(__file__).resolve().parent.parent


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "DATABASE_URL")}
    env["PYTHONPATH"] = str(ROOT)
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    env.update(values)
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_run_without_token_prints_one_line_and_fails(tmp_path: Path) -> None:
    result = subprocess.run(
        [*ENAVANT, "run"], cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "enavant: BOT_TOKEN is not set; put it in the environment or in .env"
    ]


def test_libre_translator_without_its_server_is_a_one_line_failure(tmp_path: Path) -> None:
    env = _env(tmp_path, BOT_TOKEN="1:x", TRANSLATOR="libre")
    result = subprocess.run(
        [*ENAVANT, "run"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "TRANSLATOR=libre needs TRANSLATOR_URL" in lines[0], lines


def test_run_with_an_unreachable_database_prints_one_line_and_fails(tmp_path: Path) -> None:
    env = _env(
        tmp_path,
        BOT_TOKEN="1:x",
        DATABASE_URL="postgresql+asyncpg://nobody@127.0.0.1:1/none",
    )
    result = subprocess.run(
        [*ENAVANT, "run"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("enavant: cannot use the database")


def test_token_is_read_from_a_dot_env_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DATABASE_URL=not-a-url\nBOT_TOKEN=1:x\n")
    env = _env(tmp_path)
    del env["DATABASE_URL"]
    result = subprocess.run(
        [*ENAVANT, "run"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "DATABASE_URL is invalid" in result.stderr


async def test_run_against_a_separate_sandbox_answers_start(tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    sandbox = await asyncio.create_subprocess_exec(
        *ENAVANT,
        "sandbox",
        "--port",
        str(port),
        "--token",
        "424242:CLI",
        cwd=tmp_path,
        env=_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    bot = None
    try:
        await _wait_for_port(port)
        bot = await asyncio.create_subprocess_exec(
            *ENAVANT,
            "run",
            cwd=tmp_path,
            env=_env(tmp_path, BOT_TOKEN="424242:CLI", TELEGRAM_API_URL=url),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        user = UserClient(url, user_id=31, first_name="Nadia", language_code="fr")
        await user.send_text("/start")
        replies = await user.replies(timeout=20.0, settle=1.0)
        assert "Bonjour Nadia" in "\n".join(m.text or "" for m in replies)
    finally:
        for process in (bot, sandbox):
            if process is not None:
                process.terminate()
                await process.wait()


async def _wait_for_port(port: int) -> None:
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        return
    pytest.fail(f"nothing listens on port {port}")


def test_demo_without_a_terminal_prints_the_french_tour_and_exits_0(tmp_path: Path) -> None:
    result = subprocess.run(
        [*ENAVANT, "demo"],
        cwd=tmp_path,
        env=_env(tmp_path),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,  # the tour paces messages as Telegram wants: about a minute
    )
    assert result.returncode == 0, result.stderr
    transcript = result.stdout
    for expected in (
        "👤 Amélie: /start",
        "Dans quelle langue",
        "presses [🇫🇷 Français]",
        "Flandre occidentale",
        "Que voulez-vous faire ?",
        "🏢 VDAB imports vacancies.csv: created 15",
        "✅ Pourquoi pour vous : votre métier : Cariste",
        "presses [🙋 Ça m'intéresse]",
        "counsellor Karim receives:",
        "🙋 Piste : Amélie est intéressé(e)",
        "offres correspondent à votre profil",
        "Karim publishes an online company presentation: 1 invited",
        "presses [📅 Réserver ma place]",
        "✅ C'est réservé",
        "📎 session-1.ics",
        "⏰ C'est demain",
        "presses [✅ Je serai là]",
        "Je touche le RSA : dois-je déclarer mon salaire belge ?",
        "Votre conseiller Karim vous répond d'ici",
        "💬 Votre conseiller Karim :",
        "💼 Karim: /broadcast",
        "📣 Vos conseillers",
        "Reçu par : 1",
        "annonce avoir trouvé un emploi",
        "Votre conseiller a confirmé votre nouvel emploi",
        "Rapport du programme",
        "🖼 (photo)",
        "Comment m'utiliser",
    ):
        assert expected in transcript
