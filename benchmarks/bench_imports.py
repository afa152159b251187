"""Large import files through the real commands, each in a process of its own.

Writes a caseload, a session file and a vacancy file of about `--mb` megabytes each (French
Excel's Windows-1252 with semicolons), then runs `enavant participants import`, `enavant
sessions import --draft` and `enavant vacancies import` on a fresh SQLite database, a second
time too (nothing must change), and prints per file
{"kind", "mb", "rows", "seconds", "again_seconds", "peak_rss_mb", "summary", "again"};
goal: peak_rss_mb <= 300 and minutes at most for 50 MB.

    python benchmarks/bench_imports.py --json [--mb 50] [--only caseload] [--once]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.services.participants.caseload import COLUMNS
from bot.services.sessions.imports import FIELDS as SESSION_FIELDS
from bot.services.vacancies.offers import FIELDS as VACANCY_FIELDS

KINDS = ("caseload", "sessions", "vacancies")


def person(n: int) -> list[str]:
    territory = ("LRT", "FM", "WAPI")[n % 3]
    postcode = {"LRT": "59100", "FM": "59140", "WAPI": "7500"}[territory]
    return [
        f"{territory}-{n:07}",
        ("Léa", "Karim", "Inès", "Thomas")[n % 4],
        territory,
        "2024-03-04",
        "followed",
        "",
        "Œuvre du Cœur" if n % 5 == 0 else "",
        "Cariste;Magasinier",
        postcode,
        "A1",
        "oui",
        "30",
        "day;shifts",
    ]


def programme_session(n: int) -> list[str]:
    day = 1 + n % 28
    return [
        "info",
        f"Réunion d'information n° {n}",
        f"Infosessie {n}",
        f"2027-02-{day:02}T{8 + n % 10:02}:00:00+01:00",
        "60",
        "https://meet.jit.si/EnAvant",
        "25",
        "LRT;WAPI",
        "",
        "24",
    ]


def vacancy(n: int) -> list[str]:
    return [
        f"K-{n:07}",
        "Heftruckchauffeur (m/v/x)",
        "Bœuf & Cie — Kortrijk",
        "heftruckchauffeur",
        "8500",
        "Kortrijk",
        "Je laadt en lost vrachtwagens en houdt de voorraad op orde. Loon: 15 € per uur. "
        "Een heftruckattest is een pluspunt; wie nog geen attest heeft, krijgt een opleiding.",
        "A2",
        "no",
        "interim",
        "shifts",
        "38",
        "2026-11-02",
        "2030-01-31",
        f"https://jobs.example/k-{n}",
    ]


def write(kind: str, path: Path, megabytes: float) -> int:
    columns, row = {
        "caseload": (COLUMNS, person),
        "sessions": (SESSION_FIELDS, programme_session),
        "vacancies": (VACANCY_FIELDS, vacancy),
    }[kind]
    limit = int(megabytes * 1_000_000)
    rows = 0
    with path.open("w", encoding="cp1252", newline="") as file:
        writer = csv.writer(file, delimiter=";", lineterminator="\r\n")
        writer.writerow(columns)
        while file.tell() < limit:
            rows += 1
            writer.writerow(row(rows))
    return rows


def run_one(kind: str, file: str) -> None:
    """In the child: the command, then its peak RSS on stderr's last line."""
    from bot.cli import app

    args = {
        "caseload": ["participants", "import", file],
        "sessions": ["sessions", "import", "--draft", file],
        "vacancies": ["vacancies", "import", file],
    }[kind]
    try:
        app(args, standalone_mode=False)
    finally:
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"peak_rss_mb": round(peak_kb / 1024, 1)}), file=sys.stderr)


def measure(kind: str, file: Path, database: Path) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "TRANSLATOR": "none",
        "BOT_USERNAME": "bench_bot",
    }
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(file)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    lines = done.stderr.strip().splitlines()
    peak = json.loads(lines[-1])["peak_rss_mb"] if lines else None
    return {
        "seconds": round(seconds, 1),
        "peak_rss_mb": peak,
        "summary": done.stdout.strip().splitlines()[0] if done.stdout.strip() else lines[:3],
        "exit": done.returncode,
    }


def main(megabytes: float, kinds: list[str], once: bool = False) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for kind in kinds:
            file = Path(folder) / f"{kind}.csv"
            rows = write(kind, file, megabytes)
            database = Path(folder) / f"{kind}.db"
            first = measure(kind, file, database)
            again = first if once else measure(kind, file, database)
            results.append(
                {
                    "kind": kind,
                    "mb": round(file.stat().st_size / 1_000_000, 1),
                    "rows": rows,
                    "seconds": first["seconds"],
                    "again_seconds": again["seconds"],
                    "peak_rss_mb": max(first["peak_rss_mb"] or 0, again["peak_rss_mb"] or 0),
                    "summary": first["summary"],
                    "again": again["summary"],
                    "exit": [first["exit"], again["exit"]],
                }
            )
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON only")
    parser.add_argument("--mb", type=float, default=50.0, help="size of each file")
    parser.add_argument("--only", choices=KINDS, action="append", help="these files only")
    parser.add_argument("--once", action="store_true", help="skip the second import")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        run_one(*options.child)
    else:
        figures = main(options.mb, options.only or list(KINDS), options.once)
        print(json.dumps(figures, ensure_ascii=False, indent=None if options.json else 2))
