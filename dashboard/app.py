"""The Dash app, built by a factory so tests and gunicorn get the same app from settings.

Layout: a header (product name, language switch), the controls in one column (above the chart on
a phone), the chart card, key figures, and tabs (in words, data, definitions and sources,
revisions, Python). Every view is a URL: one callback keeps the address and the controls in step
(``dashboard.state`` turns one into the other); the others draw the view from the address. The
callbacks are thin: parse the state, call ``dashboard.data``/``figures``/``content``, return.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path

import dash_ag_grid as dag
from dash import Dash, Input, Output, State, callback_context, dcc, html, no_update

import analysis
from analysis.catalog import load_catalog
from analysis.change import catalog_for

from . import content, downloads, export
from .cache import per_view
from .code import python_code
from .data import earlier_values, serve_with, view_data, view_series
from .figures import PRESETS, view_spec
from .i18n import t
from .server import configure
from .settings import Settings
from .state import MODES, ViewState, default_table, from_query, indicator_ids, normalize, ratio_id, table_ratios, to_query
from .words import date_text, period_text

OPTIONS = ("trend", "projection", "events", "log", "revisions")
TABS = ("sentences", "data", "sources", "revisions", "python")
# Elements whose text is simply an i18n string: element id -> key.
STATIC_TEXT = {
    "product": "product", "tagline": "tagline", "controls-title": "controls", "label-lang": "language",
    "label-table": "table", "label-indicators": "indicators", "label-mode": "mode", "label-base": "base",
    "label-ratio": "ratio", "label-chart": "chart", "label-range": "range", "label-from": "from", "label-to": "to",
    "label-options": "options", "label-asof": "asof", "key-figures-title": "key_figures",
    "python-intro": "python_intro", "revisions-intro": "revisions_intro",
    "present": "presentation_on", "explore": "presentation_off", "label-export": "export_image",
    "label-download": "download_data",
    **{f"tab-{name}": f"tab_{name}" for name in TABS},
}
GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "zoomIn2d", "zoomOut2d", "pan2d", "zoom2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "politiestatistiek"},
}


def create_app(settings: Settings | None = None, warm: bool = True) -> Dash:
    """The dashboard for the store in ``settings.store_dir``; ``app.server`` is the WSGI app.

    ``warm``: draw each table's main view once in a background thread, when the server is idle
    (see ``warm_up``).
    """
    settings = settings or Settings.from_env()
    store = analysis.load(settings.store_dir)
    catalog = load_catalog(settings.catalog) if settings.catalog else catalog_for(store)
    serve_with(store, catalog)
    app = Dash(__name__, title="Politiestatistiek", update_title=None)
    app.layout = layout(catalog)
    app.callbacks = register_callbacks(app, store, catalog, settings)
    register_files(app, store, catalog)
    # Before configure's hooks: a request one of them refuses still ends, so it must be counted as started.
    idle = track_requests(app.server) if warm else None
    configure(app, settings, store)  # headers, /healthz, error pages, import (dashboard/server.py)
    if warm:
        threading.Thread(target=warm_up, args=(app.callbacks, idle), daemon=True, name="dashboard-warm-up").start()
    return app


class Idle:
    """Whether the server is answering requests: the warm-up works only when it is not."""

    def __init__(self):
        self.busy = 0
        self.answered = threading.Event()  # set once the server has answered its first request
        self.quiet = threading.Condition()

    def wait(self, calm: float = 0.5) -> None:
        """Until the server has answered a request and then none arrived for ``calm`` seconds."""
        self.answered.wait()
        with self.quiet:
            while True:
                if self.busy == 0 and not self.quiet.wait(timeout=calm) and self.busy == 0:
                    return
                self.quiet.wait_for(lambda: self.busy == 0)


def track_requests(server) -> Idle:
    idle = Idle()

    def start():
        with idle.quiet:
            idle.busy += 1
            idle.quiet.notify_all()

    def end(_exc=None):
        with idle.quiet:
            idle.busy -= 1
            idle.quiet.notify_all()
        idle.answered.set()

    server.before_request(start)
    server.teardown_request(end)
    return idle


def warm_up(callbacks: "Callbacks", idle: Idle | None = None) -> None:
    """Draw each table's main view once, in both languages, before anyone asks.

    The noise tests and sentences of a 76-year series take seconds the first time and are then
    remembered (``dashboard.cache``); this spends them in the background, view by view whenever
    the server has been idle a moment (``idle``): never while it starts or answers. The default
    view comes first.
    """
    try:
        tables = [default_table(callbacks.catalog), *callbacks.catalog.tables]
        for table in dict.fromkeys(tables):
            for lang in ("nl", "en"):
                query = to_query(ViewState(table=table, lang=lang))
                for draw in (callbacks.render, callbacks.words):
                    if idle is not None:
                        idle.wait()
                    draw(query)
    except Exception:  # a cold cache is slower, not wrong: never let this stop the app
        logging.getLogger(__name__).exception("warming the dashboard's caches failed")


# --- Layout -------------------------------------------------------------------------------------


def _field(label_id: str, control, *, group: bool = False, hidden_id: str | None = None):
    """A labelled control; groups of radio buttons or checkboxes are a fieldset with a legend."""
    wrapper = {"id": hidden_id} if hidden_id else {}
    if group:
        return html.Fieldset([html.Legend(id=label_id), control], className="field", **wrapper)
    return html.Div([html.Label(id=label_id, htmlFor=control.id), control], className="field", **wrapper)


def layout(catalog) -> html.Div:
    table_options = [{"label": tb.short_title("nl"), "value": tb.id} for tb in catalog.tables.values()]
    controls = html.Aside(id="controls", className="controls", **{"aria-labelledby": "controls-title"}, children=[
        html.H2(id="controls-title", className="controls-title"),
        _field("label-table", dcc.Dropdown(id="table", options=table_options, clearable=False, searchable=False)),
        _field("label-indicators", dcc.Checklist(id="indicators", className="choices"), group=True,
               hidden_id="field-indicators"),
        _field("label-mode", dcc.RadioItems(id="mode", className="choices"), group=True),
        _field("label-base", dcc.Dropdown(id="base", clearable=True, searchable=False), hidden_id="field-base"),
        _field("label-ratio", dcc.Dropdown(id="ratio", clearable=False, searchable=False), hidden_id="field-ratio"),
        _field("label-chart", dcc.RadioItems(id="chart-type", className="choices inline"), group=True),
        html.Fieldset(className="field range", children=[
            html.Legend(id="label-range"),
            html.Div([html.Label(id="label-from", htmlFor="from"), dcc.Dropdown(id="from", searchable=False)]),
            html.Div([html.Label(id="label-to", htmlFor="to"), dcc.Dropdown(id="to", searchable=False)]),
        ]),
        _field("label-options", dcc.Checklist(id="options", className="choices"), group=True),
        _field("label-asof", dcc.Dropdown(id="asof", clearable=False, searchable=False)),
    ])
    tabs = html.Div(className="tabs", children=[
        html.Div(role="tablist", className="tablist", children=[
            html.Button(id=f"tab-{name}", role="tab", className="tab", n_clicks=0,
                        **{"aria-selected": "true" if i == 0 else "false", "aria-controls": f"panel-{name}"})
            for i, name in enumerate(TABS)]),
        html.Div(id="panel-sentences", role="tabpanel", className="panel", **{"aria-labelledby": "tab-sentences"}),
        html.Div(id="panel-data", role="tabpanel", className="panel", hidden=True, **{"aria-labelledby": "tab-data"},
                 children=[dag.AgGrid(id="grid", columnDefs=[], rowData=[], className="ag-theme-quartz grid",
                                      defaultColDef={"sortable": True, "resizable": True, "minWidth": 90},
                                      dashGridOptions={"domLayout": "autoHeight", "suppressMovableColumns": True,
                                                       "suppressColumnVirtualisation": True},
                                      eventListeners={"rowDataUpdated": ["sizeColumnsToContents(params)"]})]),
        html.Div(id="panel-sources", role="tabpanel", className="panel", hidden=True,
                 **{"aria-labelledby": "tab-sources"}),
        html.Div(id="panel-revisions", role="tabpanel", className="panel", hidden=True,
                 **{"aria-labelledby": "tab-revisions"},
                 children=[html.P(id="revisions-intro"), html.Ul(id="revisions-list")]),
        html.Div(id="panel-python", role="tabpanel", className="panel", hidden=True, **{"aria-labelledby": "tab-python"},
                 children=[html.P(id="python-intro"),
                           html.Div(className="code", children=[dcc.Clipboard(target_id="python-code", className="copy"),
                                                                html.Pre(html.Code(id="python-code"))])]),
    ])
    main = html.Main(id="main", className="main", children=[
        html.Div(id="notices", className="notices", role="status", **{"aria-live": "polite"},
                 children=[html.Ul(id="link-notices"), html.Ul(id="view-notices")]),
        html.Button(id="explore", className="button explore-button", n_clicks=0),
        html.Figure(id="chart-card", className="card chart-card", **{"aria-describedby": "chart-text"}, children=[
            dcc.Graph(id="chart", config=GRAPH_CONFIG, className="chart"),
            html.Figcaption(id="chart-text", className="sr-only"),
        ]),
        publish_bar(),
        html.Section(className="key-figures", **{"aria-labelledby": "key-figures-title"}, children=[
            html.H2(id="key-figures-title", className="sr-only"), html.Div(id="key-figures", className="kf-grid")]),
        tabs,
    ])
    header = html.Header(className="header", children=[
        html.Div(className="brand", children=[html.H1(id="product"), html.P(id="tagline", className="tagline")]),
        html.Fieldset(className="lang", children=[
            html.Legend(id="label-lang", className="sr-only"),
            dcc.RadioItems(id="lang", className="choices inline lang-switch",
                           options=[{"label": "Nederlands", "value": "nl"}, {"label": "English", "value": "en"}]),
        ]),
    ])
    return html.Div(id="page", className="page", children=[
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="view"),
        dcc.Store(id="sized-view"),
        dcc.Store(id="resized"),
        html.A("Naar de grafiek / Skip to chart", href="#chart-card", className="skip-link"),
        header,
        html.Div(className="layout", children=[controls, main]),
    ])


# The image exports and data downloads offered under the chart: link id -> (route, format, scale).
EXPORT_LINKS = {"export-png-2": ("export", "png", 2), "export-png-3": ("export", "png", 3),
                "export-svg": ("export", "svg", None), "export-pdf": ("export", "pdf", None)}
DOWNLOAD_LINKS = {"download-csv": ("download", "csv", None), "download-xlsx": ("download", "xlsx", None),
                  "download-parquet": ("download", "parquet", None)}
LINK_TEXT = {"export-png-2": "PNG 2×", "export-png-3": "PNG 3×", "export-svg": "SVG", "export-pdf": "PDF",
             "download-csv": "CSV", "download-xlsx": "Excel (XLSX)", "download-parquet": "Parquet"}


def publish_bar() -> html.Div:
    """Under the chart: the presentation view, image exports in a preset, downloads of the data."""
    def links(ids):
        return html.Div([html.A(LINK_TEXT[i], id=i, className="button", download="") for i in ids],
                        className="publish-links")
    return html.Div(id="publish", className="publish", children=[
        html.Button(id="present", className="button present-button", n_clicks=0),
        html.Div(className="publish-group", role="group", **{"aria-labelledby": "label-export"}, children=[
            html.Span(id="label-export", className="publish-label"),
            dcc.RadioItems(id="export-preset", value=export.DEFAULT_PRESET, className="choices inline"),
            links(EXPORT_LINKS)]),
        html.Div(className="publish-group", role="group", **{"aria-labelledby": "label-download"}, children=[
            html.Span(id="label-download", className="publish-label"), links(DOWNLOAD_LINKS)]),
    ])


# --- From controls to a view and back ------------------------------------------------------------


def state_from_controls(values: dict, previous: ViewState, catalog) -> ViewState:
    """The view the controls show. A new table starts from its own main indicator and all periods."""
    table = values["table"] if values["table"] in catalog.tables else previous.table
    options = set(values["options"] or [])
    state = ViewState(
        table=table,
        indicators=tuple(i for i in (values["indicators"] or []) if catalog.indicators.get(i) and
                         catalog.indicators[i].table == table),
        mode=values["mode"] if values["mode"] in MODES else "level",
        ratio=values["ratio"], base=values["base"] or None, chart=values["chart-type"] or "line",
        start=_date(values["from"]), end=_date(values["to"]),
        trend="trend" in options, projection="projection" in options, events="events" in options,
        log="log" in options, revisions="revisions" in options,
        asof=_date(values["asof"]), lang=values["lang"] if values["lang"] in ("nl", "en") else "nl",
        view=previous.view,
    )
    if table != previous.table:
        state = state.replace(indicators=(), ratio=None, base=None, start=None, end=None,
                              mode="level" if state.mode == "ratio" and not table_ratios(table, catalog) else state.mode)
    if state.mode == "ratio" and not table_ratios(table, catalog):
        state = state.replace(mode="level")
    if state.start and state.end and state.start > state.end:
        state = state.replace(end=None) if values.get("_changed") == "from" else state.replace(start=None)
    return normalize(state, catalog)


def _date(text):
    try:
        return dt.date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def controls_for(state: ViewState, store, catalog) -> dict:
    """The value and options of every control for a view, in the view's language."""
    lang = state.lang
    table = catalog.tables[state.table]
    ratios = table_ratios(state.table, catalog)
    ids = list(indicator_ids(state, catalog))
    periods = store.select(ids if state.mode != "ratio" else
                           [catalog.ratios[ratio_id(state, catalog)].numerator], state.asof)
    periods = periods.drop_duplicates("period_end").sort_values("period_end")
    period_options = [{"label": period_text(s, e, lang, "medium"), "value": e.strftime("%Y-%m-%d")}
                      for s, e in zip(periods["period_start"], periods["period_end"])]

    def with_value(options, value):  # a period from a link that is not a period of the table
        if value and value not in {o["value"] for o in options}:
            options = [*options, {"label": date_text(value, lang, "medium"), "value": value}]
        return options

    start = state.start.isoformat() if state.start else None
    end = state.end.isoformat() if state.end else None
    vintages = store.vintages()
    return {
        "lang": {"value": lang},
        "table": {"value": state.table,
                  "options": [{"label": tb.short_title(lang), "value": tb.id} for tb in catalog.tables.values()]},
        "indicators": {"value": ids, "options": [
            {"label": catalog.indicators[i].short_label(lang), "value": i} for i in table.indicators]},
        "mode": {"value": state.mode, "options": [
            {"label": t(f"mode_{m}", lang), "value": m, "disabled": m == "ratio" and not ratios} for m in MODES]},
        "base": {"value": state.base, "options": with_value(period_options, state.base)},
        "ratio": {"value": ratio_id(state, catalog),
                  "options": [{"label": catalog.ratios[r].label(lang), "value": r} for r in ratios]},
        "chart-type": {"value": state.chart,
                       "options": [{"label": t(f"chart_{c}", lang), "value": c} for c in ("line", "bar")]},
        "from": {"value": start, "options": with_value(period_options, start)},
        "to": {"value": end, "options": with_value(period_options, end)},
        "options": {"value": [o for o in OPTIONS if getattr(state, o)],
                    "options": [{"label": t(f"opt_{o}", lang), "value": o} for o in OPTIONS]},
        "asof": {"value": state.asof.isoformat() if state.asof else "",
                 "options": [{"label": t("asof_latest", lang), "value": ""}] + with_value(
                     [{"label": date_text(v, lang), "value": v.isoformat()} for v in reversed(vintages)],
                     state.asof.isoformat() if state.asof else None)},
    }


CONTROL_IDS = ("lang", "table", "indicators", "mode", "base", "ratio", "chart-type", "from", "to", "options", "asof")
WITH_OPTIONS = ("table", "indicators", "mode", "base", "ratio", "chart-type", "from", "to", "options", "asof")


# --- Callbacks ---------------------------------------------------------------------------------


class Callbacks:
    """What the callbacks do, as plain methods (tests call them directly); ``register`` wires them.

    Each returns a dict keyed by output name; Dash gets them in ``*_OUTPUTS`` order.
    """

    def __init__(self, store, catalog, settings: Settings):
        self.store, self.catalog, self.settings = store, catalog, settings
        self._drawn = per_view(lambda store, state, width: self._draw(state, width))

    def sync(self, trigger, search, values: dict, previous) -> dict:
        """Keep address and controls in step: a new address sets the controls, a control the address.

        ``trigger`` is the control that changed (None or ``"url"`` for a new address), ``values``
        the controls' values by id, ``previous`` the view before (its query string).
        """
        catalog = self.catalog
        notices = []  # about the link: shown until the first change made with the controls
        if trigger in VIEW_BUTTONS and previous is not None:
            state = from_query(previous, catalog)[0].replace(view=VIEW_BUTTONS[trigger])
        elif trigger in (None, "url") or previous is None:
            state, found = from_query(search, catalog)
            notices = [html.Li(n.text(state.lang)) for n in found]
        else:
            state = state_from_controls({**values, "_changed": trigger}, from_query(previous, catalog)[0], catalog)
        query = to_query(state)
        controls = controls_for(state, self.store, catalog)
        out = {"search": query if query != (search or "") else no_update, "view": query, "link_notices": notices,
               "hide_base": state.mode != "index", "hide_ratio": state.mode != "ratio",
               "hide_indicators": state.mode == "ratio", "placeholder_from": t("all_periods", state.lang),
               "placeholder_to": t("all_periods", state.lang), "placeholder_base": t("first_period", state.lang),
               # view=presentation: the chart card alone (the publishing issue builds on this hook)
               "page_class": f"page view-{state.view}"}
        # A control that already shows its value is left alone: setting it would wake its listeners.
        out.update({f"value_{c}": no_update if values.get(c, object()) == controls[c]["value"] else controls[c]["value"]
                    for c in CONTROL_IDS})
        out.update({f"options_{c}": controls[c]["options"] for c in WITH_OPTIONS})
        return out

    def render(self, query: str, width=None) -> dict:
        """The view drawn: chart, key figures, data table, definitions and sources, revisions, code.

        Remembered per store version, view and width (``dashboard.cache.per_view``): going back
        to a view, or the address catching up with the controls, costs a lookup.
        """
        state, _ = from_query(query, self.catalog)
        return self._drawn(self.store, state, chart_width(width))

    def _draw(self, state: ViewState, width: int) -> dict:
        store, catalog = self.store, self.catalog
        data = view_data(state, store, catalog)
        figure = view_spec(state, data, view_series(state, store, catalog), store, catalog,
                           width=width, earlier=earlier_values(state, store, catalog))
        config = {**GRAPH_CONFIG, "toImageButtonOptions": {**GRAPH_CONFIG["toImageButtonOptions"],
                                                           "filename": export.file_stem(state, data, catalog)}}
        revisions = [html.Li(r) for r in content.revisions(state, store, catalog)]
        bundled = Path(self.settings.store_dir).resolve() == Path(analysis.store.STORE_DIR).resolve()
        return {
            "figure": figure, "config": config,
            "view_notices": [html.Li(n) for n in figure["layout"].get("meta", {}).get("notices", [])],
            "key_figures": key_figure_cards(state, store, catalog),
            "columns": grid_columns(state, catalog), "rows": content.table_rows(state, data),
            "sources": sources_panel(state, store, catalog),
            "revisions": revisions or [html.Li(t("no_revisions", state.lang))],
            "code": python_code(state, None if bundled else self.settings.store_dir),
        }

    def publish_links(self, query: str | None, preset: str | None) -> dict:
        """The addresses of the export and download links for a view, and the presets' names."""
        state, _ = from_query(query, self.catalog)
        preset = preset if preset in PRESETS else export.DEFAULT_PRESET
        out = {"preset_options": [{"label": t(f"preset_{p}", state.lang), "value": p} for p in PRESETS]}
        view_params = [p for p in (query or "").lstrip("?").split("&") if p]
        for link_id, (route, fmt, scale) in {**EXPORT_LINKS, **DOWNLOAD_LINKS}.items():
            extra = [f"preset={preset}"] + ([f"scale={scale}"] if scale else []) if route == "export" else []
            params = view_params + extra
            out[link_id] = f"/{route}/{fmt}" + ("?" + "&".join(params) if params else "")
        return out

    def words(self, query: str) -> dict:
        """The sentences from analysis.describe; together also the chart's text alternative."""
        state, _ = from_query(query, self.catalog)
        described = content.sentences(state, self.store, self.catalog)
        return {"panel": [html.Section([html.H3(label), *[html.P(s) for s in said]]) for label, said in described],
                "text": " ".join(s for _, said in described for s in said)}


SYNC_OUTPUTS = ([("search", "url", "search"), ("view", "view", "data"), ("link_notices", "link-notices", "children")]
                + [(f"value_{c}", c, "value") for c in CONTROL_IDS]
                + [(f"options_{c}", c, "options") for c in WITH_OPTIONS]
                + [("hide_base", "field-base", "hidden"), ("hide_ratio", "field-ratio", "hidden"),
                   ("hide_indicators", "field-indicators", "hidden")]
                + [(f"placeholder_{c}", c, "placeholder") for c in ("from", "to", "base")]
               + [("page_class", "page", "className")])
RENDER_OUTPUTS = [("figure", "chart", "figure"), ("config", "chart", "config"),
                  ("view_notices", "view-notices", "children"), ("key_figures", "key-figures", "children"),
                  ("columns", "grid", "columnDefs"), ("rows", "grid", "rowData"),
                  ("sources", "panel-sources", "children"), ("revisions", "revisions-list", "children"),
                  ("code", "python-code", "children")]
WORDS_OUTPUTS = [("panel", "panel-sentences", "children"), ("text", "chart-text", "children")]
PUBLISH_OUTPUTS = ([("preset_options", "export-preset", "options")]
                   + [(i, i, "href") for i in [*EXPORT_LINKS, *DOWNLOAD_LINKS]])
# Buttons that switch the view: id -> ViewState.view
VIEW_BUTTONS = {"present": "presentation", "explore": "explore"}


def register_callbacks(app: Dash, store, catalog, settings) -> Callbacks:
    callbacks = Callbacks(store, catalog, settings)

    def outputs(spec):
        return [Output(component, prop) for _, component, prop in spec]

    @app.callback(outputs(SYNC_OUTPUTS), Input("url", "search"), [Input(c, "value") for c in CONTROL_IDS],
                  [Input(b, "n_clicks") for b in VIEW_BUTTONS], State("view", "data"))
    def sync(search, *args):
        values = dict(zip(CONTROL_IDS, args[:len(CONTROL_IDS)]))
        out = callbacks.sync(callback_context.triggered_id, search, values, args[-1])
        return [out[name] for name, _, _ in SYNC_OUTPUTS]

    @app.callback(outputs(PUBLISH_OUTPUTS), Input("view", "data"), Input("export-preset", "value"))
    def publish_links(query, preset):
        out = callbacks.publish_links(query, preset)
        return [app.get_relative_path(v) if name != "preset_options" else v
                for name, v in ((n, out[n]) for n, _, _ in PUBLISH_OUTPUTS)]

    @app.callback([Output(i, "children") for i in STATIC_TEXT], Input("lang", "value"))
    def static_text(lang):
        return [t(key, lang or "nl") for key in STATIC_TEXT.values()]

    @app.callback(outputs(RENDER_OUTPUTS), Input("sized-view", "data"))
    def render(sized):
        if not sized or sized.get("query") is None:
            return [no_update] * len(RENDER_OUTPUTS)
        out = callbacks.render(sized["query"], sized.get("width"))
        return [out[name] for name, _, _ in RENDER_OUTPUTS]

    @app.callback(outputs(WORDS_OUTPUTS), Input("view", "data"))
    def words(query):
        if query is None:
            return [no_update] * len(WORDS_OUTPUTS)
        out = callbacks.words(query)
        return [out[name] for name, _, _ in WORDS_OUTPUTS]

    app.clientside_callback(
        """function(...clicks) {
            const names = %s;
            const ctx = window.dash_clientside.callback_context;
            const id = ctx.triggered_id || "tab-" + names[0];
            const chosen = typeof id === "string" ? id.replace("tab-", "") : names[0];
            return names.map(n => n === chosen ? "true" : "false").concat(names.map(n => n !== chosen));
        }""" % list(TABS),
        [Output(f"tab-{n}", "aria-selected") for n in TABS] + [Output(f"panel-{n}", "hidden") for n in TABS],
        [Input(f"tab-{n}", "n_clicks") for n in TABS], prevent_initial_call=True)

    # The chart is laid out for the width of its card (type sizes, line breaks): measured here, in
    # the browser, on the way from the view to the server that draws it.
    # assets/resize.js sets "resized" when the card's width changes.
    sized = """
            const card = document.getElementById("chart-card");
            const params = new URLSearchParams(query || "");
            document.documentElement.lang = params.get("lang") === "en" ? "en" : "nl";
            // the page's view class now (Dash sets it too), so the card is measured as it will be shown
            const page = document.getElementById("page");
            if (page) { page.className = "page view-" + (params.get("view") === "presentation" ? "presentation" : "explore"); }
            const width = card ? card.clientWidth : window.innerWidth;
            if (window.chartAskedFor && window.chartAskedFor.query === (query || "") && window.chartAskedFor.width === width) {
                return window.dash_clientside.no_update;  // already asked for (the page load's own view)
            }
            window.chartLaidOutFor = width;  // assets/resize.js compares the card's width with it
            window.chartAskedFor = {query: query || "", width: width};
            return {query: query, width: width};
        }"""
    # On a page load the chart is asked for at once, from the address, beside ``sync``: a callback
    # with an input that ``sync`` writes (the view, the address's search) would wait for it. After
    # that, every view ``sync`` makes.
    app.clientside_callback("function(pathname) { const query = window.location.search;" + sized,
                            Output("sized-view", "data"), Input("url", "pathname"))
    app.clientside_callback("function(query, resized) {" + sized,
                            Output("sized-view", "data", allow_duplicate=True), Input("view", "data"),
                            Input("resized", "data"), prevent_initial_call=True)
    return callbacks


def chart_width(measured) -> int:
    """The width the chart is laid out for: the card's width in the browser, else 960."""
    try:
        return max(320, min(2560, int(measured)))
    except (TypeError, ValueError):
        return 960


# --- Files: image exports and data downloads ---------------------------------------------------------


def register_files(app: Dash, store, catalog) -> None:
    """``/export/<png|svg|pdf>?<view>&preset=&scale=`` and ``/download/<csv|xlsx|parquet>?<view>``.

    A request that cannot be served as asked gets a 400 with a plain message naming the parameter.
    """
    from flask import Response, request

    def plain(status: int, message: str) -> Response:
        return Response(message + "\n", status=status, mimetype="text/plain")

    def attachment(body: bytes, mimetype: str, name: str) -> Response:
        return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                          "Cache-Control": "no-store"})

    @app.server.route("/export/<fmt>")
    def export_file(fmt):
        try:
            wanted = export.read_request(request.query_string.decode("utf-8", "replace"), fmt, catalog)
            image, name, _ = export.export_image(wanted, store, catalog)
        except export.ExportError as exc:
            return plain(400, f"Cannot export this view: {exc}")
        except export.ExportUnavailable as exc:
            return plain(503, f"Image export is not available on this server: {exc}")
        except Exception:
            logging.getLogger(__name__).exception("export failed: %s", request.full_path)
            return plain(500, "The image could not be made; the error is in the server's log.")
        return attachment(image, export.FORMATS[fmt], name)

    @app.server.route("/download/<fmt>")
    def download_file(fmt):
        if fmt not in downloads.FORMATS:
            return plain(400, f"Cannot download this view: format '{fmt}': choose from {', '.join(downloads.FORMATS)}")
        try:
            state = export.read_view(request.query_string.decode("utf-8", "replace"), catalog)
        except export.ExportError as exc:
            return plain(400, f"Cannot download this view: {exc}")
        link = request.host_url.rstrip("/") + app.get_relative_path("/") + to_query(state)
        body = downloads.download(state, store, catalog, fmt, link)
        name = f"{export.file_stem(state, view_data(state, store, catalog), catalog)}.{fmt}"
        return attachment(body, downloads.FORMATS[fmt], name)


# --- Pieces of the page ----------------------------------------------------------------------------


def key_figure_cards(state, store, catalog) -> list:
    lang = state.lang
    cards = []
    for f in content.key_figures(state, store, catalog):
        cards.append(html.Article(className="kf", children=[
            html.H3(f["label"]),
            html.Dl([
                html.Div([html.Dt(t("latest_value", lang)), html.Dd([html.Strong(f["latest"]), html.Br(),
                                                                     html.Span(f["latest_note"], className="muted")])]),
                html.Div([html.Dt(t("change_year", lang)), html.Dd([html.Strong(f["change"]), html.Br(),
                                                                   html.Span(f["change_note"], className="muted")])]),
                html.Div([html.Dt(t("trend_per_year", lang)), html.Dd([html.Strong(f["trend"]), html.Br(),
                                                                      html.Span(f["trend_note"], className="muted")])]),
            ]),
        ]))
    return cards


def grid_columns(state, catalog) -> list[dict]:
    """Columns of the data table: texts shown as written, sorted by the numbers behind them."""
    sort_by = {"period": "period_sort", "value": "value_sort", "level": "level_sort"}
    columns = []
    for field, header in content.table_columns(state, catalog):
        column = {"field": sort_by.get(field, field), "headerName": header}
        if field in sort_by:
            column["valueFormatter"] = {"function": f"params.data.{field}"}
            column["type"] = "rightAligned" if field != "period" else None
        columns.append({k: v for k, v in column.items() if v is not None})
    return columns


def sources_panel(state, store, catalog) -> list:
    lang = state.lang
    d = content.definitions(state, store, catalog)
    out = [html.H3(d["table"]["title"]), html.P(d["table"]["description"])]
    for item in d["items"]:
        out.append(html.Section([
            html.H4(item["label"]),
            html.P([html.Strong(t("definition", lang) + ": "), item["definition"]]),
            html.P([html.Strong(t("unit", lang) + ": "), item["unit"]]),
            *([html.P([html.Strong(t("footnotes", lang) + ": "), " ".join(item["footnotes"])])] if item["footnotes"] else []),
        ]))
    if d["caveats"]:
        out += [html.H4(t("caveats", lang)), html.Ul([html.Li(c) for c in d["caveats"]])]
    out.append(html.H4(t("sources", lang)))
    out.append(html.Ul([html.Li([
        html.A(s["title"], href=s["url"], target="_blank", rel="noopener noreferrer"), ". ",
        f"{s['publisher']}, {t('published', lang)} {s['published']}. ",
        *([f"{s['kamerstuk']}. "] if s["kamerstuk"] else []),
        f"{t('in_store_as_of', lang)} {s['vintage']}. ", s["licence"],
    ]) for s in d["sources"]]))
    return out
