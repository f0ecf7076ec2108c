"""Shared fixtures: the bundled data, and throw-away copies of it that a test may change."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import load_catalog
from analysis.store import Store

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
LETTER = DATA / "sources" / "halfjaarbericht-politie-2026-bijlage-moties-toezeggingen.txt"

# Tabel 1 of the June 2026 letter, typed in by hand from the published annex.
TABEL_1 = {
    "zeden_incidenten": [6622, 5705, 5555, 6507, 6228],
    "zeden_voorraad": [3361, 3166, 2775, 3156, 3400],
    "zeden_aangiftes_ouder_6mnd": [694, 767, 722, 654, 642],
    "zeden_aangiftes": [1355, 1404, 1355, 1533, 1676],
    "zeden_verdachten_om": [1154, 1181, 987, 1169, 1142],
}
TABEL_1_DATES = ["2022-06-02", "2023-06-02", "2024-06-02", "2025-06-02", "2026-06-02"]


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def bundled_store():
    return Store()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A copy of ``data/`` (catalog, sources, store) that a test may write to."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns(".lock", "*.tmp-*"))
    return target


@pytest.fixture
def store_copy(data_copy) -> Store:
    return Store(data_copy / "store")
