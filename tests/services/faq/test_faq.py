"""The FAQ: the same sourced entries in French and Dutch, found by everyday words in either."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.services.faq import entries as faq

ENTRY = """\
id = "{id}"
question = "{question}"
keywords = ["{keyword}"]
answer = "Une réponse courte."
source = "Your Europe"
"""


def _write(content_dir: Path, locale: str, entry_id: str, text: str | None = None) -> Path:
    folder = content_dir / locale / "faq"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{entry_id}.toml"
    path.write_text(
        text or ENTRY.format(id=entry_id, question="Une question ?", keyword="mot"),
        encoding="utf-8",
    )
    return path


# --- the content --------------------------------------------------------------------------


def test_both_languages_have_the_same_entries_each_with_a_source() -> None:
    french, dutch = faq.all_entries("fr"), faq.all_entries("nl")
    assert len(french) >= 15
    assert [e.id for e in french] == [e.id for e in dutch]
    for entry in (*french, *dutch):
        assert entry.source and "\n" not in entry.source, entry.id
        assert len(entry.keywords) >= 3, entry.id


@pytest.mark.parametrize("locale", faq.LOCALES)
def test_answers_are_short_enough_to_read_on_a_phone(locale: str) -> None:
    for entry in faq.all_entries(locale):
        assert len(entry.answer) <= 600, entry.id
        assert len(entry.question) <= 120, entry.id


def test_entry_is_given_in_the_asked_language() -> None:
    assert faq.entry("driving-licence", "fr").question.startswith("Mon permis de conduire")
    assert faq.entry("driving-licence", "nl").question.startswith("Is mijn Franse rijbewijs")
    assert faq.entry("no-such-entry", "fr") is None


# --- search -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("impôts belgique", "income-tax"),
        ("mutuelle", "health-insurance"),
        ("chomage apres contrat belge", "unemployment"),
        ("RSA salaire", "rsa-declaration"),
        ("permis de conduire", "driving-licence"),
        ("fiche de paie", "payslip"),
        ("Je suis malade", "health-insurance"),
        ("congés payés", "holidays"),
        ("effacer mes données", "privacy"),
    ],
)
def test_french_speaker_finds_the_right_entry_first(query: str, expected: str) -> None:
    results = faq.search(query, "fr")
    assert results[0].id == expected
    assert results[0].locale == "fr"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("belasting", "income-tax"),
        ("ziekenfonds", "health-insurance"),
        ("werkloos", "unemployment"),
        ("rijbewijs", "driving-licence"),
        ("loonbrief", "payslip"),
        ("werkloosheidsuitkering aanvragen", "unemployment"),
    ],
)
def test_dutch_speaker_finds_the_right_entry_first(query: str, expected: str) -> None:
    results = faq.search(query, "nl")
    assert results[0].id == expected
    assert results[0].locale == "nl"


def test_words_of_the_other_language_find_the_entry_in_the_readers_language() -> None:
    french_reader = faq.search("ziekenfonds", "fr")
    dutch_reader = faq.search("mutuelle", "nl")
    assert (french_reader[0].id, french_reader[0].locale) == ("health-insurance", "fr")
    assert (dutch_reader[0].id, dutch_reader[0].locale) == ("health-insurance", "nl")


def test_a_typo_still_finds_the_entry() -> None:
    assert faq.search("chomqge", "fr")[0].id == "unemployment"
    assert faq.search("rijbewys", "nl")[0].id == "driving-licence"


def test_case_and_accents_do_not_matter() -> None:
    assert faq.search("IMPOTS", "fr")[0].id == faq.search("impôts", "fr")[0].id == "income-tax"


@pytest.mark.parametrize("query", ["grumpf xylophone", "quelle est la capitale", "", "?!"])
def test_nonsense_or_stop_words_only_return_nothing(query: str) -> None:
    assert faq.search(query, "fr") == []


def test_search_returns_at_most_limit_entries() -> None:
    assert len(faq.search("belgique travail contrat", "fr", limit=2)) <= 2
    assert faq.search("mutuelle", "fr", limit=0) == []


# --- broken files -------------------------------------------------------------------------


def test_a_complete_folder_loads(tmp_path: Path) -> None:
    for locale in faq.LOCALES:
        _write(tmp_path, locale, "permit")
    assert [e.id for e in faq.all_entries("nl", tmp_path)] == ["permit"]
    assert faq.entry("permit", "fr", content_dir=tmp_path).id == "permit"


def test_an_entry_without_source_is_refused_naming_the_file(tmp_path: Path) -> None:
    _write(tmp_path, "fr", "permit")
    broken = _write(
        tmp_path,
        "nl",
        "permit",
        'id = "permit"\nquestion = "Vraag?"\nkeywords = ["woord"]\nanswer = "Kort antwoord."\n',
    )
    with pytest.raises(faq.FaqError, match="'source' is missing") as error:
        faq.load_faq(tmp_path)
    assert str(broken) in str(error.value)


def test_an_id_in_one_language_only_is_refused(tmp_path: Path) -> None:
    for locale in faq.LOCALES:
        _write(tmp_path, locale, "permit")
    _write(tmp_path, "fr", "holidays")
    with pytest.raises(faq.FaqError, match=r"no holidays\.toml in .*nl"):
        faq.load_faq(tmp_path)


def test_an_id_that_differs_from_the_file_name_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "fr", "permit")
    _write(tmp_path, "nl", "permit", ENTRY.format(id="rijbewijs", question="Vraag?", keyword="x"))
    with pytest.raises(faq.FaqError, match="differs from the file name"):
        faq.load_faq(tmp_path)


def test_a_file_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "fr", "permit")
    _write(tmp_path, "nl", "permit", 'id = "permit"\nquestion = "Vraag zonder einde\n')
    with pytest.raises(faq.FaqError, match="not a valid TOML file"):
        faq.load_faq(tmp_path)


def test_a_missing_language_folder_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "fr", "permit")
    with pytest.raises(faq.FaqError, match="no FAQ entry"):
        faq.load_faq(tmp_path)


@pytest.mark.parametrize("query", ["bonjour, je cherche du travail", "je veux un emploi", "hallo"])
def test_only_common_words_find_nothing(query: str) -> None:
    """Better "not understood" (then the counsellor) than a random answer."""
    assert faq.search(query, "fr") == []
