"""Downloads of exactly the data in view (``data.view_data``): CSV, XLSX and parquet.

- CSV in the view's language: Dutch is ``;``-separated with a decimal comma and a UTF-8 byte order
  mark, so Dutch Excel opens it in columns with the right numbers; English uses ``,`` and ``.``.
  Numbers carry no thousands separator; dates are ISO (2026-06-02).
- XLSX: a sheet of the data (numbers as numbers, dates as dates) and a sheet of the chart's
  title, reference date, notes and caveats, and the sources.
- parquet, for analysts: ``view_data`` as it is (the data model's column names and status
  codes, the same in both languages), the chart's texts and sources in the file's metadata.

Every row carries its status and rounding. Text cells that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-`` or ``@``, also after spaces, tabs or line breaks) get a leading
apostrophe. Imports no dash or plotly.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.catalog import Catalog
from analysis.store import Store

from .data import view_data, view_sources
from .figures import chart_spec, published_text, short_label
from .i18n import t
from .state import ViewState, ratio_id, to_query
from .words import period_text, status_text, unit_text

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}
_FORMULA = re.compile(r"^[\s]*[=+\-@]")
DATE_COLUMNS = ("period_start", "period_end", "vintage", "base_period")


def download(state: ViewState, store: Store, catalog: Catalog, fmt: str, link: str | None = None) -> bytes:
    """The data in view as ``fmt`` (``csv``, ``xlsx`` or ``parquet``); ``link`` is the view's address."""
    if fmt == "csv":
        return to_csv(state, store, catalog)
    if fmt == "xlsx":
        return to_xlsx(state, store, catalog, link)
    if fmt == "parquet":
        return to_parquet(state, store, catalog, link)
    raise ValueError(f"format '{fmt}': choose from {', '.join(FORMATS)}")


def neutralise(text: str) -> str:
    """Text a spreadsheet will show, never run: ``=1+1`` becomes ``'=1+1``."""
    return "'" + text if _FORMULA.match(text) else text


# --- The table in the view's language ------------------------------------------------------------


def headers(state: ViewState, catalog: Catalog) -> dict[str, str]:
    """Column of ``view_data`` (plus ``period`` and ``source``) -> header in the view's language."""
    lang, mode = state.lang, state.mode
    names = {
        "indicator_id": t("dl_indicator_id", lang), "label": t("col_indicator", lang),
        "period": t("col_period", lang), "period_start": t("dl_period_start", lang),
        "period_end": t("dl_period_end", lang),
        "value": t("col_value", lang) if mode == "level" else t(f"mode_{mode}", lang),
        "unit": t("unit", lang), "status": t("col_status", lang), "rounded_to": t("dl_rounded_to", lang),
        "vintage": t("col_vintage", lang), "source_id": t("dl_source_id", lang), "source": t("col_source", lang),
        "level": t("col_level", lang), "abs_change": t("dl_abs_change", lang), "pct_change": t("dl_pct_change", lang),
        "verdict": t("col_verdict", lang), "base_rounded_to": t("dl_base_rounded_to", lang),
        "base_period": t("base", lang) if mode == "index" else t("dl_base_period", lang),
        "base_value": t("dl_index_base_value", lang) if mode == "index" else t("dl_base_value", lang),
    }
    if mode == "ratio":
        ratio = catalog.ratios[ratio_id(state, catalog)]
        names["numerator"] = short_label(ratio.numerator, catalog, lang)
        names["denominator"] = short_label(ratio.denominator, catalog, lang)
    return names


def table(state: ViewState, store: Store, catalog: Catalog, data: pd.DataFrame | None = None) -> pd.DataFrame:
    """The data in view for a spreadsheet: headers, statuses, units and verdicts in the view's
    language, a readable period and source beside the ISO dates and source id; values typed."""
    lang = state.lang
    data = view_data(state, store, catalog) if data is None else data
    out = pd.DataFrame({"indicator_id": data["indicator_id"], "label": data["label"]})
    out["period"] = [period_text(s, e, lang) for s, e in zip(data["period_start"], data["period_end"])]
    for column in data.columns.drop(["indicator_id", "label"]):
        out[column] = data[column]
    for column in DATE_COLUMNS:
        if column in out:
            out[column] = [None if pd.isna(d) else pd.Timestamp(d).date() for d in out[column]]
    out["unit"] = [unit_text(u, catalog, lang) for u in data["unit"]]
    out["status"] = [status_text(s, lang) for s in data["status"]]
    if "verdict" in out:
        out["verdict"] = [t(f"verdict_{v}", lang) if isinstance(v, str) else "" for v in data["verdict"]]
    source_at = out.columns.get_loc("source_id") + 1
    out.insert(source_at, "source", [source_text(sid, store) for sid in data["source_id"]])
    return out.rename(columns=headers(state, catalog))


def source_text(source_ids, store: Store) -> str:
    """"Publisher, title" of each source of a value (a ratio's value has two)."""
    if not isinstance(source_ids, str):
        return ""
    records = [store.sources.get(s.strip()) for s in source_ids.split(";")]
    return "; ".join(f"{r.publisher}, {r.title}" for r in records if r is not None)


def chart_texts(state: ViewState, store: Store, catalog: Catalog) -> dict:
    """The chart's own title, subtitle, reference date, source line and notes (its ``layout.meta``)."""
    return chart_spec(state, store, catalog)["layout"]["meta"]


# --- CSV ---------------------------------------------------------------------------------------


def to_csv(state: ViewState, store: Store, catalog: Catalog) -> bytes:
    """CSV of the data in view, as a spreadsheet in the view's language expects it."""
    dutch = state.lang == "nl"
    frame = table(state, store, catalog)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if dutch else ",", lineterminator="\r\n")
    writer.writerow([neutralise(str(h)) for h in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([csv_cell(v, dutch) for v in row])
    text = buffer.getvalue()
    return ("\ufeff" + text if dutch else text).encode("utf-8")


def csv_cell(value, dutch: bool) -> str:
    """A number without thousands separators (decimal comma in Dutch), an ISO date, or safe text."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, (bool,)):
        return str(value)
    if isinstance(value, (int, float)):
        number = str(int(value)) if float(value).is_integer() else format(float(value), ".10g")
        return number.replace(".", ",") if dutch else number
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(str(value))


# --- XLSX ----------------------------------------------------------------------------------------


def to_xlsx(state: ViewState, store: Store, catalog: Catalog, link: str | None = None) -> bytes:
    """A workbook: the data in view, and a sheet of the chart's texts, notes and sources."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    lang = state.lang
    frame = table(state, store, catalog)
    book = Workbook()
    sheet = book.active
    sheet.title = t("dl_sheet_data", lang)
    sheet.append([neutralise(str(h)) for h in frame.columns])
    for row in frame.itertuples(index=False):
        sheet.append([_xlsx_cell(v) for v in row])
    _text_cells_as_text(sheet)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, column in enumerate(frame.columns, 1):
        values = frame[column]
        letter = sheet.cell(row=1, column=i).column_letter
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            whole = all(float(v).is_integer() for v in values.dropna())
            for cell in sheet[letter][1:]:
                cell.number_format = "#,##0" if whole else "#,##0.0##"
        elif values.map(lambda v: isinstance(v, dt.date)).any():
            for cell in sheet[letter][1:]:
                cell.number_format = "yyyy-mm-dd"
        width = max([len(str(column))] + [len(str(v)) for v in values.head(200)])
        sheet.column_dimensions[letter].width = min(60, max(10, width + 2))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions

    notes = book.create_sheet(t("dl_sheet_notes", lang))
    for row in notes_rows(state, store, catalog, link):
        notes.append([neutralise(str(v)) if isinstance(v, str) else v for v in row])
    _text_cells_as_text(notes)
    for row in notes.iter_rows():
        row[0].font = Font(bold=True)
        for cell in row[1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    notes.column_dimensions["A"].width = 26
    notes.column_dimensions["B"].width = 100
    for letter in "CDEFG":
        notes.column_dimensions[letter].width = 22

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def notes_rows(state: ViewState, store: Store, catalog: Catalog, link: str | None = None) -> list[list]:
    """The sheet "Bronnen en toelichting": what the chart says about itself, then the sources."""
    lang = state.lang
    texts = chart_texts(state, store, catalog)
    rows = [[t("dl_title", lang), texts["title"]], [t("dl_subtitle", lang), texts["subtitle"]],
            [t("dl_reference", lang), texts.get("reference", "")],
            [t("dl_view", lang), link or (to_query(state) or "/")], []]
    notes = [texts.get("source", ""), *texts.get("notes", []), *texts.get("notices", [])]
    for i, note in enumerate(n for n in notes if n):
        rows.append([t("dl_notes", lang) if i == 0 else "", note])
    rows += [[], [t("sources", lang)],
             [t("dl_source_id", lang), t("dl_publisher", lang), t("dl_title", lang), t("published", lang).capitalize(),
              t("dl_url", lang), t("dl_kamerstuk", lang), t("dl_licence", lang)]]
    for r in view_sources(view_data(state, store, catalog), store):
        rows.append([r.source_id, r.publisher, r.title, published_text(r, lang), r.url, r.kamerstuk or "", r.licence or ""])
    return rows


def _xlsx_cell(value):
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return neutralise(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _text_cells_as_text(sheet) -> None:
    """Every text cell stored as text: openpyxl would store text starting with "=" as a formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


# --- parquet -------------------------------------------------------------------------------------


def to_parquet(state: ViewState, store: Store, catalog: Catalog, link: str | None = None) -> bytes:
    """``view_data`` as parquet; the chart's texts, the view and its sources in the metadata."""
    data = view_data(state, store, catalog).copy()
    for column in DATE_COLUMNS:
        if column in data:
            data[column] = pd.to_datetime(data[column]).dt.date
    arrow = pa.Table.from_pandas(data, preserve_index=False)
    texts = chart_texts(state, store, catalog)
    sources = [r.model_dump(mode="json") for r in view_sources(data, store)]
    meta = {"view": link or to_query(state), "lang": state.lang, "mode": state.mode,
            **{k: texts.get(k) for k in ("title", "subtitle", "reference", "source", "notes")}, "sources": sources}
    schema_meta = {**(arrow.schema.metadata or {}),
                   b"police_stats.view": json.dumps(meta, ensure_ascii=False, sort_keys=True).encode()}
    sink = pa.BufferOutputStream()
    pq.write_table(arrow.replace_schema_metadata(schema_meta), sink, compression="zstd")
    return sink.getvalue().to_pybytes()
