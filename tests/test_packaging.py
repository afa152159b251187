"""A wheel is all an operator needs: built, installed in a fresh virtual environment and run
from an empty folder, `enavant demo` finds its texts, FAQ, reference data, example files and
migrations inside the installed package (no source tree, no working-directory guess)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.own_sqlite  # see tests/conftest.py: one CI pass is enough

ROOT = Path(__file__).resolve().parent.parent
# What a build reads: the rest of the checkout (tests, .venv, .git) must not be needed.
BUILD_INPUTS = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "bot",
    "content",
    "examples",
)


def _wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    for name in BUILD_INPUTS:
        path = ROOT / name
        if path.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--wheel-dir", str(wheels), str(source)],
        check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    (wheel,) = wheels.glob("enavant_vooruit-*.whl")
    return wheel


def _fresh_venv(tmp_path: Path, wheel: Path) -> Path:
    """A new virtual environment with the wheel installed; the dependencies are the project's,
    made visible by a .pth line (a path only: the project's editable finder does not run)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "--no-index", str(wheel)],
        check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    project_site = sysconfig.get_paths()["purelib"]
    Path(site, "_project_dependencies.pth").write_text(project_site + "\n")
    return venv


def _clean_env() -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("PYTHONPATH", "BOT_TOKEN", "DATABASE_URL", "REDIS_URL", "WEBHOOK_URL")
        and not name.startswith("VIRTUAL_ENV")
    }
    env["PYTHONNOUSERSITE"] = "1"
    return env


def test_the_wheel_carries_what_the_bot_reads_and_its_demo_runs_from_an_empty_folder(
    tmp_path: Path,
) -> None:
    wheel = _wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    for locale in ("fr", "nl"):
        shipped = {Path(n).name for n in names if n.startswith(f"bot/content/{locale}/")}
        in_repo = {p.name for p in (ROOT / "content" / locale).glob("*.ftl")}
        assert in_repo and in_repo <= shipped, f"content/{locale}/*.ftl"
        faq = {p.name for p in (ROOT / "content" / locale / "faq").glob("*.toml")}
        assert {n for n in shipped if n.endswith(".toml")} == faq
    for path in (ROOT / "content" / "reference").iterdir():
        assert f"bot/content/reference/{path.name}" in names
    assert "bot/examples/vacancies.csv" in names
    assert "bot/db/migrations/env.py" in names
    versions = {p.name for p in (ROOT / "bot/db/migrations/versions").glob("*.py")}
    assert (
        versions
        and {Path(n).name for n in names if n.startswith("bot/db/migrations/versions/")} == versions
    )

    venv = _fresh_venv(tmp_path, wheel)
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    found = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import bot; print(bot.__file__)"],
        cwd=empty, env=_clean_env(), check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    assert Path(found).is_relative_to(venv), found

    result = subprocess.run(
        [str(venv / "bin" / "enavant"), "demo"],
        cwd=empty,
        env=_clean_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,  # the tour paces messages as Telegram wants: about a minute
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for expected in (
        "Dans quelle langue",  # content/fr/*.ftl
        "✅ Pourquoi pour vous : votre métier : Cariste",  # content/reference/occupations.csv
        "🏢 VDAB imports vacancies.csv: created 15",  # examples/vacancies.csv
        "Je touche le RSA : dois-je déclarer mon salaire belge ?",  # content/fr/faq
        "✅ C'est réservé",
    ):
        assert expected in result.stdout
    assert list(empty.iterdir()) == []  # nothing written where it was started
