"""A participant's phone number and e-mail address, checked and written one way: phone
numbers in E.164 ("+33612345678") with `phonenumbers`, French, Belgian or Dutch mobiles only
(SMS needs a mobile); e-mail addresses checked simply, their domain in lower case. No
aiogram, no database: the caseload import and `/profile` both use it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from bot.db.models import Territory

# The programme's countries (the Dutch border is near West Flanders).
COUNTRIES = frozenset({"FR", "BE", "NL"})
REGION_OF_TERRITORY = {Territory.LRT: "FR", Territory.FM: "FR", Territory.WAPI: "BE"}
DEFAULT_REGION = "FR"
MOBILE = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
PHONE_MAX = 32  # characters typed, spaces and dots included
EMAIL_MAX = 254  # RFC 5321's longest path
LOCAL_MAX = 64
# What a person types in a phone number: digits, a leading +, and separators.
_PHONE_CHARS = re.compile(r"\+?[0-9 .\-/()]+")
_LOCAL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?")


class PhoneProblem(StrEnum):
    """Why a number is refused (the `contacts-phone-<problem>` texts say it)."""

    INVALID = "invalid"  # not a phone number
    ABROAD = "abroad"  # a valid number of another country
    LANDLINE = "landline"  # a fixed line: it cannot receive an SMS


@dataclass(frozen=True)
class PhoneCheck:
    e164: str | None
    problem: PhoneProblem | None = None


def region_of(territory: str | None) -> str:
    """The country whose national format a person of `territory` types ("06..." is French,
    "0470..." Belgian): France by default."""
    return REGION_OF_TERRITORY.get(territory or "", DEFAULT_REGION)


def check_phone(raw: str, region: str | None = None) -> PhoneCheck:
    """The number in E.164, or why it is refused. National formats are read as `region`'s
    ("FR" by default); "+33 6...", "0032 470..." are read as written."""
    text = raw.strip()
    if not text or len(text) > PHONE_MAX or not _PHONE_CHARS.fullmatch(text):
        return PhoneCheck(None, PhoneProblem.INVALID)
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region or DEFAULT_REGION)
    except NumberParseException:
        return PhoneCheck(None, PhoneProblem.INVALID)
    if not phonenumbers.is_valid_number(number):
        return PhoneCheck(None, PhoneProblem.INVALID)
    if phonenumbers.region_code_for_number(number) not in COUNTRIES:
        return PhoneCheck(None, PhoneProblem.ABROAD)
    if phonenumbers.number_type(number) not in MOBILE:
        return PhoneCheck(None, PhoneProblem.LANDLINE)
    return PhoneCheck(phonenumbers.format_number(number, PhoneNumberFormat.E164))


def normalise_phone(raw: str, region: str | None = None) -> str | None:
    """A French, Belgian or Dutch mobile number in E.164, else None (`check_phone` says why)."""
    return check_phone(raw, region).e164


def normalise_email(raw: str) -> str | None:
    """The address with its domain in lower case, or None: one @, something before it, a
    domain of dotted labels (letters, digits, hyphens) after it, no spaces, at most 254
    characters. Strict enough to catch typing slips; the mail server says the rest."""
    text = raw.strip()
    if not text or len(text) > EMAIL_MAX or text.count("@") != 1:
        return None
    local, domain = text.split("@")
    domain = domain.lower()
    if not local or len(local) > LOCAL_MAX or not _LOCAL.fullmatch(local):
        return None
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return None
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        return None
    if len(labels[-1]) < 2 or labels[-1].isdigit():
        return None
    return f"{local}@{domain}"
