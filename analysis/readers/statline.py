"""A plain-text copy of a CBS StatLine table view, as the bundled 83723NED copy.

A header line starting with ``Perioden`` names the columns (run together, so the caller passes
the labels it knows and the reader finds them in the header), then one line per period::

    2022* 809.390 46
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import DataError
from .base import Cell, RawTable, RawValue, decode_text, read_bytes

_ROW = re.compile(r"^(\d{4}\*?)\s+(.*\S)\s*$")


def read_statline_text(path: Path, known_labels: dict[str, str]) -> list[RawTable]:
    """The table in a StatLine text copy.

    ``known_labels`` maps column labels to look for to what they stand for; where StatLine repeats
    a column under a group heading ("Geregistreerde misdrijven" / "Misdrijven, totaal (aantal)"),
    the last label found for the same thing is the column's own.
    """
    text = decode_text(read_bytes(path), path)
    lines = text.splitlines()
    header_at = next((i for i, line in enumerate(lines) if line.startswith("Perioden")), None)
    if header_at is None:
        raise DataError("no header line starting with 'Perioden' (not a StatLine copy?)", file=path)
    header = lines[header_at]
    columns = _columns(header, known_labels)
    if not columns:
        raise DataError(f"no known column label in the header {header!r}", file=path, line=header_at + 1)
    title = next((line.strip() for line in lines[header_at - 1::-1] if line.strip()), "")
    table = RawTable(name="StatLine table", title=title)
    for number, line in enumerate(lines[header_at + 1:], start=header_at + 2):
        match = _ROW.match(line)
        if not match:
            if table.values:
                break  # the notes under the table
            continue
        period, cells = match.group(1), match.group(2).split()
        if number == len(lines) and not text.endswith(("\n", "\r")):
            # "1948 133.255 14" cut to "1948 133.255 1" still reads: a last row without line break is refused
            raise DataError("the file ends inside the table, without a line break: it looks cut off",
                            file=path, row=f"period {period}", line=number)
        if len(cells) != len(columns):
            raise DataError(
                f"line has {len(cells)} value cells, expected {len(columns)} ({', '.join(columns)})",
                file=path, row=f"period {period}", line=number,
            )
        for j, (label, text) in enumerate(zip(columns, cells), start=1):
            table.values.append(
                RawValue(
                    label=Cell(label, header_at + 1),
                    period=Cell(period, number),
                    value=Cell(text, number),
                    row=f"period {period}",
                    cell=f"column {j} ({label!r})",
                )
            )
    if not table.values:
        raise DataError("the header is not followed by any period lines", file=path, line=header_at + 1)
    return [table]


def _columns(header: str, known_labels: dict[str, str]) -> list[str]:
    """Known labels found in the header, in order, longest first where they overlap."""
    found = []
    for label in sorted(known_labels, key=len, reverse=True):
        start = header.find(label)
        if start >= 0 and not any(s <= start < e or start <= s < start + len(label) for s, e, _ in found):
            found.append((start, start + len(label), label))
    by_meaning = {known_labels[label]: label for _, _, label in sorted(found)}  # the last one wins
    return [label for _, _, label in sorted(found) if by_meaning[known_labels[label]] == label]
