"""Sentences and chart titles that say what the data show, in Dutch or English.

Every number and date goes through ``analysis.formatting`` (3.400; 7,7%; 2 juni 2026), labels and
caveats come from the catalog, and the wording follows the statistics:

- the direction (gestegen / gedaald) comes from the sign of the change and is never softened;
- the size word follows the percent change: "licht" below 10%, "sterk" from 25%; in between a
  change beyond chance is "duidelijk";
- the noise check (``analysis.noise``) decides the clause that follows: beyond chance, or "binnen
  de normale schommeling". So the stock of sexual-offence cases, 3.156 -> 3.400 (+7,7%), reads
  "licht gestegen", as the minister's letter has it, and "meer dan toeval": for counts of this
  size chance alone rarely moves 244;
- values the source rounded read as rounded ("816 duizend"), and a percent computed from them
  says "ongeveer";
- a percent change is not given from a count below 50 (the absolute change is).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .catalog import Catalog, load_catalog
from .change import YEAR_TOLERANCE_DAYS, bare, catalog_for, change, check_series
from .formatting import (
    format_change,
    format_date,
    format_number,
    format_percent,
    format_period,
    format_value,
    rounding_note,
)
from .noise import DECREASE, INCREASE, WITHIN_NOISE, noise_check, percent_allowed, rounding_halfwidth
from .store import Store
from .trend import MIN_DURBIN_WATSON, MIN_POINTS_FOR_PROJECTION, MIN_POINTS_FOR_TREND, is_clear, residual_runs, trend

SLIGHT_BELOW = 10.0  # percent: "licht gestegen"
STRONG_FROM = 25.0  # percent: "sterk gestegen"
LONG_RUN_YEARS = 10
_STATUS_WORDS = {
    "voorlopig": ("voorlopig", "provisional"),
    "nader voorlopig": ("nader voorlopig", "revised provisional"),
    "herzien": ("herzien", "revised"),
}


@dataclass(frozen=True)
class _Subject:
    """What a series is: its label, unit and kind of period, and where it comes from."""

    label: str
    unit: str | None
    kind: str  # "snapshot", "year" or "period"
    indicator_id: str | None
    caveats: list[str]
    lang: str
    attrs: dict  # the series' attrs: status, rounding and period start per value


# --- Resolving the input ----------------------------------------------------------------------


def _resolve(series_or_id, lang, store, as_of):
    if lang not in ("nl", "en"):
        raise ValueError(f"unknown language {lang!r}; use 'nl' or 'en'")
    if isinstance(series_or_id, str):
        store = store if store is not None else Store()
        series = store.series(series_or_id, as_of)
    elif isinstance(series_or_id, pd.Series):
        series = series_or_id
    else:
        raise TypeError(f"expected an indicator id or a pandas Series, got {type(series_or_id).__name__}")
    s = check_series(series, "describe")
    catalog = catalog_for(store) if store is not None else load_catalog()
    # The sentences work on the bare values; per-value metadata is read from subject.attrs.
    return bare(s), _subject(s, catalog, lang), store, catalog


def _subject(s: pd.Series, catalog: Catalog, lang: str) -> _Subject:
    ind_id, ratio_id = s.attrs.get("indicator_id"), s.attrs.get("ratio_id")
    unit = s.attrs.get("unit")
    if ind_id in catalog.indicators:
        ind = catalog.indicators[ind_id]
        label, unit = ind.short_label(lang), unit or ind.unit
        caveats = [c(lang) for c in catalog.caveats_for(ind_id)]
        frequency = catalog.table_of(ind_id).frequency
    elif ratio_id in catalog.ratios:
        r = catalog.ratios[ratio_id]
        label, unit = r.label(lang), unit or r.unit
        caveats = [catalog.caveats[c](lang) for c in catalog.tables[r.table].caveats]
        frequency = catalog.tables[r.table].frequency
    else:
        label = str(s.name) if s.name is not None else ("De reeks" if lang == "nl" else "The series")
        caveats, frequency = [], None
    return _Subject(label, unit, _kind(s, frequency), ind_id, caveats, lang, s.attrs)


def _kind(s: pd.Series, frequency: str | None) -> str:
    starts = s.attrs.get("period_start") or {}
    if starts:
        pairs = [(pd.Timestamp(starts.get(p, p)), p) for p in s.index]
        if all(a == b for a, b in pairs):
            return "snapshot"
        if all((a.month, a.day, b.month, b.day) == (1, 1, 12, 31) and a.year == b.year for a, b in pairs):
            return "year"
        return "period"
    if frequency == "year" or (frequency is None and len(s) and all((d.month, d.day) == (12, 31) for d in s.index)):
        return "year"
    return "snapshot"


def _with_attrs(values: pd.Series, subj: _Subject) -> pd.Series:
    out = bare(values)
    out.attrs = subj.attrs
    return out


# --- Small phrases ----------------------------------------------------------------------------


def _rounded_to(subj: _Subject, period) -> int:
    return int((subj.attrs.get("rounded_to") or {}).get(period, 1) or 1)


def _start(subj: _Subject, period) -> pd.Timestamp:
    return pd.Timestamp((subj.attrs.get("period_start") or {}).get(period, period))


def _period(s, subj, period) -> str:
    """"2 juni 2026" for a snapshot, "2024" for a calendar year."""
    if subj.kind == "year":
        return str(period.year)
    return format_period(_start(subj, period), period, subj.lang)


def _when(s, subj, period) -> str:
    """"op 2 juni 2026" / "in 2024" ("on 2 June 2026" / "in 2024")."""
    text = _period(s, subj, period)
    if subj.kind == "snapshot":
        return ("op " if subj.lang == "nl" else "on ") + text
    if subj.kind == "year":
        return "in " + text
    return ("over " if subj.lang == "nl" else "for ") + text


def _value(s, subj, period) -> str:
    """A value as published (labels carry the unit, e.g. "per 1 000 inwoners"; percents get "%")."""
    if subj.unit == "percent":
        return format_percent(s[period], subj.lang)
    return format_value(s[period], subj.lang, _rounded_to(subj, period))


def _points_word(subj, n: int) -> str:
    words = {"snapshot": ("standen", "snapshots"), "year": ("jaren", "years"), "period": ("perioden", "periods")}
    return words[subj.kind][0 if subj.lang == "nl" else 1] if n != 1 else ("waarde" if subj.lang == "nl" else "value")


def _size(pct: float) -> str | None:
    if not math.isfinite(pct):
        return None
    return "slight" if abs(pct) < SLIGHT_BELOW else "strong" if abs(pct) >= STRONG_FROM else "medium"


_ADVERBS = {"slight": ("licht ", "slightly"), "clear": ("duidelijk ", "clearly"), "strong": ("sterk ", "sharply")}


def _adverb(size: str | None, verdict: str | None) -> str | None:
    """How to qualify a rise or fall: by its size, but never "sterk" for a change within chance."""
    if size == "slight":
        return "slight"
    if verdict == WITHIN_NOISE or size is None:
        return None
    if verdict in (INCREASE, DECREASE):
        return "clear" if size == "medium" else "strong"
    return "strong" if size == "strong" else None  # no noise model (not a count): size alone


def _movement(lang, delta, size, verdict) -> str:
    """"licht gestegen ten opzichte van" / "up slightly from"."""
    if delta == 0:
        return "even hoog als" if lang == "nl" else "the same as"
    adverb = _adverb(size, verdict)
    if lang == "nl":
        word = _ADVERBS[adverb][0] if adverb else ""
        return f"{word}{'gestegen' if delta > 0 else 'gedaald'} ten opzichte van"
    direction = "up" if delta > 0 else "down"
    if adverb == "slight":
        return f"{direction} slightly from"
    return f"{_ADVERBS[adverb][1]} {direction} from" if adverb else f"{direction} from"


def _relative(subj, delta, pct, approx: bool, base_ok: bool) -> str:
    """"8% hoger, +7,7%" / "ongeveer 0,5% lager" / "4,4 procentpunt lager" / "+7" (no percent)."""
    lang = subj.lang
    if subj.unit == "percent":
        points = format_number(abs(delta), lang, 1)
        if lang == "nl":
            return f"{points} procentpunt {'hoger' if delta > 0 else 'lager'}"
        return f"{points} percentage points {'higher' if delta > 0 else 'lower'}"
    if not base_ok:
        note = "te klein aantal voor een percentage" if lang == "nl" else "too small a count for a percentage"
        return f"{format_change(delta, lang)}, {note}"
    word = ("hoger" if pct > 0 else "lager") if lang == "nl" else ("higher" if pct > 0 else "lower")
    about = ("ongeveer " if lang == "nl" else "about ") if approx else ""
    if abs(pct) >= 1:
        return f"{about}{format_percent(abs(pct), lang, 0)} {word}, {format_percent(pct, lang, 1, sign=True)}"
    return f"{about}{format_percent(abs(pct), lang, 1)} {word}"


def _noise_clause(lang, verdict, delta) -> str:
    if verdict == WITHIN_NOISE and delta != 0:
        return ", binnen de normale schommeling" if lang == "nl" else ", within normal variation"
    if verdict in (INCREASE, DECREASE):
        return ("; dat is meer dan toeval bij aantallen van deze omvang" if lang == "nl"
                else "; more than chance alone gives for counts of this size")
    return ""


def _pct_of(s, subj, base_period, period):
    """Percent change for wording, whether it is approximate, and whether the base carries one."""
    base, value = s[base_period], s[period]
    approx = _rounded_to(subj, base_period) > 1 or _rounded_to(subj, period) > 1
    ok = percent_allowed(base - rounding_halfwidth(_rounded_to(subj, base_period)), subj.unit)
    pct = (value - base) / base * 100 if ok else math.nan
    return pct, approx, ok


def _verdict(s, subj, base_period, period):
    if subj.unit != "count" or "index_base" in subj.attrs:
        return None
    return noise_check(max(s[base_period], 0), max(s[period], 0),
                       _rounded_to(subj, base_period), _rounded_to(subj, period)).verdict


# --- Sentences --------------------------------------------------------------------------------


def _comparison(s, subj, base_period, period) -> str:
    lang = subj.lang
    delta = s[period] - s[base_period]
    pct, approx, ok = _pct_of(s, subj, base_period, period)
    verdict = _verdict(s, subj, base_period, period)
    size = _size(pct if subj.unit != "percent" else (delta / s[base_period] * 100 if s[base_period] else math.nan))
    head = f"{subj.label} {_when(s, subj, period)}: {_value(s, subj, period)}, "
    move = _movement(lang, delta, size, verdict)
    base = f"{_value(s, subj, base_period)} {_when(s, subj, base_period)}"
    if delta == 0:
        return head + f"{move} {base}."
    relative = _relative(subj, delta, pct, approx, ok)
    if subj.unit != "percent" and ok:  # the absolute change too, as publishers give it ("1.100 meer")
        relative = f"{format_change(delta, lang)}; {relative}"
    return head + f"{move} {base} ({relative}){_noise_clause(lang, verdict, delta)}."


def _long_run(s, subj, period, skip) -> str | None:
    """Against ten years earlier, or else against the first value of the series."""
    present = s.dropna()
    target = period - pd.DateOffset(years=LONG_RUN_YEARS)
    distance = np.abs((present.index - target).days)
    lang = subj.lang
    if len(present) and distance.min() <= YEAR_TOLERANCE_DAYS:
        base_period = present.index[int(np.argmin(distance))]
        ref = (f"tien jaar eerder ({_period(s, subj, base_period)}: {_value(s, subj, base_period)})" if lang == "nl"
               else f"ten years earlier ({_period(s, subj, base_period)}: {_value(s, subj, base_period)})")
    else:
        base_period = present.index[0]
        if (period - base_period).days < 365 + YEAR_TOLERANCE_DAYS:
            return None
        first = {"snapshot": ("de eerste stand", "the first snapshot"), "year": ("het eerste jaar", "the first year"),
                 "period": ("de eerste periode", "the first period")}[subj.kind][0 if lang == "nl" else 1]
        ref = (f"{first} in de reeks ({_period(s, subj, base_period)}: {_value(s, subj, base_period)})" if lang == "nl"
               else f"{first} in the series ({_period(s, subj, base_period)}: {_value(s, subj, base_period)})")
    if base_period in skip:
        return None
    delta = s[period] - s[base_period]
    pct, approx, ok = _pct_of(s, subj, base_period, period)
    verdict = _verdict(s, subj, base_period, period)
    if delta == 0:
        rel = "even hoog" if lang == "nl" else "the same"
    else:
        rel = _relative(subj, delta, pct, approx, ok)
        main, _, detail = rel.partition(", ")
        rel = f"{main} ({detail})" if detail else main
    clause = _noise_clause(lang, verdict, delta) if verdict == WITHIN_NOISE else ""
    if lang == "nl":
        return f"Ten opzichte van {ref} is dat {rel}{clause}."
    return f"Compared with {ref} that is {rel}{clause}."


def _trend_sentence(s, subj) -> str | None:
    """The linear trend over the last ten years (or the whole series when it is shorter)."""
    present = s.dropna()
    present = present[present.index > present.index[-1] - pd.DateOffset(years=LONG_RUN_YEARS)]
    if len(present) < MIN_POINTS_FOR_TREND:
        return None
    t = trend(present)
    lang = subj.lang
    # Long runs above and below the line: a straight line is the wrong summary (see trend.py).
    bent = t.n >= MIN_POINTS_FOR_PROJECTION and residual_runs(t) < MIN_DURBIN_WATSON

    # One precision for the slope and its interval: whole units once any of them reaches 10.
    decimals = 0 if max(abs(t.slope_per_year), *map(abs, t.slope_ci)) >= 10 else 1

    def amount(x):
        sign = "+" if round(x, decimals) > 0 else "−" if round(x, decimals) < 0 else ""
        unit = (" procentpunt" if lang == "nl" else " percentage points") if subj.unit == "percent" else ""
        return f"{sign}{format_number(abs(x), lang, decimals)}{unit}"

    low, high = t.slope_ci
    span = f"{_period(s, subj, t.start)} {'tot en met' if lang == 'nl' else 'to'} {_period(s, subj, t.end)}"
    points = f"{t.n} {_points_word(subj, t.n)}"
    if lang == "nl":
        text = (f"Lineaire trend over {points} ({span}): {amount(t.slope_per_year)} per jaar "
                f"(95%-interval {amount(low)} tot {amount(high)}); ")
        text += ((f"een duidelijk {'stijgende' if t.slope_per_year > 0 else 'dalende'} trend.") if is_clear(t)
                 else "niet te onderscheiden van een vlakke lijn.")
        if t.n < MIN_POINTS_FOR_PROJECTION:
            text += f" Met {t.n} punten is dat een ruwe schatting."
        if bent:
            text += " De reeks verloopt niet recht: de waarden liggen lange stukken boven en dan onder de lijn."
        elif is_clear(t) and t.r_squared < 0.5:
            text += f" De rechte lijn past matig (R² = {format_number(t.r_squared, lang, 2)})."
    else:
        text = (f"Linear trend over {points} ({span}): {amount(t.slope_per_year)} per year "
                f"(95% interval {amount(low)} to {amount(high)}); ")
        text += ((f"a clearly {'rising' if t.slope_per_year > 0 else 'falling'} trend.") if is_clear(t)
                 else "not distinguishable from a flat line.")
        if t.n < MIN_POINTS_FOR_PROJECTION:
            text += f" With {t.n} points this is a rough estimate."
        if bent:
            text += " The series does not run straight: the values lie above and then below the line for long stretches."
        elif is_clear(t) and t.r_squared < 0.5:
            text += f" The straight line fits poorly (R² = {format_number(t.r_squared, lang, 2)})."
    return text


def _status_sentences(s, subj, periods) -> list[str]:
    lang, out = subj.lang, []
    for period in periods:
        words = []
        status = (subj.attrs.get("status") or {}).get(period)
        if status in _STATUS_WORDS:
            words.append(_STATUS_WORDS[status][0 if lang == "nl" else 1])
        note = rounding_note(_rounded_to(subj, period), lang)
        if note:
            words.append(note)
        if words:
            joined = (" en " if lang == "nl" else " and ").join(words)
            if lang == "nl":
                of = "over" if subj.kind == "year" else "van"
                out.append(f"Het cijfer {of} {_period(s, subj, period)} is {joined}.")
            else:
                out.append(f"The figure for {_period(s, subj, period)} is {joined}.")
    return out


def _revision_sentences(store, subj, as_of, periods) -> list[str]:
    if store is None or subj.indicator_id is None:
        return []
    revised = store.revisions(subj.indicator_id)
    if as_of is not None:
        revised = revised[revised["vintage"] <= pd.Timestamp(as_of)]
    lang, out = subj.lang, []
    for period in periods:
        rows = revised[revised["period_end"] == period].sort_values("vintage")
        if rows["value"].nunique() < 2:
            continue
        first, last = rows.iloc[0], rows.iloc[-1]
        when = str(period.year) if subj.kind == "year" else format_date(period, lang)

        def shown(row):
            return (f"{format_value(row['value'], lang, row['rounded_to'])} "
                    f"({'gepubliceerd' if lang == 'nl' else 'published'} {format_date(row['vintage'], lang)})")

        if lang == "nl":
            out.append(f"Het cijfer over {when} is bijgesteld: eerst {shown(first)}, nu {shown(last)}.")
        else:
            out.append(f"The figure for {when} was revised: first {shown(first)}, now {shown(last)}.")
    return out


def describe(series_or_indicator_id, lang: str = "nl", store=None, as_of=None) -> list[str]:
    """Sentences that say what a series shows, for a chart, a note or a letter.

    Parameters
    ----------
    series_or_indicator_id : str or pandas.Series
        An indicator id (read from ``store``) or a series as ``Store.series`` / ``ratio_series``
        return it (its ``attrs`` give the indicator, unit, status and rounding).
    lang : {"nl", "en"}, default "nl"
    store : analysis.Store, optional
        The store to read an indicator from (the bundled one by default); with a store, figures
        that a later publication revised are mentioned.
    as_of : date or str, optional
        Describe the figures as published on this date.

    Returns
    -------
    list of str
        In order: the latest value against the same period a year earlier (else the previous
        period) with the dates compared, both values, the percent change and the noise verdict;
        against the previous period when that is another one; against ten years earlier (or the
        first value); the linear trend with the number of points it rests on; provisional,
        rounded and revised figures; missing later values; the catalog's caveats.

    Raises
    ------
    KeyError
        If the store has no values for the indicator.
    ValueError
        If ``lang`` is unknown or the series has no value at all.

    Examples
    --------
    >>> import analysis
    >>> analysis.describe("zeden_voorraad")[0]
    'Voorraad zedenzaken op 2 juni 2026: 3.400, licht gestegen ten opzichte van 3.156 op 2 juni 2025 (+244; 8% hoger, +7,7%); dat is meer dan toeval bij aantallen van deze omvang.'
    """
    s, subj, store, _ = _resolve(series_or_indicator_id, lang, store, as_of)
    present = s.dropna()
    if present.empty:
        raise ValueError(f"describe: {subj.label!r} has no values")
    latest = present.index[-1]
    sentences = []

    by_year = change(_with_attrs(present, subj), "year").loc[latest]
    by_prev = change(_with_attrs(present, subj), "previous").loc[latest]
    compared = [latest]
    primary = by_year["base_period"] if pd.notna(by_year["base_period"]) else by_prev["base_period"]
    if pd.notna(primary):
        sentences.append(_comparison(present, subj, primary, latest))
        compared.append(primary)
        if pd.notna(by_prev["base_period"]) and by_prev["base_period"] != primary:
            sentences.append(_comparison(present, subj, by_prev["base_period"], latest))
            compared.append(by_prev["base_period"])
    else:
        sentences.append(f"{subj.label} {_when(s, subj, latest)}: {_value(s, subj, latest)}.")

    long_run = _long_run(present, subj, latest, skip=set(compared))
    if long_run:
        sentences.append(long_run)
    trend_text = _trend_sentence(s, subj)
    if trend_text:
        sentences.append(trend_text)

    sentences += _status_sentences(s, subj, compared)
    sentences += _revision_sentences(store, subj, as_of, compared)
    for period in s.index[(s.index > latest) & s.isna()]:
        sentences.append(f"Over {_period(s, subj, period)} is geen cijfer bekend." if lang == "nl"
                         else f"There is no figure for {_period(s, subj, period)}.")
    sentences += subj.caveats
    return sentences


def headline(series_or_indicator_id, lang: str = "nl", store=None, as_of=None, against: str = "year") -> str:
    """A short story title for a chart: what changed, in words.

    Parameters
    ----------
    series_or_indicator_id : str or pandas.Series
        As for :func:`describe`.
    lang : {"nl", "en"}, default "nl"
    store : analysis.Store, optional
    as_of : date or str, optional
    against : {"year", "previous"}, default "year"
        Compare the latest value with a year earlier or with the previous period.

    Returns
    -------
    str
        For example "Voorraad zedenzaken 8% hoger dan een jaar eerder", with ", binnen de normale
        schommeling" when the noise check finds the change within chance; the latest value and
        its date when there is nothing to compare with.

    Examples
    --------
    >>> import analysis
    >>> analysis.headline("zeden_voorraad", lang="en")
    'Stock of cases 8% higher than a year earlier'
    """
    s, subj, _, _ = _resolve(series_or_indicator_id, lang, store, as_of)
    present = s.dropna()
    if present.empty:
        raise ValueError(f"headline: {subj.label!r} has no values")
    latest = present.index[-1]
    row = change(_with_attrs(present, subj), against).loc[latest]
    base_period = row["base_period"]
    if pd.isna(base_period):
        return f"{subj.label} {_when(s, subj, latest)}: {_value(s, subj, latest)}"

    label = subj.label
    if subj.kind == "year":
        label, ref = f"{label} in {latest.year}", f"in {base_period.year}"
    elif against == "year":
        ref = "een jaar eerder" if lang == "nl" else "a year earlier"
    else:
        ref = "de vorige stand" if lang == "nl" else "the previous snapshot"
    than = "dan" if lang == "nl" else "than"
    delta = row["abs_change"]
    if delta == 0:
        return f"{label} {'even hoog als' if lang == 'nl' else 'the same as'} {ref}"

    pct, approx, ok = _pct_of(present, subj, base_period, latest)
    verdict = _verdict(present, subj, base_period, latest)
    rel = _relative(subj, delta, pct, approx, ok)
    if subj.unit == "percent" or ok:
        title = f"{label} {rel.partition(', ')[0]} {than} {ref}"
    else:
        title = f"{label} {format_change(delta, lang)} {'ten opzichte van' if lang == 'nl' else 'compared with'} {ref}"
    if verdict == WITHIN_NOISE:
        title += ", binnen de normale schommeling" if lang == "nl" else ", within normal variation"
    return title
