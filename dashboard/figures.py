"""Charts as pure functions: from the data in view and a few options to a plotly Figure.

``chart(state, store, catalog)`` is the one entry point for a dashboard view; a notebook calls the
very same function (see the dashboard's "Python" panel). Everything a reader needs is inside the
figure itself, so a screenshot or the modebar's "download as PNG" stands on its own: the story
title (from ``analysis.headline``), a statistical subtitle (indicator, unit, reference dates,
mode), and at the foot the source with its publication date and the notes (provisional, rounded
and revised values, the catalog's caveats, the trend in words).

Design: white background, #01689B for a single series, Okabe-Ito colours plus distinct line
styles and markers for several, light horizontal gridlines only, lines labelled at their end,
bars of counts from zero, a note when a zoomed axis does not start at zero, a zero line for
changes, events as labelled vertical lines above the data.

The pieces build plain dicts (plotly's JSON), assembled into one ``go.Figure`` at the end: one
validation instead of one per annotation keeps a chart within a few milliseconds.
Imports no dash; statistics come from ``analysis``.
"""
from __future__ import annotations

import functools
import html
import itertools
import math
import re
import textwrap
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

import analysis
from analysis.catalog import Catalog
from analysis.describe import LONG_RUN_YEARS
from analysis.formatting import estimate_step, join_words
from analysis.store import Store

from .cache import per_store
from .data import (CHANGE_MODES, PROVISIONAL, catalog_of, change_rounding, cut, earlier_values, in_range,
                   present, records, stored_series, view_data, view_series, view_sources)
from .i18n import t
from .state import Notice, ViewState
from .words import (change_text, charted_text, compared_text, date_text, is_snapshot, month_text, period_text, periods_text,
                    rounding_text, slope_text, status_text, unit_text, value_text)

FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"
BLUE = "#01689B"  # close to the Dutch government's blue: the main series
# Okabe-Ito, in an order that keeps neighbours apart; yellow left out (unreadable on white).
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "triangle-down", "hexagon")
INK, MUTED, GRID, AXIS, EVENT, EARLIER = "#1b1b1b", "#4d4d4d", "#e3e3e3", "#8c8c8c", "#5e5e5e", "#767676"
DEFAULT_WIDTH = 960
TREND_MODES = ("level", "index", "ratio")
PROJECTION_YEARS = 3
HEADLINE_DAYS = 420
LINE_SPACING = 1.3
BARGAP = 0.25  # plotly's line height in multi-line text, in font sizes  # a year and the tolerance analysis allows around "a year earlier"


@dataclass
class Sizes:
    """Type and spacing for a chart ``width`` pixels wide; large enough for a slide at 960 px.

    ``height`` fixes the whole figure's height (presets and the presentation view): the plot then
    gets what the texts leave. ``k`` scales strokes, markers and gaps with the type (2 for a
    1920 px slide).
    """

    width: int
    title: float = 24
    subtitle: float = 16
    base: float = 16
    note: float = 13
    label: float = 14
    plot_height: int = 400
    height: int | None = None
    k: float = 1.0

    @classmethod
    def for_width(cls, width: int | None) -> "Sizes":
        width = int(width or DEFAULT_WIDTH)
        if width < 520:
            return cls(width, title=17, subtitle=13, base=12, note=11, label=11, plot_height=260)
        if width < 800:
            return cls(width, title=21, subtitle=15, base=14, note=12, label=13, plot_height=340)
        return cls(width)

    @classmethod
    def for_preset(cls, name: str) -> "Sizes":
        """The sizes of an export preset (``PRESETS``) at 1x."""
        preset = PRESETS[name]
        return cls(preset.width, height=preset.height, k=preset.k, **preset.type)

    @classmethod
    def for_presentation(cls, width: int | None) -> "Sizes":
        """The slide preset scaled to ``width``: 16:9, the slide's larger type."""
        width = int(width or DEFAULT_WIDTH)
        slide = PRESETS["slide"]
        f = width / slide.width
        return cls(width, height=round(width * slide.height / slide.width), k=slide.k * f,
                   **{name: round(size * f * 2) / 2 for name, size in slide.type.items()})

    @classmethod
    def for_view(cls, state: ViewState, width: int | None = None) -> "Sizes":
        return cls.for_presentation(width) if state.view == "presentation" else cls.for_width(width)

    def px(self, pixels: float) -> float:
        """A stroke width, marker size or gap of ``pixels`` at 960 px, at this chart's scale."""
        return round(pixels * self.k, 1)

    def chars(self, font_size: float, pixels: float) -> int:
        """How many characters of ``font_size`` fit in ``pixels`` (sans-serif average)."""
        return max(10, int(pixels / (font_size * 0.5)))

    def text_width(self, text: str, font_size: float) -> float:
        return max((len(line) for line in text.split("<br>")), default=0) * font_size * 0.56


@dataclass(frozen=True)
class Preset:
    """An image export's size at 1x (layout pixels) and its type; PNG exports multiply by a scale."""

    name: str
    width: int
    height: int
    k: float
    type: dict


# letter: 16 x 14.4 cm on an A4 page (its text width). 756 x 680 px at 1x is 120 px per inch, so the
# 2x PNG (1512 px wide) prints at 240 and the 3x (2268 px) at 360 dpi; notes of 13 px print at
# 7.8 pt, ticks at 8.4 pt, the title at 13 pt.
# slide: 16:9, 1920 x 1080 at 1x; type twice that of a 960 px screen, to read at the back of a room.
PRESETS = {
    "letter": Preset("letter", 756, 680, 1.0, dict(title=22, subtitle=16, base=15, note=13, label=14)),
    "slide": Preset("slide", 1920, 1080, 2.0, dict(title=54, subtitle=34, base=32, note=25, label=30)),
}


@dataclass
class Parts:
    """What a chart is made of, as plotly JSON, before it becomes a Figure."""

    traces: list = field(default_factory=list)
    annotations: list = field(default_factory=list)
    shapes: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    extra_y: list = field(default_factory=list)  # values the axis must show besides the data

    def note(self, text: str | None):
        if text and text not in self.notes:
            self.notes.append(text)

    def mark(self) -> tuple:
        """Where the next trace, annotation, shape and extra value will go (see ``move_to``)."""
        return len(self.traces), len(self.annotations), len(self.shapes), len(self.extra_y)

    def move_to(self, panel: int, since: tuple) -> None:
        """Draw what was added ``since`` a ``mark`` against the values axis of ``panel`` (0: the top one)."""
        if panel:
            ref = f"y{panel + 1}"
            for trace in self.traces[since[0]:]:
                trace["yaxis"] = ref
            for item in self.annotations[since[1]:] + self.shapes[since[2]:]:
                if item.get("yref", "y") == "y":
                    item["yref"] = ref


# --- The one entry point --------------------------------------------------------------------


def chart(state: ViewState, store: Store, catalog: Catalog, width: int | None = None,
          preset: str | None = None) -> "go.Figure":
    """The chart of a view: the very figure the dashboard shows for ``state``.

    Parameters
    ----------
    state
        The view (``dashboard.state.ViewState``; ``dashboard.state.from_query`` reads one from
        a link).
    store, catalog
        ``analysis.load()`` and ``analysis.load_catalog()``.
    width
        The width in pixels the figure is laid out for (type sizes, wrapping of title and notes);
        on screen the figure still follows its container. Default 960.
    preset
        ``"letter"`` or ``"slide"`` (``PRESETS``): the figure laid out for an image export at that
        preset's fixed width, height and type (``width`` is then ignored).

    Notes
    -----
    ``fig.layout.meta["notices"]`` lists, in the view's language, what the view could not do as
    asked (e.g. a log scale for changes).
    """
    import plotly.graph_objects as go  # here, not at the top: the dashboard sends plain JSON and starts without it

    return go.Figure(chart_spec(state, store, catalog, width, preset))


def chart_spec(state: ViewState, store: Store, catalog: Catalog, width: int | None = None,
               preset: str | None = None) -> dict:
    """``chart`` as plotly JSON (``{"data": [...], "layout": {...}}``), not yet validated by plotly.

    The dashboard sends this to the browser as it is: building a ``go.Figure`` validates every
    property, which costs more than making the chart. ``go.Figure(chart_spec(...))`` is ``chart``.
    """
    data = view_data(state, store, catalog)
    series = view_series(state, store, catalog)
    earlier = earlier_values(state, store, catalog)
    sizes = Sizes.for_preset(preset) if preset else None
    return view_spec(state, data, series, store, catalog, width=width, earlier=earlier, sizes=sizes)


def view_spec(state: ViewState, data: pd.DataFrame, series: dict, store: Store, catalog: Catalog,
              width: int | None = None, earlier: pd.DataFrame | None = None, sizes: Sizes | None = None) -> dict:
    """The chart of ``view_data`` output, as plotly JSON.

    ``series`` (``view_series``) feeds the story title; ``earlier`` (``earlier_values``) the
    revision notes and, with ``state.revisions``, the earlier published values beside revised ones.
    ``sizes`` overrides the sizes for ``width`` (and for ``view=presentation``).

    ``layout.meta`` holds ``notices`` and the chart's texts as plain text (``title``,
    ``subtitle``, ``reference``, ``source``, ``notes``), for downloads that carry the same words.
    """
    lang, sizes = state.lang, sizes or Sizes.for_view(state, width)
    notices = list(data.attrs.get("notices", []))
    if data.empty:
        return _empty_figure(state, catalog, sizes, notices)

    keys = list(dict.fromkeys(data["indicator_id"]))
    styles = {key: series_style(i, len(keys)) for i, key in enumerate(keys)}
    labels = {key: short_label(key, catalog, lang) for key in keys}
    log = state.log and state.mode not in CHANGE_MODES and bool((data["value"].dropna() > 0).all())
    if state.log and not log:
        notices.append(Notice("notice_log_change"))
    if (state.trend or state.projection) and state.mode not in TREND_MODES:
        notices.append(Notice("notice_trend_change"))

    parts = Parts()
    rows = records(data)  # plain dicts: pandas costs more per step than the step on frames this small
    rows_of = {key: [r for r in rows if r["indicator_id"] == key] for key in keys}
    # Counts and rates on one axis flatten the rate to a line along zero: each unit gets a panel
    # of its own, one above the other on the same time axis.
    units = list(dict.fromkeys(rows_of[key][0]["unit"] for key in keys)) if state.mode in ("level", "change") else [None]
    panel_of = {key: units.index(rows_of[key][0]["unit"]) if len(units) > 1 else 0 for key in keys}
    extra_of = [[] for _ in units]
    earlier = earlier if earlier is not None else pd.DataFrame()
    for key in keys:
        since = parts.mark()
        add_series(parts, rows_of[key], state, styles[key], labels[key], sizes)
        if state.mode in TREND_MODES and (state.trend or state.projection):
            charted = charted_series(rows_of[key])
            if state.trend:
                add_trend(parts, charted, styles[key], labels[key], lang, sizes)
            if state.projection:
                add_projection(parts, charted, styles[key], labels[key], lang, sizes)
        if state.revisions and state.mode == "level" and not earlier.empty:
            add_earlier_values(parts, earlier[earlier["indicator_id"] == key], lang, sizes)
        parts.move_to(panel_of[key], since)
        extra_of[panel_of[key]] += parts.extra_y[since[3]:]

    panel_data = [data[data["unit"] == unit] if unit else data for unit in units]
    axes = [y_axis_layout(d, state, extra, log, sizes) for d, extra in zip(panel_data, extra_of)]
    if any(zoomed for _, zoomed in axes):
        parts.note(t("note_axis_not_zero", lang))
    if log:
        parts.note(t("note_log", lang))
    data_notes(parts, data, state, rows, labels)
    for note in revision_notes(earlier, lang, named=len(keys) > 1):
        parts.note(note)
    for caveat in caveats(keys, catalog, lang):
        parts.note(caveat)

    texts = dict(title=headline(state, series, store, catalog), subtitle=subtitle_text(state, data, catalog),
                 source=source_line(data, store, lang), notes=list(parts.notes))
    margin_l = int(max(sizes.text_width(_tick_sample(axis, lang), sizes.base - 1) for axis, _ in axes) + sizes.px(20))
    x_range = _x_range(parts, state)
    bars = state.chart == "bar"
    ends = {named: end_label_texts(rows_of, state, labels, sizes, named) for named in (True, False)}
    # Several bars get a legend; several lines are named at their ends, unless the names do not fit
    # beside a short plot (a letter's): then a legend names them and the ends give the values.
    legend = bars and len(keys) > 1
    while True:
        named = len(keys) > 1 and not legend
        margin_r = int(sizes.px(24)) if bars and legend else end_label_margin(ends[named], sizes)
        plot_w = sizes.width - margin_l - margin_r
        band = place_events(catalog.events_for(state.table) if state.events else [], x_range, plot_w, sizes, lang)
        legend_h = legend_height(labels.values(), sizes.width - margin_l, sizes) if legend else 0
        layout = chart_layout(**texts, unit=unit_label(panel_data[0], state, catalog), sizes=sizes, lang=lang,
                              margin_l=margin_l, margin_r=margin_r, band_h=band.height + legend_h, legend=legend)
        if legend or end_labels_fit(ends[named], sizes):
            break
        legend = True
    draw_events(parts, band, sizes)  # the plot's height is known now: the layout fitted it
    if legend:  # above the events' labels
        layout["legend"]["y"] = 1 + (band.height + sizes.px(2)) / sizes.plot_height
    domains = panel_domains(len(units), sizes)
    if not (bars and legend):
        gap = _bar_half_width(data, x_range, plot_w) if bars else 0
        for panel, ((axis, _), (low, high)) in enumerate(zip(axes, domains)):
            since = parts.mark()
            add_end_labels(parts, [e for e in ends[named] if panel_of[e[0]] == panel], styles, sizes, axis, gap,
                           height=(high - low) * sizes.plot_height)
            parts.move_to(panel, since)
    layout["xaxis"] = x_axis_layout(data, x_range, plot_w, sizes, lang)
    for panel, ((axis, _), domain) in enumerate(zip(axes, domains)):
        ticks = max(3, min(axis["nticks"], int((domain[1] - domain[0]) * sizes.plot_height / (sizes.base * 2.5))))
        layout[f"yaxis{panel + 1 if panel else ''}"] = {**axis, "domain": domain, "anchor": "x", "nticks": ticks}
        if panel:  # the unit above each lower panel, as above the top one
            layout["annotations"].append({**layout["annotations"][0], "y": domain[1], "yshift": sizes.px(2),
                                          "text": _esc(unit_label(panel_data[panel], state, catalog))})
    layout["xaxis"]["anchor"] = f"y{len(units)}" if len(units) > 1 else "y"
    layout["annotations"] = layout["annotations"] + parts.annotations
    layout["shapes"] = parts.shapes
    layout["meta"] = {"notices": [n.text(lang) for n in notices], "reference": reference_text(data, lang), **texts}
    return {"data": parts.traces, "layout": layout}


# --- Series, trend, projection, revisions, events ----------------------------------------------


def series_style(i: int, n: int) -> dict:
    """Colour, line style and marker of the i-th of n series: one blue, or Okabe-Ito + dashes."""
    if n == 1:
        return {"color": BLUE, "dash": "solid", "symbol": "circle"}
    return {"color": OKABE_ITO[i % len(OKABE_ITO)], "dash": DASHES[i % len(DASHES)],
            "symbol": SYMBOLS[i % len(SYMBOLS)]}


def short_label(key: str, catalog: Catalog, lang: str) -> str:
    item = catalog.indicators.get(key)
    return item.short_label(lang) if item else catalog.ratios[key].label(lang)


@functools.lru_cache(maxsize=8192)  # the same periods on every chart of a table
def x_position(start, end) -> pd.Timestamp:
    """Where a value sits on the time axis: a snapshot on its date, a year total mid-year."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    return end if start == end else (start + (end - start) / 2).normalize()


def x_positions(rows: pd.DataFrame) -> list[pd.Timestamp]:
    return [x_position(s, e) for s, e in zip(rows["period_start"], rows["period_end"])]


def hover_text(row: dict, mode: str, lang: str) -> str:
    """What a reader needs about one value: what, when, how much, how sure, published when."""
    when = period_text(row["period_start"], row["period_end"], lang)
    lines = [f"<b>{_esc(row['label'])}</b>"]
    if mode in CHANGE_MODES:
        lines.append(f"{when}: {change_text(row['value'], mode, lang, change_rounding(row))}")
        if pd.notna(row.get("base_period")):
            base = row["base_period"]
            base_when = compared_text(base, base, lang) if is_snapshot(row["period_start"], row["period_end"]) \
                else str(pd.Timestamp(base).year)
            lines.append(f"{value_text(row['level'], 'count', lang, row['rounded_to'])} · " + t(
                "hover_base", lang, period=base_when, value=value_text(row["base_value"], "count", lang, row["base_rounded_to"])))
        if isinstance(row.get("verdict"), str):
            lines.append(t(f"verdict_{row['verdict']}", lang))
    else:
        value = value_text(row["value"], row["unit"], lang, row["rounded_to"])
        lines.append(f"{when}: {t('hover_index', lang, value=value) if mode == 'index' else value}")
        if mode == "index":
            lines.append(value_text(row["level"], "count", lang, row["rounded_to"]))
        if mode == "ratio":  # "642 van 1.676": the parts the share is made of
            lines.append(t("hover_ratio", lang, numerator=value_text(row["numerator"], "count", lang),
                           denominator=value_text(row["denominator"], "count", lang)))
    detail = [status_text(row["status"], lang)]
    if row["rounded_to"] and int(row["rounded_to"]) > 1:
        detail.append(rounding_text(row["rounded_to"], lang))
    lines.append(", ".join(d for d in detail if d))
    lines.append(t("hover_published", lang, date=date_text(row["vintage"], lang)))
    return "<br>".join(line for line in lines if line)


def add_series(parts: Parts, rows: list[dict], state: ViewState, style: dict, label: str,
               sizes: Sizes | None = None) -> None:
    """One indicator (its rows of ``view_data``, as ``records``) as a line or bars; provisional values
    hollow (line) or hatched (bar)."""
    px = (sizes or Sizes(DEFAULT_WIDTH)).px
    records = rows
    provisional = [r["status"] in PROVISIONAL for r in records]
    trace = dict(x=[x_position(r["period_start"], r["period_end"]) for r in records],
                 y=np.array([r["value"] for r in records], dtype=float), name=label, legendgroup=label,
                 hovertext=[hover_text(r, state.mode, state.lang) for r in records],
                 hovertemplate="%{hovertext}<extra></extra>", meta={"indicator_id": records[0]["indicator_id"]})
    if state.chart == "bar":
        faint = [r.get("verdict") == "within_noise" for r in records]
        trace.update(type="bar", marker=dict(
            color=style["color"], opacity=[0.45 if f else 1.0 for f in faint],
            line=dict(color=style["color"], width=px(1.5)),
            pattern=dict(shape=["/" if p else "" for p in provisional], fillmode="overlay", fgcolor="white",
                         size=px(8), solidity=0.4)))
    else:
        trace.update(type="scatter", mode="lines+markers", connectgaps=False,
                     line=dict(color=style["color"], width=px(3), dash=style["dash"]),
                     marker=dict(color=style["color"], size=px(9 if len(records) <= 12 else 7 if len(records) <= 30 else 5),
                                 line=dict(color=style["color"], width=px(2 if len(records) <= 30 else 1.5)),
                                 symbol=[style["symbol"] + ("-open" if p else "") for p in provisional]))
    parts.traces.append(trace)


def charted_series(rows: list[dict]) -> pd.Series:
    """The charted values of one indicator (its rows of ``view_data``, as ``records``) by period
    end, with unit and period starts in attrs."""
    index = pd.DatetimeIndex([r["period_end"] for r in rows], name="period_end")
    series = pd.Series(np.array([r["value"] for r in rows], dtype=float), index=index, name=rows[0]["indicator_id"])
    series.attrs = {"unit": rows[0]["unit"], "indicator_id": rows[0]["indicator_id"],
                    "period_start": dict(zip(index, (r["period_start"] for r in rows)))}
    return series


def add_trend(parts: Parts, charted: pd.Series, style: dict, label: str, lang: str,
              sizes: Sizes | None = None) -> None:
    """The fitted trend (``analysis.trend``) with its 95% band, and the slope in words at the foot.

    Fitted over the last ten years in view at most, as ``analysis.describe`` does: over a longer
    run a straight line mostly misdescribes (choose an earlier ``from`` to see an earlier stretch).
    """
    clean = trend_window(present(charted))
    fit = fit_trend(clean)
    if fit is None:
        return
    unit = charted.attrs.get("unit", "count")
    xs = _positions(clean, fit.fitted.index)
    words = trend_words(fit, clean, label, unit, lang)
    parts.traces.append(dict(type="scatter", mode="lines", x=xs + xs[::-1],
                             y=list(fit.band["conf_high"]) + list(fit.band["conf_low"])[::-1],
                             fill="toself", fillcolor=_rgba(style["color"], 0.12), line=dict(width=0),
                             hoverinfo="skip", name=f"{label}: {t('trend_band', lang)}", showlegend=False))
    parts.traces.append(dict(type="scatter", mode="lines", x=xs, y=list(fit.fitted), showlegend=False,
                             name=f"{label}: {t('trend', lang)}", line=dict(color=style["color"], width=_px(sizes, 2), dash="dot"),
                             hovertext=[words] * len(xs), hovertemplate="%{hovertext}<extra></extra>"))
    parts.note(words)
    parts.extra_y += list(fit.band["conf_low"]) + list(fit.band["conf_high"])


_FITS: OrderedDict = OrderedDict()
_FITS_LOCK = threading.Lock()


def fit_trend(series: pd.Series):
    """``analysis.trend(series)``, or None where it gives none; remembered by the values themselves
    (a fit takes milliseconds, and the same view is drawn again on every change of language or style)."""
    key = (tuple(series.index.asi8), tuple(series.to_numpy(dtype=float)))
    with _FITS_LOCK:
        if key in _FITS:
            return _FITS[key]
    try:
        fit = analysis.trend(series)
    except (ValueError, KeyError):
        fit = None
    with _FITS_LOCK:
        _FITS[key] = fit
        while len(_FITS) > 256:
            _FITS.popitem(last=False)
    return fit


def trend_window(series: pd.Series) -> pd.Series:
    """The last ``LONG_RUN_YEARS`` of a series: the stretch a trend line and its slope describe."""
    if series.empty:
        return series
    return cut(series, series.index > series.index[-1] - pd.DateOffset(years=LONG_RUN_YEARS))


def trend_amounts(fit, series: pd.Series, unit: str, lang: str) -> dict:
    """The slope, its interval's bounds (one precision for the three) and the span of ``series``
    as texts: what the chart's note and the key figures say of a trend."""
    step = estimate_step(fit.slope_per_year, *fit.slope_ci)
    starts = series.attrs.get("period_start") or {}
    first, last = series.index[0], series.index[-1]
    return {"slope": slope_text(fit.slope_per_year, unit, lang, step), "low": slope_text(fit.slope_ci[0], None, lang, step),
            "high": slope_text(fit.slope_ci[1], unit, lang, step),
            "span": periods_text(starts.get(first, first), first, starts.get(last, last), last, lang, "medium")}


def trend_words(fit, series: pd.Series, label: str, unit: str, lang: str) -> str:
    """"Trend (Aangiftes): +77 per jaar (95%-interval −0,1 tot +154), op 5 punten (stand 2 jun 2022 t/m ...)."""
    return t("note_trend", lang, label=label, n=fit.n, **trend_amounts(fit, series, unit, lang))


def add_projection(parts: Parts, charted: pd.Series, style: dict, label: str, lang: str,
                   sizes: Sizes | None = None) -> None:
    """The trend continued with its 95% prediction interval, only where ``analysis.project`` allows.

    From the same stretch as the trend line (``trend_window``), so it continues the line drawn.
    """
    clean = trend_window(present(charted))
    if clean.empty:
        return
    # At most PROJECTION_YEARS ahead, and no further than half the span the data cover.
    ahead = min(pd.Timedelta(days=365.25 * PROJECTION_YEARS), (clean.index[-1] - clean.index[0]) / 2)
    projection = analysis.project(clean, clean.index[-1] + ahead)
    if projection.refused:
        parts.note(t("note_projection_refused", lang, label=label, reason=_in_lang(projection.refused, lang)))
        return
    frame = projection.frame
    unit = charted.attrs.get("unit", "count")
    xs = _positions(clean, frame.index, future=True)
    parts.traces.append(dict(type="scatter", mode="lines", x=xs + xs[::-1],
                             y=list(frame["pred_high"]) + list(frame["pred_low"])[::-1], fill="toself",
                             fillcolor=_rgba(style["color"], 0.08),
                             line=dict(width=_px(sizes, 1), color=_rgba(style["color"], 0.45), dash="dot"),
                             hoverinfo="skip", name=f"{label}: {t('projection_band', lang)}", showlegend=False))
    hover = [f"<b>{_esc(label)}: {t('projection', lang)}</b><br>{period_text(d, d, lang)}: {value_text(m, unit, lang)}"
             f"<br>{t('projection_band', lang)}: {value_text(lo, unit, lang)} – {value_text(hi, unit, lang)}"
             for d, m, lo, hi in zip(frame.index, frame["mean"], frame["pred_low"], frame["pred_high"])]
    parts.traces.append(dict(type="scatter", mode="lines+markers", x=_positions(clean, clean.index[-1:]) + xs,
                             y=[float(clean.iloc[-1]), *frame["mean"]], showlegend=False,
                             name=f"{label}: {t('projection', lang)}",
                             line=dict(color=style["color"], width=_px(sizes, 2), dash="dash"),
                             marker=dict(symbol="circle-open", size=_px(sizes, 8), color=style["color"]),
                             hovertext=["", *hover], hovertemplate="%{hovertext}<extra></extra>"))
    parts.annotations.append(dict(x=xs[-1], y=float(frame["pred_high"].iloc[-1]), text=t("projection", lang).upper(),
                                  showarrow=False, xanchor="right", yanchor="bottom", yshift=_px(sizes, 4),
                                  font=dict(color=style["color"], size=_px(sizes, 12))))
    parts.note(t("note_projection", lang, label=label, until=date_text(frame.index[-1], lang)))
    parts.extra_y += list(frame["pred_low"]) + list(frame["pred_high"])


def add_earlier_values(parts: Parts, earlier: pd.DataFrame, lang: str, sizes: Sizes | None = None) -> None:
    """Values as published earlier, beside the revised value in view, joined by a dotted line."""
    records_ = records(earlier)
    xs = [x_position(r["period_start"], r["period_end"]) for r in records_]
    hover = [f"<b>{_esc(r['label'])}</b><br>{period_text(r['period_start'], r['period_end'], lang)}, "
             f"{t('earlier_published', lang)}: {value_text(r['value'], 'count', lang, r['rounded_to'])}"
             f" ({status_text(r['status'], lang)})<br>{t('hover_published', lang, date=date_text(r['vintage'], lang))}"
             for r in records_]
    parts.traces.append(dict(type="scatter", mode="markers", x=xs, y=earlier["value"].to_numpy(dtype=float),
                             name=t("earlier_published", lang), showlegend=False,
                             marker=dict(symbol="diamond-open", size=_px(sizes, 13), color=EARLIER,
                                         line=dict(width=_px(sizes, 2))),
                             hovertext=hover, hovertemplate="%{hovertext}<extra></extra>"))
    for x, r in zip(xs, records_):
        parts.shapes.append(dict(type="line", x0=x, x1=x, y0=r["value"], y1=r["current_value"], xref="x", yref="y",
                                 line=dict(color=EARLIER, width=_px(sizes, 1.5), dash="dot")))
    parts.note(t("note_earlier_values", lang))
    parts.extra_y += list(earlier["value"])


@dataclass
class EventBand:
    """Events placed in the band of labels above the plot: (event, text, right-aligned, row)."""

    placed: list
    row_height: float
    height: float


def place_events(events, x_range, plot_w: float, sizes: Sizes, lang: str) -> EventBand:
    """Where the labels of dated events go in a band above the data, and how high the band is.

    Each label goes right of its line or left of it, whichever way needs the fewest rows (a label
    that would overlap another goes a row up); right of the line where that makes no difference.
    """
    span = (x_range[1] - x_range[0]).total_seconds() or 1
    wrap = max(14, sizes.chars(sizes.label - 1, plot_w * 0.3))  # a label takes at most 30% of the plot
    gap = sizes.px(8)
    labels = []  # (event, text, [(start, end, left of the line), ...]) of each event in range
    for event in sorted(events, key=lambda e: e.date):
        when = pd.Timestamp(event.date)
        if not x_range[0] <= when <= x_range[1]:
            continue
        x_px = (when - x_range[0]).total_seconds() / span * plot_w
        text = _wrap(f"{event.label(lang)} ({date_text(event.date, lang, 'medium')})", wrap)
        width = sizes.text_width(text, sizes.label - 1) + gap
        sides = [(x_px, x_px + width, False), (x_px - width, x_px, True)]
        labels.append((event, text, [s for s in sides if s[0] >= 0 and s[1] <= plot_w]
                       or [sides[1] if x_px + width > plot_w else sides[0]]))

    def stack(choice):
        rows: list[list] = []
        out = []
        for (event, text, sides), side in zip(labels, choice):
            start, end_, left = sides[side]
            row = next((i for i, r in enumerate(rows) if all(start > b + gap or end_ < a - gap for a, b in r)), len(rows))
            rows[row:row + 1] = [(rows[row] if row < len(rows) else []) + [(start, end_)]]
            out.append((event, text, left, row))
        return len(rows), out

    choices = itertools.product(*[range(len(sides)) for _, _, sides in labels]) if len(labels) <= 8 \
        else [tuple(0 for _ in labels)]
    placed = min((stack(c) for c in choices), key=lambda r: (r[0], sum(p[2] for p in r[1])))[1] if labels else []
    n_rows = max((p[3] for p in placed), default=-1) + 1
    lines_per_row = max((p[1].count("<br>") + 1 for p in placed), default=1)
    row_h = lines_per_row * (sizes.label - 1) * 1.25 + sizes.px(6)
    return EventBand(placed, row_h, n_rows * row_h)


def draw_events(parts: Parts, band: EventBand, sizes: Sizes) -> None:
    """Dated events as dashed vertical lines up to their labels (see ``place_events``)."""
    for event, text, right, row in band.placed:
        lift = row * band.row_height + sizes.px(2)  # pixels from the top of the plot to the bottom of the label
        parts.shapes.append(dict(type="line", x0=event.date, x1=event.date, xref="x", yref="paper", y0=0,
                                 y1=1 + lift / sizes.plot_height, line=dict(color=EVENT, width=sizes.px(1.5), dash="dash"),
                                 layer="below"))
        parts.annotations.append(dict(
            x=event.date, xref="x", yref="paper", y=1, yanchor="bottom", yshift=lift,
            xanchor="right" if right else "left", xshift=-sizes.px(3) if right else sizes.px(3),
            align="right" if right else "left",
            text=text, showarrow=False, font=dict(size=sizes.label - 1, color=EVENT), bgcolor="rgba(255,255,255,0.9)"))


def end_label_texts(rows_of: dict, state: ViewState, labels: dict, sizes: Sizes,
                    named: bool = True) -> list[tuple]:
    """(indicator, x, y, text) of each line's end label: the last value, with the name if several
    (and ``named``). ``rows_of``: each indicator's rows of ``view_data``, as ``records``."""
    keys = list(rows_of)
    out = []
    for key in keys:
        rows = [r for r in rows_of[key] if pd.notna(r["value"])]
        if not rows:
            continue
        last = rows[-1]
        value = charted_text(last, state.mode, state.lang)
        text = value if len(keys) == 1 or not named else _wrap(labels[key], 16 if sizes.width >= 800 else 11) + "<br>" + _esc(value)
        out.append((key, x_position(last["period_start"], last["period_end"]), float(last["value"]), text))
    return out


def _bar_half_width(data: pd.DataFrame, x_range, plot_w: float) -> float:
    """Half a bar's width in pixels: plotly makes a bar the closest periods' distance less the gap."""
    xs = sorted(set(x_positions(data)))
    if len(xs) < 2:
        return 0.0
    closest = min(b - a for a, b in zip(xs, xs[1:]))
    return closest / (x_range[1] - x_range[0]) * plot_w * (1 - BARGAP) / 2


def end_label_margin(ends: list[tuple], sizes: Sizes) -> int:
    """The right margin the end labels (``end_label_texts``) need."""
    texts = [e[3] for e in ends]
    return int(max((sizes.text_width(_plain(t_), sizes.label) for t_ in texts), default=0) + sizes.px(24))


def _label_half_heights(texts, sizes: Sizes) -> list[float]:
    return [_lines(text) * sizes.label * 1.35 / 2 + sizes.px(2) for text in texts]


def end_labels_fit(ends: list[tuple], sizes: Sizes) -> bool:
    """Whether the end labels (``end_label_texts``), stacked, fit beside the plot's height."""
    halves = _label_half_heights([e[3] for e in ends], sizes)
    return 2 * sum(halves) <= sizes.plot_height


def legend_height(names, width: float, sizes: Sizes) -> float:
    """The height of a horizontal legend of ``names`` in ``width`` pixels (items wrap into rows)."""
    rows, used = 1, 0.0
    for name in names:
        item = sizes.text_width(str(name), sizes.label) + sizes.px(48)  # the symbol and the gap after it
        if used and used + item > width:
            rows, used = rows + 1, 0.0
        used += item
    # plotly: a row is the text's height (at least 16 px) plus 3, and each series is its own
    # legend group, 10 px (tracegroupgap) from the next
    return rows * (max(sizes.label * 1.3, 16) + 3 + 10) + sizes.px(6)


def add_end_labels(parts: Parts, ends: list[tuple], styles, sizes: Sizes, y_axis: dict, gap: float = 0.0,
                   height: float | None = None) -> None:
    """Label each series at its end (``ends``: ``end_label_texts``; ``gap`` pixels further right:
    half a bar), moving labels apart where they would overlap in the ``height`` pixels of the axis
    (default: the plot's)."""
    lo, hi = y_axis["range"]
    log = y_axis.get("type") == "log"
    height = height or sizes.plot_height

    def to_px(v):
        v = math.log10(v) if log else v
        return (v - lo) / (hi - lo) * height

    placed = sorted(([to_px(y), key, x, y, text] for key, x, y, text in ends), key=lambda p: p[0])
    half = _label_half_heights([p[4] for p in placed], sizes)  # half a label's height
    for i, p in enumerate(placed):  # upwards: each clear of the one below, none below the axis
        floor = placed[i - 1][0] + half[i - 1] + half[i] if i else half[i]
        p[0] = max(p[0], floor)
    for i in range(len(placed) - 1, -1, -1):  # downwards: none above the plot, each clear of the one above
        ceiling = placed[i + 1][0] - half[i + 1] - half[i] if i < len(placed) - 1 else height - half[i]
        placed[i][0] = min(placed[i][0], ceiling)
    for y_px, key, x, y, text in placed:
        parts.annotations.append(dict(x=x, y=y, text=text, showarrow=False, xanchor="left", xshift=gap + sizes.px(10),
                                      yshift=y_px - to_px(y), align="left",
                                      font=dict(color=styles[key]["color"], size=sizes.label)))


# --- Text ------------------------------------------------------------------------------------


def headline(state: ViewState, series: dict, store: Store, catalog: Catalog) -> str:
    """The story title from ``analysis.headline`` for the series in view (as cut to from/to): of
    one series, or of all of them together ("Voorraad zedenzaken 8% en aangiftes 9% hoger ...")."""
    if not series:
        return catalog.tables[state.table].short_title(state.lang)
    return _headline(store, tuple(series), state.asof, state.start, state.end, state.lang)


@per_store
def _headline(store: Store, keys: tuple, asof, start, end, lang: str) -> str:
    # Remembered per store version: the noise test behind the title takes tens of milliseconds.
    recent = []
    for key in keys:
        s = present(in_range(stored_series(store, key, asof), ViewState(start=start, end=end)))
        if len(s):
            # The title compares the latest value with a year earlier; giving it just that stretch
            # spares the noise tests of every older change.
            recent.append(cut(s, s.index >= s.index[-1] - pd.Timedelta(days=HEADLINE_DAYS)))
    try:
        if recent:
            return analysis.headline(recent if len(recent) > 1 else recent[0], lang=lang, store=store, as_of=asof)
    except (ValueError, KeyError):
        pass
    return ", ".join(short_label(key, catalog_of(store), lang) for key in keys)


def subtitle_text(state: ViewState, data: pd.DataFrame, catalog: Catalog) -> str:
    """Indicator(s), unit, reference dates, mode: "Voorraad aantal zedenzaken, aantal · stand ..."."""
    lang = state.lang
    parts = [names_and_units(state, data, catalog), span_text(data, lang)]
    if state.mode == "index":
        parts.append(t("subtitle_index", lang, base=base_text(data, lang)))
    else:
        parts.append(t(f"subtitle_{state.mode}", lang))
    if state.asof:
        parts.append(t("asof", lang).lower() + " " + date_text(state.asof, lang))
    return " · ".join(parts)


def names_and_units(state: ViewState, data: pd.DataFrame, catalog: Catalog) -> str:
    """The series in view with their unit, each unit said once: "Voorraad zedenzaken en aangiftes,
    aantal"; "Misdrijven per 1 000 inwoners" (the name says it); "Misdrijven (aantal) en misdrijven
    per 1 000 inwoners" when the units differ."""
    lang = state.lang
    first_rows = {}  # indicator -> its first row's label and unit (columns read once: no frame operations)
    for k, label, unit in zip(data["indicator_id"].tolist(), data["label"].tolist(), data["unit"].tolist()):
        first_rows.setdefault(k, {"label": label, "unit": unit})
    keys = list(first_rows)
    names = {k: first_rows[k]["label"] if len(keys) == 1 else short_label(k, catalog, lang) for k in keys}
    units = {k: unit_text(catalog.indicators[k].unit if state.mode in ("pct_change", "index") and k in catalog.indicators
                          else first_rows[k]["unit"], catalog, lang) for k in keys}

    def says_unit(k):
        return units[k].lower() in names[k].lower()

    if len(set(units.values())) == 1:
        joined = join_words(list(names.values()), lang)
        return joined if all(says_unit(k) for k in keys) else f"{joined}, {units[keys[0]]}"
    return join_words([names[k] if says_unit(k) else f"{names[k]} ({units[k]})" for k in keys], lang)


def reference_text(data: pd.DataFrame, lang: str) -> str:
    """The reference date of the latest figure in view: "stand 2 juni 2026" or "2024"."""
    last = _last_period(data)
    return period_text(last["period_start"], last["period_end"], lang)


def _first_period(data: pd.DataFrame) -> dict:
    """The period columns of the row with the first period end (a dict; no sort of the frame)."""
    i = int(np.argmin(data["period_end"].to_numpy()))
    return {"period_start": data["period_start"].iat[i], "period_end": data["period_end"].iat[i]}


def _last_period(data: pd.DataFrame) -> dict:
    i = len(data) - 1 - int(np.argmax(data["period_end"].to_numpy()[::-1]))  # the last of equal ends
    return {"period_start": data["period_start"].iat[i], "period_end": data["period_end"].iat[i]}


def base_text(data: pd.DataFrame, lang: str) -> str:
    """The index base period: "stand 2 juni 2022" or "2015"."""
    base = pd.Timestamp(data["base_period"].iloc[0])
    start = data["period_start"][data["period_end"] == base]
    return period_text(start.iloc[0] if len(start) else base, base, lang, "medium") \
        if is_snapshot(data["period_start"].iloc[0], data["period_end"].iloc[0]) else str(base.year)


def span_text(data: pd.DataFrame, lang: str) -> str:
    """The reference dates: "stand 2 juni 2022 t/m stand 2 juni 2026" or "2013 t/m 2024"."""
    first, last = _first_period(data), _last_period(data)
    return periods_text(first["period_start"], first["period_end"], last["period_start"], last["period_end"], lang)


def unit_label(data: pd.DataFrame, state: ViewState, catalog: Catalog) -> str:
    """The values axis' unit, written above it."""
    lang = state.lang
    if state.mode == "change":
        return t("axis_change", lang, unit=unit_text(data["unit"].iloc[0], catalog, lang))
    if state.mode == "pct_change":
        return t("axis_pct_change", lang)
    if state.mode == "index":
        return t("subtitle_index", lang, base=base_text(data, lang))
    return " / ".join(dict.fromkeys(unit_text(u, catalog, lang) for u in data["unit"]))


def source_line(data: pd.DataFrame, store: Store, lang: str) -> str:
    """"Bron: publisher, title (gepubliceerd ...)" for every source of the values in view."""
    items = [f"{r.publisher}, {r.title} ({t('published', lang)} {published_text(r, lang)})"
             for r in view_sources(data, store)]
    if not items:
        return ""
    return f"{t('source' if len(items) == 1 else 'sources_line', lang)}: " + "; ".join(items) + "."


_MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
              "oktober", "november", "december")


def published_text(record, lang: str) -> str:
    """A source's publication date as precise as its record states it, in the reader's language.

    Records say "2024", "2023-03" or "juni 2026"; a full date is written out in full.
    """
    text = str(record.published or "").strip()
    if re.fullmatch(r"\d{4}", text):
        return text
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return month_text(int(m[1]), int(m[2]), lang)
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        return date_text(text, lang)
    if m := re.fullmatch(r"([a-z]+) (\d{4})", text.lower()):
        if m[1] in _MONTHS_NL:
            return month_text(int(m[2]), _MONTHS_NL.index(m[1]) + 1, lang)
    return text or date_text(record.vintage, lang)


def data_notes(parts: Parts, data: pd.DataFrame, state: ViewState, rows: list[dict] | None = None,
               labels: dict | None = None) -> None:
    """Notes on provisional and rounded values, changes within noise, missing percentages, as-of.

    ``rows``: ``data`` as ``records``, if the caller has them already; ``labels`` (indicator id ->
    short label) name the series a rounding note is about when there are several."""
    lang = state.lang
    rows = records(data) if rows is None else rows
    provisional = [r for r in rows if r["status"] in PROVISIONAL]
    if provisional:
        periods = _periods(provisional, lang)
        parts.note(t("note_provisional_bar" if state.chart == "bar" else "note_provisional", lang, periods=periods))
    rounded: dict[tuple, list] = {}  # (indicator, rounding) -> its rows, in the order of the data
    for r in rows:
        rounding = 1 if pd.isna(r["rounded_to"]) else int(r["rounded_to"])
        if rounding > 1:
            rounded.setdefault((r["indicator_id"], rounding), []).append(r)
    several = len({r["indicator_id"] for r in rows}) > 1  # then say which series was rounded
    for (key, rounding), rounded_rows in rounded.items():
        periods = _periods(rounded_rows, lang)
        periods = f"{(labels or {}).get(key, rounded_rows[0]['label'])} ({periods})" if several else _cap(periods)
        parts.note(t("note_rounded", lang, periods=periods, rounding=rounding_text(rounding, lang)))
    if state.chart == "bar" and "verdict" in data and any(r["verdict"] == "within_noise" for r in rows):
        parts.note(t("note_within_noise", lang))
    if state.mode == "pct_change" and any(pd.isna(r["value"]) for r in rows):
        parts.note(t("note_pct_missing", lang))
    gaps = missing_years(data)
    if gaps and state.chart == "line":
        parts.note(t("note_gaps", lang, years=_year_runs(gaps, lang)))
    if state.asof:
        parts.note(t("note_asof", lang, date=date_text(state.asof, lang)))


def missing_years(data: pd.DataFrame) -> list[int]:
    """Years without a published total inside a series of year totals: a line crosses them straight."""
    missing = set()
    starts, ends = pd.DatetimeIndex(data["period_start"]), pd.DatetimeIndex(data["period_end"])
    whole_years = ((starts.month == 1) & (starts.day == 1) & (ends.month == 12) & (ends.day == 31))
    ids, end_years = data["indicator_id"].to_numpy(), ends.year.to_numpy()
    for key in dict.fromkeys(ids):
        mine = ids == key
        if not whole_years[mine].all():
            continue
        years = set(end_years[mine].tolist())
        missing |= set(range(min(years), max(years) + 1)) - years
    return sorted(missing)


def _year_runs(years: list[int], lang: str) -> str:
    """[2014, 2016, 2017] -> "2014 en 2016–2017" ("2014 and 2016–2017")."""
    runs = []
    for year in years:
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return join_words([str(a) if a == b else f"{a}–{b}" for a, b in runs], lang)


def revision_notes(earlier: pd.DataFrame, lang: str, named: bool = False) -> list[str]:
    """"2023 herzien: eerder 807.375 (voorlopig, gepubliceerd 31 december 2024), nu 816 duizend.";
    ``named``: which indicator too ("Aangiftes, stand 2 juni 2026 herzien: ..."), for a view of several."""
    if earlier.empty:
        return []
    return [t("note_revised", lang,
              period=_cap((f"{r['label']}, " if named else "") + period_text(r["period_start"], r["period_end"], lang)),
              old=value_text(r["value"], "count", lang, r["rounded_to"]), status=status_text(r["status"], lang),
              date=date_text(r["vintage"], lang), new=value_text(r["current_value"], "count", lang, r["current_rounded_to"]))
            for r in records(earlier)]


def caveats(keys, catalog: Catalog, lang: str) -> list[str]:
    """The catalog's caveats for the indicators (or the parts of the ratio) in view, each once."""
    indicators = []
    for key in keys:
        if key in catalog.indicators:
            indicators.append(key)
        else:
            indicators += [catalog.ratios[key].numerator, catalog.ratios[key].denominator]
    return list(dict.fromkeys(c(lang) for i in indicators for c in catalog.caveats_for(i)))


# --- Layout ----------------------------------------------------------------------------------


def chart_layout(title, subtitle, unit, source, notes, sizes: Sizes, lang, margin_l, margin_r, band_h=0.0,
                 legend=False) -> dict:
    """Title, subtitle, unit above the axis, a band for event labels and the foot: nothing overlaps.

    The plot area is ``sizes.plot_height`` high and the figure grows with its text; with a fixed
    ``sizes.height`` the plot gets what the text leaves (``sizes.plot_height`` is set to it), the
    notes' type shrinking a little (to 85%) first where they would leave the plot less than 42%.
    """
    note_size = sizes.note
    while True:
        frame = _frame(title, subtitle, source, notes, sizes, note_size, band_h)
        if not sizes.height or sizes.height - frame["top"] - frame["bottom"] >= 0.42 * sizes.height \
                or note_size <= 0.85 * sizes.note:
            break
        note_size -= 0.5
    top, bottom, axis_h, gap = frame["top"], frame["bottom"], frame["axis_h"], sizes.px(14)
    if sizes.height:
        sizes.plot_height = max(int(sizes.height - top - bottom), int(0.25 * sizes.height))
    annotations = [dict(text=_esc(unit), xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="bottom",
                        yshift=band_h + sizes.px(2), xshift=-margin_l + sizes.px(12), showarrow=False,
                        font=dict(size=sizes.base - 1, color=MUTED))]
    if frame["foot"]:
        annotations.append(dict(text=frame["foot"], xref="paper", yref="paper", x=0, xshift=-margin_l + sizes.px(12),
                                y=0, yshift=-(axis_h + gap), yanchor="top", xanchor="left", align="left",
                                showarrow=False, font=dict(size=note_size, color=MUTED)))
    return dict(
        height=sizes.height or top + sizes.plot_height + bottom,
        autosize=True,
        margin=dict(l=margin_l, r=margin_r, t=top, b=bottom, pad=0, autoexpand=False),
        paper_bgcolor="white",
        plot_bgcolor="white",
        font=dict(family=FONT, size=sizes.base, color=INK),
        separators=",." if lang == "nl" else ".,",
        title=dict(text=f"<b>{frame['title']}</b>", x=0, xref="container", xanchor="left", y=1, yref="container",
                   yanchor="top", font=dict(size=sizes.title, color=INK, family=FONT),
                   # plotly lifts a title of several lines by about 0.75 em (measured): lower it as much
                   pad=dict(l=sizes.px(12), t=sizes.px(14) + (0.75 * sizes.title if _lines(frame["title"]) > 1 else 0)),
                   subtitle=dict(text=frame["subtitle"], font=dict(size=sizes.subtitle, color=MUTED, family=FONT))),
        showlegend=legend,
        legend=dict(orientation="h", x=0, xanchor="left", y=1, yanchor="bottom", yref="paper", itemwidth=max(30, sizes.px(30)),
                    font=dict(size=sizes.label), bgcolor="rgba(0,0,0,0)"),
        hovermode="closest",
        hoverlabel=dict(bgcolor="white", bordercolor=AXIS, font=dict(family=FONT, size=sizes.label, color=INK),
                        align="left"),
        barmode="group",
        bargap=BARGAP,
        dragmode=False,
        annotations=annotations,
    )


def _frame(title, subtitle, source, notes, sizes: Sizes, note_size: float, band_h: float) -> dict:
    """The texts wrapped to the width, and the pixels they take above and below the plot."""
    inner = sizes.width - sizes.px(24)
    title_text = _wrap(title, sizes.chars(sizes.title * 1.08, inner))  # bold runs wider
    subtitle_text_ = _wrap(subtitle, sizes.chars(sizes.subtitle, inner))
    foot_chars = sizes.chars(note_size, inner)
    foot_text = "<br>".join(_wrap(line, foot_chars) for line in [source, *notes] if line)
    title_h = _lines(title_text) * sizes.title * LINE_SPACING
    subtitle_h = _lines(subtitle_text_) * sizes.subtitle * 1.3
    unit_h = sizes.base * 1.5
    top = int(sizes.px(14) + title_h + sizes.px(10) + subtitle_h + sizes.px(10) + unit_h + band_h)
    axis_h = sizes.base * 2.2
    foot_h = _lines(foot_text) * note_size * 1.35 if foot_text else 0
    bottom = int(axis_h + sizes.px(14) + foot_h + sizes.px(12))
    return dict(title=title_text, subtitle=subtitle_text_, foot=foot_text, top=top, bottom=bottom, axis_h=axis_h)


def x_axis_layout(data: pd.DataFrame, x_range, plot_w: float, sizes: Sizes, lang: str) -> dict:
    """Ticks at the periods (and the years a projection reaches), labelled the Dutch or English way,
    thinned to what fits."""
    _, first = np.unique(data["period_end"].to_numpy(), return_index=True)  # each period once, in order
    period_starts, period_ends = data["period_start"].iloc[first].tolist(), data["period_end"].iloc[first].tolist()
    xs = [x_position(s, e) for s, e in zip(period_starts, period_ends)]
    ends = [pd.Timestamp(e) for e in period_ends]
    snapshot = is_snapshot(period_starts[0], period_ends[0])
    tick_px = (7.5 if snapshot else 3.2) * sizes.base  # "2 jun 2026" vs "2026"
    max_ticks = max(2, int(plot_w / tick_px))
    if snapshot:
        # From the latest back, a date only where its label clears the one after it: snapshots
        # need not be evenly spaced (a December letter adds half-yearly ones).
        span = (x_range[1] - x_range[0]).total_seconds() or 1
        at = [(x - x_range[0]).total_seconds() / span * plot_w for x in xs]
        keep = []
        for i in range(len(xs) - 1, -1, -1):
            if not keep or at[keep[-1]] - at[i] >= tick_px:
                keep.append(i)
        keep = keep[::-1]
        tickvals, ticktext = [xs[i] for i in keep], [date_text(ends[i], lang, "medium") for i in keep]
    else:
        years = [e.year for e in ends]
        future = [y for y in range(years[-1] + 1, pd.Timestamp(x_range[1]).year + 1)
                  if x_position(f"{y}-01-01", f"{y}-12-31") <= x_range[1]]
        last = future[-1] if future else years[-1]
        step = next((s for s in (1, 2, 5, 10, 20, 25, 50) if (last - years[0]) / s + 1 <= max_ticks), 50)
        keep = [i for i, y in enumerate(years) if y % step == 0] or [0]
        tickvals = [xs[i] for i in keep] + [x_position(f"{y}-01-01", f"{y}-12-31") for y in future if y % step == 0]
        ticktext = [str(years[i]) for i in keep] + [str(y) for y in future if y % step == 0]
    return dict(range=list(x_range), tickvals=tickvals, ticktext=ticktext,
                showgrid=False, zeroline=False, showline=True, linecolor=AXIS, linewidth=sizes.px(1), ticks="outside",
                tickcolor=AXIS, ticklen=sizes.px(5), tickwidth=sizes.px(1), tickfont=dict(size=sizes.base - 1),
                automargin=False)


def panel_domains(n: int, sizes: Sizes) -> list[list[float]]:
    """The vertical extent of ``n`` panels, top first, as fractions of the plot's height, with room
    between them for the lower panel's unit."""
    gap = min(sizes.base * 2.5 / sizes.plot_height, 0.3) if n > 1 else 0.0
    height = (1 - gap * (n - 1)) / n
    return [[round(1 - i * (height + gap) - height, 4), round(1 - i * (height + gap), 4)] for i in range(n)]


def y_axis_layout(data: pd.DataFrame, state: ViewState, extra: list, log: bool, sizes: Sizes) -> tuple[dict, bool]:
    """Range and format of the values axis, and whether it is zoomed (does not start at zero).

    Bars and changes include zero (changes with a zero line); a line of levels far from zero
    zooms in, and the foot says so.
    """
    values = [float(v) for v in [*data["value"].dropna(), *extra] if pd.notna(v)]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    suffix = "%" if data["unit"].iloc[0] == "percent" else ""
    axis = dict(showgrid=True, gridcolor=GRID, gridwidth=sizes.px(1), zeroline=False, showline=False, ticks="",
                tickfont=dict(size=sizes.base - 1), ticksuffix=suffix, tickformat=",.2~f", nticks=7,
                automargin=False)
    if log and lo > 0:
        pad = (math.log10(hi) - math.log10(lo)) * 0.08 or 0.1
        axis.update(type="log", range=[math.log10(lo) - pad, math.log10(hi) + pad])
        return axis, False
    if state.mode in CHANGE_MODES or state.chart == "bar" or lo < 0 or lo < 0.4 * hi:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        pad = (hi - lo) * 0.08 or 1
        axis.update(range=[lo - (pad if lo < 0 else 0), hi + (pad if hi > 0 else 0)], zeroline=True,
                    zerolinecolor="#333333", zerolinewidth=sizes.px(1.5))
        return axis, False
    pad = (hi - lo) * 0.12 or abs(hi) * 0.05 or 1
    axis.update(range=[lo - pad, hi + pad])
    return axis, True


def _x_range(parts: Parts, state: ViewState):
    xs = [pd.Timestamp(x) for trace in parts.traces for x in trace["x"] if x is not None]
    first, last = min(xs), max(xs)
    pad = max((last - first) * 0.04, pd.Timedelta(days=200 if state.chart == "bar" else 90))
    return first - pad, last + pad


def _tick_sample(axis: dict, lang: str) -> str:
    """The widest tick label the values axis will show, to size the left margin."""
    lo, hi = axis["range"]
    if axis.get("type") == "log":
        lo, hi = 10 ** lo, 10 ** hi
    big = max(abs(lo), abs(hi))
    digits = len(f"{big:,.0f}")
    return "−" + "0" * digits + axis.get("ticksuffix", "") + ("0,0" if big < 10 else "")


def _empty_figure(state, catalog, sizes, notices) -> dict:
    lang = state.lang
    message = t("no_data_asof", lang, date=date_text(state.asof, lang)) if state.asof else t("no_data", lang)
    layout = dict(height=sizes.height or sizes.plot_height + 140, paper_bgcolor="white", plot_bgcolor="white",
                  font=dict(family=FONT, size=sizes.base, color=INK),
                  title=dict(text=f"<b>{_esc(catalog.tables[state.table].title(lang))}</b>", x=0, xref="container",
                             pad=dict(l=12), font=dict(size=sizes.title)),
                  xaxis=dict(visible=False), yaxis=dict(visible=False),
                  annotations=[dict(text=_esc(message), x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                                    font=dict(size=sizes.base + 2, color=MUTED))],
                  meta={"notices": [n.text(lang) for n in notices], "title": catalog.tables[state.table].title(lang),
                        "subtitle": message, "reference": "", "source": "", "notes": []})
    return {"data": [], "layout": layout}


# --- Helpers ---------------------------------------------------------------------------------


def _positions(series: pd.Series, index, future: bool = False) -> list:
    """x positions of period end dates of ``series``; future ones get the series' period length."""
    starts = series.attrs.get("period_start", {})
    last = series.index[-1]
    length = pd.Timestamp(last) - pd.Timestamp(starts.get(last, last))
    return [x_position(starts.get(end, end - length if future else end), end) for end in index]


def _in_lang(reason, lang: str) -> str:
    if isinstance(reason, dict):
        return reason.get(lang) or next(iter(reason.values()))
    return reason(lang) if callable(reason) else str(reason)


def _periods(rows: list[dict], lang: str) -> str:
    """The periods of ``rows`` in time order, each once: "2022, 2023, 2024"."""
    ordered = sorted(rows, key=lambda r: pd.Timestamp(r["period_end"]))
    return ", ".join(dict.fromkeys(period_text(r["period_start"], r["period_end"], lang, "medium") for r in ordered))


def _px(sizes: Sizes | None, pixels: float) -> float:
    return sizes.px(pixels) if sizes else pixels


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _esc(text) -> str:
    """Text as plotly shows it literally ("Aangiftes > 6 maanden" is not a tag)."""
    return html.escape(str(text), quote=False)


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<(?!br>)[^>]+>", "", text))


_NUMBER_SPACE, _KEEP = re.compile(r"(?<=\d) (?=\d{3}(?!\d))"), "\ue000"  # a private-use character


@functools.lru_cache(maxsize=4096)  # the same titles and notes are wrapped on every chart of a view
def _wrap(text: str, width: int) -> str:
    """Escaped text broken into lines of at most ``width`` characters, joined by <br>."""
    if not text:
        return ""
    # "per 1 000 inwoners" stays whole: no break inside a number written with spaces
    kept = _NUMBER_SPACE.sub(_KEEP, str(text))
    return "<br>".join(_esc(line.replace(_KEEP, " "))
                       for line in textwrap.wrap(kept, width=width, break_long_words=False))



def _lines(text: str) -> int:
    return text.count("<br>") + 1 if text else 0


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
