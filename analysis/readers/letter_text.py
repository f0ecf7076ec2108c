"""Tables in a letter saved as text, as the seed annex: one cell per line, tab-indented.

The shape, from the June 2026 annex::

    Tabel 1 Werkvoorraden politie op het terrein van zedenzaken (bron: politie)
    <TAB>Cijfers zedenzaken            <- corner cell
    <TAB>Stand                         <- a header cell; its date is on the next line,
    02-06-2022                            not indented: a continuation of that cell
    ...
    <TAB>Aantal geregistreerde incidenten[footnoteRef:60] [60: ...]
    <TAB>6622
    ...

A table is a run of tab-indented lines; it ends at a line of prose after a blank line. A run of
mostly tab-separated lines (Word's own plain-text export: one row per line) is read as rows.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..errors import DataError
from ..parsing import split_footnotes
from .base import Cell, RawTable, RawValue, decode_text, looks_like_value, read_bytes, split_title
from .grid import is_period_like, table_from_grid

_BARE_STAND = re.compile(r"^(stand|peildatum)(\s+(op|per))?\s*:?$", re.I)


def read_letter_text(path: Path, is_label: Callable[[str], bool] | None = None) -> list[RawTable]:
    """Every table in a letter saved as text.

    Parameters
    ----------
    path
        The text file.
    is_label
        Tells a known row label from other text; it decides whether a text cell in a short row is
        a bad value or the next row's label. Without it, only the cell count decides.
    """
    text = decode_text(read_bytes(path), path)
    lines = text.splitlines()
    if lines and "\t" in lines[-1] and not text.endswith(("\n", "\r")):
        # "\t1676" cut to "\t16" still reads as a number: a table line without its line break is refused
        raise DataError("the file ends inside a table, without a line break: it looks cut off",
                        file=path, line=len(lines))
    return [t for title, block in _blocks(lines) if (t := _table(title, block, path, is_label))]


def _blocks(lines: list[str]):
    """Runs of lines with tabs, each with the "Tabel N" title before it: ``(title, [(number, line), ...])``.

    A line without tabs right after one with tabs continues it ("Stand" / "02-06-2022"); after a
    blank line, it is prose and ends the run.
    """
    title, block, after_cell = "", [], False
    for number, line in enumerate(lines, start=1):
        if "\t" in line.rstrip():
            block.append((number, line))
            after_cell = True
        elif not line.strip():
            after_cell = False
        elif after_cell:
            block.append((number, line))
        else:
            if block:
                yield title, block
            block = []
            title = line.strip() if split_title(line)[0] else ""
    if block:
        yield title, block


def _table(title: str, block: list[tuple[int, str]], path: Path, is_label) -> RawTable | None:
    if sum(1 for _, line in block if "\t" in line.strip()) * 2 > len(block):
        return table_from_grid(_rows(block), title, f"table at line {block[0][0]}", path)
    cells: list[Cell] = []
    for number, line in block:
        if line.startswith("\t") or not cells:
            cells.append(Cell(" ".join(line.split()), number))
        else:  # a cell that wrapped onto the next line
            cells[-1] = Cell(f"{cells[-1].text} {' '.join(line.split())}".strip(), cells[-1].line)
    cells = _join_bare_stand([c for c in cells if c.text])
    if len(cells) < 2:
        return None  # an indented line of prose
    name, title_text, notes = split_title(title)
    table = RawTable(name=name or f"table at line {cells[0].line}", title=title_text, notes=notes)

    # Date-like headers that are not valid dates stay headers, so the error names them.
    corner = 0 if is_period_like(cells[0].text) else 1
    header = []
    for cell in cells[corner:]:
        if not is_period_like(cell.text):
            break
        header.append(cell)
    if not header:
        if name is None:
            return None  # indented prose, not a table
        first = cells[corner].text if corner < len(cells) else None
        table.problem = DataError(
            "no period headers found (expected cells like 'Stand 02-06-2026')"
            + (f"; the first cell after the corner is {first!r}" if first else ""), file=path, table=table.full_name)
        return table
    try:
        _read_rows(table, cells[corner + len(header):], header, path, is_label or (lambda text: False))
    except DataError as exc:
        table.problem = exc
    if not table.values and table.problem is None:
        table.problem = DataError("the table has a header but no data rows", file=path, table=table.full_name)
    return table


def _read_rows(table: RawTable, rest: list[Cell], header: list[Cell], path: Path, is_label) -> None:
    """The rows after the header: a label, then one value cell per period."""
    n = len(header)
    periods = ", ".join(repr(h.text) for h in header)
    i, row_number = 0, 0
    while i < len(rest):
        label_cell = rest[i]
        row_number += 1
        label, label_notes = split_footnotes(label_cell.text)
        table.notes += label_notes
        row_name = f"row {row_number} {label!r}"
        where = dict(file=path, table=table.full_name, row=row_name, line=label_cell.line)
        if looks_like_value(label):
            raise DataError(f"found the number {label!r} where a row label should be", **where)
        i += 1
        values = []
        while i < len(rest) and len(values) < n and _is_value_cell(rest, i, n - len(values), is_label):
            values.append(rest[i])
            i += 1
        if len(values) < n:
            raise DataError(f"row has {len(values)} value cells, expected {n} (one per period: {periods})", **where)
        if i < len(rest) and looks_like_value(split_footnotes(rest[i].text)[0]):
            where["line"] = rest[i].line
            raise DataError(f"row has more than {n} value cells (one per period: {periods}); "
                            f"the extra one is {rest[i].text!r}", cell=f"cell {n + 1}", **where)
        for j, (head, cell) in enumerate(zip(header, values), start=1):
            value, value_notes = split_footnotes(cell.text)
            table.notes += value_notes
            table.values.append(
                RawValue(label=Cell(label, label_cell.line), period=head, value=Cell(value, cell.line),
                         row=row_name, cell=f"cell {j} ({head.text!r})")
            )


def _is_value_cell(cells: list[Cell], i: int, missing: int, is_label) -> bool:
    """Whether ``cells[i]`` belongs to the current row rather than starting the next one."""
    text = split_footnotes(cells[i].text)[0]
    if looks_like_value(text):
        return True
    if is_label(text):
        return False
    # Unknown text: a bad value if the cells after it complete this row, else the next row's label.
    following = 0
    for cell in cells[i + 1:]:
        if not looks_like_value(cell.text):
            break
        following += 1
    return following == missing - 1


def _join_bare_stand(cells: list[Cell]) -> list[Cell]:
    """A header "Stand" whose date came as a cell of its own ("\tStand" / "\t02-06-2026") is one cell."""
    joined: list[Cell] = []
    for cell in cells:
        if joined and _BARE_STAND.match(joined[-1].text):
            joined[-1] = Cell(f"{joined[-1].text} {cell.text}", joined[-1].line)
        else:
            joined.append(cell)
    return joined


def _rows(block: list[tuple[int, str]]) -> list[list[Cell]]:
    """Lines of tab-separated cells as rows; a tab that starts every line is indentation, not a cell."""
    indented = all(line.startswith("\t") for _, line in block)
    return [[Cell(" ".join(c.split()), number) for c in (line[1:] if indented else line).split("\t")]
            for number, line in block]
