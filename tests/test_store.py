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


# --- The query path at scale: many row groups, answers as the definitions say ---------------------

SERIES_KEY = ["indicator_id", "period_start", "period_end"]


def newest_by_sorting(rows: pd.DataFrame, as_of=None) -> pd.DataFrame:
    """The definition, computed the slow way: sort by vintage, keep the last per indicator and period."""
    if as_of is not None:
        rows = rows[rows["vintage"] <= pd.Timestamp(as_of)]
    rows = rows.sort_values([*SERIES_KEY, "vintage", "source_id"]).drop_duplicates(SERIES_KEY, keep="last")
    return rows.sort_values(["indicator_id", "period_end"]).reset_index(drop=True)


@pytest.fixture
def many_row_groups(tmp_path, monkeypatch):
    """A synthetic store written in row groups of 16 rows, so one indicator spans several."""
    import analysis.store
    from bench.synthetic import generate

    monkeypatch.setattr(analysis.store, "ROW_GROUP_ROWS", 16)
    store = generate(tmp_path, municipalities=4, offences=3, years=2)
    import pyarrow.parquet as pq

    assert pq.ParquetFile(store.file).metadata.num_row_groups > 20
    return Store(store.dir)


def test_select_and_latest_are_the_newest_vintage_per_period(many_row_groups):
    everything = many_row_groups.observations
    first_vintage = many_row_groups.vintages()[0]
    ids = ["soort02_gm0003", "soort01_gm0001", "soort03_gm0004"]
    for as_of in (None, first_vintage, "2012-07-15"):
        want = newest_by_sorting(everything[everything["indicator_id"].isin(ids)], as_of)
        pd.testing.assert_frame_equal(many_row_groups.select(ids, as_of), want)
        pd.testing.assert_frame_equal(many_row_groups.latest(as_of), newest_by_sorting(everything, as_of))
    assert many_row_groups.select(["no_such_indicator"]).empty
    assert many_row_groups.select(ids, "2000-01-01").empty  # nothing published yet


def test_revisions_and_history_of_some_indicators(many_row_groups):
    everything = many_row_groups.observations
    ids = ["soort01_gm0002", "soort03_gm0003"]
    rows = everything[everything["indicator_id"].isin(ids)]
    history = many_row_groups.history(ids)
    assert len(history) == len(rows) == 2 * (17 + 24)
    pd.testing.assert_frame_equal(history.reset_index(drop=True), rows.reset_index(drop=True))
    # A period is revised when its two vintages disagree.
    changed = int((rows.groupby(SERIES_KEY)["value"].nunique(dropna=False) > 1).sum())
    assert changed > 0
    revised = many_row_groups.revisions(ids)
    assert len(revised) == 2 * changed  # both vintages of each revised period
    assert revised["previous_value"].isna().sum() == changed  # the first of each pair has none before it
    later = revised.dropna(subset=["previous_value"])
    assert (later["previous_value"] != later["value"]).all()


def test_a_reader_never_mixes_two_versions_of_the_store(store_copy):
    """A version opened before a writer replaces the file still reads the old rows, whole."""
    before = store_copy.select("zeden_voorraad")["value"].tolist()
    version = store_copy._version()
    changed = store_copy.observations.assign(value=lambda f: f["value"] + 1)
    with store_copy.locked():
        store_copy.write(changed, list(store_copy.sources.values()))
    old = version.rows(["zeden_voorraad"]).to_pandas()
    assert old.drop_duplicates(["period_end"], keep="last")["value"].tolist() == before
    assert store_copy.select("zeden_voorraad")["value"].tolist() == [v + 1 for v in before]


def test_row_count_counts_every_vintage(bundled_store, many_row_groups):
    # From the footer, without reading a row: the same count as decoding everything.
    assert bundled_store.row_count() == len(bundled_store.observations)
    assert many_row_groups.row_count() == len(many_row_groups.observations) == 4 * 3 * (17 + 24)


def test_an_answer_changed_by_its_caller_leaves_the_next_answer_alone(bundled_store):
    first = bundled_store.select("zeden_voorraad")
    first["value"] = 0
    first.loc[0, "status"] = "changed"
    again = bundled_store.select("zeden_voorraad")
    assert again["value"].tolist() == TABEL_1["zeden_voorraad"]
    assert set(again["status"]) == {"definitief"}


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


def test_threads_reading_one_store_at_once_all_get_the_right_answer(store_copy):
    """gunicorn serves with several threads; one open parquet file must not mix their reads."""
    from concurrent.futures import ThreadPoolExecutor

    fresh = Store(store_copy.dir)  # nothing cached yet: every thread reads the file

    def read(i):
        if i % 3 == 0:
            return len(fresh.latest())
        if i % 3 == 1:
            return fresh.series("zeden_voorraad").tolist()
        return fresh.select(["misdrijven_totaal"])["value"].iloc[0]

    pool = ThreadPoolExecutor(8)
    futures = [pool.submit(read, i) for i in range(600)]
    # Without a lock around the shared file these reads crashed or hung: never wait forever.
    results = [f.result(timeout=60) for f in futures]
    pool.shutdown()
    assert results[0::3] == [len(Store(store_copy.dir).latest())] * 200
    assert results[1::3] == [TABEL_1["zeden_voorraad"]] * 200
    assert results[2::3] == [133255] * 200  # 1948, the first year of CBS 83723NED
