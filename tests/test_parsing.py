"""Cells of a published table: periods, numbers in both formats, CBS markers and footnotes."""
from __future__ import annotations

import datetime as dt
import math

import pytest

from analysis.parsing import Period, number_format_of, parse_number, parse_period, split_footnotes

D = dt.date


@pytest.mark.parametrize("text, day", [
    ("Stand 02-06-2026", D(2026, 6, 2)),
    ("Stand 02-12-2026", D(2026, 12, 2)),
    ("Stand op 2 december 2026", D(2026, 12, 2)),
    ("stand per 2 juni 2026", D(2026, 6, 2)),
    ("Stand:\u00a002-06-2026", D(2026, 6, 2)),
    ("Peildatum 2-6-2026", D(2026, 6, 2)),
    ("2 dec. 2026", D(2026, 12, 2)),
    ("2 June 2026", D(2026, 6, 2)),
    ("June 2, 2026", D(2026, 6, 2)),
    ("2026-06-02", D(2026, 6, 2)),
    ("02.06.2026", D(2026, 6, 2)),
    ("Stand 02-06-2026[footnoteRef:3] [3: voorlopige stand]", D(2026, 6, 2)),
])
def test_snapshot_dates_in_the_spellings_letters_use(text, day):
    period = parse_period(text)
    assert (period.start, period.end, period.provisional) == (day, day, False)


def test_a_year_is_a_year_total_and_a_star_marks_it_provisional():
    assert parse_period("2023") == Period(D(2023, 1, 1), D(2023, 12, 31), False)
    assert parse_period("2023*").provisional is True
    assert parse_period("2023*").end == D(2023, 12, 31)


@pytest.mark.parametrize("text, reason", [
    ("Stand 31-06-2026", "not a valid date"),
    ("Stand", "no date in it"),
    ("Stand juni 2026", "is not a date"),
    ("1850", "outside 1900-2100"),
    ("2O22", "is not a date"),
])
def test_periods_that_do_not_parse_say_why(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_period(text)


@pytest.mark.parametrize("text, fmt, value, status", [
    ("3.400", "nl", 3400, None),
    ("3\u00a0400", "nl", 3400, None),
    ("1.234,5", "nl", 1234.5, None),
    ("46,5", "nl", 46.5, None),
    ("809.390*", "nl", 809390, "voorlopig"),
    ("1,234.5", "en", 1234.5, None),
    ("3,400", "en", 3400, None),
    ("7,7%", "nl", 7.7, None),
    ("-", "nl", 0, "nihil"),
    ("-12", "nl", -12, None),
])
def test_numbers_in_dutch_and_international_format(text, fmt, value, status):
    assert parse_number(text, fmt) == (value, status)


@pytest.mark.parametrize("marker, status", [(".", "onbekend"), ("x", "geheim"), ("X", "geheim")])
def test_cbs_markers_for_missing_values(marker, status):
    value, got = parse_number(marker)
    assert math.isnan(value) and got == status


@pytest.mark.parametrize("text", ["", "3.4OO", "1.23.4", "n.v.t.", "3400 zaken"])
def test_non_numbers_are_refused(text):
    with pytest.raises(ValueError):
        parse_number(text, "nl")


@pytest.mark.parametrize("text, expected", [
    ("1.234,5", ("nl", True)), ("46,5", ("nl", True)), ("1.234.567", ("nl", True)),
    ("1,234.5", ("en", True)), ("46.5", ("en", True)), ("1,234,567", ("en", True)),
    ("3.400", ("nl", False)), ("3,400", ("en", False)),  # fit both: lean to the thousands separator shown
    ("642", (None, False)), ("x", (None, False)),
])
def test_which_number_format_a_cell_shows(text, expected):
    assert number_format_of(text) == expected


@pytest.mark.parametrize("text, clean, notes", [
    ("Aantal geregistreerde incidenten[footnoteRef:60] [60:  Dit zijn niet allemaal strafbare feiten.]",
     "Aantal geregistreerde incidenten", ["Dit zijn niet allemaal strafbare feiten."]),
    ("Aantal geregistreerde incidenten [60]", "Aantal geregistreerde incidenten", ["footnote 60"]),
    ("Aantal geregistreerde incidenten\u2076\u2070", "Aantal geregistreerde incidenten", ["footnote 60"]),
    ("Aantal geregistreerde incidenten (60)", "Aantal geregistreerde incidenten", ["footnote 60"]),
    ("Misdrijven, totaal (aantal)", "Misdrijven, totaal (aantal)", []),
    ("Aantal\u00a0aangiftes ", "Aantal aangiftes", []),
    ("Aantal aangiftes langer dan 6 maanden", "Aantal aangiftes langer dan 6 maanden", []),
])
def test_footnotes_leave_the_label_and_become_notes(text, clean, notes):
    assert split_footnotes(text) == (clean, notes)
