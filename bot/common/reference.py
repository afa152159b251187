"""Reference data: shortage occupations (ESCO codes) and the communes of the programme area.

Read from `content/reference/occupations.csv` and `content/reference/places.csv` (see the
headers of those files for sources and licences), once per path (functools.cache), without
aiogram (the standard library, and rapidfuzz for typos), so matching, the scheduler and the
CLI can use it.

Matching across languages goes through occupation codes, never through words: a French
"cariste" and a Flemish "heftruckchauffeur" resolve to the same `Occupation` (8344.1).
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel

from bot.common.content import REFERENCE_DIR

OCCUPATIONS_CSV = REFERENCE_DIR / "occupations.csv"
PLACES_CSV = REFERENCE_DIR / "places.csv"

TERRITORIES = ("LRT", "FM", "WAPI", "WVL")
"""Lille-Roubaix-Tourcoing (arr. Lille), Flandres maritimes (arr. Dunkerque), Wallonie
picarde, West Flanders."""
COUNTRIES = ("FR", "BE")
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


@dataclass(frozen=True)
class Occupation:
    code: str
    sector: str
    label_fr: str
    label_nl: str
    synonyms_fr: tuple[str, ...]
    synonyms_nl: tuple[str, ...]
    related: tuple[str, ...]

    def label(self, locale: str) -> str:
        """The job title in `locale` ("nl" gives Dutch, anything else French)."""
        return self.label_nl if locale == "nl" else self.label_fr

    @property
    def terms(self) -> tuple[str, ...]:
        """Both labels and every synonym, French first."""
        return (self.label_fr, self.label_nl, *self.synonyms_fr, *self.synonyms_nl)


@dataclass(frozen=True)
class Place:
    postcode: str
    name_fr: str
    name_nl: str
    country: str
    territory: str
    lat: float
    lon: float
    localities: tuple[str, ...] = ()

    def name(self, locale: str) -> str:
        """The commune's name in `locale` ("nl" gives Dutch, anything else French)."""
        return self.name_nl if locale == "nl" else self.name_fr


# --- text ---------------------------------------------------------------------------------

_GENDER_MARK = re.compile(
    r"\(\s*[mhfvwxd](?:\s*/\s*[mhfvwxd])+\s*\)|\b[mhf]\s*/\s*[mhfvx](?:\s*/\s*x)?$"
)


def normalize(text: str) -> str:
    """Lower case, accents and ligatures folded, gender marks such as "(m/v/x)" or "(h/f)"
    dropped, every run of punctuation or spaces turned into one space."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae").replace("’", "'")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = _GENDER_MARK.sub(" ", text.strip())
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _key(text: str) -> str:
    """Exact-match key: `normalize` without spaces, so "heftruck-chauffeur" and
    "heftruckchauffeur", or "Villeneuve d'Ascq" and "Villeneuve-d'Ascq", are one key."""
    return normalize(text).replace(" ", "")


def _read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a `;`-separated UTF-8 file whose leading `#` lines are comments."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    body = "".join(line for line in lines if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(body), delimiter=";"))


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split("|") if part.strip())


# --- occupations --------------------------------------------------------------------------


@cache
def load_occupations(path: Path = OCCUPATIONS_CSV) -> tuple[Occupation, ...]:
    """Every occupation of the file, in file order."""
    return tuple(
        Occupation(
            code=row["code"].strip(),
            sector=row["sector"].strip(),
            label_fr=row["label_fr"].strip(),
            label_nl=row["label_nl"].strip(),
            synonyms_fr=_split(row["synonyms_fr"]),
            synonyms_nl=_split(row["synonyms_nl"]),
            related=_split(row["related"]),
        )
        for row in _read_csv(path)
    )


@cache
def _normalized_terms(path: Path) -> tuple[tuple[Occupation, tuple[str, ...]], ...]:
    return tuple(
        (occupation, tuple(normalize(term) for term in occupation.terms))
        for occupation in load_occupations(path)
    )


@cache
def _occupation_index(path: Path) -> tuple[dict[str, Occupation], dict[str, Occupation]]:
    by_code: dict[str, Occupation] = {}
    by_term: dict[str, Occupation] = {}
    for occupation in load_occupations(path):
        by_code[occupation.code] = occupation
        for term in occupation.terms:
            by_term.setdefault(_key(term), occupation)
    return by_code, by_term


def find_occupation(text: str, path: Path = OCCUPATIONS_CSV) -> Occupation | None:
    """The occupation whose ESCO code is `text`, or one of whose French or Dutch labels or
    synonyms equals `text` once case, accents, punctuation, spaces and gender marks such as
    "(m/v/x)" are ignored. Exact matches only (see `search_occupations` for typos)."""
    by_code, by_term = _occupation_index(path)
    stripped = text.strip()
    if stripped in by_code:
        return by_code[stripped]
    return by_term.get(_key(stripped)) if stripped else None


# Ranking. rapidfuzz's Indel similarity (2 x the longest common subsequence / total letters,
# in C: the ratio difflib.SequenceMatcher approximates by matching blocks, never below
# it and most often equal) absorbs one or two typos in a word
# ("carist", "chaufeur"). The query is compared with every title and every word of the titles
# at once (`process.cdist`), well under a millisecond for the ~600 titles, so a message never
# holds the event loop up. A plain ratio punishes partial input, though ("heftruck" against
# "heftruckchauffeur" is only 0.64), so exact, prefix, whole-word and inside-a-compound
# matches score first, and for several-word queries every word is compared to its best
# counterpart in the title.
_MIN_SCORE = 0.72
_MAX_GAP = 0.15  # results more than this below the best one are noise ("couvreur"/"coursier")


@dataclass(frozen=True)
class _SearchIndex:
    """Every normalized title of every occupation, in file order, with its words."""

    terms: tuple[str, ...]
    compact: tuple[str, ...]  # the terms without spaces
    term_words: tuple[frozenset[str], ...]
    first_term: np.ndarray  # position in `terms` of each occupation's first title
    words: tuple[str, ...]  # every distinct word of the titles
    word_positions: np.ndarray  # (titles, most words) positions in `words`, padded with -1
    several_words: np.ndarray  # whether each title has more than one word


@cache
def _search_index(path: Path) -> _SearchIndex:
    terms: list[str] = []
    first_term: list[int] = []
    for _, normalized in _normalized_terms(path):
        first_term.append(len(terms))
        terms.extend(normalized)
    split = [term.split() for term in terms]
    words = tuple(sorted({word for parts in split for word in parts}))
    where = {word: i for i, word in enumerate(words)}
    width = max(len(parts) for parts in split)
    positions = np.full((len(terms), width), -1, dtype=np.intp)
    for row, parts in enumerate(split):
        positions[row, : len(parts)] = [where[word] for word in parts]
    return _SearchIndex(
        terms=tuple(terms),
        compact=tuple(term.replace(" ", "") for term in terms),
        term_words=tuple(frozenset(parts) for parts in split),
        first_term=np.array(first_term, dtype=np.intp),
        words=words,
        word_positions=positions,
        several_words=np.array([len(parts) > 1 for parts in split]),
    )


def _ratios(queries: list[str], choices: tuple[str, ...]) -> np.ndarray:
    """Indel similarity (0 to 1) of each query (rows) with each choice (columns)."""
    return process.cdist(queries, choices, scorer=Indel.normalized_similarity, dtype=np.float64)


def _term_scores(query: str, index: _SearchIndex) -> np.ndarray:
    """How well `query` (normalized) matches each title of `index`, from 0 to 1."""
    scores = _ratios([query], index.terms)[0]
    query_words = query.split()
    # A column of zeros at the end, where the -1 padding of `word_positions` points.
    by_word = np.pad(_ratios(query_words, index.words), ((0, 0), (0, 1)))
    best_word = by_word[:, index.word_positions].max(axis=2)  # (query words, titles)
    if len(query_words) > 1:
        scores = np.maximum(scores, 0.95 * best_word.mean(axis=0))
    else:
        scores = np.where(index.several_words, np.maximum(scores, 0.9 * best_word[0]), scores)
    compact = query.replace(" ", "")
    for i, term in enumerate(index.compact):
        if compact not in term:  # every rule below needs the query inside the title
            continue
        term = index.terms[i]
        closeness = len(query) / len(term)
        if query == term:
            scores[i] = 1.0
        elif len(query) >= 3 and term.startswith(query):
            scores[i] = 0.85 + 0.1 * closeness
        elif query in index.term_words[i]:
            scores[i] = 0.8 + 0.1 * closeness
        elif len(query) >= 5:
            scores[i] = 0.75 + 0.1 * closeness
    return scores


def search_occupations(
    query: str, limit: int = 8, path: Path = OCCUPATIONS_CSV
) -> list[Occupation]:
    """Occupations ranked by how well `query` matches any of their French or Dutch labels or
    synonyms, ignoring case, accents and punctuation and tolerating typos; an exact code
    returns that occupation alone. Occupations scoring below 0.72, or more than 0.15 below
    the best match, are left out; ties keep file order."""
    by_code, _ = _occupation_index(path)
    if query.strip() in by_code:
        return [by_code[query.strip()]][:limit]
    wanted = normalize(query)
    if not wanted or limit <= 0:
        return []
    index = _search_index(path)
    best = np.maximum.reduceat(_term_scores(wanted, index), index.first_term)
    kept = np.flatnonzero(best >= _MIN_SCORE)
    if not kept.size:
        return []
    ranked = kept[np.argsort(-best[kept], kind="stable")]
    floor = best[ranked[0]] - _MAX_GAP
    occupations = load_occupations(path)
    return [occupations[i] for i in ranked[:limit] if best[i] >= floor]


def clear_best(query: str, found: list[Occupation]) -> Occupation | None:
    """The occupation a search surely meant, among what it `found`: the only one, or the
    only one with a label or synonym equal to `query` (case, accents, punctuation and
    spaces aside); None when several are as likely ("chauffeur")."""
    if len(found) == 1:
        return found[0]
    wanted = _key(query)
    exact = [o for o in found if any(_key(term) == wanted for term in o.terms)]
    return exact[0] if len(exact) == 1 else None


def related_codes(code: str, path: Path = OCCUPATIONS_CSV) -> set[str]:
    """Codes related to `code`: those in its `related` column and those of the occupations
    that list it (the relation is symmetric). Never includes `code`; empty for an unknown
    code."""
    by_code, _ = _occupation_index(path)
    if code not in by_code:
        return set()
    related = set(by_code[code].related)
    related.update(o.code for o in by_code.values() if code in o.related)
    related.discard(code)
    return related


# --- places -------------------------------------------------------------------------------


@cache
def load_places(path: Path = PLACES_CSV) -> tuple[Place, ...]:
    """Every (postcode, commune) row of the file, in file order."""
    return tuple(
        Place(
            postcode=row["postcode"].strip(),
            name_fr=row["name_fr"].strip(),
            name_nl=row["name_nl"].strip(),
            country=row["country"].strip(),
            territory=row["territory"].strip(),
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            localities=_split(row.get("localities")),
        )
        for row in _read_csv(path)
    )


@cache
def _place_index(
    path: Path,
) -> tuple[dict[str, list[Place]], dict[str, list[tuple[int, Place]]], dict[str, set[str]]]:
    by_postcode: dict[str, list[Place]] = defaultdict(list)
    # normalized name -> (0 for a commune name, 1 for a locality, place)
    by_name: dict[str, list[tuple[int, Place]]] = defaultdict(list)
    for place in load_places(path):
        by_postcode[place.postcode].append(place)
        for name in {place.name_fr, place.name_nl}:
            by_name[normalize(name)].append((0, place))
        for name in place.localities:
            by_name[normalize(name)].append((1, place))
    by_key: dict[str, set[str]] = defaultdict(set)  # space-less key -> normalized names
    for name in by_name:
        by_key[name.replace(" ", "")].add(name)
    return dict(by_postcode), dict(by_name), dict(by_key)


_POSTCODE_PREFIX = re.compile(r"^(?:F|FR|B|BE)\s*-?\s*", re.IGNORECASE)


def find_place_by_postcode(
    postcode: str, country: str | None = None, path: Path = PLACES_CSV
) -> list[Place]:
    """Every commune served by `postcode` (a postcode can be shared by several communes).

    Spaces and a leading country prefix ("F-59000", "B-8500") are ignored. Four digits are a
    Belgian postcode, five a French one: when `country` ("FR"/"BE") is given and disagrees,
    or the postcode is not in the programme area, the list is empty."""
    code = _POSTCODE_PREFIX.sub("", postcode.strip()).replace(" ", "")
    if not code.isdigit() or len(code) not in (4, 5):
        return []
    implied = "BE" if len(code) == 4 else "FR"
    if country is not None and country.upper() != implied:
        return []
    by_postcode, _, _ = _place_index(path)
    return sorted(by_postcode.get(code, []), key=lambda p: normalize(p.name_fr))


def find_place(name: str, country: str | None = None, path: Path = PLACES_CSV) -> list[Place]:
    """Communes called `name` in French or Dutch, or containing a locality (Belgian section,
    French former commune) of that name, ignoring case, accents, punctuation and spaces;
    from four letters on, compound names that start with `name` ("Comines" ->
    "Comines-Warneton") are added after them. One place per commune: for a commune matched
    by its own name the row of its lowest postcode, for a locality the row of the
    locality's postcode. Ambiguous names return every commune, French ones first (e.g.
    Comines, FR and BE)."""
    wanted = normalize(name)
    if not wanted:
        return []
    _, by_name, by_key = _place_index(path)
    candidates: list[tuple[int, Place]] = [
        match for exact in sorted(by_key.get(_key(name), ())) for match in by_name[exact]
    ]
    if len(wanted) >= 4:
        prefix = wanted + " "
        for key, places in by_name.items():
            if key.startswith(prefix):
                candidates.extend((2, place) for _, place in places)
    if country is not None:
        candidates = [c for c in candidates if c[1].country == country.upper()]
    candidates.sort(key=lambda c: (c[0], COUNTRIES.index(c[1].country), int(c[1].postcode)))
    result: dict[tuple[str, str], Place] = {}
    for _, place in candidates:
        result.setdefault((place.country, place.name_fr), place)
    return list(result.values())


def distance_km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle (haversine) distance in kilometres on a sphere of the Earth's mean
    radius; good to about 0.5 % at this scale, which is plenty for a commute radius."""
    phi1, phi2 = math.radians(a_lat), math.radians(b_lat)
    d_phi = phi2 - phi1
    d_lambda = math.radians(b_lon - a_lon)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def nearest_place(
    lat: float, lon: float, max_km: float = 15.0, path: Path = PLACES_CSV
) -> Place | None:
    """The row whose point is closest to (lat, lon), e.g. for a location shared in Telegram;
    None when the nearest one is farther than `max_km` (outside the programme area)."""
    best: tuple[float, Place] | None = None
    for place in load_places(path):
        d = distance_km(lat, lon, place.lat, place.lon)
        if best is None or d < best[0]:
            best = (d, place)
    return best[1] if best is not None and best[0] <= max_km else None


def home_place(
    postcode: str | None, lat: float | None, lon: float | None, path: Path = PLACES_CSV
) -> Place | None:
    """Where a person lives, as a commune: the one their postcode serves (the one nearest
    their point when the postcode serves several), else the one nearest a shared point;
    None when neither is known in the programme area."""
    if postcode:
        places = find_place_by_postcode(postcode, path=path)
        if len(places) == 1 or (places and (lat is None or lon is None)):
            return places[0]
        if places:
            return min(places, key=lambda p: distance_km(lat, lon, p.lat, p.lon))
    if lat is not None and lon is not None:
        return nearest_place(lat, lon, path=path)
    return None


def places_by_territory(path: Path = PLACES_CSV) -> dict[str, tuple[Place, ...]]:
    """Rows grouped by territory, in the order of TERRITORIES."""
    groups: dict[str, list[Place]] = {t: [] for t in TERRITORIES}
    for place in load_places(path):
        groups.setdefault(place.territory, []).append(place)
    return {t: tuple(ps) for t, ps in groups.items()}
