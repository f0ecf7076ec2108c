"""The catalog: references resolve, and reworded row labels find their indicator."""
from __future__ import annotations

import pytest
import yaml

from analysis.catalog import load_catalog
from analysis.errors import CatalogError

from .conftest import DATA


@pytest.mark.parametrize(
    "label, indicator",
    [
        ("Aantal geregistreerde incidenten[footnoteRef:60] [60:  Dit zijn niet allemaal strafbare feiten.]", "zeden_incidenten"),
        ("Aantal aangiften langer dan zes maanden in werkvoorraad", "zeden_aangiftes_ouder_6mnd"),
        ("Aantal verdachten ingestuurd naar het Openbaar Ministerie", "zeden_verdachten_om"),
        # the same words in another order
        ("Zedenzaken, voorraad (aantal)", "zeden_voorraad"),
        ("In voorraad langer dan 6 maanden: aangiftes", "zeden_aangiftes_ouder_6mnd"),
        ("Naar het OM ingezonden verdachten", "zeden_verdachten_om"),
        ("Incidenten, geregistreerd", "zeden_incidenten"),
    ],
)
def test_reworded_labels_match_their_indicator(catalog, label, indicator):
    assert catalog.match_indicator(label, "zeden_werkvoorraad") == indicator


@pytest.mark.parametrize("label", ["Voorraad", "Aantal", "Aantal processen-verbaal", "Aangiftes ouder dan 3 maanden"])
def test_labels_that_say_too_little_or_something_else_match_nothing(catalog, label):
    assert catalog.match_indicator(label, "zeden_werkvoorraad") is None


def test_table_titles_match_with_or_without_number_and_source(catalog):
    assert catalog.match_table("Tabel 1 Werkvoorraden politie op het terrein van zedenzaken (bron: politie)") == "zeden_werkvoorraad"
    assert catalog.match_table("Werkvoorraad zedenzaken") == "zeden_werkvoorraad"
    assert catalog.match_table("Tabel 2 Financiën politie") is None


def test_a_catalog_that_refers_to_an_unknown_id_is_refused_naming_it(tmp_path):
    raw = yaml.safe_load((DATA / "catalog.yml").read_text(encoding="utf-8"))
    raw["tables"]["zeden_werkvoorraad"]["indicators"].append("zeden_onbekend")
    broken = tmp_path / "catalog.yml"
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError, match="table zeden_werkvoorraad: unknown indicator 'zeden_onbekend'"):
        load_catalog(broken)


def test_every_indicator_has_both_languages_and_its_table_lists_it(catalog):
    for ind in catalog.indicators.values():
        assert ind.label.nl and ind.label.en and ind.definition.nl and ind.definition.en
        assert ind.id in catalog.tables[ind.table].indicators
    # the footnote in the letter's row label is kept as the definition, not in the label
    assert "niet allemaal strafbare feiten" in catalog.indicators["zeden_incidenten"].definition.nl
    assert "[" not in catalog.indicators["zeden_incidenten"].label.nl
