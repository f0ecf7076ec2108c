"""A table as rows of cells (HTML, .docx, wide CSV) into a ``RawTable``.

Two shapes are published:

- periods as columns, as in the letter: a header row of snapshot dates ("Stand 02-06-2026"), then
  one row per indicator, its label first;
- periods as rows, as in a CBS export: a header row of indicator labels ("Perioden";
  "Misdrijven, totaal (aantal)"), then one row per period ("2022*").

Rows with a single filled cell above the header or under the last data row are titles and notes;
inside the table, a cell merged across the whole width, or a first cell beside only empty ones, is a
heading. Every other row must have exactly one cell per column: too few or too many is an error,
not a guess.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import DataError
from ..parsing import parse_period, split_footnotes
from .base import Cell, RawTable, RawValue, split_title

# A header that means to be a date but may not be a valid one ("Stand 31-06-2026"): reported, not skipped.
_DATE_LIKE = re.compile(r"^\s*(stand|peildatum)\b|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b", re.I)


def is_period_like(text: str) -> bool:
    """Whether a header cell is a period, or is meant to be one (a date-like text with digits)."""
    text = split_footnotes(text)[0]
    if not text:
        return False
    try:
        parse_period(text)
        return True
    except ValueError:
        return bool(re.search(r"\d", text) and _DATE_LIKE.search(text))


def table_from_grid(rows: list[list[Cell]], title: str, fallback_name: str, path: Path | str) -> RawTable | None:
    """The values of one table given as rows of cells.

    Parameters
    ----------
    rows
        The table's rows, merged cells repeated in each column they cover (``Cell.span`` > 1).
    title
        Its caption or the text before it ("Tabel 1 Werkvoorraden ..."); may be empty.
    fallback_name
        How errors name the table when the title has no "Tabel N" ("table 2").

    Returns
    -------
    The table, with a ``problem`` if it has no period header, no data rows or a malformed row;
    None for an untitled table without a period header (a layout table, not data).
    """
    name, title_text, notes = split_title(title)
    table = RawTable(name=name or fallback_name, title=title_text, notes=notes)
    rows = _clean(rows, table.notes)
    found = _find_header(rows)
    if found is None:
        if name is None:
            return None
        table.problem = DataError("no period header found (expected a row of dates such as 'Stand 02-06-2026', "
                                  "or a first column of periods such as '2023')", file=path, table=table.full_name)
        return table
    at, periods_in_rows = found
    table.periods_in_rows = periods_in_rows
    header = rows[at]
    last = max((i for i, row in enumerate(rows) if len(_distinct(row)) > 1), default=at)  # notes come after it
    if periods_in_rows:
        columns = header[1:]
    else:  # the corner cell ("Cijfers zedenzaken") may be missing
        columns = header if is_period_like(header[0].text) else header[1:]
    columns = _trim(columns)
    width = len(columns)
    number = 0
    for i in range(at + 1, len(rows)):
        row = rows[i]
        texts = _distinct(row)
        if not texts:
            continue
        if len(texts) == 1 and i > last:  # a note under the table ("Bron: CBS")
            table.notes.append(texts[0].text)
            continue
        if len(texts) == 1 and (texts[0].span > width or (len(row) > 1 and not any(c.text for c in row[1:]))):
            continue  # a heading, merged across the table or beside empty cells (pandas' index name)
        number += 1
        try:
            _add_row(table, row, number, columns, path)
        except DataError as exc:
            table.problem = exc
            break
    if not table.values and table.problem is None:
        table.problem = DataError("the table has a header but no data rows", file=path, table=table.full_name)
    return table


def _distinct(row: list[Cell]) -> list[Cell]:
    """The row's non-empty cells, a merged cell once."""
    return list({id(c): c for c in row if c.text}.values())


def _clean(rows: list[list[Cell]], notes: list[str]) -> list[list[Cell]]:
    """Footnotes out of every cell, into ``notes``; a merged cell stays one object where it repeats."""
    cleaned: dict[int, Cell] = {}
    for cell in (c for row in rows for c in row):
        if id(cell) not in cleaned:
            text, found = split_footnotes(cell.text)
            notes += found
            cleaned[id(cell)] = Cell(text, cell.line, cell.span)
    return [[cleaned[id(c)] for c in row] for row in rows]


def _trim(cells: list[Cell]) -> list[Cell]:
    """Without trailing empty cells (a CSV's trailing delimiter)."""
    end = len(cells)
    while end and not cells[end - 1].text:
        end -= 1
    return cells[:end]


def _find_header(rows: list[list[Cell]]) -> tuple[int, bool] | None:
    """Where the header row is, and whether periods run down the rows rather than across."""
    content = [i for i, row in enumerate(rows) if _distinct(row)]
    for k, i in enumerate(content):
        row = rows[i]
        across = [c.text for c in _distinct(row[1:])]
        if not across:
            continue  # a title line
        if all(is_period_like(t) for t in across):
            return i, False
        below = rows[content[k + 1]] if k + 1 < len(content) else None
        if below and is_period_like(below[0].text) and not is_period_like(row[0].text):
            return i, True
    return None


def _add_row(table: RawTable, row: list[Cell], number: int, columns: list[Cell], path) -> None:
    head, cells = row[0], row[1:]
    label_text = head.text
    row_name = f"row {number} {label_text!r}" if label_text else f"row {number}"
    where = dict(file=path, table=table.full_name, row=row_name, line=head.line)
    if not label_text:
        what = "period" if table.periods_in_rows else "row label"
        raise DataError(f"the row has values but no {what} in its first cell", **where)
    width = len(columns)
    if len(cells) > width and any(c.text for c in cells[width:]):
        extra = next(c for c in cells[width:] if c.text)
        raise DataError(
            f"row has {len(_trim(cells))} value cells, but the header has {width} columns "
            f"({', '.join(repr(c.text) for c in columns)}); first extra cell: {extra.text!r}", **where)
    if len(cells) < width:
        raise DataError(
            f"row has {len(cells)} value cells, expected {width} (one per column: "
            f"{', '.join(repr(c.text) for c in columns)})", **where)
    for j, (column, cell) in enumerate(zip(columns, cells), start=1):
        label, period = (column, head) if table.periods_in_rows else (head, column)
        table.values.append(
            RawValue(label=label, period=period, value=cell, row=row_name, cell=f"cell {j} ({column.text!r})")
        )
