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

A table is a run of tab-indented lines; it ends at a line of prose after a blank line.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..errors import DataError
from ..parsing import parse_period, split_footnotes
from .base import Cell, RawTable, RawValue, decode_text, looks_like_value, read_bytes

# A header cell that tries to be a date but is not a valid one must be reported, not taken as a label.
_DATE_LIKE = re.compile(r"^\s*(stand|peildatum)\b|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b", re.I)
_TITLE = re.compile(r"^\s*(Tabel|Table)\s+(\d+)\b[.:]?\s*(.*)$", re.I)


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
    if lines and lines[-1].startswith("\t") and not text.endswith(("\n", "\r")):
        # "\t1676" cut to "\t16" still reads as a number: a table cell without its line break is refused
        raise DataError("the file ends inside a table, without a line break: it looks cut off",
                        file=path, line=len(lines))
    return [t for block in _cell_blocks(lines) if (t := _table(block, path, is_label))]


def _cell_blocks(lines: list[str]):
    """Runs of cells: ``(title, title_line, [Cell, ...])`` for each tab-indented block."""
    title, title_line, cells = "", None, []
    previous_was_cell = False
    for number, line in enumerate(lines, start=1):
        if line.startswith("\t"):
            cells.append(Cell(line.strip(), number))
            previous_was_cell = True
        elif not line.strip():
            previous_was_cell = False
        elif previous_was_cell and cells:
            # A cell that wrapped onto the next line ("Stand" / "02-06-2022").
            last = cells[-1]
            cells[-1] = Cell(f"{last.text} {line.strip()}".strip(), last.line)
        else:
            if len(cells) > 1:
                yield title, title_line, cells
            cells, previous_was_cell = [], False
            match = _TITLE.match(line)
            title, title_line = (line.strip(), number) if match else ("", None)
    if len(cells) > 1:
        yield title, title_line, cells


def _table(block, path: Path, is_label) -> RawTable | None:
    title, title_line, cells = block
    match = _TITLE.match(title)
    name = f"{match.group(1).capitalize()} {match.group(2)}" if match else f"table at line {cells[0].line}"
    title_text, notes = split_footnotes(match.group(3) if match else "")
    cells = [c for c in cells if c.text]

    corner = 0 if _is_period(cells[0].text) else 1
    header = []
    for position, cell in enumerate(cells[corner:], start=1):
        if not _is_period(cell.text):
            if _DATE_LIKE.search(cell.text):
                try:
                    parse_period(cell.text)
                except ValueError as exc:
                    raise DataError(str(exc), file=path, table=name, row="header",
                                    cell=f"cell {position}", line=cell.line) from None
            break
        header.append(cell)
    if not header:
        if not match:
            return None  # indented prose, not a table
        raise DataError(
            f"no period headers found (expected cells like 'Stand 02-06-2026'); first cell after the corner is {cells[corner].text!r}"
            if corner < len(cells) else "table has no header row",
            file=path, table=name, line=cells[min(corner, len(cells) - 1)].line,
        )
    table = RawTable(name=name, title=title_text, notes=notes)
    rest = cells[corner + len(header):]
    n = len(header)
    is_label = is_label or (lambda text: False)
    i, row_number = 0, 0
    while i < len(rest):
        label_cell = rest[i]
        row_number += 1
        label, label_notes = split_footnotes(label_cell.text)
        table.notes += label_notes
        row_name = f"row {row_number} {label!r}"
        if looks_like_value(label):
            prev = f" after row {row_number - 1}" if row_number > 1 else ""
            raise DataError(
                f"found the number {label!r} where a row label should be: the row{prev} has more cells than the {n} period columns",
                file=path, table=name, row=f"row {row_number}", line=label_cell.line,
            )
        i += 1
        values = []
        while i < len(rest) and len(values) < n and _is_value_cell(rest, i, n - len(values), is_label):
            values.append(rest[i])
            i += 1
        if len(values) < n:
            raise DataError(
                f"row has {len(values)} value cells, expected {n} (one per period: "
                + ", ".join(repr(h.text) for h in header) + ")",
                file=path, table=name, row=row_name, line=label_cell.line,
            )
        for j, (head, cell) in enumerate(zip(header, values), start=1):
            table.values.append(
                RawValue(
                    label=Cell(label, label_cell.line),
                    period=head,
                    value=cell,
                    row=row_name,
                    cell=f"cell {j} ({head.text!r})",
                )
            )
    if not table.values:
        raise DataError("table has headers but no rows", file=path, table=name, line=title_line)
    return table


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


def _is_period(text: str) -> bool:
    try:
        parse_period(text)
        return True
    except ValueError:
        return False
