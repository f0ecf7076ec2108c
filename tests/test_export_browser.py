"""Every export and download button under the chart, pressed in a real Chromium; each file checked.

Expected numbers are typed in from Tabel 1 of the June 2026 letter (conftest.TABEL_1) and the
preset sizes from their definition (letter 756 x 680 and slide 1920 x 1080 at 1x).
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from PIL import Image

from dashboard import export
from tests.browser import browser_page, chromium, dash_server, wait_for_chart  # noqa: F401

from .conftest import TABEL_1

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(export.chromium_path() is None, reason="no Chromium (apt-get install chromium)")]


def press(page, link_id: str) -> tuple[str, bytes]:
    """Click a download link; the file's suggested name and its bytes."""
    with page.expect_download(timeout=60000) as info:
        page.click(f"#{link_id}")
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_each_button_gives_its_file(dash_server, browser_page):
    page = browser_page
    page.goto(dash_server.url + "/?indicators=zeden_aangiftes")
    wait_for_chart(page)
    page.wait_for_function("() => (document.getElementById('download-csv').getAttribute('href') || '')"
                           ".includes('indicators=zeden_aangiftes')")
    stem = "zeden_aangiftes_level_2026-06-02_nl"
    reports = TABEL_1["zeden_aangiftes"]

    name, png = press(page, "export-png-2")
    assert name == f"{stem}_letter_2x.png" and Image.open(io.BytesIO(png)).size == (1512, 1360)
    name, png = press(page, "export-png-3")
    assert name == f"{stem}_letter_3x.png" and Image.open(io.BytesIO(png)).size == (2268, 2040)
    name, svg = press(page, "export-svg")
    assert name == f"{stem}_letter.svg"
    text = re.sub(r"<[^>]+>", " ", svg.decode())
    assert "1.676" in text and "Bron: Minister van Justitie en Veiligheid" in text
    name, pdf = press(page, "export-pdf")
    assert name == f"{stem}_letter.pdf" and pdf.startswith(b"%PDF-")

    name, raw = press(page, "download-csv")
    assert name == f"{stem}.csv" and raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert [float(r["Waarde"]) for r in rows] == reports
    name, xlsx = press(page, "download-xlsx")
    sheet = load_workbook(io.BytesIO(xlsx))["Gegevens"]
    assert name == f"{stem}.xlsx" and [r[5] for r in sheet.iter_rows(min_row=2, values_only=True)] == reports
    name, parquet = press(page, "download-parquet")
    assert name == f"{stem}.parquet" and pq.read_table(io.BytesIO(parquet)).column("value").to_pylist() == reports

    # the slide preset, in English: the links follow the choice and the view's language
    page.click("#lang input[value='en']")
    page.click("#export-preset input[value='slide']")
    page.wait_for_function("() => { const h = document.getElementById('export-png-2').getAttribute('href') || '';"
                           " return h.includes('preset=slide') && h.includes('lang=en'); }")
    name, png = press(page, "export-png-2")
    assert name == "zeden_aangiftes_level_2026-06-02_en_slide_2x.png"
    assert Image.open(io.BytesIO(png)).size == (3840, 2160)
    assert page.text_content("#export-preset") == "Letter (A4, 16 cm wide)Slide (16:9)"
