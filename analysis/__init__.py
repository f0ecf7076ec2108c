"""Police statistics: published tables in a versioned store, and the statistics analysts quote.

Import as ``import analysis``; it never imports plotly or dash, so a notebook or a batch job can
use it alone.
"""
from __future__ import annotations

from pathlib import Path

from .catalog import Catalog, load_catalog
from .change import change, index, ratio, ratio_series
from .describe import describe, headline
from .errors import DataError
from .noise import NoiseCheck, noise_check
from .store import Store
from .trend import Projection, Trend, project, trend


def load(path: str | Path | None = None) -> Store:
    """The store: the bundled one (``data/store``) by default, or the one at ``path``.

    Examples
    --------
    >>> import analysis
    >>> store = analysis.load()
    >>> store.series("zeden_voorraad").iloc[-1]
    np.float64(3400.0)
    """
    return Store(path)


__all__ = [
    "Catalog", "DataError", "NoiseCheck", "Projection", "Store", "Trend", "change", "describe", "headline",
    "index", "load", "load_catalog", "noise_check", "project", "ratio", "ratio_series", "trend",
]
