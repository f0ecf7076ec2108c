"""Ingest fuzzing: hostile and broken documents are refused with a DataError, the store never changes.

Bounded: a fixed number of examples per property, derandomized so that a run is repeatable.
"""
from __future__ import annotations

import hashlib
import importlib.util
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from analysis.catalog import load_catalog
from analysis.errors import DataError
from analysis.ingest import Preview, prepare
from analysis.store import Store

from .conftest import DATA, LETTER

SOURCES = DATA / "sources"
BUNDLED = sorted(p.name for p in SOURCES.iterdir() if not p.name.endswith(".source.yml"))
SUFFIXES = [".txt", ".csv", ".tsv"]
SUFFIXES += [".html", ".htm"] if importlib.util.find_spec("analysis.readers.html") else []
SUFFIXES += [".docx"] if importlib.util.find_spec("analysis.readers.docx") else []
# Readers the ingest command names but this checkout does not have yet (they come with the ingest work).
ABSENT_READERS = {f"analysis.readers.{m}" for m in ("html", "docx") if not importlib.util.find_spec(f"analysis.readers.{m}")}
CATALOG = load_catalog()


def fuzz(examples: int):
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    """A copy of the bundled data, and a folder for the files under test."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(DATA, root / "data", ignore=shutil.ignore_patterns(".lock"))
    store = Store(root / "data" / "store")
    work = root / "in"
    work.mkdir()
    return store, sha(store.file), work


def attempt(target, data: bytes, name: str) -> Preview | DataError:
    """prepare() on a file with these bytes: a preview or a DataError; anything else fails the test."""
    store, before, work = target
    path = work / name
    path.write_bytes(data)
    try:
        result = prepare(path, store, catalog=CATALOG)
    except DataError as exc:
        assert exc.file == name, f"the error names {exc.file!r}, not the file {name!r}"
        result = exc
    except ModuleNotFoundError as exc:
        if exc.name not in ABSENT_READERS:
            raise
        reject()  # content that looks like HTML or .docx, whose reader is not in this checkout
    assert sha(store.file) == before, "the store changed"
    return result


def values(preview: Preview) -> dict:
    if preview.document is None:  # the very bytes of a stored source: nothing new to compare
        assert preview.already_ingested
        return {}
    obs = preview.document.observations
    return {(r.indicator_id, r.period_end): r.value for r in obs.itertuples()}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """What each bundled document gives when read whole (against an empty store)."""
    empty = Store(tmp_path_factory.mktemp("empty") / "store")
    return {name: values(prepare(SOURCES / name, empty, catalog=CATALOG)) for name in BUNDLED}


# --- Properties --------------------------------------------------------------------------------


@fuzz(120)
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES), zip_header=st.booleans())
def test_random_bytes_are_refused(target, data, suffix, zip_header):
    data = (b"PK\x03\x04" + data) if zip_header else data
    assert isinstance(attempt(target, data, f"random{suffix}"), DataError)


_CELL = st.one_of(st.integers(-10**6, 10**7).map(str), st.text(max_size=30),
                  st.sampled_from(["Stand 02-06-2026", "Tabel 1", "Perioden", "x", ".", "-", "2026*", "1.234,5"]))


@fuzz(120)
@given(rows=st.lists(st.lists(_CELL, min_size=1, max_size=6), max_size=30), layout=st.sampled_from(["tabs", "csv", "statline"]))
def test_random_table_like_text_is_refused(target, rows, layout):
    if layout == "tabs":
        text = "Tabel 1 Werkvoorraden\n" + "\n".join("\t" + c for row in rows for c in row) + "\n\nEinde.\n"
        name = "brief.txt"
    elif layout == "csv":
        text = "indicator_id,period,value\n" + "\n".join(",".join(row) for row in rows) + "\n"
        name = "tabel.csv"
    else:
        text = "Perioden Geregistreerde misdrijven\n" + "\n".join(" ".join(row) for row in rows) + "\n"
        name = "statline.txt"
    result = attempt(target, text.encode("utf-8", "surrogatepass"), name)
    if layout == "statline" and isinstance(result, Preview):  # "2026* 5" under a known column is a valid table
        assert all(v == v and abs(v) < 1e300 for v in values(result).values())
    else:
        assert isinstance(result, DataError)


@fuzz(100)
@given(name=st.sampled_from(BUNDLED), fraction=st.floats(0.0, 1.0, exclude_max=True))
def test_a_truncated_document_never_gives_a_wrong_value(target, published, name, fraction):
    data = (SOURCES / name).read_bytes()
    cut = data[: int(len(data) * fraction)]
    result = attempt(target, cut, name)
    if isinstance(result, Preview):  # a clean cut between rows can still be a valid, shorter table
        got = values(result)
        assert {k: published[name].get(k) for k in got} == got, "a truncated file gave a value the document does not have"


def _huge(kind: str, size: int) -> str:
    return {"digits": "7" * size, "letters": "zeden" * (size // 5), "grouped": "1" + ".000" * (size // 4)}[kind]


@fuzz(40)
@given(position=st.sampled_from(["label", "period", "value"]), kind=st.sampled_from(["digits", "letters", "grouped"]),
       size=st.sampled_from([400, 5_000, 200_000]), layout=st.sampled_from(["csv", "letter"]))
def test_huge_cells_are_refused(target, position, kind, size, layout):
    cell = _huge(kind, size)
    if layout == "csv":
        row = {"label": "zeden_voorraad", "period": "2026-12-02", "value": "3500", position: cell}
        data = f"indicator_id,period,value\n{row['label']},{row['period']},{row['value']}\n".encode()
        result = attempt(target, data, "groot.csv")
    else:
        text = LETTER.read_text(encoding="utf-8")
        original = {"label": "\tVoorraad aantal zedenzaken\n", "period": "02-06-2026\n", "value": "\t3400\n"}[position]
        assert original in text
        data = text.replace(original, original.replace(original.strip(), cell), 1).encode()
        result = attempt(target, data, "groot.txt")
    assert isinstance(result, DataError)


ENCODINGS = ["utf-16", "utf-16-le", "utf-32", "cp500", "shift_jis", "gb18030", "koi8-r", "mac_roman", "latin-1",
             "cp1252", "utf-8-sig", "iso2022_jp"]


@fuzz(36)
@given(name=st.sampled_from(BUNDLED), encoding=st.sampled_from(ENCODINGS))
def test_a_wrong_encoding_is_refused_or_reads_the_same_numbers(target, published, name, encoding):
    data = (SOURCES / name).read_text(encoding="utf-8").encode(encoding, errors="replace")
    result = attempt(target, data, name)
    if isinstance(result, Preview) and not result.already_ingested:
        assert values(result) == published[name]


def _tabel_1_lines() -> tuple[list[str], list[int]]:
    """The letter's lines and the indexes of Tabel 1's cells (header and value cells)."""
    lines = LETTER.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Tabel 1 "))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("De cijfers in de tabel 1"))
    cells = [i for i in range(start + 1, end) if re.fullmatch(r"\t(\d+|Stand\s*)", lines[i])]
    return lines, cells


TABEL_1_LINES, TABEL_1_CELLS = _tabel_1_lines()


@fuzz(60)
@given(at=st.sampled_from(TABEL_1_CELLS), change=st.sampled_from(["drop", "repeat", "extra", "blank"]),
       extra=st.integers(0, 99_999))
def test_a_table_with_a_missing_or_extra_cell_is_refused(target, at, change, extra):
    lines = list(TABEL_1_LINES)
    if change == "drop":
        del lines[at]
    elif change == "repeat":
        lines.insert(at, lines[at])
    elif change == "extra":
        lines.insert(at + 1, f"\t{extra}")
    elif lines[at].strip().isdigit():  # a blank header cell is no loss: its date is on the next line
        lines[at] = "\t"
    else:
        del lines[at + 1]  # the header's date
    result = attempt(target, "\n".join(lines).encode(), LETTER.name)
    assert isinstance(result, DataError)
    assert result.table or result.row, f"the error does not say where: {result}"


@fuzz(40)
@given(line=st.integers(0, 3), change=st.sampled_from(["drop", "extra"]))
def test_a_csv_line_with_a_missing_or_extra_cell_is_refused(target, line, change):
    rows = [["indicator_id", "period", "value"], ["zeden_voorraad", "2026-12-02", "3500"],
            ["zeden_voorraad", "2026-06-02", "3410"], ["zeden_aangiftes", "2026-06-02", "1676"]]
    rows[line] = rows[line][:-1] if change == "drop" else [*rows[line], "9"]
    result = attempt(target, "".join(",".join(r) + "\n" for r in rows).encode(), "december.csv")
    assert isinstance(result, DataError)


def test_a_value_too_large_for_a_float_is_a_data_error_naming_the_cell(target):
    """Found by the fuzzing above: 400 digits overflowed to inf and crashed with OverflowError."""
    result = attempt(target, b"indicator_id,period,value\nzeden_voorraad,2026-12-02," + b"9" * 400 + b"\n", "groot.csv")
    assert isinstance(result, DataError)
    assert result.row == "line 2 ('zeden_voorraad')" and "too large" in result.message


@pytest.mark.parametrize("name, cut_after", [
    (LETTER.name, b"\t1533\n\t16"),  # Tabel 1's last value 1676, cut to 16
    ("cbs-83723NED-geregistreerde-criminaliteit-1948-2023.txt", b"1948 133.255 1"),  # 14 cut to 1
])
def test_a_document_cut_inside_its_last_number_is_refused(target, name, cut_after):
    """Found by the fuzzing above: a cut file read as a smaller number in the last cell."""
    data = (SOURCES / name).read_bytes()
    result = attempt(target, data[: data.index(cut_after) + len(cut_after)], name)
    assert isinstance(result, DataError) and "cut off" in result.message
