"""The pydantic base of import rows: every reason of a row, in the order of its fields, and a
column named as the file names it."""

from __future__ import annotations

from typing import Annotated, Any

from bot.common.row_rules import MISSING, RowModel, rule, text, whole


def _seats(value: Any, name: str, problems: list[str], _context: Any) -> int | None:
    return whole(value, name, (1, 500), problems)


class Row(RowModel):
    name: Annotated[str, text(10, required=True)]
    seats: Annotated[int, rule(_seats)]
    title: Annotated[str | None, text(5, required=False, name="title_{lang}")]

    @classmethod
    def inputs(cls, cells, context) -> dict[str, Any]:
        inputs = {name: cells.get(name, MISSING) for name in cls.field_names}
        inputs["title"] = cells.get(f"title_{context['lang']}", MISSING)
        return inputs


def test_a_good_row_is_the_model_with_its_values_checked() -> None:
    row, problems = Row.check({"name": "  Léa   M ", "seats": "25", "title_nl": ""}, lang="nl")
    assert problems == []
    assert (row.name, row.seats, row.title) == ("Léa M", 25, None)


def test_every_reason_is_given_in_the_order_of_the_fields() -> None:
    row, problems = Row.check({"name": "", "seats": "0", "title_fr": "x" * 6}, lang="fr")
    assert row is None
    assert problems == [
        "name is empty",
        "seats must be a whole number from 1 to 500",
        "title_fr is longer than 5 characters",
    ]


def test_a_key_the_row_does_not_have_is_missing_not_empty() -> None:
    _, problems = Row.check({"seats": "3"}, lang="nl")
    assert problems == ["name is missing"]
