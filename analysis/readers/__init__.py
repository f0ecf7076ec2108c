"""Readers: published files in, ``RawTable`` cells out (see ``base``).

``read_document`` picks the reader from the provenance record, or else from the file's content
and name, so a letter saved with the wrong extension is still read by the right reader.
"""
from __future__ import annotations

from pathlib import Path

from ..catalog import Catalog
from ..errors import DataError
from .base import Cell, RawTable, RawValue, decode_text, read_bytes
from .csv_table import read_csv
from .docx import read_docx
from .html import read_html
from .letter_text import read_letter_text
from .statline import read_statline_text

__all__ = ["Cell", "RawTable", "RawValue", "detect_reader", "read_document"]


def detect_reader(path: Path) -> str:
    """The reader for a file, from its first bytes and then its extension."""
    data = read_bytes(path)
    suffix = path.suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        if suffix == ".docx" or b"word/" in data[:65536]:
            return "docx"
        raise DataError("a zip file, but not a Word document (.docx)", file=path)
    if suffix == ".docx":
        raise DataError("file has a .docx name but is not a Word document (a .docx is a zip file; this is not)", file=path)
    lowered = data[:4096].lower()
    if suffix in (".html", ".htm") or b"<table" in lowered or b"<html" in lowered or b"<!doctype html" in lowered:
        return "html"
    if suffix in (".csv", ".tsv"):
        return "csv"
    text = decode_text(data, path)
    if any(line.startswith("Perioden") for line in text.splitlines()[:200]):
        return "cbs_statline_text"
    return "letter_text"


def read_document(path: Path, catalog: Catalog, reader: str | None = None) -> list[RawTable]:
    """The raw tables of a document, with the reader named or detected."""
    reader = reader or detect_reader(path)
    if reader == "letter_text":
        return read_letter_text(path, is_label=lambda text: catalog.match_indicator(text) is not None)
    if reader == "cbs_statline_text":
        labels = {a: ind.id for ind in catalog.indicators.values() for a in (ind.label.nl, *ind.aliases)}
        return read_statline_text(path, labels)
    if reader in ("csv", "press_release_csv"):
        return read_csv(path)
    if reader == "html":
        return read_html(path)
    if reader == "docx":
        return read_docx(path)
    raise DataError(f"no reader called {reader!r}", file=path)
