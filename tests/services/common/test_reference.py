"""Reference data on the real files: occupations (ESCO codes, FR/NL titles) and places."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest

from bot.common.reference import (
    COUNTRIES,
    TERRITORIES,
    Occupation,
    Place,
    distance_km,
    find_occupation,
    find_place,
    find_place_by_postcode,
    load_occupations,
    load_places,
    nearest_place,
    normalize,
    places_by_territory,
    related_codes,
    search_occupations,
)

SECTORS = {
    "logistics",
    "transport",
    "industry",
    "technical",
    "construction",
    "food",
    "hospitality",
    "cleaning",
    "agriculture",
    "care",
}
ESCO_CODE = re.compile(r"^\d{4}(\.\d{1,2})+$")
# Region box: lat 50.4-51.4; lon 2.0-4.1 rather than 3.9, because Enghien (4.03) and Silly
# (3.92), in Wallonie picarde, lie east of 3.9.
LAT_RANGE = (50.4, 51.4)
LON_RANGE = (2.0, 4.1)


# --- occupations --------------------------------------------------------------------------


def test_at_least_45_occupations_with_both_labels_and_known_sectors():
    occupations = load_occupations()
    assert len(occupations) >= 45
    for o in occupations:
        assert o.label_fr and o.label_nl, o.code
        assert o.synonyms_fr and o.synonyms_nl, o.code
        assert o.sector in SECTORS, o.sector
        assert ESCO_CODE.match(o.code), o.code
    assert {o.sector for o in occupations} == SECTORS


def test_codes_are_unique_and_related_codes_exist():
    occupations = load_occupations()
    codes = [o.code for o in occupations]
    assert len(codes) == len(set(codes))
    for o in occupations:
        assert o.related, o.code
        assert o.code not in o.related
        assert set(o.related) <= set(codes), (o.code, set(o.related) - set(codes))


def test_no_title_names_two_occupations():
    owners = defaultdict(set)
    for o in load_occupations():
        for term in o.terms:
            owners[normalize(term).replace(" ", "")].add(o.code)
    shared = {term: codes for term, codes in owners.items() if len(codes) > 1}
    assert shared == {}


def test_every_title_finds_its_own_occupation():
    for o in load_occupations():
        for term in o.terms:
            assert find_occupation(term) == o, term


def test_cariste_and_heftruckchauffeur_are_the_same_occupation():
    fr = find_occupation("cariste")
    nl = find_occupation("Heftruckchauffeur")
    assert fr is not None and fr == nl
    assert fr.code == "8344.1"
    assert find_occupation("conducteur de chariot élévateur") == fr
    assert find_occupation("vorkheftruckchauffeur") == fr
    assert find_occupation("8344.1") == fr


@pytest.mark.parametrize(
    "text",
    ["CARISTE", "Cariste (H/F)", "Heftruckchauffeur (m/v/x)", "  heftruck-chauffeur  ", "Cariste!"],
)
def test_find_occupation_ignores_case_punctuation_and_gender_marks(text):
    assert find_occupation(text).code == "8344.1"


def test_find_occupation_ignores_accents_and_ligatures():
    assert find_occupation("electricien").code == "7411.1.1"
    assert find_occupation("ÉLECTRICIEN") == find_occupation("Elektricien")
    assert find_occupation("manoeuvre du batiment").code == "9313.1"
    assert find_occupation("Infirmiere").code == "2221.2"


def test_find_occupation_is_exact():
    assert find_occupation("carist") is None
    assert find_occupation("") is None
    assert find_occupation("astronaute") is None


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("carist", "8344.1"),
        ("heftruck", "8344.1"),
        ("heftruckchaufeur", "8344.1"),
        ("soudeur", "7212.3"),
        ("soudure", "7212.3"),
        ("lasser", "7212.3"),
        ("chaufeur poids lourd", "8332.2"),
        ("vrachtwagen", "8332.2"),
        ("electricien", "7411.1.1"),
        ("verpleegster", "2221.2"),
        ("infirmiere", "2221.2"),
        ("bouchr", "7511.1"),
        ("orderpiker", "9333.8.1"),
        ("préparateur de commande", "9333.8.1"),
        ("magazijnier", "9333.8"),
        ("cnc operator", "7223.4"),
        ("aide soignante", "5321.1"),
        ("kasmedewerker", "9214.2"),
        ("poetsvrouw", "9112.2"),
        ("8331.1", "8331.1"),
    ],
)
def test_search_ranks_the_right_occupation_first(query, code):
    results = search_occupations(query)
    assert results, query
    assert results[0].code == code, [o.code for o in results]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        # French: a letter dropped, doubled or swapped, an ending written as it sounds
        ("plonbier", "7126.8"),
        ("infirmié", "2221.2"),
        ("magasigner", "9333.8"),
        ("cuisinié", "5120.1"),
        ("boulangé", "7512.1"),
        ("menuisié", "7115.1"),
        ("couvreure", "7121.1"),
        ("electricein", "7411.1.1"),
        ("aide soigant", "5321.1"),
        ("preparateur de comande", "9333.8.1"),
        # Dutch
        ("vrachtwagenchaufeur", "8332.2"),
        ("loodgietter", "7126.8"),
        ("metzer", "7112.1"),
        ("beenhouer", "7511.1"),
        ("dakdeker", "7121.1"),
        ("orderpikker", "9333.8.1"),
        ("verpleegkundig", "2221.2"),
        ("schrijnwerke", "7115.1"),
        ("poetsvrou", "9112.2"),
        ("bakkr", "7512.1"),
    ],
)
def test_search_forgives_everyday_french_and_dutch_misspellings(query, code):
    assert [o.code for o in search_occupations(query)][:1] == [code]


def test_search_returns_several_drivers_for_a_vague_query_and_respects_limit():
    codes = [o.code for o in search_occupations("chauffeur")]
    assert {"8332.2", "8322.2", "8331.1"} <= set(codes)
    assert len(search_occupations("chauffeur", limit=2)) == 2
    assert search_occupations("chauffeur", limit=0) == []


def test_search_drops_unrelated_noise():
    assert [o.code for o in search_occupations("couvreur")] == ["7121.1"]
    assert search_occupations("zzzz") == []
    assert search_occupations("   ") == []


def test_related_codes_are_symmetric_and_known():
    assert related_codes("8344.1") >= {"9333.8", "9333.8.1"}
    for o in load_occupations():
        for code in related_codes(o.code):
            assert o.code in related_codes(code)
    assert related_codes("0000.0") == set()


def test_occupation_label_by_locale():
    cariste = find_occupation("cariste")
    assert isinstance(cariste, Occupation)
    assert cariste.label("fr") == "Cariste"
    assert cariste.label("nl") == "Heftruckchauffeur"


# --- places -------------------------------------------------------------------------------


def test_every_territory_is_present_with_plausible_counts():
    groups = places_by_territory()
    assert set(groups) == set(TERRITORIES)
    communes = {t: {(p.country, p.name_fr) for p in ps} for t, ps in groups.items()}
    assert 115 <= len(communes["LRT"]) <= 130  # INSEE 2026: 124 communes
    assert 100 <= len(communes["FM"]) <= 120  # INSEE 2026: 111 communes
    assert len(communes["WAPI"]) == 23  # Wallonie picarde
    assert 60 <= len(communes["WVL"]) <= 64  # 64 before the 2025 mergers, 62 after
    for territory, places in groups.items():
        countries = {p.country for p in places}
        assert countries == ({"FR"} if territory in ("LRT", "FM") else {"BE"})


def test_rows_are_well_formed():
    places = load_places()
    keys = Counter((p.postcode, p.country, p.name_fr) for p in places)
    assert max(keys.values()) == 1
    for p in places:
        assert p.country in COUNTRIES
        assert p.territory in TERRITORIES
        assert p.name_fr and p.name_nl
        assert re.fullmatch(r"\d{5}" if p.country == "FR" else r"\d{4}", p.postcode), p
        if p.country == "FR":
            assert p.postcode.startswith("59"), p


def test_every_place_lies_inside_the_region():
    for p in load_places():
        assert LAT_RANGE[0] <= p.lat <= LAT_RANGE[1], p
        assert LON_RANGE[0] <= p.lon <= LON_RANGE[1], p


@pytest.mark.parametrize(
    ("postcode", "name", "territory"),
    [
        ("59000", "Lille", "LRT"),
        ("59140", "Dunkerque", "FM"),
        ("8500", "Courtrai", "WVL"),
        ("7700", "Mouscron", "WAPI"),
    ],
)
def test_postcodes_resolve_with_their_territory(postcode, name, territory):
    places = find_place_by_postcode(postcode)
    assert [p.name_fr for p in places] == [name]
    assert places[0].territory == territory


def test_postcode_length_tells_the_country():
    assert find_place_by_postcode("59140", country="BE") == []
    assert find_place_by_postcode("8500", country="FR") == []
    assert find_place_by_postcode("8500", country="be")[0].name_nl == "Kortrijk"
    assert find_place_by_postcode("B-7700")[0].name_nl == "Moeskroen"
    assert find_place_by_postcode("F-59 000")[0].name_fr == "Lille"
    assert find_place_by_postcode("75001") == []  # Paris: outside the area
    assert find_place_by_postcode("1000") == []  # Brussels: outside the area
    assert find_place_by_postcode("abcd") == []


def test_belgian_sections_have_their_own_rows():
    heule = find_place("Heule")
    assert [(p.postcode, p.name_nl) for p in heule] == [("8501", "Kortrijk")]
    assert "Luingne" in find_place_by_postcode("7700")[0].localities


def test_a_shared_postcode_returns_every_commune():
    shared = [pc for pc, n in Counter(p.postcode for p in load_places()).items() if n > 1]
    assert shared
    assert len(find_place_by_postcode(shared[0])) > 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Lille", ("Lille", "Rijsel")),
        ("rijsel", ("Lille", "Rijsel")),
        ("Dunkerque", ("Dunkerque", "Duinkerke")),
        ("Duinkerke", ("Dunkerque", "Duinkerke")),
        ("Courtrai", ("Courtrai", "Kortrijk")),
        ("kortrijk", ("Courtrai", "Kortrijk")),
        ("Ypres", ("Ypres", "Ieper")),
        ("Moeskroen", ("Mouscron", "Moeskroen")),
        ("Doornik", ("Tournai", "Doornik")),
        ("VILLENEUVE D'ASCQ", ("Villeneuve-d'Ascq", "Villeneuve-d'Ascq")),
        ("armentieres", ("Armentières", "Armentiers")),
    ],
)
def test_find_place_in_french_or_dutch(name, expected):
    places = find_place(name)
    assert places
    assert (places[0].name_fr, places[0].name_nl) == expected


def test_comines_exists_in_both_countries():
    places = find_place("Comines")
    assert {p.country for p in places} == {"FR", "BE"}
    assert [p.territory for p in places] == ["LRT", "WAPI"]
    assert [p.country for p in find_place("Comines", country="BE")] == ["BE"]


def test_find_place_returns_one_row_per_commune():
    lille = find_place("Lille")
    assert len(lille) == 1 and lille[0].postcode == "59000"
    assert find_place("Lomme")[0].name_fr == "Lille"  # former commune, now part of Lille
    assert find_place("Atlantis") == []


REQUIRED = [
    "Lille",
    "Roubaix",
    "Tourcoing",
    "Villeneuve-d'Ascq",
    "Halluin",
    "Armentières",
    "Dunkerque",
    "Gravelines",
    "Bergues",
    "Hazebrouck",
    "Wormhout",
    "Steenvoorde",
    "Tournai",
    "Mouscron",
    "Ath",
    "Péruwelz",
    "Comines-Warneton",
    "Lessines",
    "Enghien",
    "Silly",
    "Kortrijk",
    "Brugge",
    "Oostende",
    "Ieper",
    "Roeselare",
    "Waregem",
    "Poperinge",
]


@pytest.mark.parametrize("name", REQUIRED)
def test_required_communes_are_present(name):
    assert find_place(name), name


def test_arrondissement_membership_follows_the_data():
    assert find_place("Hazebrouck")[0].territory == "FM"
    assert find_place("Halluin")[0].territory == "LRT"
    assert find_place("Bergues")[0].territory == "FM"
    assert find_place("Lessines")[0].territory == "WAPI"
    assert find_place("Poperinge")[0].territory == "WVL"
    assert find_place("Orchies") == []  # arrondissement of Douai
    assert find_place("Gent") == []  # East Flanders


def test_distance_lille_kortrijk_is_about_26_km():
    lille = find_place("Lille")[0]
    kortrijk = find_place("Kortrijk")[0]
    assert 24 <= distance_km(lille.lat, lille.lon, kortrijk.lat, kortrijk.lon) <= 30


def test_distance_is_haversine():
    assert distance_km(50.0, 3.0, 50.0, 3.0) == 0
    # one degree of latitude is about 111.2 km anywhere
    assert distance_km(50.0, 3.0, 51.0, 3.0) == pytest.approx(111.2, abs=0.2)
    assert distance_km(50.6, 3.0, 50.8, 3.3) == pytest.approx(distance_km(50.8, 3.3, 50.6, 3.0))


def test_nearest_place_to_a_shared_location():
    near_kortrijk = nearest_place(50.826, 3.262)
    assert isinstance(near_kortrijk, Place)
    assert near_kortrijk.name_nl == "Kortrijk"
    assert nearest_place(48.85, 2.35) is None  # Paris


def test_place_name_by_locale():
    lille = find_place("Lille")[0]
    assert lille.name("fr") == "Lille"
    assert lille.name("nl") == "Rijsel"
