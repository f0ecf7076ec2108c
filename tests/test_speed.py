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
