"""The occupation search a typed word goes through (`reference.search_occupations`,
called on the event loop once per message at the occupation question), against the 588
titles (French and Dutch labels and synonyms) of the occupations in
`content/reference/occupations.csv`.

Queries: the typo and synonym cases of tests/services/common/test_reference.py plus 300 typos drawn
(fixed seed) from the French and Dutch labels and synonyms: a letter dropped, doubled, swapped
with the next or replaced, a word cut short. Each query is searched 5 times after one warm-up
call (the indexes are built once per process).

    python benchmarks/bench_occupation_search.py --json
prints {"occupations", "titles", "queries", "calls", "per_call_ms_median", "per_call_ms_p95",
"per_call_ms_max", "per_call_cpu_ms_median" (this process's CPU time: steadier than the wall
clock on a shared machine), "found_share"}; goal: per_call_ms_p95 < 1.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import string
import time

from bot.common.reference import load_occupations, normalize, search_occupations

TEST_QUERIES = (
    "carist",
    "heftruck",
    "heftruckchaufeur",
    "soudeur",
    "soudure",
    "lasser",
    "chaufeur poids lourd",
    "vrachtwagen",
    "electricien",
    "verpleegster",
    "infirmiere",
    "bouchr",
    "orderpiker",
    "préparateur de commande",
    "magazijnier",
    "cnc operator",
    "aide soignante",
    "kasmedewerker",
    "poetsvrouw",
    "chauffeur",
    "couvreur",
    "zzzz",
)


def typo(word: str, rng: random.Random) -> str:
    """`word` with one slip of the finger, or cut short."""
    i = rng.randrange(len(word))
    kind = rng.choice(("drop", "double", "swap", "replace", "cut"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap" and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "cut" and len(word) > 6:
        return word[: rng.randrange(4, len(word) - 1)]
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]


def queries(count: int, seed: int = 14) -> list[str]:
    rng = random.Random(seed)
    terms = sorted({normalize(t) for o in load_occupations() for t in o.terms})
    drawn = [typo(rng.choice(terms), rng) for _ in range(count)]
    return [*TEST_QUERIES, *drawn]


def main(count: int, repeat: int) -> dict[str, object]:
    asked = queries(count)
    search_occupations("warm up")
    timings, cpu = [], []
    found = 0
    for query in asked:
        found += bool(search_occupations(query))
        for _ in range(repeat):
            began, began_cpu = time.perf_counter(), time.process_time()
            search_occupations(query)
            timings.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
    timings.sort()
    return {
        "occupations": len(load_occupations()),
        "titles": sum(len(o.terms) for o in load_occupations()),
        "queries": len(asked),
        "calls": len(timings),
        "per_call_ms_median": round(statistics.median(timings), 3),
        "per_call_ms_p95": round(timings[int(len(timings) * 0.95)], 3),
        "per_call_ms_max": round(timings[-1], 3),
        "per_call_cpu_ms_median": round(statistics.median(cpu), 3),
        "found_share": round(found / len(asked), 3),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--queries", type=int, default=300, help="drawn typos (default 300)")
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per query")
    args = parser.parse_args()
    result = main(args.queries, args.repeat)
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
