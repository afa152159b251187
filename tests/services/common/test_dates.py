"""Dates and times shown to people: Babel's short formats in the reader's language."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.common.dates import clock_text, day_text, day_texts
from bot.services.reports.programme import texts


def test_a_day_reads_the_french_or_the_belgian_dutch_way() -> None:
    assert day_texts(date(2026, 11, 1)) == {"fr": "01/11/2026", "nl": "1/11/2026"}
    assert day_text(date(2026, 11, 1), "de") == "01/11/2026"  # French when unknown


def test_a_time_reads_in_the_programme_s_zone_as_given() -> None:
    moment = datetime(2026, 12, 7, 13, 5, tzinfo=UTC).astimezone(ZoneInfo("Europe/Brussels"))
    assert clock_text(moment, "fr") == clock_text(moment, "nl") == "14:05"
    assert clock_text(time(9, 30), "nl") == "09:30"


def test_the_report_writes_its_dates_in_its_own_language() -> None:
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    assert texts("fr")("report-period", start=start, end=end) == "du 01/11/2026 au 30/11/2026"
    assert texts("nl")("report-period", start=start, end=end) == "van 1/11/2026 tot 30/11/2026"
