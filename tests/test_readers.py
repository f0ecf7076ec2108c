"""Readers: a letter's table as text, HTML, .docx and CSV, written here from code, read back exactly.

The writers below produce the shapes a ministry publishes (the seed annex's text export, a web
page, a Word document, a CBS export); the tests check that the values read are the ones written,
typed in by hand, not values taken from the reader's own output.
"""
from __future__ import annotations

import datetime as dt
import html as html_lib
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from analysis.readers import detect_reader, read_document
from analysis.tables import extract

from .conftest import LETTER, TABEL_1, TABEL_1_DATES

TITLE = "Werkvoorraden politie op het terrein van zedenzaken (bron: politie)"

# A later letter's Tabel 1 as a ministry might reword it: six snapshots, headers in four spellings
# (one with a non-breaking space), reworded labels (one with a non-breaking space), Dutch
# thousands separators and footnote markers.
DECEMBER_HEADERS = ["Stand 02-06-2022", "Stand op 2 juni 2023", "Stand\u00a002-06-2024", "Stand 2-6-2025",
                    "Stand 02-06-2026", "Stand op 2 december 2026"]
DECEMBER_DATES = ["2022-06-02", "2023-06-02", "2024-06-02", "2025-06-02", "2026-06-02", "2026-12-02"]
DECEMBER_ROWS = [  # (label as printed, footnote number, cells as printed)
    ("Aantal geregistreerde zedenincidenten", 61, ["6.622", "5.705", "5.555", "6.507", "6.228", "6.310"]),
    ("Werkvoorraad zedenzaken", None, ["3.361", "3.166", "2.775", "3.156", "3.400", "3.512"]),
    ("Aangiftes ouder dan zes maanden", None, ["694", "767", "722", "654", "642", "655"]),
    ("Aantal aangiftes\u00a0in de werkvoorraad", None, ["1.355", "1.404", "1.355", "1.533", "1.676", "1.702"]),
    ("Aantal verdachten ingestuurd naar het Openbaar Ministerie", None,
     ["1.154", "1.181", "987", "1.169", "1.142", "1.188"]),
]
# The same values, typed as numbers.
DECEMBER = {
    "zeden_incidenten": [6622, 5705, 5555, 6507, 6228, 6310],
    "zeden_voorraad": [3361, 3166, 2775, 3156, 3400, 3512],
    "zeden_aangiftes_ouder_6mnd": [694, 767, 722, 654, 642, 655],
    "zeden_aangiftes": [1355, 1404, 1355, 1533, 1676, 1702],
    "zeden_verdachten_om": [1154, 1181, 987, 1169, 1142, 1188],
}

# Tabel 1 of June 2026 in the writers' form: the published labels and cells.
JUNE_HEADERS = [f"Stand {d[8:]}-{d[5:7]}-{d[:4]}" for d in TABEL_1_DATES]
JUNE_ROWS = [
    ("Aantal geregistreerde incidenten", 60, [str(v) for v in TABEL_1["zeden_incidenten"]]),
    ("Voorraad aantal zedenzaken", None, [str(v) for v in TABEL_1["zeden_voorraad"]]),
    ("Aantal aangiftes langer dan 6 maanden in voorraad", None, [str(v) for v in TABEL_1["zeden_aangiftes_ouder_6mnd"]]),
    ("Aantal aangiftes", None, [str(v) for v in TABEL_1["zeden_aangiftes"]]),
    ("Aantal verdachten ingezonden naar het OM", None, [str(v) for v in TABEL_1["zeden_verdachten_om"]]),
]
FOOTNOTE = "Dit zijn niet allemaal strafbare feiten."


# --- Writers: a table in each published format ---------------------------------------------------


def write_text(path: Path, headers=DECEMBER_HEADERS, rows=DECEMBER_ROWS, *, title=TITLE,
               corner="Cijfers zedenzaken", encoding="utf-8") -> Path:
    """The seed annex's shape: one cell per line, tab-indented; "Stand" and its date on two lines
    where the header is "Stand dd-mm-yyyy", else the header on one line."""
    lines = ["Bijlage moties en toezeggingen", "", "Over de werkvoorraden zeden:", "", f"Tabel 1 {title}", f"\t{corner}"]
    for head in headers:
        word, _, rest = head.partition(" ")
        lines += [f"\t{word} ", rest] if word == "Stand" and rest[:1].isdigit() else [f"\t{head}"]
    lines.append("")
    for label, note, cells in rows:
        marker = f"[footnoteRef:{note}] [{note}:  {FOOTNOTE}]" if note else ""
        lines += [f"\t{label}{marker}", ""] + [f"\t{c}" for c in cells] + [""]
    lines += ["", "De cijfers in de tabel 1 laten zien dat de werkvoorraad is gestegen.", ""]
    path.write_bytes("\n".join(lines).encode(encoding))
    return path


def write_html(path: Path, headers=DECEMBER_HEADERS, rows=DECEMBER_ROWS, *, title=TITLE, caption=False,
               corner="Cijfers zedenzaken") -> Path:
    """A letter as a web page: the title before the table (or as its caption), footnotes as links."""
    esc = html_lib.escape
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for label, note, cells in rows:
        marker = f'<sup><a href="#fn{note}" id="ref{note}">{note}</a></sup>' if note else ""
        body.append(f"<tr><th scope=row>{esc(label)}{marker}</th>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    notes = "".join(f'<p id="fn{n}">{n}. {FOOTNOTE}</p>' for _, n, _ in rows if n)
    title_html = f"<caption>Tabel 1 {esc(title)}</caption>" if caption else ""
    before = "" if caption else f"<p><b>Tabel 1</b> {esc(title)}</p>"
    page = (f"<!DOCTYPE html><html lang=nl><head><meta charset=utf-8><title>Halfjaarbericht</title></head><body>"
            f"<h1>Bijlage moties en toezeggingen</h1><p>Over de werkvoorraden zeden:</p>{before}"
            f"<table>{title_html}<thead><tr><th>{esc(corner)}</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            f"<p>De cijfers in de tabel 1 laten zien dat de werkvoorraad is gestegen.</p>"
            f"<footer>{notes}</footer></body></html>")
    path.write_text(page, encoding="utf-8")
    return path


def write_docx(path: Path, headers=DECEMBER_HEADERS, rows=DECEMBER_ROWS, *, title=TITLE,
               corner="Cijfers zedenzaken", word_footnotes=True) -> Path:
    """A letter as Word: the title paragraph, then the table; a footnote as Word's reference run."""
    document = docx.Document()
    document.add_paragraph("Bijlage moties en toezeggingen")
    document.add_paragraph(f"Tabel 1 {title}")
    table = document.add_table(rows=1 + len(rows), cols=1 + len(headers))
    for j, text in enumerate([corner, *headers]):
        table.cell(0, j).text = text
    for i, (label, note, cells) in enumerate(rows, start=1):
        table.cell(i, 0).text = label
        if note:
            add_footnote_marker(table.cell(i, 0).paragraphs[0], note, word=word_footnotes)
        for j, text in enumerate(cells, start=1):
            table.cell(i, j).text = text
    document.add_paragraph("De cijfers in de tabel 1 laten zien dat de werkvoorraad is gestegen.")
    document.save(path)
    return path


def add_footnote_marker(paragraph, number: int, word: bool = True) -> None:
    """Word's footnote reference run (no text of its own), or a typed superscript number."""
    run = paragraph.add_run()
    if word:
        rpr = run._r.get_or_add_rPr()
        style = OxmlElement("w:rStyle", attrs={qn("w:val"): "FootnoteReference"})
        rpr.append(style)
        run._r.append(OxmlElement("w:footnoteReference", attrs={qn("w:id"): str(number)}))
    else:
        run.text = str(number)
        run.font.superscript = True


WRITERS = {"text": (write_text, ".txt"), "html": (write_html, ".html"), "docx": (write_docx, ".docx")}


def values_by_indicator(observations) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for o in sorted(observations, key=lambda o: (o.indicator_id, o.period.end)):
        out.setdefault(o.indicator_id, []).append(o.value)
    return out


def dates_of(observations, indicator_id) -> list[str]:
    return sorted(o.period.end.isoformat() for o in observations if o.indicator_id == indicator_id)


def read(path: Path, catalog):
    return extract(read_document(path, catalog), catalog, path.name)


# --- The seed letter ------------------------------------------------------------------------------


def test_the_seed_letter_gives_tabel_1_as_typed_in_by_hand(catalog):
    extraction = read(LETTER, catalog)
    assert values_by_indicator(extraction.observations) == TABEL_1
    for indicator in TABEL_1:
        assert dates_of(extraction.observations, indicator) == TABEL_1_DATES
    assert {o.table_id for o in extraction.observations} == {"zeden_werkvoorraad"}
    assert all(o.period.start == o.period.end for o in extraction.observations)  # snapshots
    # The footnote inside the incidents label is kept as a note, not in the label.
    assert any(n.startswith("Dit zijn niet allemaal strafbare feiten") for n in extraction.notes["zeden_werkvoorraad"])


# --- The same table in every format ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_june_table_reads_the_same_in_every_format(fmt, tmp_path, catalog):
    writer, suffix = WRITERS[fmt]
    path = writer(tmp_path / f"juni{suffix}", JUNE_HEADERS, JUNE_ROWS)
    assert detect_reader(path) == {"text": "letter_text"}.get(fmt, fmt)
    extraction = read(path, catalog)
    assert values_by_indicator(extraction.observations) == TABEL_1
    assert dates_of(extraction.observations, "zeden_voorraad") == TABEL_1_DATES


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_a_reworded_six_snapshot_letter_reads_exactly(fmt, tmp_path, catalog):
    writer, suffix = WRITERS[fmt]
    extraction = read(writer(tmp_path / f"december{suffix}"), catalog)
    assert values_by_indicator(extraction.observations) == DECEMBER
    for indicator in DECEMBER:
        assert dates_of(extraction.observations, indicator) == DECEMBER_DATES
    # the footnote marker is out of the label and kept as a note, with its text where the format has it
    expected = {"text": [FOOTNOTE], "html": [FOOTNOTE], "docx": ["footnote 61"]}[fmt]
    assert extraction.notes["zeden_werkvoorraad"] == expected


# Rewordings a ministry might use, each an alias in data/catalog.yml.
REWORDED = {
    "zeden_incidenten": "Aantal zedenincidenten",
    "zeden_voorraad": "Aantal openstaande zedenzaken",
    "zeden_aangiftes_ouder_6mnd": "Aantal aangiftes > 6 maanden in voorraad",
    "zeden_aangiftes": "Aantal aangiftes in behandeling",
    "zeden_verdachten_om": "Aantal aan het Openbaar Ministerie ingezonden verdachten",
}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_reworded_labels_map_through_the_catalog_aliases(fmt, tmp_path, catalog):
    writer, suffix = WRITERS[fmt]
    rows = [(REWORDED[indicator], None, [str(v) for v in TABEL_1[indicator]]) for indicator in TABEL_1]
    extraction = read(writer(tmp_path / f"juni{suffix}", JUNE_HEADERS, rows, title="Werkvoorraad zedenzaken politie"), catalog)
    assert values_by_indicator(extraction.observations) == TABEL_1


def test_text_with_the_date_on_the_stand_line_and_windows_1252(tmp_path, catalog):
    rows = [(label.replace("\u00a0", " "), note, cells) for label, note, cells in DECEMBER_ROWS]
    headers = ["Stand 02-06-2022", "Stand 02-06-2023", "Stand 02-06-2024", "Stand 02-06-2025",
               "Stand 02-06-2026", "Stand 02-12-2026"]
    path = write_text(tmp_path / "letter.txt", [h.replace("Stand ", "Stand: ") for h in headers], rows,
                      title="Werkvoorraden zedenzaken – politie", encoding="cp1252")
    extraction = read(path, catalog)
    assert values_by_indicator(extraction.observations) == DECEMBER


def test_text_with_stand_and_its_date_as_two_indented_cells(tmp_path, catalog):
    path = write_text(tmp_path / "letter.txt", JUNE_HEADERS, JUNE_ROWS)
    text = path.read_text().replace("\tStand \n0", "\tStand\n\t0")
    path.write_text(text)
    assert values_by_indicator(read(path, catalog).observations) == TABEL_1


def test_word_footnote_references_add_no_text_and_superscripts_become_notes(tmp_path, catalog):
    word = read(write_docx(tmp_path / "word.docx", word_footnotes=True), catalog)
    typed = read(write_docx(tmp_path / "typed.docx", word_footnotes=False), catalog)
    assert values_by_indicator(word.observations) == values_by_indicator(typed.observations) == DECEMBER
    assert word.notes["zeden_werkvoorraad"] == typed.notes["zeden_werkvoorraad"] == ["footnote 61"]


def with_footnotes_part(path: Path, notes: dict[int, str]) -> Path:
    """Add word/footnotes.xml as Word writes it (python-docx cannot add footnotes)."""
    import zipfile

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f'<w:footnote w:id="{n}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
                   for n, text in notes.items())
    parts = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            parts[name] = archive.read(name)
    parts["word/footnotes.xml"] = f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{w}">{body}</w:footnotes>'.encode()
    rel = ('<Relationship Id="rIdFootnotes" Target="footnotes.xml" '
           'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"/>')
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(b"</Relationships>", rel.encode() + b"</Relationships>")
    override = ('<Override PartName="/word/footnotes.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", override.encode() + b"</Types>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_word_footnote_text_is_kept_from_the_footnotes_part(tmp_path, catalog):
    path = with_footnotes_part(write_docx(tmp_path / "word.docx"), {61: FOOTNOTE})
    extraction = read(path, catalog)
    assert values_by_indicator(extraction.observations) == DECEMBER
    assert extraction.notes["zeden_werkvoorraad"] == [FOOTNOTE]


def test_docx_caption_after_the_table_and_merged_heading_row(tmp_path, catalog):
    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    cells = [["Cijfers", "Stand 02-06-2025", "Stand 02-06-2026"], ["Zedenzaken", "", ""],
             ["Werkvoorraad zedenzaken", "3.156", "3.400"], ["Aantal aangiftes", "1.533", "1.676"]]
    for i, row in enumerate(cells):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    table.cell(1, 0).merge(table.cell(1, 2))  # a heading across the table
    table.cell(1, 0).text = "Zedenzaken"
    document.add_paragraph("Tabel 1 Werkvoorraad zedenzaken", style="Caption")
    path = tmp_path / "caption.docx"
    document.save(path)
    [raw] = read_document(path, catalog)
    assert (raw.name, raw.title) == ("Tabel 1", "Werkvoorraad zedenzaken")
    assert values_by_indicator(extract([raw], catalog, path.name).observations) == {
        "zeden_aangiftes": [1533, 1676], "zeden_voorraad": [3156, 3400]}


# --- HTML specifics --------------------------------------------------------------------------------


def test_html_caption_merged_headers_layout_tables_and_linked_footnotes(tmp_path, catalog):
    page = """<html><body>
    <table class=layout><tr><td><a href="/">Home</a></td><td>Menu</td></tr></table>
    <table class=page><tr><td>
      <table>
        <caption>Tabel 1 Werkvoorraden zedenzaken</caption>
        <thead>
          <tr><th rowspan=2>Cijfers zedenzaken</th><th colspan=2>Stand op</th></tr>
          <tr><th>2 juni 2025</th><th>2&nbsp;december&nbsp;2025</th></tr>
        </thead>
        <tbody>
          <tr><td colspan=3><b>Zedenzaken</b></td></tr>
          <tr><td>Aantal geregistreerde incidenten<a href="#_ftn60" name="_ftnref60"><span>[60]</span></a></td>
              <td><span>6.507</span></td><td>6<span>.</span>100</td></tr>
          <tr><td>Werkvoorraad<br>zedenzaken</td><td>3.156</td><td>3&#160;300</td></tr>
        </tbody>
        <tfoot><tr><td colspan=3>Bron: politie</td></tr></tfoot>
      </table>
    </td></tr></table>
    <div><p class=MsoFootnoteText><a href="#_ftnref60" name="_ftn60">[60]</a> Dit zijn meldingen.</p></div>
    </body></html>"""
    path = tmp_path / "letter.html"
    path.write_text(page, encoding="utf-8")
    tables = read_document(path, catalog)
    assert [(t.name, t.title) for t in tables] == [("Tabel 1", "Werkvoorraden zedenzaken")]  # layout skipped
    assert tables[0].notes == ["Dit zijn meldingen.", "Bron: politie"]
    extraction = extract(tables, catalog, path.name)
    assert values_by_indicator(extraction.observations) == {"zeden_incidenten": [6507, 6100], "zeden_voorraad": [3156, 3300]}
    assert dates_of(extraction.observations, "zeden_voorraad") == ["2025-06-02", "2025-12-02"]


def test_html_title_is_the_nearest_tabel_text_after_the_previous_table(tmp_path, catalog):
    page = """<p>Tabel 7 Iets anders</p><table><tr><th>Motie</th><th>Stand van zaken</th></tr>
    <tr><td>Motie Michon-Derkzen</td><td>Afgedaan</td></tr></table>
    <h3>Tabel 1 Werkvoorraden politie op het terrein van zedenzaken</h3><p>(bron: politie)</p>
    <table><tr><td></td><td>Stand 02-06-2026</td></tr><tr><td>Aantal aangiftes</td><td>1.676</td></tr></table>"""
    path = tmp_path / "letter.html"
    path.write_text(page, encoding="utf-8")
    tables = read_document(path, catalog)
    # the moties table has no periods: it is a titled table that is not data, reported and skipped
    assert [(t.name, t.problem is not None) for t in tables] == [("Tabel 7", True), ("Tabel 1", False)]
    extraction = extract(tables, catalog, path.name)
    assert [(o.table_id, o.indicator_id, o.value) for o in extraction.observations] == [
        ("zeden_werkvoorraad", "zeden_aangiftes", 1676)]
    assert extraction.skipped and extraction.skipped[0].startswith("Tabel 7")


# --- CSV, wide and long ----------------------------------------------------------------------------


def test_cbs_export_with_periods_as_rows_bom_title_and_notes(tmp_path, catalog):
    text = ('\ufeff"Geregistreerde criminaliteit; tijdreeks vanaf 1948";;\n'
            '"Perioden";"Misdrijven, totaal (aantal)";"Misdrijven, totaal (per 1 000 inwoners)"\n'
            '"2020";"833.440";"48"\n"2021";"758.065";"43"\n"2022*";"809.390";"46"\n"2023*";"807.375";"45"\n'
            '"Bron: CBS";;\n')
    path = tmp_path / "83723NED.csv"
    path.write_text(text, encoding="utf-8")
    extraction = read(path, catalog)
    got = {(o.indicator_id, o.period.end.year): (o.value, o.status) for o in extraction.observations}
    assert got == {
        ("misdrijven_totaal", 2020): (833440, "definitief"), ("misdrijven_per_1000_inwoners", 2020): (48, "definitief"),
        ("misdrijven_totaal", 2021): (758065, "definitief"), ("misdrijven_per_1000_inwoners", 2021): (43, "definitief"),
        ("misdrijven_totaal", 2022): (809390, "voorlopig"), ("misdrijven_per_1000_inwoners", 2022): (46, "voorlopig"),
        ("misdrijven_totaal", 2023): (807375, "voorlopig"), ("misdrijven_per_1000_inwoners", 2023): (45, "voorlopig"),
    }
    assert all(o.period.start == dt.date(o.period.end.year, 1, 1) for o in extraction.observations)
    assert extraction.notes["cbs_geregistreerde_criminaliteit"] == ["Bron: CBS"]


def test_international_csv_with_comma_delimiter_and_cbs_markers(tmp_path, catalog):
    text = ('Periods,"Misdrijven, totaal (aantal)","Misdrijven, totaal (per 1 000 inwoners)"\n'
            '1948,"133,255",14\n1949,.,x\n1950,"103,135",-\n')
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    got = {(o.indicator_id, o.period.end.year): (o.value, o.status) for o in read(path, catalog).observations}
    assert got[("misdrijven_totaal", 1948)] == (133255, "definitief")
    assert got[("misdrijven_totaal", 1950)] == (103135, "definitief")
    assert got[("misdrijven_per_1000_inwoners", 1950)] == (0, "nihil")
    for key, status in ((("misdrijven_totaal", 1949), "onbekend"), (("misdrijven_per_1000_inwoners", 1949), "geheim")):
        value, got_status = got[key]
        assert value != value and got_status == status  # NaN: a marker, not a number


def test_wide_csv_with_periods_as_columns_and_dutch_decimals(tmp_path, catalog):
    text = ("Onderwerp;Stand 02-06-2025;Stand 02-06-2026;\n"
            "Voorraad zedenzaken;3.156;3.400;\n"
            "Aantal aangiftes;1.533;1.676;\n"
            "Misdrijven per 1 000 inwoners;;\n")
    path = tmp_path / "tabel1.csv"
    path.write_text(text[: text.index("Misdrijven")], encoding="utf-8")
    got = values_by_indicator(read(path, catalog).observations)
    assert got == {"zeden_voorraad": [3156, 3400], "zeden_aangiftes": [1533, 1676]}
    path.write_text("Perioden;Misdrijven per 1 000 inwoners\n2022*;46,5\n2023*;45,25\n", encoding="utf-8")
    assert values_by_indicator(read(path, catalog).observations) == {"misdrijven_per_1000_inwoners": [46.5, 45.25]}


def test_the_bundled_long_csv_keeps_rounding_and_citations(catalog):
    path = LETTER.parent / "cbs-persberichten-cijfers.csv"
    extraction = read(path, catalog)
    rows = {(o.indicator_id, o.period.end.year): o for o in extraction.observations}
    assert rows[("misdrijven_totaal", 2023)].value == 816000
    assert rows[("misdrijven_totaal", 2023)].rounded_to == 1000
    assert rows[("seksuele_misdrijven", 2013)].value == 8600
    assert rows[("seksuele_misdrijven", 2013)].citation["published"] == "2023-03"


def test_html_as_pandas_writes_it_with_an_index_name_row(tmp_path, catalog):
    import pandas as pd

    frame = pd.DataFrame({h: [cells[k] for _, _, cells in DECEMBER_ROWS] for k, h in enumerate(DECEMBER_HEADERS)},
                         index=pd.Index([label for label, _, _ in DECEMBER_ROWS], name="Cijfers zedenzaken"))
    path = tmp_path / "tabel.html"
    path.write_text(f"<p>Tabel 1 {TITLE}</p>" + frame.to_html(), encoding="utf-8")
    assert "<th>Cijfers zedenzaken</th>" in path.read_text()  # the second header row pandas writes
    assert values_by_indicator(read(path, catalog).observations) == DECEMBER


def test_an_irregular_table_outside_the_catalog_does_not_stop_tabel_1(tmp_path, catalog):
    path = write_text(tmp_path / "letter.txt", JUNE_HEADERS, JUNE_ROWS)
    other = "Tabel 2 Doorlooptijden (bron: OM)\n\tGemiddeld\n\tStand 01-01-2026\n\n\tDagen tot zitting\n\n\t210\n\t\n\tOnbekend\n\n"
    path.write_text(other + path.read_text())
    extraction = read(path, catalog)
    assert values_by_indicator(extraction.observations) == TABEL_1
    assert extraction.skipped == ["Tabel 2 'Doorlooptijden (bron: OM)': row has 0 value cells, expected 1 "
                                  "(one per period: 'Stand 01-01-2026')"]


@pytest.mark.parametrize("marker", ["[61]", "61", "\u00b9", " (61)", "[footnoteRef:61] [61: Zie de definitie.]"])
def test_footnote_markers_in_text_labels_and_values(marker, tmp_path, catalog):
    rows = [(f"{label}{marker}", None, [f"{c}{marker}" if k == 0 else c for k, c in enumerate(cells)])
            if label.startswith("Aantal geregistreerde") else (label, None, cells) for label, _, cells in DECEMBER_ROWS]
    if marker == "61":  # a glued number is a footnote only after a word, not after a value
        rows[0] = (rows[0][0], None, DECEMBER_ROWS[0][2])
    extraction = read(write_text(tmp_path / "letter.txt", rows=rows), catalog)
    assert values_by_indicator(extraction.observations) == DECEMBER


def test_html_table_inside_a_layout_table_takes_the_title_before_it_in_the_same_cell(tmp_path, catalog):
    page = """<table class=page><tr><td><p>Inleiding</p><p>Tabel 1 Werkvoorraad zedenzaken</p>
    <table><tr><td></td><td>Stand 02-06-2026</td></tr><tr><td>Aantal aangiftes</td><td>1.676<sup>2</sup></td></tr></table>
    </td></tr></table>"""
    path = tmp_path / "layout.html"
    path.write_text(page, encoding="utf-8")
    [raw] = read_document(path, catalog)
    assert (raw.name, raw.title, raw.notes) == ("Tabel 1", "Werkvoorraad zedenzaken", ["footnote 2"])
    assert [(v.label.text, v.value.text) for v in raw.values] == [("Aantal aangiftes", "1.676")]


def test_text_with_one_row_per_line_as_word_exports_it(tmp_path, catalog):
    lines = [f"Tabel 1 {TITLE}", "\t".join(["Cijfers zedenzaken", *DECEMBER_HEADERS])]
    lines += ["\t".join([label, *cells]) for label, _, cells in DECEMBER_ROWS]
    path = tmp_path / "word-export.txt"
    path.write_text("Bijlage\n\n" + "\n".join(lines) + "\n\nDe cijfers in de tabel 1 laten zien dat.\n", encoding="utf-8")
    assert values_by_indicator(read(path, catalog).observations) == DECEMBER
