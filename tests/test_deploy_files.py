"""The deployment files say what the README says: compose.yaml (2 webhook replicas on
PostgreSQL + Redis behind a proxy, healthchecks wired), the Dockerfile (non-root, `enavant run`),
deploy/Caddyfile (the webhook and the probes forwarded, /metrics not), and the commands the
README's Deploying and Backups sections give. No image is built here."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import click
import pytest
import typer.main
import yaml

from bot.cli import app as cli_app
from bot.config import Settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
BOT = SERVICES["bot"]
BOT_ENV = BOT["environment"]


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    return [
        (word.upper(), rest.strip())
        for word, _, rest in (line.strip().partition(" ") for line in joined.splitlines())
        if word
    ]


DOCKERFILE = _dockerfile()
FINAL_STAGE = DOCKERFILE[max(i for i, (op, _) in enumerate(DOCKERFILE) if op == "FROM") :]


def _final(instruction: str) -> list[str]:
    return [rest for op, rest in FINAL_STAGE if op == instruction]


def _section(title: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"\n## {title}\n")
    end = readme.find("\n## ", start + 1)
    return readme[start:end]


def _shell_commands(title: str) -> list[list[str]]:
    """The commands of the section's `sh` blocks and inline `code`, as words."""
    section = _section(title)
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line:
                commands.extend(_split(line))
    for inline in re.findall(r"`([^`\n]+)`", section):
        if inline.startswith(("docker ", "enavant ", "make ")):
            commands.extend(_split(inline))
    return commands


def _split(line: str) -> list[list[str]]:
    line = re.sub(r"\$\([^)]*\)", "X", line)  # $(date +%F)
    return [shlex.split(part) for part in re.split(r"&&|\||;", line) if part.strip()]


def test_compose_has_the_bot_twice_behind_a_proxy_with_postgres_and_redis() -> None:
    assert set(SERVICES) == {"bot", "postgres", "redis", "proxy"}
    assert BOT["deploy"]["replicas"] == 2
    assert "ports" not in BOT  # replicas are reached through the proxy only
    assert {"443:443", "80:80"} <= set(SERVICES["proxy"]["ports"])
    for name, service in SERVICES.items():
        test = service["healthcheck"]["test"]
        assert test[0] in ("CMD", "CMD-SHELL") and len(test) > 1, name
    assert "pg_isready" in " ".join(SERVICES["postgres"]["healthcheck"]["test"])
    assert SERVICES["redis"]["healthcheck"]["test"][1:] == ["redis-cli", "ping"]
    assert any(v.endswith(":/var/lib/postgresql/data") for v in SERVICES["postgres"]["volumes"])
    assert BOT["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert SERVICES["proxy"]["depends_on"] == {"bot": {"condition": "service_healthy"}}


def test_the_bot_runs_in_webhook_mode_on_postgresql_and_redis_with_real_settings() -> None:
    for name in ("BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET", "DATABASE_URL", "REDIS_URL"):
        assert BOT_ENV.get(name), name
    assert BOT_ENV["DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert "@postgres:5432/" in BOT_ENV["DATABASE_URL"]
    assert BOT_ENV["REDIS_URL"] == "redis://redis:6379/0"
    assert BOT_ENV["WEBHOOK_LISTEN_PORT"] == "8080"
    assert BOT_ENV["WEBHOOK_URL"].startswith("https://")
    assert set(map(str.lower, BOT_ENV)) <= set(Settings.model_fields)  # no misspelt setting
    postgres = SERVICES["postgres"]["environment"]
    assert f"//{postgres['POSTGRES_USER']}:" in BOT_ENV["DATABASE_URL"]
    assert BOT_ENV["DATABASE_URL"].endswith(f"/{postgres['POSTGRES_DB']}")


def test_the_proxy_forwards_the_webhook_and_the_probes_to_the_replicas_not_metrics() -> None:
    (mount,) = [v for v in SERVICES["proxy"]["volumes"] if v.startswith("./deploy/")]
    caddyfile = (ROOT / mount.split(":")[0]).read_text(encoding="utf-8")
    code = "\n".join(line.split("#")[0] for line in caddyfile.splitlines())
    (forwarded,) = re.findall(r"@bot path ([^\n]+)", code)
    webhook_path = urlsplit(re.sub(r"\$\{[^}]*\}", "example.org", BOT_ENV["WEBHOOK_URL"])).path
    assert webhook_path == "/telegram"
    # The webhook, the probes, and the pages of the one-tap booking links.
    assert set(forwarded.split()) == {webhook_path, "/healthz", "/readyz", "/b/*", "/sms/*"}
    assert "/metrics" not in code
    upstream = re.search(r"dynamic a \{\s*name (\S+)\s*port (\d+)", code)
    assert upstream and upstream.groups() == ("bot", BOT_ENV["WEBHOOK_LISTEN_PORT"])
    assert re.search(r"handle \{\s*respond 404", code)  # anything else is refused


def test_the_image_installs_the_wheel_and_runs_enavant_run_as_a_non_root_user() -> None:
    bases = [rest.split()[0] for op, rest in DOCKERFILE if op == "FROM"]
    assert len(bases) >= 2 and all(re.fullmatch(r"python:3\.1[12]-slim", b) for b in bases)
    assert any("pip wheel" in rest for op, rest in DOCKERFILE if op == "RUN")
    assert any("pip install --no-index" in rest for rest in _final("RUN"))
    users = _final("USER")
    assert users and users[-1].split(":")[0] not in ("root", "0")
    (entrypoint,) = _final("ENTRYPOINT")
    (cmd,) = _final("CMD")
    assert json.loads(entrypoint) + json.loads(cmd) == ["enavant", "run"]
    (healthcheck,) = _final("HEALTHCHECK")
    assert "urllib.request" in healthcheck
    assert f"http://127.0.0.1:{BOT_ENV['WEBHOOK_LISTEN_PORT']}/healthz" in healthcheck
    assert "http://127.0.0.1:8080/healthz" in " ".join(BOT["healthcheck"]["test"])


def test_the_build_copies_what_the_wheel_needs_and_never_a_database_or_secrets() -> None:
    copied = [rest.split()[:-1] for op, rest in DOCKERFILE if op == "COPY" and "--from" not in rest]
    sources = {source for sources in copied for source in sources}
    assert {"pyproject.toml", "setup.py", "bot", "content", "examples"} <= sources
    assert all((ROOT / source).exists() for source in sources)
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", "*.db", ".venv", ".git"} <= set(ignored)
    assert not sources & set(ignored)


def _cli_command(words: list[str]) -> click.Command:
    """The `enavant` (sub)command the words name; fails on an unknown one."""
    command: click.Command = typer.main.get_command(cli_app)
    for word in words:
        if not isinstance(command, click.Group) or word.startswith("-"):
            break
        assert word in command.commands, f"no command `{word}` in `enavant {' '.join(words)}`"
        command = command.commands[word]
    assert not isinstance(command, click.Group), f"`enavant {' '.join(words)}` is not a command"
    return command


@pytest.mark.parametrize("section", ["Deploying", "Backups"])
def test_the_commands_the_readme_gives_exist(section: str) -> None:
    image = BOT["image"]
    seen: set[str] = set()
    for words in _shell_commands(section):
        if words[:2] == ["docker", "compose"]:
            seen.add("compose")
            sub, *rest = words[2:]
            assert sub in {"up", "ps", "logs", "exec", "run", "stop", "start", "down", "pull"}
            named = [w for w in rest if not w.startswith("-") and "=" not in w]
            if sub in ("exec", "run"):
                assert named[0] in SERVICES, words
                if named[1] == "enavant":
                    _cli_command(named[2:])
            elif named and sub != "up":
                assert set(named) <= set(SERVICES), words
            if "--scale" in rest:
                assert rest[rest.index("--scale") + 1].split("=")[0] in SERVICES
        elif words[:2] == ["docker", "build"]:
            seen.add("build")
            assert words[words.index("-t") + 1] == image and words[-1] == "."
        elif words[:2] == ["docker", "run"]:
            seen.add("run")
            assert image in words
            volume = words[words.index("-v") + 1]
            assert volume.split(":")[1] in _final("VOLUME")[0]
        elif words[:2] == ["docker", "exec"]:
            assert words[3] == "enavant"
            _cli_command(words[4:])
        elif Path(words[0]).name == "enavant":
            seen.add("enavant")
            _cli_command(words[1:])
        elif words[0] == "make":
            assert f"\n{words[1]}:" in (ROOT / "Makefile").read_text(encoding="utf-8")
    if section == "Deploying":
        assert {"compose", "build", "run", "enavant"} <= seen
        assert ["docker", "compose", "up", "-d", "--build"] in _shell_commands(section)
    else:
        assert "enavant" in seen


@pytest.mark.parametrize("section", ["Deploying", "Backups"])
def test_the_services_and_timers_run_commands_that_exist(section: str) -> None:
    blocks = "\n".join(re.findall(r"```(?:ini|cron)\n(.*?)```", _section(section), re.S))
    named = re.findall(r"/opt/enavant/bin/enavant ([a-z][a-z-]*(?: [a-z][a-z-]*)*)", blocks)
    assert named
    for words in named:
        _cli_command(words.split())


def test_the_readme_names_the_files_and_services_it_relies_on() -> None:
    deploying = _section("Deploying")
    for name in ("Dockerfile", "compose.yaml", "deploy/Caddyfile", ".env"):
        assert f"`{name}`" in deploying
    for service in SERVICES:
        assert f"`{service}`" in deploying
    for variable in ("BOT_TOKEN", "BOT_DOMAIN", "WEBHOOK_SECRET", "POSTGRES_PASSWORD"):
        assert variable in deploying
        assert f"${{{variable}" in (ROOT / "compose.yaml").read_text(encoding="utf-8")
    for port in ("443", "80", "88", "8443"):
        assert port in deploying
    backups = _section("Backups")
    assert "pg_dump" in backups and "pg_restore" in backups and "cron" in backups
