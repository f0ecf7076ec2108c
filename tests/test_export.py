"""Image export with kaleido and the system Chromium: pixel sizes, the texts inside the image, file
names, bad requests, the export route and the batch command.

The expected texts and numbers are typed in from the published tables (Tabel 1 of the June 2026
letter: 3.400 cases on 2 June 2026, 8% more than a year earlier; CBS 83723NED and the CBS press
release of 2025), and the preset sizes from their definition (letter 756 x 680, slide 1920 x 1080
at 1x). One kaleido server serves the whole run: the first export starts it (a few seconds).
"""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from dashboard import export
from dashboard.export import ExportError, ExportRequest, export_image, file_name, read_request
from dashboard.state import ViewState, from_query

pytestmark = pytest.mark.skipif(export.chromium_path() is None, reason="no Chromium (apt-get install chromium)")

SVG_TEXT = "{http://www.w3.org/2000/svg}text"


@pytest.fixture(scope="module")
def store(bundled_store):
    return bundled_store


def draw(query: str, store, catalog, fmt="png", preset="letter", scale=2):
    return export_image(read_request(query, fmt, catalog, preset, scale), store, catalog)


def svg_text(svg: bytes) -> str:
    """All text of an SVG, its pieces (lines of wrapped text among them) separated by single spaces."""
    root = ET.fromstring(svg)
    return re.sub(r"\s+", " ", " ".join(" ".join(e.itertext()) for e in root.iter(SVG_TEXT)))


@pytest.mark.parametrize("query, preset, scale, size, dpi", [
    ("", "letter", 2, (1512, 1360), 240),
    ("?table=cbs_geregistreerde_criminaliteit&lang=en", "letter", 3, (2268, 2040), 360),
    ("?indicators=zeden_voorraad,zeden_aangiftes&mode=pct_change", "slide", 2, (3840, 2160), 288),
])
def test_png_has_the_presets_pixel_size_and_is_not_blank(query, preset, scale, size, dpi, store, catalog):
    png, name, notices = draw(query, store, catalog, "png", preset, scale)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == size
    assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.5)  # 16 cm in Word; a full slide in PowerPoint
    rgb = image.convert("RGB")
    grey = rgb.convert("L")
    width, height = size
    # ink in the title band (top tenth), in the plot, and in the notes at the foot (bottom tenth)
    for box in [(0, 0, width, height // 10), (0, height // 4, width, 3 * height // 4), (0, 9 * height // 10, width, height)]:
        darkest, _ = grey.crop(box).getextrema()
        assert darkest < 120, f"nothing drawn in {box}"
    colours = {c for _, c in rgb.getcolors(maxcolors=1 << 20)}
    expected = (1, 104, 155) if "indicators" not in query else (0, 114, 178)  # #01689B alone, Okabe-Ito blue for two
    assert expected in colours
    assert notices == []
    assert name.endswith(f"_{preset}_{scale}x.png")


def test_svg_carries_title_source_and_reference_date_in_the_chosen_language(store, catalog):
    nl, _, _ = draw("", store, catalog, "svg")
    text = svg_text(nl)
    assert "Voorraad zedenzaken 8% hoger dan een jaar eerder" in text  # the letter: "8% gestegen"
    assert "stand 2 juni 2026" in text  # the reference date
    assert "Bron: Minister van Justitie en Veiligheid" in text and "(gepubliceerd juni 2026)" in text
    assert "3.400" in text  # the last value, labelled at the end of the line
    assert "aangiftebereidheid" in text  # the catalog's caveat on reporting
    assert "Liberation Sans" in nl.decode()  # the screen's fonts

    en, _, _ = draw("?lang=en", store, catalog, "svg")
    text = svg_text(en)
    assert "8% higher than a year earlier" in text
    assert "2 June 2026" in text and "Source: Minister van Justitie en Veiligheid" in text
    assert "published June 2026" in text and "3,400" in text
    assert "gepubliceerd" not in text and "stand 2 juni" not in text


def test_svg_of_rounded_and_revised_cbs_figures_says_so(store, catalog):
    svg, _, _ = draw("?table=cbs_geregistreerde_criminaliteit&from=2019", store, catalog, "svg", "slide")
    text = svg_text(svg)
    assert "812 duizend" in text  # 2024 as CBS published it: "812 duizend", never 812.000
    assert "afgerond op duizendtallen" in text
    assert "2023 herzien: eerder 807.375" in text
    assert "Open markering: voorlopig cijfer" in text
    root = ET.fromstring(svg)
    assert (root.get("width"), root.get("height")) == ("1920", "1080")


def test_pdf_is_one_page_of_the_presets_shape(store, catalog):
    pdf, name, _ = draw("?table=cbs_seksuele_misdrijven", store, catalog, "pdf", "letter")
    assert pdf.startswith(b"%PDF-")
    boxes = [tuple(float(v) for v in m) for m in re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", pdf)]
    assert boxes, "no page in the PDF"
    x0, y0, x1, y1 = boxes[0]
    assert (x1 - x0) / (y1 - y0) == pytest.approx(756 / 680, rel=0.01)
    assert name == "seksuele_misdrijven_level_2022-12-31_nl_letter.pdf"


def test_file_names_say_what_the_image_is():
    import pandas as pd

    def data(ids, last):
        return pd.DataFrame({"indicator_id": ids, "period_end": [pd.Timestamp(last)] * len(ids)})

    plain = ExportRequest(ViewState(), "png", "letter", 2)
    assert file_name(plain, data(["zeden_voorraad"], "2026-06-02")) == "zeden_voorraad_level_2026-06-02_nl_letter_2x.png"
    two = ExportRequest(ViewState(indicators=("zeden_voorraad", "zeden_aangiftes"), mode="pct_change", lang="en"),
                        "svg", "slide")
    assert file_name(two, data(["zeden_voorraad", "zeden_aangiftes"], "2026-06-02")) == \
        "zeden_voorraad+zeden_aangiftes_pct_change_2026-06-02_en_slide.svg"
    old = ExportRequest(ViewState(table="cbs_geregistreerde_criminaliteit", asof=pd.Timestamp("2024-12-31").date()),
                        "pdf", "letter")
    assert file_name(old, data(["misdrijven_totaal"], "2023-12-31")) == \
        "misdrijven_totaal_level_2023-12-31_nl_asof-2024-12-31_letter.pdf"
    assert export.ascii_name("Aangiftes > 6 maanden / é") == "Aangiftes-6-maanden"


@pytest.mark.parametrize("query, fmt, names", [
    ("?preset=poster", "png", "preset 'poster'"),
    ("?scale=4", "png", "scale '4'"),
    ("?colour=red", "png", "'colour'"),
    ("?mode=banana", "png", "'mode'"),
    ("?table=zeden_werkvoorraad", "eps", "format 'eps'"),
])
def test_a_bad_request_names_what_is_wrong(query, fmt, names, catalog):
    with pytest.raises(ExportError, match=re.escape(names)):
        read_request(query, fmt, catalog)


def test_a_link_from_any_host_is_read_by_its_query_string(catalog):
    for link in ("https://dashboard.example.org/politie/?mode=pct_change&lang=en", "/?mode=pct_change&lang=en",
                 "?mode=pct_change&lang=en", "http://127.0.0.1:8050/?lang=en&mode=yoy_pct"):
        assert read_request(export.link_query(link), catalog=catalog).state == ViewState(mode="pct_change", lang="en")
    assert read_request(export.link_query("http://127.0.0.1:8050/"), catalog=catalog).state == ViewState()
    with pytest.raises(ExportError, match="not a dashboard link"):
        export.link_query("zeden_voorraad please")


def test_the_export_route_sends_the_image_or_a_plain_400(catalog):
    from dashboard.app import create_app
    from dashboard.settings import Settings

    client = create_app(Settings.from_env(environ={}), warm=False).server.test_client()
    good = client.get("/export/svg?indicators=zeden_aangiftes&lang=en&preset=slide")
    assert good.status_code == 200 and good.mimetype == "image/svg+xml"
    assert 'filename="zeden_aangiftes_level_2026-06-02_en_slide.svg"' in good.headers["Content-Disposition"]
    assert "1,676" in svg_text(good.data)  # Aangiftes on 2 June 2026, Tabel 1

    for url, names in [("/export/png?mode=banana", "'mode'"), ("/export/gif", "format 'gif'"),
                       ("/export/png?scale=10", "scale '10'")]:
        bad = client.get(url)
        assert bad.status_code == 400 and bad.mimetype == "text/plain"
        assert names in bad.get_data(as_text=True) and "Traceback" not in bad.get_data(as_text=True)


def test_batch_exports_the_good_links_and_reports_the_bad_one(tmp_path, capsys):
    views = tmp_path / "brief.txt"
    views.write_text("\n".join([
        "# charts for the letter of June 2026",
        "https://dashboard.example.org/?lang=en",
        "",
        "http://127.0.0.1:8050/?table=cbs_geregistreerde_criminaliteit&mode=banana",
        "/?indicators=zeden_voorraad,zeden_aangiftes&mode=pct_change",
        "?lang=en&trend=1",  # same indicator, mode, date and language as line 2
    ]), encoding="utf-8")
    out = tmp_path / "out"
    code = export.main([str(views), "--out", str(out), "--format", "svg", "--preset", "slide"])
    printed = capsys.readouterr()
    assert code == 1  # one link failed
    assert sorted(p.name for p in out.iterdir()) == [
        "zeden_voorraad+zeden_aangiftes_pct_change_2026-06-02_nl_slide.svg",
        "zeden_voorraad_level_2026-06-02_en_slide-2.svg",
        "zeden_voorraad_level_2026-06-02_en_slide.svg",
    ]
    assert "[2/4] line 4: skipped" in printed.err and "'mode'" in printed.err
    assert printed.out.count(".svg (") == 3 and "3 of 4 exported" in printed.out
    assert "8% higher" in svg_text((out / "zeden_voorraad_level_2026-06-02_en_slide.svg").read_bytes())
    assert "Trend" in svg_text((out / "zeden_voorraad_level_2026-06-02_en_slide-2.svg").read_bytes())
