"""Tables in a letter as a Word document (.docx), in body order.

A table's title is the "Tabel N ..." paragraph just before it (or a caption-styled paragraph
before or after it). Merged cells are repeated in each column and row they cover. Footnote
reference runs contribute no text to a cell; their footnotes, and superscript numbers typed as
markers, are kept as the table's notes.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from ..errors import DataError
from .base import MAX_BYTES, Cell, RawTable, read_bytes, split_title
from .grid import table_from_grid

_MAX_UNZIPPED = 10 * MAX_BYTES  # a larger unpacked size is a zip bomb, not a letter
_MARKER_TEXT = re.compile(r"^\s*[\[(]?\d{1,3}[\])]?\s*$")
_CAPTION_STYLES = ("caption", "bijschrift")


def read_docx(path: Path) -> list[RawTable]:
    """Every data table in a .docx, in body order."""
    read_bytes(path)  # missing, empty or oversized
    _check_zip(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise DataError(f"not a readable Word document ({type(exc).__name__}: {exc})", file=path) from None
    footnotes = _footnotes(document)
    blocks = list(document.iter_inner_content())
    result = []
    number = 0
    for i, block in enumerate(blocks):
        if not isinstance(block, Table):
            continue
        number += 1
        notes: list[str] = []
        grid = [_row(row, footnotes, notes) for row in block.rows]
        raw = table_from_grid(grid, _title(blocks, i), f"table {number}", path)
        if raw is not None:
            raw.notes = notes + raw.notes
            result.append(raw)
    return result


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise DataError("not a Word document: a .docx is a zip file and this is not one", file=path) from None
    if "word/document.xml" not in names:
        raise DataError("a zip file, but not a Word document (it has no word/document.xml)", file=path)
    if unzipped > _MAX_UNZIPPED:
        raise DataError(f"the document unpacks to {unzipped:,} bytes; the limit is {_MAX_UNZIPPED:,}", file=path)


def _footnotes(document) -> dict[str, str]:
    """Footnote texts by id, from the footnotes part (python-docx has no API for them)."""
    for rel in document.part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            root = etree.fromstring(rel.target_part.blob)
            return {
                note.get(qn("w:id")): " ".join("".join(t.text or "" for t in note.iter(qn("w:t"))).split())
                for note in root.iter(qn("w:footnote"))
            }
    return {}


def _row(row, footnotes: dict[str, str], notes: list[str]) -> list[Cell]:
    """A row's cells, merged cells repeated, leading grid positions Word left out filled with blanks."""
    cells = [Cell("")] * row.grid_cols_before
    tcs = [cell._tc for cell in row.cells]
    for k, tc in enumerate(tcs):
        if k and tc is tcs[k - 1]:
            cells.append(cells[-1])
            continue
        span = 1
        while k + span < len(tcs) and tcs[k + span] is tc:
            span += 1
        cells.append(Cell(_cell_text(tc, footnotes, notes), None, span))
    return cells


def _cell_text(tc, footnotes: dict[str, str], notes: list[str]) -> str:
    paragraphs = []
    for p in tc.iter(qn("w:p")):
        text = []
        for r in p.iter(qn("w:r")):
            reference = r.find(qn("w:footnoteReference"))
            if reference is None:
                reference = r.find(qn("w:endnoteReference"))
            if reference is not None:
                ident = reference.get(qn("w:id"))
                notes.append(footnotes.get(ident) or f"footnote {ident}")
                continue
            run_text = r.text
            if _is_superscript(r) and _MARKER_TEXT.match(run_text):
                notes.append(f"footnote {re.sub(r'[^0-9]', '', run_text)}")
                continue
            text.append(run_text)
        paragraphs.append("".join(text))
    return " ".join(" ".join(paragraphs).split())


def _is_superscript(r) -> bool:
    align = r.find(f"{qn('w:rPr')}/{qn('w:vertAlign')}")
    return align is not None and align.get(qn("w:val")) == "superscript"


def _title(blocks: list, i: int) -> str:
    """The "Tabel N" paragraph among the three before table ``i``, else a caption beside it."""
    before = []
    for block in reversed(blocks[:i]):
        if isinstance(block, Table) or len(before) == 3:
            break
        if block.text.strip():
            before.append(block)
    for p in before:
        if split_title(p.text)[0]:
            return p.text
    after = next((b for b in blocks[i + 1:i + 2] if isinstance(b, Paragraph)), None)
    for p in [*before[:1], after]:
        if p is not None and _is_caption(p):
            return p.text
    return ""


def _is_caption(p: Paragraph) -> bool:
    name = p.style.name if p.style is not None else None
    return (name or "").strip().lower() in _CAPTION_STYLES
