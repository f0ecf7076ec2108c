"""The "Python" panel: the few lines that recreate the chart in view in a notebook.

The code uses the very functions the dashboard uses (``analysis`` and ``dashboard.figures``), so
the chart in the notebook is the chart in the browser; a test runs it and compares the data.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from .state import DEFAULTS, ViewState


def _literal(value) -> str:
    if isinstance(value, dt.date):
        return f"dt.date({value.year}, {value.month}, {value.day})"
    return repr(value)


def view_literal(state: ViewState) -> str:
    """``ViewState(...)`` with only the fields that differ from the default view."""
    fields = [f"{f.name}={_literal(getattr(state, f.name))}" for f in dataclasses.fields(ViewState)
              if getattr(state, f.name) != getattr(DEFAULTS, f.name)]
    one_line = "ViewState(" + ", ".join(fields) + ")"
    if len(one_line) <= 80:
        return one_line
    return "ViewState(\n" + "".join(f"    {f},\n" for f in fields) + ")"


def python_code(state: ViewState, store_dir: str | Path | None = None) -> str:
    """Python that recreates the chart of ``state`` (and gives its data) in a notebook.

    ``store_dir``: the store the dashboard serves, when it is not the bundled one.
    """
    uses_dates = any(isinstance(getattr(state, f.name), dt.date) for f in dataclasses.fields(ViewState))
    store = f"analysis.load({str(store_dir)!r})" if store_dir else "analysis.load()"
    lines = [
        *(["import datetime as dt", ""] if uses_dates else []),
        "import analysis",
        "from dashboard.data import view_data",
        "from dashboard.figures import chart",
        "from dashboard.state import ViewState",
        "",
        f"store = {store}",
        "catalog = analysis.load_catalog()",
        f"view = {view_literal(state)}",
        "",
        "data = view_data(view, store, catalog)  # the numbers in the chart, one row per indicator and period",
        "fig = chart(view, store, catalog)",
        "fig",
    ]
    return "\n".join(lines) + "\n"
