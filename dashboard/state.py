"""The view state, and the one place that turns a view into a URL query string and back.

A view is a small frozen object with a default for every field (``ViewState``); a link holds only
what differs from those defaults (``to_query``), so the default view is the bare address and links
stay short. ``from_query`` reads any query string back: an unknown or malformed parameter is left
out with a ``Notice`` that the page shows, never an error. Old parameter names and values keep
working through ``OLD_PARAMETERS`` and ``OLD_VALUES``.

URL parameters, in the order ``to_query`` writes them:

==============  ===========================================================================
``table``       table id from the catalog (default ``zeden_werkvoorraad``)
``indicators``  comma-separated indicator ids of that table (default: the table's main one)
``mode``        ``level``, ``change`` (against a year earlier), ``pct_change``, ``index``,
                ``ratio``
``ratio``       ratio id from the catalog, for ``mode=ratio`` (default: the table's first)
``base``        base period of ``mode=index``: an ISO date or a year (default: the first
                period in view)
``chart``       ``line`` or ``bar``
``from``        first period end date shown (ISO date; a year means 1 January)
``to``          last period end date shown (ISO date; a year means 31 December)
``trend``       ``1``: the fitted trend with its 95% band
``projection``  ``1``: the trend continued, where the analysis allows it
``events``      ``0``: hide the catalog's dated events (shown by default)
``log``         ``1``: logarithmic vertical axis
``revisions``   ``1``: show values as published earlier beside revised ones
``asof``        ISO date: the figures as published on that date (a year means 31 December)
``lang``        ``nl`` (default) or ``en``
``view``        ``explore`` (default) or ``presentation`` (the chart card alone)
==============  ===========================================================================
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from analysis.catalog import Catalog, load_catalog

from .i18n import t

MODES = ("level", "change", "pct_change", "index", "ratio")
CHANGE_MODES = ("change", "pct_change")
CHARTS = ("line", "bar")
LANGS = ("nl", "en")
VIEWS = ("explore", "presentation")
DEFAULT_TABLE = "zeden_werkvoorraad"
# The indicator a table opens with: the one its publisher leads with. Others: the table's first.
MAIN_INDICATORS = {
    "zeden_werkvoorraad": ("zeden_voorraad",),
    "cbs_geregistreerde_criminaliteit": ("misdrijven_totaal",),
    "cbs_seksuele_misdrijven": ("seksuele_misdrijven",),
}

# Parameter order in a link; also the set of known parameters.
PARAMETERS = ("table", "indicators", "mode", "ratio", "base", "chart", "from", "to", "trend",
              "projection", "events", "log", "revisions", "asof", "lang", "view")
# Old links keep working: old parameter name -> current name.
OLD_PARAMETERS = {
    "indicator": "indicators",
    "ind": "indicators",
    "series": "indicators",
    "start": "from",
    "end": "to",
    "as_of": "asof",
    "vintage": "asof",
    "language": "lang",
    "type": "chart",
    "scale": "log",
}
# Old values of a parameter -> current value.
OLD_VALUES = {
    "mode": {"levels": "level", "yoy": "change", "diff": "change", "pct": "pct_change",
             "yoy_pct": "pct_change", "percent": "pct_change", "idx": "index"},
    "chart": {"lines": "line", "bars": "bar", "column": "bar"},
    "log": {"log": "1", "linear": "0"},
    "lang": {"nl-nl": "nl", "en-gb": "en", "en-us": "en", "dutch": "nl", "english": "en"},
}
_FLAGS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}
_MAX_FIELDS = 64
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class ViewState:
    """One view of the dashboard; every field has a default, and a link holds only the others.

    ``indicators`` empty means the table's main indicator (``MAIN_INDICATORS``) and ``ratio``
    None the table's first ratio; ``normalize`` makes both explicit-or-empty in one way, so that
    equal views compare equal. ``start``/``end`` are the URL's ``from``/``to``.
    """

    table: str = DEFAULT_TABLE
    indicators: tuple[str, ...] = ()
    mode: str = "level"
    ratio: str | None = None
    base: str | None = None
    chart: str = "line"
    start: dt.date | None = None
    end: dt.date | None = None
    trend: bool = False
    projection: bool = False
    events: bool = True
    log: bool = False
    revisions: bool = False
    asof: dt.date | None = None
    lang: str = "nl"
    view: str = "explore"

    def replace(self, **changes) -> "ViewState":
        return dataclasses.replace(self, **changes)


DEFAULTS = ViewState()
# URL parameter name -> ViewState field name, where they differ.
_FIELD = {"from": "start", "to": "end"}


@dataclass(frozen=True)
class Notice:
    """Something in a link that was ignored or changed, said in either language."""

    key: str
    values: dict = field(default_factory=dict)
    # What a valid value looks like: an i18n key and the choices to fill in, if any.
    expected: tuple[str, str] | None = None

    def text(self, lang: str = "nl") -> str:
        values = dict(self.values)
        if self.expected:
            values["expected"] = t(self.expected[0], lang, choices=self.expected[1])
        return t(self.key, lang, **values)


# --- Resolving defaults that depend on the table ----------------------------------------------


def default_table(catalog: Catalog) -> str:
    """The table the bare address shows: ``DEFAULT_TABLE``, or a catalog's first (another store's)."""
    return DEFAULT_TABLE if DEFAULT_TABLE in catalog.tables else next(iter(catalog.tables))


def main_indicators(table_id: str, catalog: Catalog) -> tuple[str, ...]:
    return MAIN_INDICATORS.get(table_id) or tuple(catalog.tables[table_id].indicators[:1])


def indicator_ids(state: ViewState, catalog: Catalog) -> tuple[str, ...]:
    """The indicators in view: the chosen ones, or the table's main indicator."""
    return state.indicators or main_indicators(state.table, catalog)


def table_ratios(table_id: str, catalog: Catalog) -> list[str]:
    return [r.id for r in catalog.ratios.values() if r.table == table_id]


def ratio_id(state: ViewState, catalog: Catalog) -> str | None:
    """The ratio in view (``mode=ratio``): the chosen one, or the table's first."""
    ratios = table_ratios(state.table, catalog)
    return state.ratio if state.ratio in ratios else (ratios[0] if ratios else None)


def normalize(state: ViewState, catalog: Catalog | None = None) -> ViewState:
    """The one canonical form of a view: defaults left implicit, so equal views compare equal."""
    catalog = catalog or load_catalog()
    indicators = tuple(dict.fromkeys(state.indicators))
    if indicators == main_indicators(state.table, catalog):
        indicators = ()
    ratios = table_ratios(state.table, catalog)
    ratio = state.ratio if state.ratio in ratios[1:] else None
    return state.replace(indicators=indicators, ratio=ratio)


# --- View -> query string ----------------------------------------------------------------------


def _as_text(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def to_query(state: ViewState) -> str:
    """The query string of a view: ``"?table=...&mode=..."``, or ``""`` for the default view.

    Only fields that differ from ``ViewState()`` are written, always in the order of
    ``PARAMETERS``, so one view has one link.
    """
    pairs = []
    for name in PARAMETERS:
        attr = _FIELD.get(name, name)
        value = getattr(state, attr)
        if value != getattr(DEFAULTS, attr) and value not in (None, ()):
            pairs.append((name, _as_text(value)))
    return "?" + urlencode(pairs, safe=",") if pairs else ""


# --- Query string -> view ----------------------------------------------------------------------


def _parse_date(text: str, end_of_year: bool = False) -> dt.date:
    if _YEAR.match(text):
        return dt.date(int(text), 12, 31) if end_of_year else dt.date(int(text), 1, 1)
    if not _ISO_DATE.match(text):
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def _shown(value: str) -> str:
    """A value as quoted back in a notice: short, and without characters that could mislead."""
    value = "".join(ch if ch.isprintable() else "?" for ch in value)
    return value if len(value) <= 40 else value[:37] + "..."


def _bad_value(name: str, value: str, expected: str, choices=()) -> Notice:
    return Notice("notice_bad_value", {"param": name, "value": _shown(value)}, (expected, ", ".join(choices)))


def _read_pairs(query: str, notices: list) -> dict[str, str]:
    """The parameters of a query string, old names migrated, the last of a repeated one kept."""
    query = (query or "").lstrip("?")
    try:
        pairs = parse_qsl(query, keep_blank_values=True, max_num_fields=_MAX_FIELDS)
    except ValueError:
        notices.append(Notice("notice_unreadable"))
        return {}
    params: dict[str, str] = {}
    for raw_name, raw_value in pairs:
        name = OLD_PARAMETERS.get(raw_name.strip().lower(), raw_name.strip().lower())
        if name not in PARAMETERS:
            notices.append(Notice("notice_unknown_param", {"param": _shown(raw_name)}))
            continue
        if name in params:
            notices.append(Notice("notice_repeated", {"param": name}))
        value = raw_value.strip()
        params[name] = OLD_VALUES.get(name, {}).get(value.lower(), value)
    return params


def from_query(query: str | None, catalog: Catalog | None = None) -> tuple[ViewState, list[Notice]]:
    """Read a query string back into a view, with a notice for everything left out.

    Accepts the string with or without its leading ``?``. Never raises on what a link may hold:
    an unknown parameter, a malformed value, an indicator of another table, a ``mode=ratio`` for
    a table without ratios each give a ``Notice`` and the default for that field. The result is
    in the canonical form of ``normalize``.
    """
    catalog = catalog or load_catalog()
    notices: list[Notice] = []
    params = _read_pairs(query, notices)
    values: dict = {}

    def bad(name, value, expected, choices=()):
        notices.append(_bad_value(name, value, expected, choices))

    for name, choices in (("mode", MODES), ("chart", CHARTS), ("lang", LANGS), ("view", VIEWS)):
        if name in params:
            if params[name].lower() in choices:
                values[name] = params[name].lower()
            else:
                bad(name, params[name], "expected_choice", choices)

    for name in ("trend", "projection", "events", "log", "revisions"):
        if name in params:
            flag = _FLAGS.get(params[name].lower())
            if flag is None:
                bad(name, params[name], "expected_flag")
            else:
                values[name] = flag

    for name in ("from", "to", "asof"):
        if name in params and params[name]:
            try:
                values[_FIELD.get(name, name)] = _parse_date(params[name], end_of_year=(name != "from"))
            except ValueError:
                bad(name, params[name], "expected_period")
    if values.get("start") and values.get("end") and values["start"] > values["end"]:
        notices.append(Notice("notice_range"))
        values.pop("start"), values.pop("end")

    if params.get("base"):
        base = params["base"]
        try:
            _parse_date(base)
            values["base"] = base
        except ValueError:
            bad("base", base, "expected_period")

    table, indicators = _table_and_indicators(params, catalog, notices)
    values["table"], values["indicators"] = table, indicators

    if params.get("ratio"):
        ratios = table_ratios(table, catalog)
        if params["ratio"] in ratios:
            values["ratio"] = params["ratio"]
        else:
            bad("ratio", params["ratio"], "expected_choice", ratios or ["-"])
    if values.get("mode") == "ratio" and not table_ratios(table, catalog):
        notices.append(Notice("notice_no_ratio"))
        values.pop("mode")

    return normalize(ViewState(**values), catalog), notices


def _table_and_indicators(params, catalog, notices) -> tuple[str, tuple[str, ...]]:
    """The table and its indicators; with no table given, the table of the first indicator."""
    ids = [i.strip() for i in params.get("indicators", "").split(",") if i.strip()]
    known = []
    for i in ids:
        if i in catalog.indicators:
            known.append(i)
        else:
            notices.append(Notice("notice_unknown_indicator", {"value": _shown(i)}))
    table = params.get("table")
    if table is not None and table not in catalog.tables:
        notices.append(_bad_value("table", table, "expected_choice", list(catalog.tables)))
        table = None
    if table is None:
        table = catalog.indicators[known[0]].table if known else default_table(catalog)
    chosen = []
    for i in known:
        if catalog.indicators[i].table == table:
            chosen.append(i)
        else:
            notices.append(Notice("notice_other_table", {"value": i}))
    return table, tuple(dict.fromkeys(chosen))
