"""The words beside the chart, as plain data: key figures, sentences, definitions and sources,
revisions, and the data table's rows. Imports no dash or plotly; the app turns these into HTML.

Every number and date is written by ``dashboard.words`` (on ``analysis.formatting``); every
sentence comes from ``analysis.describe``; labels, definitions and caveats from the catalog.
"""
from __future__ import annotations

import pandas as pd

import analysis
from analysis.catalog import Catalog
from analysis.store import Store

from .cache import per_store
from .data import present as only_present
from .data import (CHANGE_MODES, catalog_of, change_against_year, data_state, earlier_values, in_range, records, source_series,
                   stored_series, view_series)
from .figures import fit_trend, published_text, revision_notes, short_label, trend_amounts, trend_window
from .i18n import t
from .state import ViewState, indicator_ids, ratio_id
from .words import (change_text, charted_text, compared_text, date_text, period_text, rounding_text,
                    slope_text, status_text, unit_text, value_text)


# --- Key figures ----------------------------------------------------------------------------


def key_figures(state: ViewState, store: Store, catalog: Catalog) -> list[dict]:
    """Per series in view: its latest value, the change on a year earlier, the trend per year.

    Each is a dict of texts: ``label``, ``latest`` and ``latest_note`` (date, status, rounding),
    ``change`` and ``change_note`` (compared with what, and whether beyond chance), ``trend`` and
    ``trend_note`` (95% interval and number of points, or why there is none).
    """
    # Remembered per store version and the fields that matter (not chart type, overlays, ...).
    return _key_figures(store, data_state(state).replace(base=None))


@per_store
def _key_figures(store: Store, state: ViewState) -> list[dict]:
    lang, catalog = state.lang, catalog_of(store)
    out = []
    for key, series in view_series(state, store, catalog).items():
        present = only_present(series)
        if present.empty:
            continue
        last = present.index[-1]
        unit = series.attrs.get("unit", "count")
        rounded = int((series.attrs.get("rounded_to") or {}).get(last, 1) or 1)
        start = (series.attrs.get("period_start") or {}).get(last, last)
        note = [period_text(start, last, lang), status_text((series.attrs.get("status") or {}).get(last), lang)]
        if rounded > 1:
            note.append(rounding_text(rounded, lang))
        figure = {"key": key, "label": short_label(key, catalog, lang),
                  "latest": value_text(present.iloc[-1], unit, lang, rounded),
                  "latest_note": ", ".join(n for n in note if n)}
        figure.update(_change_figure(state, store, key, last, unit, start))
        figure.update(_trend_figure(present, unit, lang))
        out.append(figure)
    return out


def _change_figure(state, store, key, last, unit, start) -> dict:
    lang = state.lang
    row = change_against_year(store, key, state.asof).loc[last]
    if pd.isna(row["base_period"]):
        return {"change": "–", "change_note": t("no_base_year", lang)}
    base = pd.Timestamp(row["base_period"])
    base_start = base if pd.Timestamp(start) == pd.Timestamp(last) else pd.Timestamp(base.year, 1, 1)
    series = stored_series(store, key, state.asof)
    rounding = series.attrs.get("rounded_to") or {}
    rounded = max(int(rounding.get(last, 1) or 1), int(rounding.get(base, 1) or 1))
    if unit == "percent":
        text = slope_text(row["abs_change"], "percent", lang)
    else:
        pct = "" if pd.isna(row["pct_change"]) else f" ({change_text(row['pct_change'], 'pct_change', lang)})"
        text = change_text(row["abs_change"], "change", lang, rounded) + pct
    note = t("hover_base", lang, period=compared_text(base_start, base, lang),
             value=value_text(row["base_value"], unit, lang, int(rounding.get(base, 1) or 1)))
    if isinstance(row["verdict"], str) and unit != "percent":
        note += " · " + t(f"verdict_{row['verdict']}", lang)
    return {"change": text, "change_note": note}


def _trend_figure(present: pd.Series, unit: str, lang: str) -> dict:
    """The slope per year over the trend window (as the chart's trend line and the sentences)."""
    window = trend_window(present)
    fit = fit_trend(window)
    if fit is None:
        return {"trend": "–", "trend_note": t("trend_points", lang, n=len(window))}
    amounts = trend_amounts(fit, window, unit, lang)
    note = f"{t('trend_interval', lang, **amounts)}; {t('trend_span', lang, n=fit.n, span=amounts['span'])}"
    if fit.slope_ci[0] <= 0 <= fit.slope_ci[1]:
        note += " · " + t("trend_not_sure", lang)
    return {"trend": f"{amounts['slope']} {t('per_year', lang)}", "trend_note": note}


# --- Sentences --------------------------------------------------------------------------------


def sentences(state: ViewState, store: Store, catalog: Catalog) -> list[tuple[str, list[str]]]:
    """``analysis.describe`` for every series in view (as published on ``asof``, cut to from/to):
    a list of (label, sentences)."""
    keys = tuple(view_series(state, store, catalog))
    return [(short_label(k, catalog, state.lang), _describe(store, k, state.asof, state.start, state.end, state.lang))
            for k in keys]


@per_store
def _describe(store, key, asof, start, end, lang) -> list[str]:
    # Remembered per store version: describe tests every change for noise, slow on long series.
    series = in_range(stored_series(store, key, asof), ViewState(start=start, end=end))
    try:
        return analysis.describe(series, lang=lang, store=store, as_of=asof)
    except ValueError:
        return []


# --- Definitions and sources -------------------------------------------------------------------


def definitions(state: ViewState, store: Store, catalog: Catalog) -> dict:
    """What the chart shows and where it comes from.

    ``table`` (title, description), ``items`` (per indicator or ratio: label, unit, definition,
    footnotes), ``caveats`` and ``sources`` (title, publisher, published, url, kamerstuk,
    licence, vintage), all as texts in the view's language.
    """
    lang = state.lang
    table = catalog.tables[state.table]
    items = []
    if state.mode == "ratio" and ratio_id(state, catalog):
        ratio = catalog.ratios[ratio_id(state, catalog)]
        items.append({"label": ratio.label(lang), "unit": unit_text(ratio.unit, catalog, lang),
                      "definition": ratio.definition(lang), "footnotes": []})
        keys = [ratio.numerator, ratio.denominator]
    else:
        keys = list(indicator_ids(state, catalog))
    for key in keys:
        ind = catalog.indicators[key]
        items.append({"label": ind.label(lang), "unit": unit_text(ind.unit, catalog, lang),
                      "definition": ind.definition(lang), "footnotes": [f(lang) for f in ind.footnotes]})
    caveats = list(dict.fromkeys(c(lang) for k in keys for c in catalog.caveats_for(k)))
    source_ids = []
    for series in source_series(state, store, catalog).values():
        source_ids += [s for v in (series.attrs.get("source_id") or {}).values() for s in str(v).split(";")]
    if state.mode == "ratio":
        for k in keys:
            s = stored_series(store, k, state.asof)
            source_ids += list((s.attrs.get("source_id") or {}).values()) if s is not None else []
    sources = []
    for sid in dict.fromkeys(s.strip() for s in source_ids):
        r = store.sources.get(sid)
        if r is None:
            continue
        sources.append({"title": r.title, "publisher": r.publisher, "published": published_text(r, lang),
                        "url": r.url, "kamerstuk": r.kamerstuk or "", "licence": r.licence or "",
                        "vintage": date_text(r.vintage, lang)})
    return {"table": {"title": table.title(lang), "description": table.description(lang)},
            "items": items, "caveats": caveats, "sources": sources}


# --- Revisions --------------------------------------------------------------------------------


def revisions(state: ViewState, store: Store, catalog: Catalog) -> list[str]:
    """How each figure in view changed between publications, one sentence per earlier value."""
    earlier = earlier_values(state, store, catalog)
    return revision_notes(earlier, state.lang, named=len(indicator_ids(state, catalog)) > 1)


# --- The data table -----------------------------------------------------------------------------


def table_columns(state: ViewState, catalog: Catalog) -> list[tuple[str, str]]:
    """(field, header) of the data table for the view's mode, in the view's language."""
    lang = state.lang
    columns = [("label", t("col_indicator", lang)), ("period", t("col_period", lang)), ("value", t("col_value", lang))]
    if state.mode in CHANGE_MODES:
        columns += [("level", t("col_level", lang)), ("base", t("col_base", lang)), ("verdict", t("col_verdict", lang))]
    elif state.mode == "index":
        columns += [("level", t("col_level", lang)), ("base", t("col_base", lang))]
    elif state.mode == "ratio":
        ratio = catalog.ratios[ratio_id(state, catalog)]
        columns += [("numerator", short_label(ratio.numerator, catalog, lang)),
                    ("denominator", short_label(ratio.denominator, catalog, lang))]
    columns += [("status", t("col_status", lang)), ("rounding", t("col_rounding", lang)),
                ("vintage", t("col_vintage", lang)), ("source", t("col_source", lang))]
    return columns


def table_rows(state: ViewState, data: pd.DataFrame) -> list[dict]:
    """``view_data`` as the table shows it: texts, plus ``*_sort`` numbers and dates to sort by."""
    lang, mode = state.lang, state.mode
    rows = []
    for r in records(data):
        shown = charted_text(r, mode, lang)
        row = {"label": r["label"], "period": period_text(r["period_start"], r["period_end"], lang, "medium"),
               "period_sort": pd.Timestamp(r["period_end"]).isoformat(), "value": shown,
               "value_sort": None if pd.isna(r["value"]) else float(r["value"]),
               "status": status_text(r["status"], lang), "rounding": rounding_text(r["rounded_to"], lang),
               "vintage": date_text(r["vintage"], lang, "medium"), "source": r["source_id"]}
        if mode in CHANGE_MODES or mode == "index":
            row["level"] = value_text(r["level"], "count", lang, r["rounded_to"])
            row["level_sort"] = None if pd.isna(r["level"]) else float(r["level"])
            if pd.notna(r.get("base_period")):
                base = pd.Timestamp(r["base_period"])
                same_day = pd.Timestamp(r["period_start"]) == pd.Timestamp(r["period_end"])
                rounding = r.get("base_rounded_to", 1) if mode in CHANGE_MODES else r["rounded_to"]
                row["base"] = (f"{period_text(base if same_day else pd.Timestamp(base.year, 1, 1), base, lang, 'medium')}: "
                               f"{value_text(r['base_value'], 'count', lang, rounding)}")
            else:
                row["base"] = t("no_base_year", lang)
        if mode in CHANGE_MODES:
            row["verdict"] = t(f"verdict_{r['verdict']}", lang) if isinstance(r.get("verdict"), str) else ""
        if mode == "ratio":
            row["numerator"] = value_text(r["numerator"], "count", lang)
            row["denominator"] = value_text(r["denominator"], "count", lang)
        rows.append(row)
    return rows
