"""What every reader produces: the cells of a published table, each with where it came from.

A reader knows a file format (letter text, HTML, .docx, CSV, a StatLine copy) but nothing of the
catalog's meaning; ``analysis.tables`` turns its cells into observations. A wide table becomes one
``RawValue`` per row and column, a long CSV one per line, so gaps need no special case.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from ..parsing import MARKERS, parse_number, split_footnotes

MAX_BYTES = 20 * 1024 * 1024  # a letter's annex is under 1 MB; anything far larger is not a letter


@dataclass(frozen=True)
class Cell:
    text: str
    line: int | None = None  # 1-based line in the file, where the format has lines
    span: int = 1  # columns a merged cell covers (HTML colspan, Word gridSpan)


@dataclass(frozen=True)
class RawValue:
    """One published number: its row label, its period header and the cell itself."""

    label: Cell
    period: Cell
    value: Cell
    row: str  # how an error names the row, e.g. "row 3 'Aantal aangiftes'"
    cell: str  # how an error names the cell, e.g. "cell 4 ('Stand 02-06-2025')"
    status: str | None = None  # stated beside the value (long CSV), else from markers
    rounded_to: int | None = None
    citation: dict | None = None  # a per-row source (press-release compilation)


@dataclass
class RawTable:
    name: str  # "Tabel 1", "table 2": how errors name it
    title: str
    values: list[RawValue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # footnotes found in its cells
    table_id: str | None = None  # when the format itself says which table it is
    number_format: str | None = None  # "nl" or "en" when the reader knows; else guessed
    long_form: bool = False  # one value per line: each line's indicator says which table it is in
    periods_in_rows: bool = False  # a CBS export: one row per period, one column per indicator
    # What stopped the reader: no period header, no rows, a malformed row. Fatal only if the table
    # turns out to be one of the catalog's (``tables.extract`` decides); other tables are skipped.
    problem: DataError | None = None

    @property
    def full_name(self) -> str:
        """How errors name the table: ``Tabel 1 'Werkvoorraden ...'``."""
        return f"{self.name} {self.title!r}" if self.title else self.name


_TITLE = re.compile(r"^\s*(Tabel|Table)\s+(\d+)\b[.:]?\s*(.*)$", re.I | re.S)


def split_title(text: str) -> tuple[str | None, str, list[str]]:
    """``"Tabel 1 Werkvoorraden ..."`` as ``("Tabel 1", "Werkvoorraden ...", notes)``.

    The name is None when the text does not start with "Tabel N"; footnotes are taken out.
    """
    text, notes = split_footnotes(text)
    match = _TITLE.match(text)
    if not match:
        return None, text, notes
    return f"{match.group(1).capitalize()} {match.group(2)}", match.group(3).strip(), notes


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, refusing a missing, empty or oversized file."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DataError("file not found", file=path) from None
    if size == 0:
        raise DataError("file is empty", file=path)
    if size > max_bytes:
        raise DataError(f"file is {size:,} bytes; the limit is {max_bytes:,}", file=path)
    return path.read_bytes()


def decode_text(data: bytes, path: Path) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with a BOM (Word's "Unicode text"),
    else Windows-1252 as Word saves "plain text".

    Binary data (NUL bytes, or many control characters) is refused rather than guessed at.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DataError(f"file starts as UTF-16 text but byte {exc.start} is not UTF-16", file=path) from None
    if b"\x00" in data[:65536]:
        raise DataError("file is binary, not text (it contains NUL bytes)", file=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as bad:
            line = data[:bad.start].count(b"\n") + 1
            raise DataError(
                f"file is neither UTF-8 nor Windows-1252 text: byte {bad.start} (0x{data[bad.start]:02x}) "
                "is not a character in either; save it as UTF-8", file=path, line=line) from None
    control = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if control > max(8, len(text[:65536]) // 100):
        raise DataError("file looks binary, not text (many control characters)", file=path)
    return text


def looks_like_value(text: str) -> bool:
    """Whether a cell holds a number or a CBS marker, in either number format."""
    s = text.strip()
    if s.lower() in MARKERS:
        return True
    for fmt in ("nl", "en"):
        try:
            parse_number(s, fmt)
            return True
        except ValueError:
            pass
    return False
