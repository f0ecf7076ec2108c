"""Numbers, percentages, dates and periods as a Dutch or English reader expects them.

Dutch: 3.400; 7,7%; 2 juni 2026. English: 3,400; 7.7%; 2 June 2026. Formats come from the locale
library (Babel); nothing here is hand-rolled beyond choosing the pattern. Rounded source values
say so: a figure published as "816 duizend" is never written as if it were exact.
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal

LOCALES = {"nl": "nl_NL", "en": "en_GB"}
MISSING = {"nl": "onbekend", "en": "not known"}

_ROUNDING = {
    "nl": {10: "afgerond op tientallen", 100: "afgerond op honderdtallen", 1000: "afgerond op duizendtallen"},
    "en": {10: "rounded to tens", 100: "rounded to hundreds", 1000: "rounded to thousands"},
}


def _locale(lang: str) -> str:
    try:
        return LOCALES[lang]
    except KeyError:
        raise ValueError(f"unknown language {lang!r}; use 'nl' or 'en'") from None


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value)


def format_number(value, lang: str = "nl", decimals: int | None = None) -> str:
    """``3400`` as ``3.400`` (nl) or ``3,400`` (en); ``decimals`` fixes the digits after the comma.

    Without ``decimals``, whole numbers get none and others at most one.
    """
    if _missing(value):
        return MISSING[lang]
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(_round_half_up(value, decimals), format=pattern, locale=_locale(lang))


def _round_half_up(value, decimals: int) -> Decimal:
    """12,5 -> 13 as a reader (and CBS) rounds, not 12 as Python's and Babel's half-even rounding do."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_value(value, lang: str = "nl", rounded_to: int = 1, decimals: int | None = None) -> str:
    """A published value as text, honest about rounding.

    Exact values are plain numbers; values the source rounded to thousands read "816 duizend"
    ("816 thousand"), to hundreds "ca. 8.600" ("about 8,600").
    """
    if _missing(value):
        return MISSING[lang]
    text = _rough(value, lang, rounded_to, decimals)
    if rounded_to and rounded_to > 1 and not _in_thousands(value, rounded_to):
        return f"ca. {text}" if lang == "nl" else f"about {text}"
    return text


def _in_thousands(value, rounded_to) -> bool:
    return bool(rounded_to) and rounded_to >= 1000 and float(value) % 1000 == 0


def _rough(value, lang: str, rounded_to: int, decimals: int | None = None) -> str:
    """A rounded amount as its source wrote it ("816 duizend", "8.600"), without "ca."."""
    if _in_thousands(value, rounded_to):
        thousands = format_number(float(value) / 1000, lang)
        return f"{thousands} duizend" if lang == "nl" else f"{thousands} thousand"
    return format_number(value, lang, decimals)


def rounding_note(rounded_to: int, lang: str = "nl") -> str | None:
    """"afgerond op duizendtallen" for a value rounded to 1000; None for an exact value."""
    if not rounded_to or rounded_to <= 1:
        return None
    return _ROUNDING[lang].get(int(rounded_to)) or (
        f"afgerond op {format_number(rounded_to, lang)}" if lang == "nl" else f"rounded to {format_number(rounded_to, lang)}"
    )


def format_percent(percent, lang: str = "nl", decimals: int = 1, sign: bool = False) -> str:
    """``7.7`` (a percentage, not a fraction) as ``7,7%`` (nl) or ``7.7%`` (en); ``sign`` adds ``+``."""
    if _missing(percent):
        return MISSING[lang]
    text = format_number(abs(float(percent)), lang, decimals) + "%"
    shown_zero = _round_half_up(abs(float(percent)), decimals) == 0
    if float(percent) < 0 and not shown_zero:
        return "−" + text if sign else "-" + text
    return ("+" + text) if sign and not shown_zero else text


def format_change(delta, lang: str = "nl", rounded_to: int = 1) -> str:
    """An absolute change with its sign: ``+244`` or ``−12``.

    A change between rounded values is as rough as they are and says so: ``ca. −4 duizend``
    ("about −4 thousand"), never ``−4.000``.
    """
    if _missing(delta):
        return MISSING[lang]
    sign = "+" if delta > 0 else "−" if delta < 0 else ""
    if rounded_to and rounded_to > 1:
        return ("ca. " if lang == "nl" else "about ") + sign + _rough(abs(float(delta)), lang, rounded_to)
    return sign + format_number(abs(float(delta)), lang)


def format_difference(delta, lang: str = "nl", rounded_to: int = 1, count: bool = True) -> str:
    """A change as a sentence gives it: ``+244`` when exact; between rounded values in words,
    ``ongeveer 4 duizend minder`` ("about 4 thousand fewer"), so that it cannot look exact."""
    if _missing(delta) or not rounded_to or rounded_to <= 1 or delta == 0:
        return format_change(delta, lang)
    amount = _rough(abs(float(delta)), lang, rounded_to)
    if lang == "nl":
        return f"ongeveer {amount} {'meer' if delta > 0 else 'minder'}"
    more, less = ("more", "fewer") if count else ("higher", "lower")
    return f"about {amount} {more if delta > 0 else less}"


def format_signed(value, lang: str = "nl", decimals: int = 0) -> str:
    """``+154``, ``−2,5`` or ``0``, with ``decimals`` digits; an estimate that is not zero never
    reads as zero: ``−0.1`` stays ``−0,1`` (up to three more digits, then ``ongeveer 0``).

    For the bounds of an interval this matters: ``0 tot +154`` would hide that the interval
    straddles zero (or, for ``+0,1``, that it does not).
    """
    if _missing(value):
        return MISSING[lang]
    value = float(value)
    shown = decimals
    while value != 0 and _round_half_up(abs(value), shown) == 0 and shown < decimals + 3:
        shown += 1
    if _round_half_up(abs(value), shown) == 0:
        return "0" if value == 0 else ("ongeveer 0" if lang == "nl" else "about 0")
    return ("+" if value > 0 else "−") + format_number(abs(value), lang, shown)


def estimate_step(estimate: float, low: float, high: float) -> float:
    """The precision an estimate with this 95% interval carries: two significant digits of the
    interval's half-width, so that "−15.239 per jaar (−28.282 tot −2.195)" reads "−15 duizend
    per jaar (−28 duizend tot −2 duizend)". Never finer than a tenth, nor than whole units once
    any of the three reaches 10."""
    finest = 1.0 if max(abs(estimate), abs(low), abs(high)) >= 10 else 0.1
    half = (high - low) / 2
    if not half > 0:  # no interval (or not a number): the finest
        return finest
    return max(finest, 10.0 ** (math.floor(math.log10(half)) - 1))


def format_estimate(value, lang: str = "nl", step: float = 1.0) -> str:
    """An estimate with its sign, rounded to ``step`` (``estimate_step``); from a step of 1 000 on
    in thousands in words ("−15 duizend"), so that it cannot look exact. A value that would
    round to zero keeps its sign and one digit ("−3", not "0": an interval's bound that is not
    zero never reads as zero)."""
    if _missing(value):
        return MISSING[lang]
    value = float(value)
    rounded = float(_round_half_up(abs(value) / step, 0)) * step
    if rounded == 0:
        return format_signed(value, lang, 0 if step >= 1 else 1)
    sign = "+" if value > 0 else "−"
    if step >= 1000:  # a whole number of thousands: written as the source writes rounded values
        return sign + _rough(rounded, lang, step)
    return sign + format_number(rounded, lang, max(0, -math.floor(math.log10(step))))


def join_words(parts: list[str], lang: str = "nl") -> str:
    """"a, b en c" ("a, b and c"); later items start in lower case ("Aangiftes" -> "aangiftes")."""
    parts = [parts[0]] + [lower_first(p) for p in parts[1:]]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + (" en " if lang == "nl" else " and ") + parts[-1]


def lower_first(text: str) -> str:
    """Lower-case the first letter of a label inside a sentence, but not of an abbreviation ("OM")."""
    return text[:1].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def format_date(value, lang: str = "nl", style: str = "long") -> str:
    """``2 juni 2026`` / ``2 June 2026`` (long), ``2 jun. 2026`` (medium) or ``02-06-2026`` (short)."""
    if _missing(value):
        return MISSING[lang]
    day = pd.Timestamp(value).date() if not isinstance(value, dt.date) or isinstance(value, dt.datetime) else value
    pattern = {"long": "d MMMM y", "medium": "d MMM y", "short": "dd-MM-y" if lang == "nl" else "dd/MM/y"}[style]
    return _babel_date(day, format=pattern, locale=_locale(lang))


def format_period(start, end, lang: str = "nl", style: str = "long") -> str:
    """A period as its reader names it: a snapshot by its date, a calendar year by the year."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start == end:
        return format_date(end, lang, style)
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(end.year)
    return f"{format_date(start, lang, style)} – {format_date(end, lang, style)}"


def format_p_value(p, lang: str = "nl") -> str:
    """A p-value as a reader quotes it: ``p = 0,012`` (nl), ``p = 0.012`` (en), ``p < 0,001``."""
    if _missing(p):
        return MISSING[lang]
    if float(p) < 0.001:
        return "p < " + format_number(0.001, lang, 3)
    return "p = " + format_number(p, lang, 3)
