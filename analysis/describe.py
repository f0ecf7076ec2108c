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
    format_difference,
    format_number,
    format_percent,
    format_period,
    estimate_step,
    format_estimate,
    format_value,
    join_words,
    lower_first,
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
        rounded = max(_rounded_to(subj, base_period), _rounded_to(subj, period))
        relative = f"{format_difference(delta, lang, rounded, subj.unit == 'count')}; {relative}"
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

    step = estimate_step(t.slope_per_year, *t.slope_ci)  # one precision for the slope and its interval

    def amount(x, with_unit=True):  # a bound near zero keeps its sign: "−0,1 tot +154", not "0 tot +154"
        unit = (" procentpunt" if lang == "nl" else " percentage points") if subj.unit == "percent" else ""
        return f"{format_estimate(x, lang, step)}{unit if with_unit else ''}"

    low, high = t.slope_ci
    span = f"{_period(s, subj, t.start)} {'tot en met' if lang == 'nl' else 'to'} {_period(s, subj, t.end)}"
    points = f"{t.n} {_points_word(subj, t.n)}"
    if lang == "nl":
        text = (f"Lineaire trend over {points} ({span}): {amount(t.slope_per_year)} per jaar "
                f"(95%-interval {amount(low, False)} tot {amount(high)}); ")
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
                f"(95% interval {amount(low, False)} to {amount(high)}); ")
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


@dataclass(frozen=True)
class _Move:
    """What a headline says about one series: how its latest value compares with an earlier one."""

    label: str
    kind: str
    latest: pd.Timestamp
    base: pd.Timestamp | None  # None: nothing to compare with
    delta: float
    amount: str  # "8%", "ongeveer 13%", "4,4 procentpunt", "+7" (a base too small for a percent)
    percent: bool  # whether ``amount`` is relative (else an absolute change, with its sign)
    within_noise: bool
    alone: str  # the headline of this series by itself
    ref: str = ""  # what it was compared with: "een jaar eerder", "de vorige stand", "in 2023"

    @property
    def direction(self) -> int:
        return (self.delta > 0) - (self.delta < 0)


def _move(s: pd.Series, subj: _Subject, against: str) -> _Move:
    lang = subj.lang
    present = s.dropna()
    if present.empty:
        raise ValueError(f"headline: {subj.label!r} has no values")
    latest = present.index[-1]
    row = change(_with_attrs(present, subj), against).loc[latest]
    if pd.isna(row["base_period"]) and against == "year":  # a new half-yearly snapshot: as describe does
        against = "previous"
        row = change(_with_attrs(present, subj), against).loc[latest]
    base_period = row["base_period"]
    if pd.isna(base_period):
        alone = f"{subj.label} {_when(s, subj, latest)}: {_value(s, subj, latest)}"
        return _Move(subj.label, subj.kind, latest, None, math.nan, "", False, False, alone)
    label, ref = subj.label, _reference(subj, against, base_period)
    if subj.kind == "year":
        label = f"{label} in {latest.year}"
    than = "dan" if lang == "nl" else "than"
    delta = row["abs_change"]
    if delta == 0:
        alone = f"{label} {'even hoog als' if lang == 'nl' else 'the same as'} {ref}"
        return _Move(subj.label, subj.kind, latest, base_period, 0.0, "", True, False, alone, ref)
    pct, approx, ok = _pct_of(present, subj, base_period, latest)
    verdict = _verdict(present, subj, base_period, latest)
    rel = _relative(subj, delta, pct, approx, ok).partition(", ")[0]  # "8% hoger", "4,4 procentpunt lager"
    rounded = max(_rounded_to(subj, base_period), _rounded_to(subj, latest))
    if subj.unit == "percent" or ok:
        alone = f"{label} {rel} {than} {ref}"
        amount, percent = rel.rpartition(" ")[0], True
    else:
        amount, percent = format_change(delta, lang, rounded), False
        alone = f"{label} {amount} {'ten opzichte van' if lang == 'nl' else 'compared with'} {ref}"
    within = verdict == WITHIN_NOISE
    if within:
        alone += ", binnen de normale schommeling" if lang == "nl" else ", within normal variation"
    return _Move(subj.label, subj.kind, latest, base_period, float(delta), amount, percent, within, alone, ref)


def _reference(subj: _Subject, against: str, base_period) -> str:
    """What the latest value is compared with: "een jaar eerder", "de vorige stand", "in 2023"."""
    if subj.kind == "year":
        return f"in {pd.Timestamp(base_period).year}"
    if against == "year":
        return "een jaar eerder" if subj.lang == "nl" else "a year earlier"
    return "de vorige stand" if subj.lang == "nl" else "the previous snapshot"


def headline(series_or_indicator_id, lang: str = "nl", store=None, as_of=None, against: str = "year") -> str:
    """A short story title for a chart: what changed, in words.

    Parameters
    ----------
    series_or_indicator_id : str or pandas.Series, or a list of them
        As for :func:`describe`; a list gives one title about all of them (see Returns).
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

        For two or three series compared over the same periods, one sentence about each:
        "Voorraad zedenzaken 8% en aangiftes 9% hoger dan een jaar eerder" (the letter's own
        reading of Tabel 1); for more, how many rose and fell: "Werkvoorraad zedenzaken: 2 van de
        5 cijfers hoger, 3 lager dan een jaar eerder". Series compared over different periods
        get their own headlines, joined.

    Examples
    --------
    >>> import analysis
    >>> analysis.headline("zeden_voorraad", lang="en")
    'Stock of cases 8% higher than a year earlier'
    >>> analysis.headline(["zeden_voorraad", "zeden_aangiftes"])
    'Voorraad zedenzaken 8% en aangiftes 9% hoger dan een jaar eerder'
    """
    if isinstance(series_or_indicator_id, (list, tuple)):
        return _joint_headline(series_or_indicator_id, lang, store, as_of, against)
    s, subj, _, _ = _resolve(series_or_indicator_id, lang, store, as_of)
    return _move(s, subj, against).alone


def _joint_headline(items, lang, store, as_of, against) -> str:
    if not items:
        raise ValueError("headline: no series given")
    resolved = [_resolve(item, lang, store, as_of) for item in items]
    moves = [_move(s, subj, against) for s, subj, _, _ in resolved]
    if len(moves) == 1:
        return moves[0].alone
    same = all(m.base is not None for m in moves) and len({(m.latest, m.base, m.kind, m.ref) for m in moves}) == 1
    first = moves[0]
    en = lang == "en"
    than = "than" if en else "dan"
    tail = f"in {first.latest.year} {than} {first.ref}" if first.kind == "year" else f"{than} {first.ref}"
    if len(moves) > 3:  # counted; compared with one period, or else what "against" asks
        return _count_headline(moves, resolved, lang, tail if same else _COUNT_WORDS[lang][against])
    if not same:  # compared over different periods: each says its own
        return "; ".join([moves[0].alone] + [lower_first(m.alone) for m in moves[1:]])
    words = {1: ("hoger", "higher"), -1: ("lager", "lower")}
    all_noise = all(m.within_noise or m.direction == 0 for m in moves)
    # The changes beyond chance get their size; the others are named after them, briefly.
    sized = [m for m in moves if m.direction != 0 and (all_noise or not m.within_noise)]
    noisy = [m for m in moves if m.direction != 0 and m not in sized]
    level = [m for m in moves if m.direction == 0]
    if not sized:  # nothing moved: "A en b even hoog als een jaar eerder"
        as_high = "the same as" if en else "even hoog als"
        when = f" in {first.latest.year}" if first.kind == "year" else ""
        return f"{join_words([m.label for m in moves], lang)}{when} {as_high} {ref}"
    if len({m.direction for m in sized}) == 1 and all(m.percent for m in sized):
        # all rose (or all fell): "A 8% en b 9% hoger dan een jaar eerder", as the letter reads Tabel 1
        title = f"{join_words([f'{m.label} {m.amount}' for m in sized], lang)} {words[sized[0].direction][en]} {tail}"
    else:
        parts = [f"{m.label} {m.amount}" + (f" {words[m.direction][en]}" if m.percent else "") for m in sized]
        title = f"{join_words(parts, lang)} {tail}"
    if all_noise:
        title += ", within normal variation" if en else ", binnen de normale schommeling"
    if level:
        title += f"; {lower_first(join_words([m.label for m in level], lang))} {'unchanged' if en else 'even hoog'}"
    if noisy:
        title += (f"; {lower_first(join_words([m.label for m in noisy], lang))} "
                  f"{'within normal variation' if en else 'binnen de normale schommeling'}")
    return title


def _count_headline(moves, resolved, lang, tail: str) -> str:
    """"Werkvoorraad zedenzaken: 2 van de 5 cijfers hoger, 3 lager dan een jaar eerder"."""
    catalog = resolved[0][3]
    tables = {catalog.table_of(subj.indicator_id).id for _, subj, _, _ in resolved
              if subj.indicator_id in catalog.indicators}
    group = (catalog.tables[tables.pop()].short_title(lang) + ": ") if len(tables) == 1 else ""
    compared = [m for m in moves if m.base is not None]
    up, down = sum(m.direction > 0 for m in compared), sum(m.direction < 0 for m in compared)
    n, within = len(moves), sum(m.within_noise for m in compared)
    w = _COUNT_WORDS[lang]
    counts = [f"{k} {w['of'].format(n=n) if i == 0 else ''}{word}"
              for i, (k, word) in enumerate([(k, w_) for k, w_ in ((up, w["higher"]), (down, w["lower"])) if k])]
    if up == n or down == n:
        counts = [w["all"].format(n=n, word=w["higher"] if up == n else w["lower"])]
    title = f"{group}{', '.join(counts)} {tail}" if counts else f"{group}{w['figures'].format(n=n)}"
    if within:
        title += f"; {within} {w['change'][within != 1]} {w['within']}"
    return title


_COUNT_WORDS = {
    "nl": {"of": "van de {n} cijfers ", "higher": "hoger", "lower": "lager", "all": "alle {n} cijfers {word}",
           "year": "dan een jaar eerder", "previous": "dan de vorige waarde", "figures": "{n} cijfers",
           "change": ("verandering", "veranderingen"), "within": "binnen de normale schommeling"},
    "en": {"of": "of {n} figures ", "higher": "higher", "lower": "lower", "all": "all {n} figures {word}",
           "year": "than a year earlier", "previous": "than the previous value", "figures": "{n} figures",
           "change": ("change", "changes"), "within": "within normal variation"},
}
