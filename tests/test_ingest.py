"""Ingest: a new letter into the store, reporting new / revised / unchanged, writing only when valid.

The values compared are typed in by hand (tests/conftest.py, tests/test_readers.py); the store's
bytes are compared before and after to prove that nothing is written when it should not be.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.ingest import commit, main, prepare
from analysis.model import COLUMNS
from analysis.store import Store

from .conftest import LETTER, ROOT, TABEL_1, TABEL_1_DATES
from .test_readers import DECEMBER, DECEMBER_HEADERS, DECEMBER_ROWS, JUNE_HEADERS, JUNE_ROWS, WRITERS, write_text

VINTAGE = "2026-12-18"


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis.ingest", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name != ".lock"}


def values(frame: pd.DataFrame) -> dict[str, list[float]]:
    frame = frame.sort_values(["indicator_id", "period_end"])
    return {k: g["value"].tolist() for k, g in frame.groupby("indicator_id")}


# --- Reading Tabel 1 -----------------------------------------------------------------------------


def test_tabel_1_from_the_letter_text_matches_the_table_typed_by_hand(tmp_path):
    preview = prepare(LETTER, Store(tmp_path / "empty"), vintage=dt.date(2026, 6, 30))
    obs = preview.document.observations
    assert values(obs) == TABEL_1
    for indicator in TABEL_1:
        rows = obs[obs["indicator_id"] == indicator].sort_values("period_end")
        assert rows["period_end"].dt.strftime("%Y-%m-%d").tolist() == TABEL_1_DATES
        assert (rows["period_start"] == rows["period_end"]).all()
    assert set(obs["status"]) == {"definitief"} and set(obs["rounded_to"]) == {1}
    assert preview.counts == {"new": 25, "revised": 0, "unchanged": 0}


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_the_same_table_as_html_and_docx_gives_the_same_rows(fmt, tmp_path):
    writer, suffix = WRITERS[fmt]
    store = Store(tmp_path / "empty")
    as_text = prepare(write_text(tmp_path / "juni.txt", JUNE_HEADERS, JUNE_ROWS), store, vintage=dt.date(2026, 6, 30))
    other = prepare(writer(tmp_path / f"juni{suffix}", JUNE_HEADERS, JUNE_ROWS), store, vintage=dt.date(2026, 6, 30))
    columns = [c for c in COLUMNS if c != "source_id"]  # the source is the file, which differs
    pd.testing.assert_frame_equal(other.document.observations[columns], as_text.document.observations[columns])
    assert values(other.document.observations) == TABEL_1


def test_the_bundled_letter_is_unchanged_against_the_bundled_store(store_copy):
    preview = prepare(LETTER, store_copy, vintage=dt.date(2026, 6, 30))
    assert preview.already_ingested == "halfjaarbericht-politie-2026-juni"
    assert preview.counts == {"new": 0, "revised": 0, "unchanged": 25}
    assert commit(preview, store_copy, LETTER) is False


# --- A restating letter --------------------------------------------------------------------------


def december_letter(path: Path) -> Path:
    """The December letter restates 2 June 2026's stock (3.400 -> 3.410) and adds 2 December 2026."""
    rows = [(label, note, [c if (label, k) != ("Werkvoorraad zedenzaken", 4) else "3.410" for k, c in enumerate(cells)])
            for label, note, cells in DECEMBER_ROWS]
    return write_text(path, rows=rows)


def test_a_restating_letter_reports_revised_and_new_and_adds_a_vintage(data_copy, store_copy, tmp_path):
    path = december_letter(tmp_path / "halfjaarbericht-december-2026.txt")
    preview = prepare(path, store_copy, vintage=dt.date(2026, 12, 18))
    assert preview.counts == {"new": 5, "revised": 1, "unchanged": 24}
    revised = preview.changes[preview.changes["change"] == "revised"]
    assert revised[["indicator_id", "old_value", "new_value"]].values.tolist() == [["zeden_voorraad", 3400.0, 3410.0]]
    assert revised["period_end"].dt.strftime("%Y-%m-%d").tolist() == ["2026-06-02"]
    new = preview.changes[preview.changes["change"] == "new"]
    assert set(new["period_end"].dt.strftime("%Y-%m-%d")) == {"2026-12-02"}
    assert dict(zip(new["indicator_id"], new["new_value"])) == {k: v[-1] for k, v in DECEMBER.items()}

    assert commit(preview, store_copy, path) is True
    stock = store_copy.observations
    stock = stock[(stock["indicator_id"] == "zeden_voorraad") & (stock["period_end"] == pd.Timestamp("2026-06-02"))]
    assert sorted(zip(stock["vintage"].dt.strftime("%Y-%m-%d"), stock["value"])) == [
        ("2026-06-30", 3400.0), ("2026-12-18", 3410.0)]  # the old vintage is kept
    assert store_copy.series("zeden_voorraad")[pd.Timestamp("2026-06-02")] == 3410
    assert store_copy.series("zeden_voorraad", as_of="2026-07-01")[pd.Timestamp("2026-06-02")] == 3400
    assert store_copy.series("zeden_voorraad").index[-1] == pd.Timestamp("2026-12-02")

    # The archived document and its record make a rebuild from data/ alone give the same store.
    assert (data_copy / "sources" / preview.record.file).read_bytes() == path.read_bytes()
    ingested = store_copy.file.read_bytes()
    done = subprocess.run([sys.executable, "-m", "analysis.build", "--data", str(data_copy)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "vintages 2023-03-31, 2024-12-31, 2025-12-31, 2026-06-30, 2026-12-18" in done.stdout
    assert store_copy.file.read_bytes() == ingested


def test_ingesting_the_same_letter_twice_changes_no_byte(data_copy, store_copy, tmp_path, capsys):
    path = december_letter(tmp_path / "december.txt")
    assert main([str(path), "--store", str(store_copy.dir), "--vintage", VINTAGE]) == 0
    store_after, sources_after = store_copy.file.read_bytes(), folder_bytes(data_copy / "sources")
    assert "5 new, 1 revised, 24 unchanged" in capsys.readouterr().out
    assert main([str(path), "--store", str(store_copy.dir), "--vintage", VINTAGE]) == 0
    assert "already in the store" in capsys.readouterr().out
    assert store_copy.file.read_bytes() == store_after
    assert folder_bytes(data_copy / "sources") == sources_after


def test_a_document_contradicting_a_source_of_the_same_vintage_is_refused(store_copy, tmp_path):
    before = store_copy.file.read_bytes()
    rows = [(label, note, cells[:4] + ["3410"]) if label.startswith("Voorraad") else (label, note, cells)
            for label, note, cells in JUNE_ROWS]
    path = write_text(tmp_path / "juni-gecorrigeerd.txt", JUNE_HEADERS, rows)
    with pytest.raises(Exception, match="disagree on zeden_voorraad for 2026-06-02.*--vintage"):
        prepare(path, store_copy, vintage=dt.date(2026, 6, 30))
    assert store_copy.file.read_bytes() == before


def test_dry_run_writes_nothing(data_copy, store_copy, tmp_path, capsys):
    before, sources = store_copy.file.read_bytes(), folder_bytes(data_copy / "sources")
    path = december_letter(tmp_path / "december.txt")
    assert main([str(path), "--store", str(store_copy.dir), "--dry-run", "--vintage", VINTAGE]) == 0
    out = capsys.readouterr().out
    assert "revised   zeden_voorraad" in out and "3.400 -> 3.410" in out and "dry run" in out
    assert store_copy.file.read_bytes() == before
    assert folder_bytes(data_copy / "sources") == sources


# --- The command line ----------------------------------------------------------------------------


def test_json_output_has_exactly_the_data_model_columns(tmp_path):
    done = run_cli(str(LETTER), "--store", str(tmp_path / "store"), "--json", "--dry-run", "--vintage", "2026-06-30")
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    assert len(records) == 25
    assert all(list(r) == list(COLUMNS) for r in records)
    stock = {r["period_end"]: r["value"] for r in records if r["indicator_id"] == "zeden_voorraad"}
    assert stock == dict(zip(TABEL_1_DATES, map(float, TABEL_1["zeden_voorraad"])))
    first = records[0]
    assert first["period_start"] == first["period_end"] and first["vintage"] == "2026-06-30"
    assert first["unit"] == "count" and first["status"] == "definitief" and first["rounded_to"] == 1
    assert "25 new" in done.stderr  # the report goes to stderr, so stdout is pure JSON
    assert not (tmp_path / "store").exists()


def test_cli_exit_codes(tmp_path, data_copy, capsys):
    store = data_copy / "store"
    before = (store / "observations.parquet").read_bytes()
    empty = tmp_path / "leeg.txt"
    empty.write_bytes(b"")
    ok = run_cli(str(december_letter(tmp_path / "december.txt")), "--store", str(store), "--vintage", VINTAGE, "--dry-run")
    bad = run_cli(str(empty), "--store", str(store))
    usage = run_cli("--vintage", "gisteren", str(empty))
    assert (ok.returncode, bad.returncode, usage.returncode) == (0, 1, 2)
    assert bad.stderr.startswith("error: leeg.txt: file is empty\n")
    assert main([str(tmp_path / "nergens.txt"), "--store", str(store)]) == 1  # the same path in-process
    assert "nergens.txt: file not found" in capsys.readouterr().err
    assert (store / "observations.parquet").read_bytes() == before


# --- Malformed input: one clear error, non-zero exit, store untouched ------------------------------


def _rows(**changes):
    """DECEMBER_ROWS with some rows replaced: {index: (label, cells)}."""
    rows = list(DECEMBER_ROWS)
    for index, (label, cells) in changes.items():
        rows[int(index[1:])] = (label, None, cells)
    return rows


SIX = ["1", "2", "3", "4", "5", "6"]


def _zip_without_word(path: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("foto.jpg", b"\xff\xd8 not a letter")
    return path


def _damaged_docx(tmp_path: Path) -> Path:
    whole = WRITERS["docx"][0](tmp_path / "heel.docx")
    path = tmp_path / "beschadigd.docx"
    path.write_bytes(whole.read_bytes()[:2000])
    return path


def _html(tmp_path: Path, name: str, **kw) -> Path:
    return WRITERS["html"][0](tmp_path / name, **kw)


def _docx(tmp_path: Path, name: str, **kw) -> Path:
    return WRITERS["docx"][0](tmp_path / name, **kw)


def _text(tmp_path: Path, name: str, **kw) -> Path:
    return write_text(tmp_path / name, **kw)


def _raw(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


TABEL = "Tabel 1 'Werkvoorraden politie op het terrein van zedenzaken (bron: politie)'"
HEADERS_BAD_DATE = [*DECEMBER_HEADERS[:4], "Stand 31-06-2026", DECEMBER_HEADERS[5]]
HEADERS_DUPLICATE = [*DECEMBER_HEADERS[:5], "Stand 02-06-2026"]

# (id, make the file, expected message part, file, table, row, cell); None: not applicable.
MALFORMED = [
    ("unknown label", lambda t: _text(t, "a.txt", rows=_rows(r1=("Voorraad aantal zedenzakken", DECEMBER_ROWS[1][2]))),
     "unknown row label 'Voorraad aantal zedenzakken' for table zeden_werkvoorraad (did you mean 'Voorraad aantal zedenzaken'?",
     "a.txt", TABEL, "row 2 'Voorraad aantal zedenzakken'", None),
    ("too few cells", lambda t: _text(t, "b.txt", rows=_rows(r3=("Aantal aangiftes", SIX[:5]))),
     "row has 5 value cells, expected 6", "b.txt", TABEL, "row 4 'Aantal aangiftes'", None),
    ("too many cells", lambda t: _text(t, "c.txt", rows=_rows(r1=("Werkvoorraad zedenzaken", [*SIX, "7"]))),
     "row has more than 6 value cells", "c.txt", TABEL, "row 2 'Werkvoorraad zedenzaken'", "cell 7"),
    ("non-numeric cell", lambda t: _html(t, "d.html", rows=_rows(r1=("Werkvoorraad zedenzaken", ["1", "2", "3", "4", "3.4OO", "6"]))),
     "'3.4OO' is not a number", "d.html", TABEL, "row 2 'Werkvoorraad zedenzaken'", "cell 5 ('Stand 02-06-2026')"),
    ("date that does not parse", lambda t: _docx(t, "e.docx", headers=HEADERS_BAD_DATE),
     "'Stand 31-06-2026' is not a valid date", "e.docx", TABEL, "header", "cell 5 ('Stand 31-06-2026')"),
    ("negative count", lambda t: _text(t, "f.txt", rows=_rows(r2=("Aangiftes ouder dan zes maanden", [*SIX[:5], "-12"]))),
     "negative count '-12'", "f.txt", TABEL, "row 3 'Aangiftes ouder dan zes maanden'", "cell 6 ('Stand op 2 december 2026')"),
    ("duplicate period", lambda t: _html(t, "g.html", headers=HEADERS_DUPLICATE),
     "duplicate period", "g.html", TABEL, "row 1 'Aantal geregistreerde zedenincidenten'", "cell 6 ('Stand 02-06-2026')"),
    ("duplicate row", lambda t: _text(t, "h.txt", rows=_rows(r4=("Voorraad aantal zedenzaken", SIX))),
     "duplicate row: 'Voorraad aantal zedenzaken' is the same indicator (zeden_voorraad) as row 2 'Werkvoorraad zedenzaken'",
     "h.txt", TABEL, "row 5 'Voorraad aantal zedenzaken'", "cell 1 ('Stand 02-06-2022')"),
    ("empty file", lambda t: _raw(t, "i.txt", b""), "file is empty", "i.txt", None, None, None),
    ("binary file", lambda t: _raw(t, "j.txt", bytes(range(256)) * 8), "file is binary", "j.txt", None, None, None),
    ("oversized file", lambda t: _raw(t, "k.txt", b"Tabel 1\n" + b"\t1\n" * 7_500_000), "the limit is 20,971,520",
     "k.txt", None, None, None),
    ("wrong encoding", lambda t: _raw(t, "l.txt", write_text(t / "x.txt").read_bytes().replace(b"Werkvoorraad", b"Werk\x81voorraad")),
     "neither UTF-8 nor Windows-1252 text: byte", "l.txt", None, None, None),
    ("html without tables", lambda t: _raw(t, "m.html", b"<html><body><p>Tabel 1 volgt later.</p></body></html>"),
     "the HTML has no <table>", "m.html", None, None, None),
    ("docx that is not a zip", lambda t: _raw(t, "n.docx", write_text(t / "x.txt").read_bytes()),
     "is not a Word document", "n.docx", None, None, None),
    ("zip that is not a docx", lambda t: _zip_without_word(t / "o.docx"), "not a Word document (it has no word/document.xml)",
     "o.docx", None, None, None),
    ("damaged docx", _damaged_docx, "not a Word document: a .docx is a zip file", "beschadigd.docx", None, None, None),
    ("csv missing its value column", lambda t: _raw(t, "p.csv", b"indicator;period;status\nzeden_voorraad;2026-06-02;definitief\n"),
     "lacks a column for value", "p.csv", None, "header", None),
    ("mixed number formats", lambda t: _raw(t, "q.csv", b"Perioden;Misdrijven per 1 000 inwoners\n2021;43,5\n2022;46.25\n"),
     "mixed number formats: '43,5' is Dutch (1.234,5) but '46.25' is international", "q.csv", "CSV table",
     "row 2 '2022'", "cell 1 ('Misdrijven per 1 000 inwoners')"),
    ("catalog table with no rows", lambda t: _text(t, "r.txt", rows=[]),
     "the table has a header but no data rows", "r.txt", TABEL, None, None),
    ("html row with too few cells", lambda t: _html(t, "s.html", rows=_rows(r0=("Aantal geregistreerde incidenten", SIX[:1]))),
     "row has 1 value cells, expected 6", "s.html", TABEL, "row 1 'Aantal geregistreerde incidenten'", None),
    ("period that does not parse", lambda t: _raw(t, "u.csv", b"Perioden;Misdrijven, totaal (aantal)\n2021;758.065\n2O22;809.390\n"),
     "'2O22' is not a date", "u.csv", "CSV table", "row 2 '2O22'", "period '2O22'"),
    ("year in a snapshot table", lambda t: _text(t, "v.txt", headers=[*DECEMBER_HEADERS[:5], "2026"]),
     "period '2026' is a year, but zeden_werkvoorraad holds snapshots", "v.txt", TABEL,
     "row 1 'Aantal geregistreerde zedenincidenten'", "cell 6 ('2026')"),
]


@pytest.mark.parametrize("case", MALFORMED, ids=[c[0] for c in MALFORMED])
def test_malformed_input_is_refused_with_one_precise_error(case, data_copy, store_copy, tmp_path, capsys):
    _, make, message, file, table, row, cell = case
    made = tmp_path / "made"
    made.mkdir()
    path = make(made)
    store_before, sources_before = store_copy.file.read_bytes(), folder_bytes(data_copy / "sources")

    with pytest.raises(Exception) as caught:
        prepare(path, store_copy, vintage=dt.date(2026, 12, 18))
    error = caught.value
    assert type(error).__name__ == "DataError"
    assert message in error.message
    assert (error.file, error.table, error.row, error.cell) == (file, table, row, cell)

    assert main([str(path), "--store", str(store_copy.dir), "--vintage", VINTAGE]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"error: {error}", "nothing was written; the store is unchanged."]
    assert store_copy.file.read_bytes() == store_before
    assert folder_bytes(data_copy / "sources") == sources_before


def test_the_vintage_is_never_before_the_dates_a_document_describes(tmp_path):
    store = Store(tmp_path / "empty")
    path = december_letter(tmp_path / "december.txt")  # its last snapshot is 2 December 2026
    with pytest.raises(Exception, match="zeden_.* on 2026-12-02 cannot have been published on 2026-11-30"):
        prepare(path, store, vintage=dt.date(2026, 11, 30))
    preview = prepare(path, store)  # no vintage: today, but not before 2 December 2026
    assert preview.record.vintage >= dt.date(2026, 12, 2)
    assert preview.record.vintage >= dt.date.today()
    assert set(preview.document.observations["vintage"]) == {pd.Timestamp(preview.record.vintage)}
