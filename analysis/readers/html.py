"""Tables in a letter as HTML: every ``<table>`` with its caption or the "Tabel N" text before it.

Merged cells (``colspan``, ``rowspan``) are repeated in each column and row they cover; footnote
markers (``<sup>60</sup>``, Word's ``<a href="#_ftn60">[60]</a>``) are taken out of the cells and
kept as notes, with the footnote's text where the page has it. A table that holds other tables is
layout, not data, and is skipped; so is a table without periods in its header and without a
"Tabel N" title.
"""
from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

from ..errors import DataError
from ..parsing import split_footnotes
from .base import Cell, RawTable, decode_text, read_bytes, split_title
from .grid import table_from_grid

_MARKER_TEXT = re.compile(r"^\s*[\[(]?\d{1,3}[\])]?\s*$")
_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "td", "th")
_MAX_SPAN = 100  # a colspan larger than this is a broken page, not a table


def read_html(path: Path) -> list[RawTable]:
    """Every data table in an HTML document, in document order."""
    soup = BeautifulSoup(decode_text(read_bytes(path), path), "html.parser")
    tables = soup.find_all("table")
    if not tables:
        raise DataError("the HTML has no <table>; save the letter with its tables as tables", file=path)
    result = []
    for number, table in enumerate(tables, start=1):
        if table.find("table"):
            continue  # a layout table around others
        notes = [_take_footnote(marker, soup) for marker in _footnote_markers(table)]
        raw = table_from_grid(_grid(table), _title(table), f"table {number}", path)
        if raw is not None:
            raw.notes = notes + raw.notes
            result.append(raw)
    return result


def _footnote_markers(table: Tag) -> list[Tag]:
    """``<sup>`` and in-page links whose text is a footnote number (a link inside such a ``<sup>`` once)."""
    sups = [tag for tag in table.find_all("sup") if _MARKER_TEXT.match(tag.get_text())]
    links = [tag for tag in table.find_all("a", href=True)
             if str(tag["href"]).startswith("#") and _MARKER_TEXT.match(tag.get_text())
             and not any(parent is sup for parent in tag.parents for sup in sups)]
    return sups + links


def _take_footnote(marker: Tag, soup: BeautifulSoup) -> str:
    """Remove a marker from its cell; the footnote's text if the page links to it, else its number."""
    number = re.sub(r"\D", "", marker.get_text())
    link = marker if marker.name == "a" else marker.find("a", href=True)
    note = f"footnote {number}"
    target = str(link.get("href", ""))[1:] if link else ""
    if target:
        anchor = soup.find(id=target) or soup.find(attrs={"name": target})
        block = anchor.find_parent(["p", "li", "div"]) if anchor and anchor.name == "a" else anchor
        if block is not None:
            text = split_footnotes(_text(block))[0]
            text = re.sub(rf"^\W*{number}\W*", "", text).strip()
            note = text or note
    marker.decompose()
    return note


def _grid(table: Tag) -> list[list[Cell]]:
    """The table's own rows, with merged cells repeated where they span."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    grid, carried = [], {}  # carried: column -> [cell, rows still to cover]
    for tr in rows:
        out: list[Cell] = []

        def carry_over():
            while len(out) in carried:
                cell, left = carried[len(out)]
                out.append(cell)
                if left == 1:
                    del carried[len(out) - 1]
                else:
                    carried[len(out) - 1][1] = left - 1

        for td in tr.find_all(["td", "th"], recursive=False):
            carry_over()
            colspan, rowspan = _span(td, "colspan"), _span(td, "rowspan")
            cell = Cell(_text(td), td.sourceline, colspan)
            for _ in range(colspan):
                if rowspan > 1:
                    carried[len(out)] = [cell, rowspan - 1]
                out.append(cell)
        carry_over()
        grid.append(out)
    return grid


def _span(td: Tag, attribute: str) -> int:
    try:
        return min(max(int(td.get(attribute, 1)), 1), _MAX_SPAN)
    except (TypeError, ValueError):
        return 1


def _text(tag: Tag) -> str:
    """A cell's text: block elements and line breaks separate words, inline ones do not."""
    parts = []
    for piece in tag.descendants:
        if isinstance(piece, Tag):
            if piece.name == "br" or piece.name in _BLOCKS:
                parts.append(" ")
        elif type(piece) is NavigableString:  # not comments, scripts or Word's <![if ...]> declarations
            parts.append(str(piece))
    return " ".join("".join(parts).split())


def _title(table: Tag) -> str:
    """The caption, else the nearest "Tabel N ..." text in the three blocks before the table."""
    caption = table.find("caption")
    if caption is not None and caption.find_parent("table") is table:
        return _text(caption)
    around = [id(t) for t in table.find_parents("table")]  # a layout table this one sits in
    seen = 0
    for string in table.find_all_previous(string=True):
        if not string.strip() or type(string) is not NavigableString:
            continue
        inside = string.find_parent("table")
        if inside is not None and id(inside) not in around:
            break  # the previous table: its text is not this table's title
        block = string.find_parent(["p", "li", "h1", "h2", "h3", "h4", "h5", "h6"])
        text = _text(block) if block is not None else " ".join(string.split())
        if split_title(text)[0]:
            return text
        seen += 1
        if seen >= 3:
            break
    return ""
