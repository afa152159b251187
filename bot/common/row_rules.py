"""The rows of an import file (caseloads, sessions, vacancies) as pydantic models: one model
per row kind holds each column's rules in one place (its type, whether it may be empty, its
checks), and `RowModel.check` gives the checked row, or every reason it is refused, in column
order, as short English reasons. No aiogram, no database."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, ClassVar, Final, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator
from pydantic import ValidationInfo as Info
from pydantic_core import PydanticCustomError

from bot.common.checks import whole_number
from bot.common.rows import cell_text

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Missing:
    """A column the row does not have at all (a JSON object without the key)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()

# A column's rule: (the field's input, the column's name for the reasons, the problems found
# so far, the model's context) -> the field's value. It appends every problem it finds.
Check = Callable[[Any, str, list[str], Mapping[str, Any]], Any]


def rule(check: Check, name: str | None = None) -> BeforeValidator:
    """A field's validator made of `check`: its problems refuse the field, worded with the
    column's `name` (by default the field's; "{lang}" is filled in from the context)."""

    templated = name is not None and "{" in name

    def validate(value: Any, info: Info) -> Any:
        context = info.context or {}
        column = name.format(**context) if templated else name or info.field_name
        problems: list[str] = []
        result = check(value, column, problems, context)
        if problems:
            raise PydanticCustomError("row", "{reasons}", {"reasons": problems})
        return result

    return BeforeValidator(validate)


class RowModel(BaseModel):
    """One checked row of an import file, made with `check`. A subclass declares one field
    per value it keeps, each `Annotated` with its `rule`, in the order its reasons are given;
    `inputs` says which cells each field reads."""

    model_config = ConfigDict(frozen=True, defer_build=True)  # built on first use, not at start
    field_names: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.field_names = tuple(cls.model_fields)

    @classmethod
    def check(cls, cells: Mapping[str, Any], **context: Any) -> tuple[Self | None, list[str]]:
        """The row, or None and every problem of its cells (not only the first)."""
        try:
            return cls.model_validate(cells, context=context), []
        except ValidationError as error:
            problems: list[str] = []
            for detail in error.errors(include_url=False):
                reasons = detail.get("ctx", {}).get("reasons")
                problems.extend(reasons if reasons is not None else [detail["msg"]])
            return None, problems

    @classmethod
    def inputs(cls, cells: Mapping[str, Any], context: Mapping[str, Any]) -> dict[str, Any]:
        """What each field checks: by default the cell of the column of its name, empty when
        the row has no such column."""
        return {name: cells.get(name) or "" for name in cls.field_names}

    @model_validator(mode="before")
    @classmethod
    def _inputs(cls, cells: Any, info: Info) -> Any:
        if isinstance(cells, Mapping):
            return cls.inputs(cells, info.context or {})
        return cells


# --- reading a cell -----------------------------------------------------------------------


def collapsed(value: str) -> str:
    """Text with its runs of spaces (and line breaks) collapsed to one space, trimmed."""
    return " ".join(value.split())


def scalar(value: Any, name: str, problems: list[str]) -> str:
    """A CSV cell or a JSON value as trimmed text: empty for a missing key or null, yes/no
    for a JSON boolean, digits for a whole JSON number; a JSON list or object is a problem."""
    if value is MISSING or value is None:
        return ""
    if isinstance(value, str | bool | int | float):
        return cell_text(value).strip()
    problems.append(f"{name} must be text")
    return ""


def empty(value: Any, name: str, problems: list[str]) -> None:
    """The problem of a required value left empty ("missing" when the row has no such key)."""
    problems.append(f"{name} is {'missing' if value is MISSING else 'empty'}")


def text(longest: int, *, required: bool, name: str | None = None) -> BeforeValidator:
    """The rule of a text column: see `short_text`."""

    def check(value: Any, column: str, problems: list[str], _context: Any) -> str | None:
        return short_text(value, column, longest, problems, required=required)

    return rule(check, name)


def short_text(
    value: Any, name: str, longest: int, problems: list[str], *, required: bool
) -> str | None:
    """Text with its runs of spaces collapsed, at most `longest` characters; None when empty
    (a problem when `required`) or too long."""
    written = collapsed(scalar(value, name, problems))
    if not written:
        if required:
            empty(value, name, problems)
        return None
    if len(written) > longest:
        problems.append(f"{name} is longer than {longest} characters")
        return None
    return written


def iso_date(written: str, name: str, problems: list[str]) -> date | None:
    """A date written YYYY-MM-DD (exactly so), or None and the problem."""
    try:
        if not ISO_DATE.fullmatch(written):
            raise ValueError(written)
        return date.fromisoformat(written)
    except ValueError:
        problems.append(f"{name} {written!r} is not a date YYYY-MM-DD")
        return None


def quiet_date(written: str) -> date | None:
    """The date a cell holds (YYYY-MM-DD), without a word about it when it holds none: for
    a rule that compares with another column, which reports its own problems."""
    return iso_date(written.strip(), "", [])


def whole(value: str, name: str, bounds: tuple[int, int], problems: list[str]) -> int | None:
    """A whole number within `bounds` (ASCII digits only), or None and the problem."""
    low, high = bounds
    number = whole_number(value, low, high)
    if number is None:
        problems.append(f"{name} must be a whole number from {low} to {high}")
    return number
