"""A CSV as published: long (one value per line) with optional status, rounding and citation.

Column names are matched loosely in Dutch and English (``indicator``/``onderwerp``,
``period``/``perioden``, ``value``/``waarde``, ``status``, ``rounded_to``/``afronding``, and the
citation columns ``published``, ``publisher``, ``title``, ``url``). The delimiter is sniffed
(``;`` or ``,``), a UTF-8 BOM is accepted.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import DataError
from .base import Cell, RawTable, RawValue, decode_text, read_bytes

_LONG_COLUMNS = {
    "label": ("indicator_id", "indicator", "onderwerp", "label", "topic"),
    "period": ("period", "perioden", "periode", "jaar", "year", "period_end", "date", "datum"),
    "value": ("value", "waarde", "aantal"),
    "status": ("status",),
    "rounded_to": ("rounded_to", "afronding", "afgerond_op", "rounding"),
    "table": ("table_id", "table", "tabel"),
}
_CITATION = ("published", "publisher", "title", "url")


def read_rows(path: Path) -> list[list[str]]:
    """The CSV's rows as lists of stripped strings, with the delimiter sniffed."""
    text = decode_text(read_bytes(path), path)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise DataError(f"not a readable CSV: {exc}", file=path) from None
    rows = [r for r in rows if any(r)]
    if len(rows) < 2:
        raise DataError("CSV has no data rows under its header", file=path)
    return rows


def read_csv(path: Path) -> list[RawTable]:
    """The values of a CSV in long form."""
    rows = read_rows(path)
    header = [h.lower().replace(" ", "_") for h in rows[0]]
    where = {key: next((header.index(n) for n in names if n in header), None) for key, names in _LONG_COLUMNS.items()}
    missing = [k for k in ("label", "period", "value") if where[k] is None]
    if missing:
        raise DataError(
            f"CSV header {rows[0]!r} lacks a column for {', '.join(missing)} "
            "(long form needs indicator, period and value columns)",
            file=path, row="header", line=1,
        )
    citation_at = {c: header.index(c) for c in _CITATION if c in header}
    table = RawTable(name="CSV", title="", long_form=True)
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise DataError(f"line has {len(row)} cells, the header has {len(header)}", file=path, row=f"line {number}", line=number)
        label = row[where["label"]]
        rounded = row[where["rounded_to"]] if where["rounded_to"] is not None else ""
        try:
            rounded_to = int(rounded) if rounded else None
        except ValueError:
            raise DataError(f"rounded_to {rounded!r} is not a whole number", file=path,
                            row=f"line {number}", cell="column 'rounded_to'", line=number) from None
        table.values.append(
            RawValue(
                label=Cell(label, number),
                period=Cell(row[where["period"]], number),
                value=Cell(row[where["value"]], number),
                row=f"line {number} ({label!r})",
                cell=f"column {where['value'] + 1} ({rows[0][where['value']]!r})",
                status=(row[where["status"]] or None) if where["status"] is not None else None,
                rounded_to=rounded_to,
                citation={c: row[i] for c, i in citation_at.items()} or None,
            )
        )
    if where["table"] is not None:
        tables = {row[where["table"]] for row in rows[1:]}
        if len(tables) == 1:
            table.table_id = tables.pop() or None
    return [table]
