"""Downloads of the data in view: CSV in Dutch and English conventions, XLSX, parquet, formula safety.

Expected values are typed in from the published tables: Tabel 1 of the June 2026 letter
(conftest.TABEL_1: 3.400 cases on 2 June 2026, 3.156 a year earlier), CBS 83723NED (809.390 in
2022, provisional) and the CBS press release of 2025 (2023 revised to "816 duizend", 2024 "812
duizend", both rounded to thousands).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from analysis.store import Store
from dashboard.downloads import neutralise, to_csv, to_parquet, to_xlsx
from dashboard.state import from_query

from .conftest import TABEL_1, TABEL_1_DATES

# CBS: 2022 from StatLine (provisional, exact); 2023 and 2024 from the press release of 2025.
CBS = {"2022-12-31": (809390, "voorlopig", 1), "2023-12-31": (816000, "herzien", 1000),
       "2024-12-31": (812000, "voorlopig", 1000)}


def view(query):
    state, notices = from_query(query)
    assert notices == []
    return state


def read_csv(raw: bytes, dutch: bool) -> list[dict]:
    text = raw.decode("utf-8")
    assert text.startswith("\ufeff") == dutch  # Dutch Excel needs the BOM to read UTF-8
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";" if dutch else ","))


def number(text: str, dutch: bool) -> float:
    assert (" " not in text) and ("." not in text if dutch else "," not in text), text  # no thousands separators
    return float(text.replace(",", ".")) if dutch else float(text)


def test_dutch_csv_is_semicolon_separated_with_decimal_commas(bundled_store, catalog):
    raw = to_csv(view("?indicators=zeden_voorraad,zeden_aangiftes&mode=pct_change"), bundled_store, catalog)
    assert raw.decode("utf-8").splitlines()[0].count(";") > 10
    rows = read_csv(raw, dutch=True)
    assert list(rows[0])[:6] == ["Indicator-id", "Indicator", "Periode", "Begin periode", "Einde periode",
                                 "Verandering t.o.v. een jaar eerder (%)"]
    stock = {r["Einde periode"]: r for r in rows if r["Indicator-id"] == "zeden_voorraad"}
    assert [number(stock[d]["Niveau"], True) for d in TABEL_1_DATES] == TABEL_1["zeden_voorraad"]
    last = stock["2026-06-02"]
    assert number(last["Verandering t.o.v. een jaar eerder (%)"], True) == pytest.approx((3400 - 3156) / 3156 * 100)
    assert "," in last["Verandering (%)"]  # 7,73...: a decimal comma
    assert number(last["Verandering (aantal)"], True) == 244
    assert last["Status"] == "definitief" and last["Afgerond op (1 = exact)"] == "1"
    assert last["Periode"] == "stand 2 juni 2026" and last["Eenheid"] == "procent"
    assert stock["2022-06-02"]["Verandering (%)"] == ""  # no year earlier in the table


def test_english_csv_uses_commas_and_points(bundled_store, catalog):
    rows = read_csv(to_csv(view("?mode=ratio&lang=en"), bundled_store, catalog), dutch=False)
    assert list(rows[0])[:3] == ["Indicator id", "Indicator", "Period"]
    last = rows[-1]
    assert last["Period"] == "as at 2 June 2026" and last["Status"] == "final"
    # reports older than six months as a share of all reports: 642 / 1676 (Tabel 1)
    assert number(last["Ratio"], False) == pytest.approx(642 / 1676 * 100)
    assert number(last["Reports older than 6 months"], False) == 642 and number(last["Reports"], False) == 1676


def test_rounding_and_status_travel_with_each_value(bundled_store, catalog):
    rows = read_csv(to_csv(view("?table=cbs_geregistreerde_criminaliteit&from=2022"), bundled_store, catalog), True)
    got = {r["Einde periode"]: (number(r["Waarde"], True), r["Status"], int(r["Afgerond op (1 = exact)"])) for r in rows}
    assert got == CBS
    assert {r["Bron-id"] for r in rows} == {"cbs-83723ned-2024", "cbs-persberichten-2025-minder-misdrijven-geregistreerd-in-2024"}


def test_xlsx_has_the_numbers_and_a_sheet_of_sources_and_notes(bundled_store, catalog):
    book = load_workbook(io.BytesIO(to_xlsx(view("?indicators=zeden_voorraad"), bundled_store, catalog)))
    assert book.sheetnames == ["Gegevens", "Bronnen en toelichting"]
    sheet = book["Gegevens"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert [r["Waarde"] for r in rows] == TABEL_1["zeden_voorraad"]
    assert [r["Einde periode"].date() for r in rows] == [dt.date.fromisoformat(d) for d in TABEL_1_DATES]
    assert all(r["Status"] == "definitief" and r["Afgerond op (1 = exact)"] == 1 for r in rows)
    assert isinstance(rows[-1]["Waarde"], (int, float))  # a number Excel can sum, not text
    notes = "\n".join(str(v) for r in book["Bronnen en toelichting"].iter_rows(values_only=True) for v in r if v)
    assert "Voorraad zedenzaken 8% hoger dan een jaar eerder" in notes
    assert "stand 2 juni 2026" in notes and "aangiftebereidheid" in notes
    assert "Halfjaarbericht politie juni 2026" in notes and "Minister van Justitie en Veiligheid" in notes


def test_xlsx_of_revised_rounded_figures(bundled_store, catalog):
    book = load_workbook(io.BytesIO(to_xlsx(view("?table=cbs_geregistreerde_criminaliteit&from=2022&lang=en"),
                                            bundled_store, catalog)))
    assert book.sheetnames == ["Data", "Sources and notes"]
    header = [c.value for c in book["Data"][1]]
    rows = [dict(zip(header, r)) for r in book["Data"].iter_rows(min_row=2, values_only=True)]
    got = {r["Period"]: (r["Value"], r["Status"], r["Rounded to (1 = exact)"]) for r in rows}
    assert got == {"2022": (809390, "provisional", 1), "2023": (816000, "revised", 1000),
                   "2024": (812000, "provisional", 1000)}
    notes = [v for r in book["Sources and notes"].iter_rows(values_only=True) for v in r if v]
    assert any("2023 revised: earlier 807,375" in str(n) for n in notes)
    assert any("rounded to thousands" in str(n) for n in notes)
    assert "https://www.cbs.nl/nl-nl/cijfers/detail/83723NED" in notes


def test_parquet_reads_back_to_the_store(bundled_store, catalog):
    table = pq.read_table(io.BytesIO(to_parquet(view("?table=cbs_geregistreerde_criminaliteit&from=2022"),
                                                bundled_store, catalog)))
    frame = table.to_pandas()
    got = {d.isoformat(): (v, s, r) for d, v, s, r in
           zip(frame["period_end"], frame["value"], frame["status"], frame["rounded_to"])}
    assert got == CBS
    assert str(table.schema.field("period_end").type) == "date32[day]"
    meta = json.loads(table.schema.metadata[b"police_stats.view"])
    assert meta["title"].startswith("Misdrijven in 2024") and meta["reference"] == "2024"
    assert {s["source_id"] for s in meta["sources"]} == set(frame["source_id"])


@pytest.mark.parametrize("text, safe", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+31 20 123", "'+31 20 123"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("  =1+1", "'  =1+1"), ("\t=1+1", "'\t=1+1"), ("\r=1", "'\r=1"), ("\n@x", "'\n@x"),
    ("Aangiftes > 6 maanden", "Aangiftes > 6 maanden"), ("stand 2 juni 2026", "stand 2 juni 2026"), ("", ""),
])
def test_neutralise_formula_text(text, safe):
    assert neutralise(text) == safe


def test_text_from_a_source_cannot_become_a_formula(bundled_store, catalog, tmp_path):
    """A publisher's name that reads like a formula, in a real store on disk, reaches CSV and XLSX as text."""
    evil = '=HYPERLINK("http://evil.example","klik")'
    sources = [s.model_copy(update={"publisher": evil}) if s.source_id == "halfjaarbericht-politie-2026-juni" else s
               for s in bundled_store.sources.values()]
    store = Store(tmp_path / "store")
    store.write(bundled_store.observations, sources)

    rows = read_csv(to_csv(view(""), store, catalog), dutch=True)
    assert {r["Bron"] for r in rows} == {"'" + evil + ", Halfjaarbericht politie juni 2026, bijlage moties en toezeggingen"}

    book = load_workbook(io.BytesIO(to_xlsx(view(""), store, catalog)))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)  # stored as text, never as a formula
    assert not [c.value for c in cells if c.value.lstrip()[:1] in ("=", "+", "-", "@")]
    carrying = [c.value for c in cells if evil in c.value]
    assert "'" + evil in carrying  # the publisher in the table of sources
    assert len(carrying) >= 6  # and in each row's source (5) and the source line among the notes


def test_the_download_route_names_the_file_and_refuses_a_bad_link():
    from dashboard.app import create_app
    from dashboard.settings import Settings

    client = create_app(Settings.from_env(environ={}), warm=False).server.test_client()
    good = client.get("/download/csv?indicators=zeden_aangiftes")
    assert good.status_code == 200 and good.mimetype == "text/csv"
    assert 'filename="zeden_aangiftes_level_2026-06-02_nl.csv"' in good.headers["Content-Disposition"]
    assert [number(r["Waarde"], True) for r in read_csv(good.data, True)] == TABEL_1["zeden_aangiftes"]
    for url, names in [("/download/csv?indicators=nonsense", "nonsense"), ("/download/docx", "format 'docx'")]:
        bad = client.get(url)
        assert bad.status_code == 400 and names in bad.get_data(as_text=True)
