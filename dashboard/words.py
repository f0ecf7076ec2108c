"""Cells of the data in view as a reader sees them: periods, values in their unit, statuses.

Built on ``analysis.formatting`` (Dutch or English numbers and dates); used by the chart's hover
text and notes, the key figures and the data table alike, so a number reads the same everywhere.
"""
from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
from babel.dates import format_date as _babel_date

from analysis.catalog import Catalog
from analysis.formatting import (LOCALES, estimate_step, format_change, format_date, format_estimate, format_number,
                                 format_percent, format_period, format_value, rounding_note)

from .data import CHANGE_MODES, INDEX_UNIT, change_rounding
from .i18n import t

STATUS = {
    "definitief": {"nl": "definitief", "en": "final"},
    "voorlopig": {"nl": "voorlopig", "en": "provisional"},
    "nader voorlopig": {"nl": "nader voorlopig", "en": "revised provisional"},
    "herzien": {"nl": "herzien", "en": "revised"},
    "onbekend": {"nl": "onbekend", "en": "not known"},
    "geheim": {"nl": "geheim", "en": "confidential"},
    "nihil": {"nl": "nihil", "en": "nil"},
}


def is_snapshot(start, end) -> bool:
    """A stock on one date ("stand 2 juni 2026"), not a total over a period."""
    return pd.Timestamp(start) == pd.Timestamp(end)


@functools.lru_cache(maxsize=8192)
def period_text(start, end, lang: str = "nl", style: str = "long") -> str:
    """``stand 2 juni 2026`` for a snapshot, ``2023`` for a calendar year."""
    if is_snapshot(start, end):
        return t("snapshot", lang, date=format_date(end, lang, style))
    return format_period(start, end, lang, style)


def periods_text(first_start, first_end, last_start, last_end, lang: str = "nl", style: str = "long") -> str:
    """From one period to another: "stand 2 juni 2022 t/m stand 2 juni 2026" ("as at 2 June 2022
    to 2 June 2026", not "as at ... to as at ..."), "2013 t/m 2024"; one period once."""
    a, b = period_text(first_start, first_end, lang, style), period_text(last_start, last_end, lang, style)
    if a == b:
        return a
    if is_snapshot(first_start, first_end) and is_snapshot(last_start, last_end):
        return t("snapshots", lang, first=format_date(first_end, lang, style), last=format_date(last_end, lang, style))
    return t("years", lang, first=a, last=b)


def compared_text(start, end, lang: str = "nl", style: str = "long") -> str:
    """The period a value is compared with, after "t.o.v." / "compared with": "stand 2 juni 2025",
    "2 June 2025" (not "compared with as at ..."), "2023"."""
    if lang == "en" and is_snapshot(start, end):
        return format_date(end, lang, style)
    return period_text(start, end, lang, style)


def status_text(status, lang: str = "nl") -> str:
    if status is None or (isinstance(status, float) and pd.isna(status)):
        return ""
    return STATUS.get(status, {}).get(lang, str(status))


def unit_text(unit: str, catalog: Catalog, lang: str = "nl") -> str:
    if unit == INDEX_UNIT:
        return t("unit_index", lang)
    return catalog.unit_label(unit, lang)


@functools.lru_cache(maxsize=8192)
def value_text(value, unit: str, lang: str = "nl", rounded_to: int = 1) -> str:
    """A level, ratio or index in its unit: ``3.400``, ``816 duizend``, ``38,3%``, ``107,4``."""
    if unit == "percent":
        return format_percent(value, lang, 1)
    if unit == INDEX_UNIT:
        return format_number(value, lang, 1)
    return format_value(value, lang, int(rounded_to or 1))


@functools.lru_cache(maxsize=8192)
def change_text(value, mode: str, lang: str = "nl", rounded_to: int = 1) -> str:
    """A change with its sign: ``+244`` (``mode="change"``) or ``+7,7%`` (``"pct_change"``)."""
    if mode == "pct_change":
        return format_percent(value, lang, 1, sign=True)
    return format_change(value, lang, int(rounded_to or 1))


def charted_text(row, mode: str, lang: str = "nl") -> str:
    """The value of a row of ``view_data`` as the chart shows it."""
    if mode in CHANGE_MODES:
        return change_text(row["value"], mode, lang, change_rounding(row))
    return value_text(row["value"], row["unit"], lang, row["rounded_to"])


def rounding_text(rounded_to, lang: str = "nl") -> str:
    return rounding_note(int(rounded_to or 1), lang) or t("exact", lang)


@functools.lru_cache(maxsize=8192)
def date_text(value, lang: str = "nl", style: str = "long") -> str:
    return format_date(value, lang, style)


def month_text(year: int, month: int, lang: str = "nl") -> str:
    """``juni 2026`` / ``June 2026``: a publication known to the month (not in analysis.formatting)."""
    return _babel_date(dt.date(year, month, 1), format="LLLL y", locale=LOCALES[lang])


def slope_text(slope: float, unit: str, lang: str = "nl", step: float | None = None) -> str:
    """A trend's slope (or a change in a percentage) in its unit: ``+93``, ``−3,4 procentpunt``,
    ``−15 duizend``, rounded to ``step`` (``analysis.formatting.estimate_step`` of the slope and
    its interval; default: whole units from 10 on, else tenths).

    ``unit=None``: the number alone, for an interval's lower bound ("−8,3 tot +0,8 procentpunt")."""
    step = estimate_step(slope, slope, slope) if step is None else step
    text = format_estimate(slope, lang, step)  # an interval's bound near zero keeps its sign
    suffix = {"percent": t("points_percent", lang), INDEX_UNIT: t("points_index", lang)}.get(unit, "")
    return f"{text}{(' ' + suffix) if suffix else ''}"
