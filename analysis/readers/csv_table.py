"""A CSV as published: long (one value per line) or wide (a table of periods and indicators).

Long form has an indicator column, a period column and a value column, with optional status,
rounding and citation columns; names are matched loosely in Dutch and English
(``indicator``/``onderwerp``, ``period``/``perioden``, ``value``/``waarde``, ``status``,
``rounded_to``/``afronding``, and the citation columns ``published``, ``publisher``, ``title``,
``url``). Any other CSV is read as a wide table (see ``grid``): periods as columns as in the
letter, or periods as rows as in a CBS export (``"Perioden";"Misdrijven, totaal (aantal)"``), with
title lines above it and notes under it. The delimiter (``;``, tab or ``,``) is found from the
rows; a UTF-8 BOM is accepted.
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from ..errors import DataError
from .base import Cell, RawTable, RawValue, decode_text, read_bytes
from .grid import table_from_grid

_LONG_COLUMNS = {
    "label": ("indicator_id", "indicator", "onderwerp", "label", "topic"),
    "period": ("period", "perioden", "periode", "jaar", "year", "period_end", "date", "datum"),
    "value": ("value", "waarde", "aantal"),
    "status": ("status",),
    "rounded_to": ("rounded_to", "afronding", "afgerond_op", "rounding"),
    "table": ("table_id", "table", "tabel"),
}
_CITATION = ("published", "publisher", "title", "url")
_DELIMITERS = (";", "\t", ",")  # in order of preference when two fit equally well


def read_rows(path: Path) -> list[list[Cell]]:
    """The CSV's rows as stripped cells with their line numbers; blank lines left out."""
    text = decode_text(read_bytes(path), path)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            if any(c.strip() for c in row):
                rows.append([Cell(c.strip(), reader.line_num) for c in row])
    except csv.Error as exc:
        raise DataError(f"not a readable CSV: {exc}", file=path, line=reader.line_num) from None
    if len(rows) < 2:
        raise DataError("CSV has no data rows under its header", file=path)
    return rows


def _delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most rows of one width (more than one)."""
    sample = [line for line in text[:16384].splitlines()[:30] if line.strip()]
    best, best_score = ",", 0
    for delimiter in _DELIMITERS:
        try:
            widths = Counter(len(row) for row in csv.reader(sample, delimiter=delimiter))
        except csv.Error:
            continue
        width, count = max(widths.items(), key=lambda kv: (kv[1], kv[0]), default=(1, 0))
        if width > 1 and count > best_score:
            best, best_score = delimiter, count
    return best


def read_csv(path: Path) -> list[RawTable]:
    """The values of a CSV, long or wide."""
    rows = read_rows(path)
    at = next((i for i, row in enumerate(rows) if sum(1 for c in row if c.text) > 1), 0)
    names = [c.text.lower().replace(" ", "_") for c in rows[at]]
    if any(n in names for n in _LONG_COLUMNS["label"]) and any(n in names for n in _LONG_COLUMNS["period"]):
        return [_long(rows, at, names, path)]
    title = " ".join(c.text for row in rows[:at] for c in row if c.text)
    table = table_from_grid(rows, title, "CSV table", path)
    if table is None:
        raise DataError(
            f"CSV header {[c.text for c in rows[at]]!r} is neither long form (indicator, period and value "
            "columns) nor a wide table (periods such as 'Stand 02-06-2026' as columns, or such as '2023' "
            "down the first column)", file=path, row="header", line=rows[at][0].line,
        )
    if table.problem is not None:
        raise table.problem  # a CSV is the table: whatever is wrong with it is fatal
    return [table]


def _long(rows: list[list[Cell]], at: int, names: list[str], path: Path) -> RawTable:
    header = [c.text for c in rows[at]]
    where = {key: next((names.index(n) for n in options if n in names), None) for key, options in _LONG_COLUMNS.items()}
    missing = [k for k in ("label", "period", "value") if where[k] is None]
    if missing:
        raise DataError(
            f"CSV header {header!r} lacks a column for {', '.join(missing)} "
            "(long form needs indicator, period and value columns)",
            file=path, row="header", line=rows[at][0].line,
        )
    citation_at = {c: names.index(c) for c in _CITATION if c in names}
    table = RawTable(name="CSV", title="", long_form=True)
    for cells in rows[at + 1:]:
        number = cells[0].line
        row = [c.text for c in cells]
        if len(row) != len(header):
            raise DataError(f"line has {len(row)} cells, the header has {len(header)}",
                            file=path, row=f"line {number}", line=number)
        label = row[where["label"]]
        rounded = row[where["rounded_to"]] if where["rounded_to"] is not None else ""
        try:
            rounded_to = int(rounded) if rounded else None
        except ValueError:
            raise DataError(f"rounded_to {rounded!r} is not a whole number", file=path,
                            row=f"line {number}", cell="column 'rounded_to'", line=number) from None
        table.values.append(
            RawValue(
                label=cells[where["label"]],
                period=cells[where["period"]],
                value=cells[where["value"]],
                row=f"line {number} ({label!r})",
                cell=f"column {where['value'] + 1} ({header[where['value']]!r})",
                status=(row[where["status"]] or None) if where["status"] is not None else None,
                rounded_to=rounded_to,
                citation={c: row[i] for c, i in citation_at.items()} or None,
            )
        )
    if where["table"] is not None:
        tables = {row[where["table"]].text for row in rows[at + 1:]}
        if len(tables) == 1:
            table.table_id = tables.pop() or None
    return table
