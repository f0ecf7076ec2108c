"""What the speed work relies on: read-only per-value metadata, the page's own plotly.js bundle."""
from __future__ import annotations

import copy
import pickle
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.store import PerValue, Store

ASSETS = Path(__file__).resolve().parent.parent / "dashboard" / "assets"


def test_a_store_series_carries_read_only_metadata_that_pandas_copies_for_free():
    s = Store().series("zeden_voorraad")
    status = s.attrs["status"]
    assert isinstance(status, PerValue) and isinstance(status, dict)
    # an operation's result shares the metadata instead of copying it
    assert (s + 1).attrs["status"] is status and s.iloc[1:].attrs["status"] is status
    assert copy.deepcopy(status) is status and copy.copy(status) is status
    with pytest.raises(TypeError, match="read-only"):
        status[pd.Timestamp("2030-01-01")] = "voorlopig"
    with pytest.raises(TypeError):
        status.update({})
    again = pickle.loads(pickle.dumps(status))
    assert again == status and isinstance(again, PerValue)


def test_the_page_draws_with_the_plotly_js_that_plotly_py_was_built_for():
    """dashboard/assets holds plotly.js's basic bundle (scatter, bar, pie: all the charts draw): a
    quarter of the full bundle, which is a second of the first chart's time on these machines.
    Upgrading plotly means replacing it (npm pack plotly.js-basic-dist-min@<version>)."""
    from plotly.offline import get_plotlyjs_version

    head = (ASSETS / "plotly-basic.min.js").read_text(encoding="utf-8")[:300]
    version = re.search(r"plotly\.js \(basic - minified\) v(\S+)", head)
    assert version and version[1] == get_plotlyjs_version()


def test_a_catalog_written_as_json_reads_as_the_same_catalog(tmp_path):
    import json

    import yaml

    from analysis.catalog import CATALOG_PATH, CatalogError, load_catalog

    as_json = tmp_path / "catalog.yml"
    raw = yaml.safe_load(CATALOG_PATH.read_text(encoding="utf-8"))
    as_json.write_text("# generated\n" + json.dumps(raw, default=str, indent=1), encoding="utf-8")
    assert load_catalog(as_json) == load_catalog()
    broken = tmp_path / "broken.yml"
    broken.write_text('{"units": {"count": [}', encoding="utf-8")  # neither JSON nor YAML
    with pytest.raises(CatalogError, match="broken.yml: not valid YAML"):
        load_catalog(broken)


def test_an_index_rests_on_the_first_positive_value(tmp_path):
    """Found by serving the synthetic store: a month with zero cases as the first period in view
    made mode=index fail (an index cannot rest on zero). The voorraad published on 2 June 2022 is
    set to 0 here; the index then rests on 2 June 2023 (3 166, from the letter's Tabel 1)."""
    from analysis.catalog import load_catalog
    from dashboard.data import view_data
    from dashboard.state import from_query

    bundled = Store()
    rows = bundled.observations
    first = (rows["indicator_id"] == "zeden_voorraad") & (rows["period_end"] == pd.Timestamp("2022-06-02"))
    rows.loc[first, "value"] = 0.0
    store = Store(tmp_path / "store")
    store.write(rows, list(bundled.sources.values()))
    catalog = load_catalog()
    data = view_data(from_query("?mode=index", catalog)[0], store, catalog)
    assert data["base_value"].iloc[0] == 3166
    assert data["value"].round(2).tolist() == [0.0, 100.0, round(2775 / 3166 * 100, 2), round(3156 / 3166 * 100, 2),
                                               round(3400 / 3166 * 100, 2)]
    chosen = view_data(from_query("?mode=index&base=2022-06-02", catalog)[0], store, catalog)
    assert chosen["base_value"].iloc[0] == 3166
    assert [n.key for n in chosen.attrs["notices"]] == ["notice_base_not_positive"]
