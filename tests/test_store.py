"""The bundled store: values checked against the published tables, typed in by hand."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.build import build
from analysis.sources import sha256_of
from analysis.store import Store

from .conftest import DATA, TABEL_1, TABEL_1_DATES

# CBS 83723NED, typed from the StatLine copy: (total, per 1 000 inhabitants).
CBS_SPOT = {1948: (133255, 14), 1983: (1059290, 74), 2002: (1505135, 93), 2013: (1105565, 66),
            2021: (758065, 43), 2022: (809390, 46), 2023: (807375, 45)}


def test_tabel_1_has_the_25_published_values_with_their_dates(bundled_store):
    for indicator, values in TABEL_1.items():
        s = bundled_store.series(indicator)
        assert [d.strftime("%Y-%m-%d") for d in s.index] == TABEL_1_DATES
        assert s.tolist() == values
        assert set(s.attrs["status"].values()) == {"definitief"}
        assert s.attrs["unit"] == "count"
        # a snapshot is a stock at a date: start equals end
        assert all(start == end for end, start in s.attrs["period_start"].items())


def test_cbs_registered_crime_1948_2023(bundled_store):
    first = bundled_store.series("misdrijven_totaal", as_of="2024-12-31")
    per_1000 = bundled_store.series("misdrijven_per_1000_inwoners", as_of="2024-12-31")
    assert list(first.index.year) == list(range(1948, 2024))  # 76 years
    assert list(per_1000.index.year) == list(range(1948, 2024))
    for year, (total, rate) in CBS_SPOT.items():
        when = pd.Timestamp(f"{year}-12-31")
        assert first[when] == total
        assert per_1000[when] == rate
        expected = "voorlopig" if year >= 2022 else "definitief"
        assert first.attrs["status"][when] == expected
        assert per_1000.attrs["status"][when] == expected
    assert first.attrs["period_start"][pd.Timestamp("2023-12-31")] == pd.Timestamp("2023-01-01")


def test_2023_total_has_two_vintages_and_latest_is_the_revision(bundled_store):
    obs = bundled_store.observations
    rows = obs[(obs["indicator_id"] == "misdrijven_totaal") & (obs["period_end"] == pd.Timestamp("2023-12-31"))]
    rows = rows.sort_values("vintage")
    assert rows["value"].tolist() == [807375, 816000]
    assert rows["rounded_to"].tolist() == [1, 1000]
    assert rows["status"].tolist() == ["voorlopig", "herzien"]
    latest = bundled_store.series("misdrijven_totaal")
    assert latest[pd.Timestamp("2023-12-31")] == 816000
    assert latest.attrs["rounded_to"][pd.Timestamp("2023-12-31")] == 1000
    as_published = bundled_store.series("misdrijven_totaal", as_of=dt.date(2025, 1, 1))
    assert as_published[pd.Timestamp("2023-12-31")] == 807375
    assert pd.Timestamp("2024-12-31") not in as_published.index  # not yet published then
    revisions = bundled_store.revisions("misdrijven_totaal")
    assert revisions["previous_value"].dropna().tolist() == [807375]


def test_press_release_figures_keep_their_rounding(bundled_store):
    s = bundled_store.series("seksuele_misdrijven")
    assert dict(zip(s.index.year, s)) == {2013: 8600, 2015: 7700, 2018: 9100, 2021: 8800, 2022: 9900}
    assert set(s.attrs["rounded_to"].values()) == {100}
    assert bundled_store.series("verkrachtingen").tolist() == [2400, 2885]
    assert bundled_store.series("aanrandingen").tolist() == [2265, 2955]


def test_every_value_names_a_source_with_provenance(bundled_store):
    sources = bundled_store.sources
    assert set(bundled_store.observations["source_id"]) <= set(sources)
    for record in sources.values():
        assert record.title and record.publisher and record.sha256 and record.licence
    letter = sources["halfjaarbericht-politie-2026-juni"]
    assert letter.vintage == dt.date(2026, 6, 30)


def test_build_is_byte_for_byte_repeatable_and_matches_the_bundled_store(tmp_path):
    first = build(DATA, tmp_path / "a")
    second = build(DATA, tmp_path / "b")
    assert first.file.read_bytes() == second.file.read_bytes()
    # The committed store must be what the sources give (rebuild it after changing data/).
    assert first.file.read_bytes() == Store().file.read_bytes()


def test_unknown_indicator_raises_a_clear_error(bundled_store):
    with pytest.raises(KeyError, match="no values for indicator 'nope'"):
        bundled_store.series("nope")


def test_a_failed_write_leaves_the_store_intact(store_copy):
    before = store_copy.file.read_bytes()
    broken = store_copy.observations.assign(value="not a number")
    with pytest.raises(Exception):
        store_copy.write(broken, list(store_copy.sources.values()))
    assert store_copy.file.read_bytes() == before
    assert not list(store_copy.dir.glob(".*.tmp-*"))


def test_a_source_document_is_found_beside_the_store_and_matches_its_checksum(bundled_store):
    path = bundled_store.document("halfjaarbericht-politie-2026-juni")
    assert path == DATA / "sources" / "halfjaarbericht-politie-2026-bijlage-moties-toezeggingen.txt"
    assert "Tabel 1 Werkvoorraden politie op het terrein van zedenzaken" in path.read_text(encoding="utf-8")
    assert sha256_of(path) == bundled_store.sources["halfjaarbericht-politie-2026-juni"].sha256
    with pytest.raises(KeyError, match="no source 'halfjaarbericht-2031'.*halfjaarbericht-politie-2026-juni"):
        bundled_store.document("halfjaarbericht-2031")


def test_a_missing_source_document_is_named(store_copy):
    path = store_copy.document("cbs-83723ned-2024")
    path.unlink()
    with pytest.raises(FileNotFoundError, match="cbs-83723ned-2024.*cbs-83723NED-geregistreerde-criminaliteit-1948-2023.txt"):
        store_copy.document("cbs-83723ned-2024")
