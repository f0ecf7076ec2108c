"""The notebooks run top to bottom on the project's own Python, and what they compute agrees with
the published table (typed in by hand in conftest) and with the store.

Each notebook runs once per session with nbclient, in notebooks/ as Jupyter runs it. After its last cell a probe cell prints, as JSON, values the notebook computed, read
from its own kernel; the tests compare those with values worked out independently here.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import math
import shutil
import struct
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from analysis.store import Store
from dashboard.state import ViewState, from_query

from .conftest import DATA, ROOT, TABEL_1, TABEL_1_DATES

NOTEBOOKS = ROOT / "notebooks"
QUICKSTART, CASELOAD, NEW_LETTER = "01-quickstart.ipynb", "02-sexual-offence-caseload.ipynb", "03-adding-a-new-letter.ipynb"
# Per notebook, the expression whose value the probe prints (names are the notebook's own variables).
PROBES = {
    QUICKSTART: """{
        "pct_change": yoy["pct_change"].tolist(), "png": str(png), "export_dir": str(export_dir), "link": link,
        "chart_title": fig.layout.title.text, "data_values": data["value"].tolist()}""",
    CASELOAD: """{
        "tabel_1": tabel_1.to_numpy().tolist(), "rows": list(tabel_1.index), "columns": list(tabel_1.columns),
        "share": share.tolist(), "letter_reading": letter_reading, "letter_pcts": letter_pcts,
        "generated_pcts": generated_pcts, "refused": projection.refused, "points": trends["points"].tolist(),
        "clear": trends["clear (interval excludes 0)"].tolist(), "verdicts": noise["verdict"].tolist()}""",
    NEW_LETTER: """{
        "counts": preview.counts, "work": str(work), "store_dir": str(store.dir), "link": link, "query": query,
        "vintages": [str(v) for v in store.vintages()]}""",
}
TIMEOUT = 120  # seconds per cell: generous for a loaded 2-core machine; a normal run takes a few


def notebook_paths() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def fingerprint(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``: to show that running the notebooks changed nothing there."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"}


async def _execute(path: Path) -> tuple[nbformat.NotebookNode, dict]:
    nb = nbformat.read(path, as_version=4)
    probe = PROBES.get(path.name, "{}")
    nb.cells.append(nbformat.v4.new_code_cell(
        f"import json as _json, sys as _sys\nprint(_json.dumps({{'python': _sys.executable, **{probe}}}))"))
    # "python3" is the kernel spec ipykernel installs into the environment it is installed in; from
    # within a virtualenv Jupyter prefers that one, so the notebooks run on this very Python.
    client = NotebookClient(nb, kernel_name="python3", timeout=TIMEOUT,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    await client.async_execute()
    out = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    return nb, json.loads(out)


@pytest.fixture(scope="module")
def executed():
    """Every notebook executed; the bundled data checked untouched afterwards."""
    before = fingerprint(DATA)
    # In a thread of its own: Playwright's sync API may have left an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        results = pool.submit(asyncio.run, _run_all(notebook_paths())).result()
    yield results
    for _, probed in results.values():
        for key in ("export_dir", "work"):
            if probed.get(key):
                shutil.rmtree(probed[key], ignore_errors=True)
    assert fingerprint(DATA) == before, "running the notebooks changed files under data/"


async def _run_all(paths):
    # One after the other: three kernels at once on a loaded 2-core machine once stalled for minutes.
    return {p.name: await _execute(p) for p in paths}


# --- Every notebook ------------------------------------------------------------------------------


def test_the_three_notebooks_are_there_in_order():
    assert [p.name for p in notebook_paths()] == [QUICKSTART, CASELOAD, NEW_LETTER]


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.name)
def test_notebooks_are_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: cell {cell.id} has outputs"


@pytest.mark.parametrize("name", [QUICKSTART, CASELOAD, NEW_LETTER])
def test_every_notebook_runs_top_to_bottom_on_the_project_python_without_warnings(executed, name):
    nb, probed = executed[name]
    assert Path(probed["python"]).resolve() == Path(sys.executable).resolve()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None
        for output in cell.outputs:
            assert output.output_type != "error", f"{name}: cell {cell.get('id')} failed"
            # A warning in an analyst's notebook is a defect to fix, not noise to scroll past.
            assert not (output.output_type == "stream" and output.name == "stderr"), \
                f"{name}: cell {cell.get('id')} wrote to stderr: {output.text[:500]}"


# --- 1. Quickstart -------------------------------------------------------------------------------


def test_quickstart_change_on_a_year_earlier_is_the_published_tables(executed):
    _, probed = executed[QUICKSTART]
    stock = TABEL_1["zeden_voorraad"]  # one snapshot a year apart: each compares with the one before
    expected = [None] + [(new - old) / old * 100 for old, new in zip(stock, stock[1:])]
    got = probed["pct_change"]
    assert math.isnan(got[0])
    assert got[1:] == pytest.approx(expected[1:])
    assert round(got[-1], 1) == 7.7  # 3.156 -> 3.400
    # The chart is the dashboard's: its data are the percent changes, its title the story in words.
    assert [v for v in probed["data_values"] if not math.isnan(v)][:4] == pytest.approx(expected[1:])
    # both series in view, as the letter reads Tabel 1: the stock rose 8%, reports rose 9%
    assert "Voorraad zedenzaken 8% en aangiftes 9% hoger dan een jaar eerder" in probed["chart_title"]


def test_quickstart_exports_a_png_at_twice_the_chart_width_and_links_its_view(executed):
    _, probed = executed[QUICKSTART]
    png = Path(probed["png"])
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    assert width == 2 * 960 and height > 800
    assert not png.is_relative_to(ROOT)  # into a temporary folder, not the project
    view, notices = from_query(probed["link"].partition("/?")[2])
    assert notices == []
    assert view == ViewState(indicators=("zeden_voorraad", "zeden_aangiftes"), mode="pct_change")


# --- 2. The sexual-offence caseload ----------------------------------------------------------------


def test_caseload_side_by_side_is_tabel_1_as_published(executed, catalog):
    _, probed = executed[CASELOAD]
    assert probed["tabel_1"] == [TABEL_1[i] for i in catalog.tables["zeden_werkvoorraad"].indicators]
    assert probed["rows"][1] == "Voorraad aantal zedenzaken"  # the letter's own row label
    assert probed["columns"] == [f"{d[8:]}-{d[5:7]}-{d[:4]}" for d in TABEL_1_DATES]  # as the letter heads them


def test_caseload_share_of_old_reports_is_computed_from_the_table(executed):
    _, probed = executed[CASELOAD]
    expected = [old / all_ * 100 for old, all_ in zip(TABEL_1["zeden_aangiftes_ouder_6mnd"], TABEL_1["zeden_aangiftes"])]
    assert probed["share"] == pytest.approx(expected)


def test_caseload_quotes_the_letter_and_its_percentages_agree_with_the_store(executed):
    _, probed = executed[CASELOAD]
    # Typed from the letter: "licht is gestegen (met 8%)" (stock of cases), "is gestegen (9%)" (reports).
    assert "werkvoorraad zedenzaken licht is gestegen (met 8%)" in probed["letter_reading"]
    assert probed["letter_pcts"] == [8, 9]
    assert probed["generated_pcts"] == [8, 9]


def test_caseload_refuses_a_projection_and_says_the_trends_are_not_clear(executed):
    _, probed = executed[CASELOAD]
    assert probed["refused"] and "5" in probed["refused"]["en"]
    assert probed["points"] == [5] * 6
    assert probed["clear"] == [False] * 6
    # Noise verdicts, from the table: 654 -> 642 and 1.169 -> 1.142 are well within chance.
    assert probed["verdicts"][2] == "within_noise" and probed["verdicts"][4] == "within_noise"
    assert probed["verdicts"][1] == "increase"  # 3.156 -> 3.400


# --- 3. Adding a new letter ------------------------------------------------------------------------


def test_new_letter_reports_new_revised_and_unchanged_and_writes_only_the_copy(executed):
    _, probed = executed[NEW_LETTER]
    # The example restates 2 June 2025 and 2026 for five indicators (10 values, one of them
    # changed: suspects on 2 June 2026) and adds 2 December 2026 (5 values).
    assert probed["counts"] == {"new": 5, "revised": 1, "unchanged": 9}
    copy = Store(probed["store_dir"])
    assert not copy.dir.is_relative_to(ROOT)
    assert probed["vintages"][-1] == "2026-12-18"
    june_2026 = "2026-06-02"
    assert copy.series("zeden_verdachten_om")[june_2026] == 1150
    published_june = TABEL_1["zeden_verdachten_om"][TABEL_1_DATES.index(june_2026)]
    assert copy.series("zeden_verdachten_om", as_of="2026-07-01")[june_2026] == published_june
    assert Store().series("zeden_verdachten_om")[june_2026] == published_june  # the bundled store is as it was


def test_new_letter_link_opens_the_view_it_describes(executed):
    _, probed = executed[NEW_LETTER]
    assert probed["link"] == "http://127.0.0.1:8050/" + probed["query"]
    view, notices = from_query(probed["query"])
    assert notices == []
    assert view == ViewState(indicators=("zeden_voorraad", "zeden_verdachten_om"), revisions=True)
