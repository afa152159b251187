"""Vacancy translation: the real deep-translator code over real HTTP to a LibreTranslate stub
on 127.0.0.1 (cache, glossary, retries, timeouts, circuit breaker, fallback)."""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import time
from collections.abc import AsyncIterator
from datetime import date

import pytest
import requests
from sqlalchemy import func, select

from bot.common.reference import find_occupation, load_places
from bot.config import Settings
from bot.db.models import TranslationCacheEntry, TranslationState, Vacancy
from bot.services.translation.glossary import (
    GLOSSARY_CSV,
    Glossary,
    glossary_translate,
    load_glossary,
)
from bot.services.translation.providers import (
    GOOGLE_MAX_CHARS,
    GoogleProvider,
    LibreProvider,
    MyMemoryProvider,
    request_timeout,
    split_text,
)
from bot.services.translation.translator import (
    Translation,
    Translator,
    build_translator,
    cache_key,
    translate_vacancy,
)
from tests.stubs.libretranslate import LibreTranslateStub, Reply, mark

# Short backoffs; a timeout roomy enough that a busy machine never turns a quick answer into a
# retry. The tests about timeouts set their own short one.
FAST = {"timeout_s": 3.0, "backoff_s": 0.01, "max_backoff_s": 0.05}
GLOSSARY_VERSION = load_glossary().version


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def stub() -> AsyncIterator[LibreTranslateStub]:
    server = LibreTranslateStub()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def refused_url() -> str:
    """A port nothing listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def libre(stub: LibreTranslateStub, **options) -> Translator:
    return Translator([LibreProvider(stub.url)], **{**FAST, **options})


async def cache_rows(session) -> int:
    return await session.scalar(select(func.count()).select_from(TranslationCacheEntry))


async def add_vacancy(session, **fields) -> Vacancy:
    values = {
        "external_id": "vdab-1",
        "lang": "nl",
        "employer": "Staalbouw Leie",
        "occupation": "7212.3",
        "postcode": "8500",
        "municipality": "Kortrijk",
        "lat": 50.83,
        "lon": 3.26,
        "contract": "permanent",
        "published": date(2025, 1, 6),
        **fields,
    }
    vacancy = Vacancy(**values)
    session.add(vacancy)
    await session.flush()
    return vacancy


# --- the happy path and the cache ---------------------------------------------------------


async def test_a_dutch_text_is_translated_once_and_then_served_from_the_cache(session, stub):
    translator = libre(stub)
    text = "Wij zoeken een gemotiveerde collega voor ons team."

    first = await translator.translate(session, text)
    second = await translator.translate(session, text)

    assert first == Translation(mark(text, "nl", "fr"), "libre", machine=True, available=True)
    assert second == Translation(first.text, "cache", machine=True, available=True)
    assert len(stub.calls) == 1
    assert (stub.calls[0].source, stub.calls[0].target) == ("nl", "fr")
    row = await session.get(TranslationCacheEntry, cache_key(text, "nl", "fr", GLOSSARY_VERSION))
    assert (row.source, row.target, row.provider, row.text) == ("nl", "fr", "libre", first.text)


async def test_the_cache_ignores_spacing_but_not_the_language_pair(session, stub):
    translator = libre(stub)
    await translator.translate(session, "Wij zoeken een  collega.\r\n\r\n\r\nWelkom!")

    again = await translator.translate(session, " Wij zoeken een collega.\n\nWelkom! ")
    back = await translator.translate(session, "Wij zoeken een collega.\n\nWelkom!", "fr", "nl")

    assert again.provider == "cache"
    assert back.provider == "libre"
    assert len(stub.calls) == 2
    assert await cache_rows(session) == 2


def test_the_cache_key_changes_with_the_glossary_version_and_the_direction():
    key = cache_key("Lasser gezocht", "nl", "fr", "v1")
    assert len(key) == 64
    assert key == cache_key("Lasser   gezocht ", "nl", "fr", "v1")
    assert key != cache_key("Lasser gezocht", "nl", "fr", "v2")
    assert key != cache_key("Lasser gezocht", "fr", "nl", "v1")
    assert key != cache_key("lasser gezocht", "nl", "fr", "v1")


# --- the glossary -------------------------------------------------------------------------


async def test_glossary_terms_reach_the_provider_as_placeholders_and_come_back_fixed(session, stub):
    text = "Wij zoeken een heftruckchauffeur (m/v/x) in Kortrijk met een vast contract."

    result = await libre(stub).translate(session, text)

    sent = stub.calls[0].text
    assert "Kortrijk" not in sent and "heftruckchauffeur" not in sent and "(m/v/x)" not in sent
    assert result.text == (
        "[nl>fr] Wij zoeken een cariste (h/f/x) in Courtrai met een contrat à durée indéterminée."
    )
    assert result.provider == "libre"


async def test_placeholders_survive_a_provider_that_changes_their_case_and_spacing(session):
    server = LibreTranslateStub(lambda text, _s, _t: text.lower().replace("xqz", "Xqz "))
    await server.start()
    try:
        result = await libre(server).translate(session, "Lasser (m/v/x) gezocht in Ieper")
    finally:
        await server.stop()

    assert result.text == "Soudeur (h/f/x) gezocht in Ypres"
    assert result.available


async def test_a_provider_that_drops_a_placeholder_is_asked_again_with_the_raw_text(session):
    server = LibreTranslateStub(lambda text, s, t: mark(re.sub(r"XQZ\d+", "", text), s, t))
    await server.start()
    try:
        text = "Lasser gezocht in Kortrijk"
        result = await libre(server).translate(session, text)
    finally:
        await server.stop()

    assert [call.text for call in server.calls] == ["XQZ0 gezocht in XQZ1", text]
    assert result == Translation(mark(text, "nl", "fr"), "libre", machine=True, available=True)


async def test_a_title_made_only_of_glossary_terms_needs_no_provider(session, stub):
    result = await libre(stub).translate(session, "Heftruckchauffeur (m/v/x) - Kortrijk")

    assert result == Translation(
        "Cariste (h/f/x) - Courtrai", "glossary", machine=False, available=True
    )
    assert stub.calls == []
    assert await cache_rows(session) == 0


def test_the_glossary_works_in_both_directions_and_keeps_the_case_of_the_text():
    assert glossary_translate("HEFTRUCKCHAUFFEUR (M/V/X)", "nl", "fr") == "CARISTE (H/F/X)"
    assert glossary_translate("Orderpicker in Roeselare", "nl", "fr") == (
        "Préparateur de commandes in Roulers"
    )
    assert glossary_translate("Soudeur en CDI à Ypres (h/f/x)", "fr", "nl") == (
        "Lasser en vast contract à Ieper (m/v/x)"
    )
    # Accents and hyphen-or-space do not matter; capitals in a term do.
    assert glossary_translate("Electricien, interim, chèques repas", "fr", "nl") == (
        "Elektricien, interim, maaltijdcheques"
    )
    assert glossary_translate("wij menen dat de wagen in panne staat", "nl", "fr") == (
        "wij menen dat de wagen in panne staat"
    )
    # A term inside a longer name is left alone.
    assert glossary_translate("Saint-André-lez-Lille", "fr", "nl") == "Saint-André-lez-Lille"


def test_the_glossary_file_has_over_80_pairs_with_the_required_terms():
    glossary = load_glossary()
    pairs = set(glossary.pairs)
    header = GLOSSARY_CSV.read_text(encoding="utf-8").splitlines()
    assert header[0].startswith("#") and any("licence" in line for line in header[:5])
    assert len(glossary) >= 80
    assert len(pairs) == len(glossary), "a pair is listed twice"
    for pair in [
        ("(m/v/x)", "(h/f/x)"),
        ("Kortrijk", "Courtrai"),
        ("Ieper", "Ypres"),
        ("Brugge", "Bruges"),
        ("Oostende", "Ostende"),
        ("Roeselare", "Roulers"),
        ("Menen", "Menin"),
        ("Waregem", "Waregem"),
        ("Poperinge", "Poperinge"),
        ("Tielt", "Tielt"),
        ("Izegem", "Izegem"),
        ("heftruckchauffeur", "cariste"),
        ("orderpicker", "préparateur de commandes"),
        ("lasser", "soudeur"),
        ("CNC-operator", "opérateur CNC"),
        ("productiemedewerker", "opérateur de production"),
        ("vrachtwagenchauffeur", "chauffeur poids lourd"),
        ("ploegenstelsel", "travail posté"),
        ("vast contract", "contrat à durée indéterminée"),
        ("interim", "intérim"),
        ("nachtwerk", "travail de nuit"),
        ("weekendwerk", "travail le week-end"),
        ("bruto", "brut"),
        ("maaltijdcheques", "chèques-repas"),
    ]:
        assert pair in pairs, pair


def test_glossary_job_titles_and_places_agree_with_the_reference_files():
    places = {(p.name_nl, p.name_fr) for p in load_places()}
    place_names = {name for pair in places for name in pair}
    for nl, fr in load_glossary().pairs:
        nl_job, fr_job = find_occupation(nl), find_occupation(fr)
        if nl_job or fr_job:
            assert nl_job is not None and fr_job is not None, (nl, fr)
            assert nl_job.code == fr_job.code, (nl, fr)
        if nl in place_names or fr in place_names:
            assert (nl, fr) in places, (nl, fr)


def test_a_glossary_edit_gives_a_new_version():
    one = Glossary([("lasser", "soudeur")])
    two = Glossary([("lasser", "soudeur"), ("kok", "cuisinier")])
    assert one.version != two.version
    assert load_glossary().version != one.version


# --- retries, timeouts, failures ----------------------------------------------------------


@pytest.mark.parametrize("status", [429, 503])
async def test_a_busy_provider_is_retried_after_a_short_backoff(session, stub, status):
    stub.queue(Reply.error(status, retry_after=30))  # Retry-After is honoured up to the cap
    started = time.monotonic()

    result = await libre(stub, retries=2).translate(session, "Wij zoeken een collega.")

    assert result.provider == "libre" and result.available
    assert len(stub.calls) == 2
    assert time.monotonic() - started < 1


async def test_a_server_error_fails_at_once_and_the_original_text_is_returned(
    session, stub, caplog
):
    stub.queue(Reply.error(500))
    text = "Wij zoeken een collega."

    with caplog.at_level(logging.WARNING, "bot.services.translation.translator"):
        result = await libre(stub, retries=2).translate(session, text)

    assert result == Translation(text, "none", machine=False, available=False)
    assert len(stub.calls) == 1
    assert await cache_rows(session) == 0
    assert "translation provider libre failed: http 500" in caplog.text
    assert "collega" not in caplog.text


async def test_a_provider_slower_than_the_timeout_is_cut_off(session, stub):
    stub.queue(Reply.slow(5.0))
    started = time.monotonic()

    result = await libre(stub, retries=0, timeout_s=0.3).translate(
        session, "Wij zoeken een collega."
    )

    assert not result.available
    assert time.monotonic() - started < 1.5
    assert len(stub.calls) == 1


async def test_the_http_call_itself_times_out_so_no_worker_thread_is_left_hanging(stub):
    stub.queue(Reply.slow(5.0))
    provider = LibreProvider(stub.url)

    def call() -> None:
        with request_timeout(0.3):
            provider.translate("Wij zoeken een collega.", "nl", "fr")

    started = time.monotonic()
    with pytest.raises(requests.Timeout):
        await asyncio.to_thread(call)
    assert time.monotonic() - started < 1.5


async def test_a_refused_connection_is_retried_then_falls_back(session, refused_url):
    translator = Translator([LibreProvider(refused_url)], retries=1, **FAST)

    result = await translator.translate(session, "Wij zoeken een collega.")

    assert result == Translation("Wij zoeken een collega.", "none", machine=False, available=False)


@pytest.mark.parametrize(
    "body", [{"translatedText": None}, {"translatedText": ""}, {}], ids=["null", "empty", "none"]
)
async def test_a_null_or_empty_answer_is_a_failure_not_a_translation(session, stub, body):
    stub.queue(Reply.json(body))

    result = await libre(stub, retries=2).translate(session, "Wij zoeken een collega.")

    assert not result.available
    assert len(stub.calls) == 1
    assert await cache_rows(session) == 0


# --- the circuit breaker and the chain ----------------------------------------------------


async def test_the_breaker_opens_after_three_failures_and_the_provider_is_skipped(session, stub):
    clock = FakeClock()
    translator = libre(stub, retries=0, breaker_failures=3, breaker_cooldown_s=60, clock=clock)
    stub.queue(*[Reply.error(500)] * 3)

    for n in range(3):
        assert not (await translator.translate(session, f"Tekst nummer {n}")).available
    clock.now += 59
    skipped = await translator.translate(session, "Tekst nummer 3")

    assert not skipped.available
    assert len(stub.calls) == 3


async def test_after_the_cooldown_one_trial_call_closes_the_breaker_again(session, stub):
    clock = FakeClock()
    translator = libre(stub, retries=0, breaker_failures=2, breaker_cooldown_s=60, clock=clock)
    stub.queue(Reply.error(500), Reply.error(500))
    for n in range(2):
        await translator.translate(session, f"Tekst nummer {n}")

    clock.now += 60
    trial = await translator.translate(session, "Tekst nummer 2")
    after = await translator.translate(session, "Tekst nummer 3")

    assert trial.available and after.available
    assert len(stub.calls) == 4


async def test_a_failed_trial_call_opens_the_breaker_for_another_cooldown(session, stub):
    clock = FakeClock()
    translator = libre(stub, retries=0, breaker_failures=2, breaker_cooldown_s=60, clock=clock)
    stub.queue(*[Reply.error(500)] * 3)
    for n in range(2):
        await translator.translate(session, f"Tekst nummer {n}")

    clock.now += 60
    assert not (await translator.translate(session, "Tekst nummer 2")).available  # the trial
    clock.now += 30
    assert not (await translator.translate(session, "Tekst nummer 3")).available  # skipped

    assert len(stub.calls) == 3


async def test_when_the_first_provider_fails_the_second_one_answers(session, stub, refused_url):
    translator = Translator(
        [LibreProvider(refused_url), LibreProvider(stub.url, name="backup")], retries=0, **FAST
    )

    result = await translator.translate(session, "Wij zoeken een collega.")

    assert result.provider == "backup" and result.machine and result.available
    row = await session.scalar(select(TranslationCacheEntry))
    assert row.provider == "backup"


async def test_googles_too_many_requests_is_recognised_and_retried(session, stub):
    stub.queue(Reply.error(429))
    translator = Translator([GoogleProvider(base_url=stub.url + "m")], retries=1, **FAST)

    result = await translator.translate(session, "Wij zoeken een collega.")

    assert result == Translation(
        "[nl>fr] Wij zoeken een collega.", "google", machine=True, available=True
    )
    assert len(stub.calls_to("/m")) == 2


async def test_mymemory_quota_warning_is_a_failure_and_the_next_provider_answers(session, stub):
    stub.queue(
        Reply.json(
            {
                "responseData": {"translatedText": "MYMEMORY WARNING: YOU USED ALL AVAILABLE"},
                "matches": [],
            }
        )
    )
    translator = Translator(
        [MyMemoryProvider(base_url=stub.url + "get"), LibreProvider(stub.url)], **FAST
    )

    result = await translator.translate(session, "Wij zoeken een collega.")

    assert result.provider == "libre"
    assert [call.path for call in stub.calls] == ["/get", "/translate"]


async def test_mymemory_gets_its_own_language_codes(session, stub):
    translator = Translator([MyMemoryProvider(base_url=stub.url + "get")], **FAST)

    result = await translator.translate(session, "Nous cherchons un collègue.", "fr", "nl")

    assert result.text == "[fr>nl] Nous cherchons un collègue."
    assert (stub.calls[0].source, stub.calls[0].target) == ("fr", "nl")


async def test_the_libre_api_key_is_sent_only_when_configured(session, stub):
    await Translator([LibreProvider(stub.url, "s3cret")], **FAST).translate(session, "Een")
    await Translator([LibreProvider(stub.url)], **FAST).translate(session, "Twee")

    assert [call.api_key for call in stub.calls] == ["s3cret", None]


# --- long texts ---------------------------------------------------------------------------


def test_a_long_text_is_split_under_googles_limit_on_paragraphs_and_sentences():
    sentence = "Wij zoeken een gemotiveerde collega voor de productie in Kortrijk. "
    paragraphs = [sentence * 30, sentence * 90, sentence * 10]  # 2040, 6120, 680 characters
    text = "\n\n".join(paragraph.strip() for paragraph in paragraphs)

    pieces = split_text(text, GOOGLE_MAX_CHARS)

    assert "".join(pieces) == text
    assert all(len(piece) <= GOOGLE_MAX_CHARS for piece in pieces)
    assert len(pieces) == 3
    assert all(piece.rstrip().endswith(".") for piece in pieces)


def test_text_without_boundaries_is_cut_on_words_then_hard():
    assert split_text("aaaa bbbb cccc", 10) == ["aaaa bbbb ", "cccc"]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    assert split_text("", 10) == []


async def test_a_long_description_reaches_the_provider_in_pieces_and_comes_back_whole(
    session, stub
):
    provider = LibreProvider(stub.url)
    provider.max_chars = 40
    text = "Wij zoeken een collega.\n\nJe werkt in een team.\n\nJe start onmiddellijk."

    result = await Translator([provider], **FAST).translate(session, text)

    assert [call.text for call in stub.calls] == [
        "Wij zoeken een collega.",
        "Je werkt in een team.",
        "Je start onmiddellijk.",
    ]
    assert result.text == (
        "[nl>fr] Wij zoeken een collega.\n\n[nl>fr] Je werkt in een team.\n\n"
        "[nl>fr] Je start onmiddellijk."
    )


# --- vacancies ----------------------------------------------------------------------------


async def test_a_dutch_vacancy_gets_a_french_title_and_description(session, sessionmaker, stub):
    vacancy = await add_vacancy(
        session,
        title_nl="Lasser (m/v/x)",
        description_nl="Voor ons atelier in Kortrijk zoeken we een lasser.\n\nVast contract.",
    )

    await translate_vacancy(session, libre(stub), vacancy)
    await session.commit()

    async with sessionmaker() as fresh:
        stored = await fresh.get(Vacancy, vacancy.id)
    assert stored.title_fr == "Soudeur (h/f/x)"
    assert stored.description_fr == (
        "[nl>fr] Voor ons atelier in Courtrai zoeken we een soudeur.\n\n"
        "Contrat à durée indéterminée."
    )
    assert stored.translation == TranslationState.DONE
    assert len(stub.calls) == 1  # the title is glossary only: no call for it
    assert "Kortrijk" not in stub.calls[0].text
    assert await cache_rows(session) == 1


async def test_a_french_vacancy_gets_a_dutch_title_and_description(session, stub):
    vacancy = await add_vacancy(
        session,
        lang="fr",
        title_fr="Soudeur (h/f/x) - Courtrai",
        description_fr="Nous cherchons un soudeur en CDI à Courtrai.",
    )

    await translate_vacancy(session, libre(stub), vacancy)

    assert vacancy.title_nl == "Lasser (m/v/x) - Kortrijk"
    assert vacancy.description_nl == "[fr>nl] Nous cherchons un lasser en vast contract à Kortrijk."
    assert (stub.calls[0].source, stub.calls[0].target) == ("fr", "nl")
    assert vacancy.translation == TranslationState.DONE


async def test_when_no_provider_answers_the_title_goes_through_the_glossary_only(
    session, refused_url, caplog
):
    vacancy = await add_vacancy(
        session,
        title_nl="Heftruckchauffeur (m/v/x) voor nachtwerk in onze fabriek",
        description_nl="Wij zoeken een ervaren heftruckchauffeur.",
        description_fr="an outdated translation",
    )
    translator = Translator([LibreProvider(refused_url)], retries=0, **FAST)

    with caplog.at_level(logging.INFO, "bot.services.translation.translator"):
        await translate_vacancy(session, translator, vacancy)

    assert vacancy.title_fr == "Cariste (h/f/x) voor travail de nuit in onze fabriek"
    assert vacancy.description_fr is None
    assert vacancy.translation == TranslationState.UNAVAILABLE
    assert f"vacancy {vacancy.id}: automatic translation unavailable" in caplog.text
    assert "fabriek" not in caplog.text and "ervaren" not in caplog.text


async def test_with_translator_none_only_the_glossary_and_the_fallback_remain(session):
    translator = build_translator(Settings(translator="none", _env_file=None))
    glossary_only = await add_vacancy(
        session, external_id="a", title_nl="Orderpicker (m/v/x)", description_nl=None
    )
    with_text = await add_vacancy(
        session, external_id="b", title_nl="Orderpicker", description_nl="Kom werken in Ieper."
    )

    await translate_vacancy(session, translator, glossary_only)
    await translate_vacancy(session, translator, with_text)

    assert translator.providers == ()
    assert (glossary_only.title_fr, glossary_only.description_fr) == (
        "Préparateur de commandes (h/f/x)",
        None,
    )
    assert glossary_only.translation == TranslationState.DONE
    assert (with_text.title_fr, with_text.description_fr) == ("Préparateur de commandes", None)
    assert with_text.translation == TranslationState.UNAVAILABLE


def test_build_translator_follows_the_settings():
    libre_settings = Settings(
        translator="libre",
        translator_url="http://127.0.0.1:5000",
        translator_api_key="k",
        translator_timeout_s=4,
        _env_file=None,
    )
    translator = build_translator(libre_settings)
    (provider,) = translator.providers
    assert isinstance(provider, LibreProvider)
    assert (provider.url, provider.api_key, translator.timeout_s) == (
        "http://127.0.0.1:5000/",
        "k",
        4,
    )
    assert isinstance(
        build_translator(Settings(translator="google", _env_file=None)).providers[0],
        GoogleProvider,
    )
    with pytest.raises(ValueError, match="TRANSLATOR_URL"):
        build_translator(Settings(translator="libre", _env_file=None))


async def test_a_translated_title_longer_than_the_column_is_shortened(session):
    server = LibreTranslateStub(lambda text, _s, _t: "Nous cherchons " + "x" * 300)
    await server.start()
    try:
        vacancy = await add_vacancy(session, title_nl="Wij zoeken " + "y" * 180)
        await translate_vacancy(session, libre(server), vacancy)
    finally:
        await server.stop()

    assert len(vacancy.title_fr) == 200
    assert vacancy.title_fr.startswith("Nous cherchons") and vacancy.title_fr.endswith("…")
    assert vacancy.translation == TranslationState.DONE
