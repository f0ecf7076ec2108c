"""Reading the cells of a published table: periods, numbers, CBS markers and footnotes.

Every function here raises ``ValueError`` with a short reason; the readers add file, table, row and
cell to it (see ``errors.DataError``).
"""
from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from dataclasses import dataclass

from babel.dates import get_month_names

# Month names in both languages, from the locale library, plus the usual abbreviations.
_MONTHS = {}
for _lang in ("nl", "en"):
    for _num, _name in get_month_names("wide", locale=_lang).items():
        _MONTHS[_name.lower()] = _num
    for _num, _name in get_month_names("abbreviated", locale=_lang).items():
        _MONTHS[_name.lower().rstrip(".")] = _num
_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))

# Words that may stand before a snapshot date: "Stand 02-06-2026", "stand op 2 juni 2026", "per 1-1-2026".
_SNAPSHOT_WORDS = r"(?:stand(?:\s+(?:op|per))?|peildatum|per|op|as\s+of|as\s+at|position\s+on)"

# CBS "Verklaring van tekens": the marker replaces or follows a value.
MARKERS = {".": "onbekend", "x": "geheim", "-": "nihil", "–": "nihil"}
_WORD_FOOTNOTE = re.compile(r"\[footnoteRef:(\d+)\]\s*(?:\[\1:\s*([^\]]*)\])?")
# A bare footnote marker: "[60]" as a web page or PDF copy shows it, superscript digits ("¹²"), or
# "(60)" at the very end of a cell.
_MARKER = re.compile(r"\s*\[(\d{1,3})\]|([\u00b9\u00b2\u00b3\u2070-\u2079]+)|\s*\((\d{1,3})\)\s*$")
_SUPERSCRIPT = str.maketrans("\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079", "1230456789")


@dataclass(frozen=True)
class Period:
    """A published period: a snapshot date (start == end) or a year (1 Jan to 31 Dec)."""

    start: dt.date
    end: dt.date
    provisional: bool = False

    @property
    def is_snapshot(self) -> bool:
        return self.start == self.end


def split_footnotes(text: str) -> tuple[str, list[str]]:
    """Remove footnotes from a cell: the clean text and the footnotes found.

    Word's text export gives ``[footnoteRef:60] [60: text]`` (the note's text is kept); a bare
    marker ``[60]``, ``⁶⁰`` or a final ``(60)`` is kept as ``footnote 60``. Whitespace, including non-breaking
    spaces, is collapsed to single spaces.
    """
    notes = [m.group(2).strip() for m in _WORD_FOOTNOTE.finditer(text) if m.group(2)]
    clean = _WORD_FOOTNOTE.sub(" ", text)
    notes += [f"footnote {next(g for g in m.groups() if g).translate(_SUPERSCRIPT)}" for m in _MARKER.finditer(clean)]
    clean = _MARKER.sub(" ", clean)
    return " ".join(clean.split()), notes


def parse_period(text: str) -> Period:
    """Read a column or row header as a period.

    Accepts ``Stand 02-06-2026``, ``stand op 2 juni 2026``, ``2 June 2026``, ``2026-06-02``,
    ``2-6-2026`` and a year ``2023`` (a year total); ``*`` after it marks the period provisional.
    """
    raw = " ".join(split_footnotes(text)[0].split())
    s = raw.lower()
    provisional = "*" in s
    s = s.replace("*", " ").strip()
    s = re.sub(rf"^{_SNAPSHOT_WORDS}\s*:?\s*", "", s).strip()
    if not s:
        raise ValueError(f"{raw!r} is not a period: no date in it")
    if m := re.fullmatch(r"(\d{4})", s):
        year = int(m.group(1))
        _check_year(year, raw)
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), provisional)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s):
        y, mo, d = (int(g) for g in m.groups())
    elif m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", s):
        d, mo, y = (int(g) for g in m.groups())
    elif m := re.fullmatch(rf"(\d{{1,2}})\s+({_MONTH_RE})\.?\s+(\d{{4}})", s):
        d, mo, y = int(m.group(1)), _MONTHS[m.group(2)], int(m.group(3))
    elif m := re.fullmatch(rf"({_MONTH_RE})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})", s):
        mo, d, y = _MONTHS[m.group(1)], int(m.group(2)), int(m.group(3))
    else:
        raise ValueError(f"{raw!r} is not a date (expected e.g. 'Stand 02-06-2026', '2 juni 2026' or '2026')")
    _check_year(y, raw)
    try:
        day = dt.date(y, mo, d)
    except ValueError as exc:
        raise ValueError(f"{raw!r} is not a valid date ({exc})") from None
    return Period(day, day, provisional)


def _check_year(year: int, raw: str) -> None:
    if not 1900 <= year <= 2100:
        raise ValueError(f"{raw!r}: year {year} is outside 1900-2100")


def year_period(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


# --- Numbers ----------------------------------------------------------------------------------

_NL_ONLY = re.compile(r"^\d{1,3}(\.\d{3})+,\d+$|^\d+,\d+$|^\d{1,3}(\.\d{3}){2,}$")
_EN_ONLY = re.compile(r"^\d{1,3}(,\d{3})+\.\d+$|^\d+\.\d+$|^\d{1,3}(,\d{3}){2,}$")
# "1.234" and "1,234" fit both formats; as a thousands separator is far more common in these tables
# than three decimals, each leans to the format whose thousands separator it shows.
_LEAN = {".": "nl", ",": "en"}
_EITHER = re.compile(r"^\d{1,3}([.,])\d{3}$")


def number_format_of(text: str) -> tuple[str | None, bool]:
    """The number format a cell shows, and whether it can only be that one.

    ``("nl", True)`` for ``1.234,5``; ``("en", True)`` for ``1,234.5``; ``("nl", False)`` for
    ``1.234`` and ``("en", False)`` for ``1,234``, which fit both; ``(None, False)`` for ``642``.
    """
    s = _strip_number(text)
    if m := _EITHER.match(s):
        return _LEAN[m.group(1)], False
    if _NL_ONLY.match(s):
        return "nl", True
    if _EN_ONLY.match(s):
        return "en", True
    return None, False


def mixed_formats_message(nl: str, en: str) -> str:
    return (f"mixed number formats: {nl!r} is Dutch (1.234,5) but {en!r} is international (1,234.5); "
            "a table must use one")


def _strip_number(text: str) -> str:
    s = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    return s.rstrip("*").strip()


def parse_number(text: str, number_format: str = "nl") -> tuple[float, str | None]:
    """A cell as ``(value, status)``; status is None unless a CBS marker says otherwise.

    ``1.234`` (nl) or ``1,234`` (en) is 1234; a trailing ``*`` means voorlopig; ``.`` onbekend and
    ``x`` geheim give NaN; ``-`` nihil gives 0. Percent signs are accepted and dropped.
    """
    raw = text.strip()
    if not raw:
        raise ValueError("empty cell")
    marker = MARKERS.get(raw.lower())
    if marker:
        return (0.0 if marker == "nihil" else math.nan), marker
    status = "voorlopig" if raw.endswith("*") else None
    s = _strip_number(raw).rstrip("%").strip()
    negative = s.startswith(("-", "−", "–"))
    if negative:
        s = s[1:]
    if number_format == "nl":
        ok = re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+(,\d+)?", s)
        s = s.replace(".", "").replace(",", ".")
    else:
        ok = re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?", s)
        s = s.replace(",", "")
    if not ok:
        raise ValueError(f"{raw!r} is not a number")
    if len(s.split(".")[0]) > 15:  # beyond what a float holds exactly (2**53); hundreds of digits overflow it
        raise ValueError(f"{raw[:40]!r}{'...' if len(raw) > 40 else ''} is too large to be a number (more than 15 digits)")
    value = float(s)
    return (-value if negative else value), status
