"""Phone numbers and e-mail addresses as counsellors and participants type them, French and
Belgian, written one way (E.164) or refused with the reason."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.common.phones import (
    PhoneProblem,
    check_phone,
    normalise_email,
    normalise_phone,
    region_of,
)

DERANDOMIZED = settings(
    derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.mark.parametrize(
    ("typed", "region", "e164"),
    [
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("06.12.34.56.78", "FR", "+33612345678"),
        ("06-12-34-56-78", None, "+33612345678"),
        ("0612345678", "FR", "+33612345678"),
        ("07 81 23 45 67", "FR", "+33781234567"),
        ("+33 6 12 34 56 78", "BE", "+33612345678"),
        ("0033 6 12 34 56 78", "BE", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "FR", "+33612345678"),
        ("0470 12 34 56", "BE", "+32470123456"),
        ("0470/12.34.56", "BE", "+32470123456"),
        ("0032 470 12 34 56", "FR", "+32470123456"),
        ("+32 470 12 34 56", None, "+32470123456"),
        ("+31 6 12345678", "FR", "+31612345678"),
    ],
)
def test_french_and_belgian_mobiles_in_every_usual_format(typed, region, e164) -> None:
    assert normalise_phone(typed, region) == e164


@pytest.mark.parametrize(
    ("typed", "region", "problem"),
    [
        ("03 20 12 34 56", "FR", PhoneProblem.LANDLINE),  # Lille, a fixed line
        ("069 12 34 56", "BE", PhoneProblem.LANDLINE),  # Tournai
        ("+44 7911 123456", "FR", PhoneProblem.ABROAD),
        ("+1 202 555 0143", "FR", PhoneProblem.ABROAD),
        ("06 12 34", "FR", PhoneProblem.INVALID),
        ("0470 12 34 56", "FR", PhoneProblem.LANDLINE),  # read as French: 04, Lyon
        ("not a number", "FR", PhoneProblem.INVALID),
        ("06 12 34 56 78 ext 3", "FR", PhoneProblem.INVALID),
        ("", "FR", PhoneProblem.INVALID),
        ("+", "FR", PhoneProblem.INVALID),
    ],
)
def test_what_cannot_receive_an_sms_is_refused_with_the_reason(typed, region, problem) -> None:
    assert check_phone(typed, region).problem == problem
    assert normalise_phone(typed, region) is None


def test_the_region_comes_from_the_territory() -> None:
    assert (region_of("LRT"), region_of("FM"), region_of("WAPI"), region_of(None)) == (
        "FR",
        "FR",
        "BE",
        "FR",
    )
    assert normalise_phone("0470 12 34 56", region_of("WAPI")) == "+32470123456"


SEPARATORS = st.sampled_from(["", " ", ".", "-"])


@st.composite
def typed_mobiles(draw) -> tuple[str, str, str]:
    """(how a person types it, their region, the number in E.164)."""
    region = draw(st.sampled_from(["FR", "BE"]))
    if region == "FR":
        digits = draw(st.sampled_from(["6", "7"])) + draw(
            st.text("0123456789", min_size=8, max_size=8)
        )
        national, country = "0" + digits, "33"
    else:
        digits = "4" + draw(st.sampled_from(["70", "71", "72", "73", "75", "76", "77", "78", "79"]))
        digits += draw(st.text("0123456789", min_size=6, max_size=6))
        national, country = "0" + digits, "32"
    sep = draw(SEPARATORS)
    form = draw(st.sampled_from(["national", "plus", "zeros"]))
    pairs = [national[i : i + 2] for i in range(0, len(national), 2)]
    if form == "national":
        typed = sep.join(pairs)
    elif form == "plus":
        typed = f"+{country}{sep}{sep.join([digits[i : i + 2] for i in range(0, len(digits), 2)])}"
    else:
        typed = f"00{country}{sep}{digits}"
    return typed, region, f"+{country}{digits}"


@DERANDOMIZED
@given(typed_mobiles())
def test_a_mobile_typed_any_usual_way_is_the_same_number(case) -> None:
    typed, region, e164 = case
    number = phonenumbers.parse(e164)
    expected = e164 if phonenumbers.is_valid_number(number) else None
    if expected is not None and phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        expected = None
    assert normalise_phone(typed, region) == expected
    assert normalise_phone(f"  {typed} ", region) == expected


@DERANDOMIZED
@given(st.text(max_size=40), st.sampled_from(["FR", "BE", None]))
def test_anything_typed_is_an_e164_mobile_of_the_programme_or_nothing(typed, region) -> None:
    e164 = normalise_phone(typed, region)
    if e164 is not None:
        assert e164.startswith(("+33", "+32", "+31")) and e164[1:].isdigit()
        assert normalise_phone(e164, region) == e164  # idempotent


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("nadia.benali@Example.FR", "nadia.benali@example.fr"),
        ("  jan+werk@mail.telenet.be ", "jan+werk@mail.telenet.be"),
        ("A.B@sub.domain-x.org", "A.B@sub.domain-x.org"),
    ],
)
def test_an_email_address_keeps_its_name_and_lowers_its_domain(typed, kept) -> None:
    assert normalise_email(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "nadia",
        "nadia@",
        "@example.fr",
        "nadia@example",
        "nadia@@example.fr",
        "na dia@example.fr",
        "nadia@exa mple.fr",
        "nadia@example..fr",
        "nadia@.example.fr",
        "nadia@example.f",
        ".nadia@example.fr",
        "nadia..b@example.fr",
        "nadia@-example.fr",
        "x@" + "a" * 250 + ".fr",
        "<nadia>@example.fr",
    ],
)
def test_a_slip_in_an_email_address_is_refused(typed) -> None:
    assert normalise_email(typed) is None


@DERANDOMIZED
@given(st.text(max_size=300))
def test_any_accepted_address_is_short_one_at_and_no_spaces(typed) -> None:
    kept = normalise_email(typed)
    if kept is not None:
        assert len(kept) <= 254 and kept.count("@") == 1
        assert not any(c.isspace() for c in kept)
        _local, domain = kept.split("@")
        assert "." in domain and domain == domain.lower()
        assert normalise_email(kept) == kept
