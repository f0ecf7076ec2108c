"""The catalog: what the published tables mean, read from ``data/catalog.yml``.

Tables, indicators (labels in Dutch and English, unit, stock or flow, definition, footnotes, caveats,
aliases for reworded row labels), ratios and dated events. The file is validated when it is read, so
a typo in an id fails at start-up with a message that names it, not later in a chart.
"""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import re
import unicodedata
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import CatalogError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CATALOG_PATH = DATA_DIR / "catalog.yml"

LANGS = ("nl", "en")
# Words that carry no meaning in a row label ("Aantal aangiftes" is "Aangiftes").
_STOPWORDS = frozenset({"aantal", "het", "de", "een", "van", "number", "of", "the", "a"})
# Linking words that a reworded label moves around ("zedenzaken in voorraad" / "voorraad zedenzaken");
# ignored only when labels are compared as sets of words, after the exact comparison failed.
_LINKING_WORDS = frozenset({"in", "op", "naar", "aan", "dan", "die", "dat", "met", "bij", "voor", "ligt",
                            "liggen", "zit", "zitten", "staat", "staan", "is", "zijn", "en", "to", "for", "on", "than",
                            "that", "which"})
_LEADING_COMMENTS = re.compile(r"\A(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]*")
_GLUED_FOOTNOTE = re.compile(r"(?<=[a-z])\d+\s*$")
_NOT_WORD = re.compile(r"[^\w]+")
_WORD_FOOTNOTE = re.compile(r"\[footnoteRef:\d+\]|\[\d+:[^\]]*\]")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    """A text in both languages; ``text("en")`` picks one."""

    nl: str
    en: str

    def __call__(self, lang: str = "nl") -> str:
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}; use one of {LANGS}")
        return getattr(self, lang)


class Table(_Model):
    id: str
    title: Text
    short_title: Text
    kind: Literal["stock", "flow"]
    frequency: Literal["snapshot", "year"]
    publisher: str
    description: Text
    caveats: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    indicators: list[str]


class Indicator(_Model):
    id: str
    table: str
    label: Text
    short_label: Text
    unit: str
    kind: Literal["stock", "flow"]
    definition: Text
    footnotes: list[Text] = Field(default_factory=list)
    caveats: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)


class Ratio(_Model):
    id: str
    table: str
    numerator: str
    denominator: str
    scale: float = 1.0
    unit: str
    label: Text
    definition: Text


class Event(_Model):
    id: str
    date: dt.date
    label: Text
    description: Text
    tables: list[str]
    source_id: str


class Catalog(_Model):
    units: dict[str, Text]
    label_synonyms: dict[str, str] = Field(default_factory=dict)
    caveats: dict[str, Text] = Field(default_factory=dict)
    tables: dict[str, Table]
    indicators: dict[str, Indicator]
    ratios: dict[str, Ratio] = Field(default_factory=dict)
    events: list[Event] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _ids_from_keys(cls, data):
        # In the YAML the id is the mapping key; give each entry its id so it can stand alone.
        for section in ("tables", "indicators", "ratios"):
            entries = data.get(section) or {}
            data[section] = {k: {"id": k, **(v or {})} for k, v in entries.items()}
        return data

    @model_validator(mode="after")
    def _references_resolve(self):
        problems = []
        for t in self.tables.values():
            problems += [f"table {t.id}: unknown caveat {c!r}" for c in t.caveats if c not in self.caveats]
            for i in t.indicators:
                if i not in self.indicators:
                    problems.append(f"table {t.id}: unknown indicator {i!r}")
                elif self.indicators[i].table != t.id:
                    problems.append(f"table {t.id}: indicator {i!r} says it belongs to {self.indicators[i].table!r}")
        for i in self.indicators.values():
            if i.table not in self.tables:
                problems.append(f"indicator {i.id}: unknown table {i.table!r}")
            elif i.id not in self.tables[i.table].indicators:
                problems.append(f"indicator {i.id}: not listed in table {i.table!r}")
            if i.unit not in self.units:
                problems.append(f"indicator {i.id}: unknown unit {i.unit!r}")
            problems += [f"indicator {i.id}: unknown caveat {c!r}" for c in i.caveats if c not in self.caveats]
        for r in self.ratios.values():
            for part in (r.numerator, r.denominator):
                if part not in self.indicators:
                    problems.append(f"ratio {r.id}: unknown indicator {part!r}")
            if r.unit not in self.units:
                problems.append(f"ratio {r.id}: unknown unit {r.unit!r}")
        for e in self.events:
            problems += [f"event {e.id}: unknown table {t!r}" for t in e.tables if t not in self.tables]
        problems += self._ambiguous_aliases()
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _ambiguous_aliases(self) -> list[str]:
        problems, seen = [], {}
        for ind in self.indicators.values():
            for name in (ind.label.nl, ind.label.en, *ind.aliases):
                key = (ind.table, self.normalize_label(name))
                if seen.setdefault(key, ind.id) != ind.id:
                    problems.append(f"label {name!r} matches both {seen[key]!r} and {ind.id!r}")
        return problems

    # --- Label matching -------------------------------------------------------------------

    def normalize_label(self, text: str) -> str:
        """The form in which labels are compared: footnotes, case, punctuation and filler words gone."""
        # Each step only where it can change something: a catalog of 21 000 indicators normalises
        # 42 000 labels at start-up.
        if "[" in text:
            text = _WORD_FOOTNOTE.sub(" ", text)
        if not text.isascii():
            text = unicodedata.normalize("NFKC", text)
        text = text.lower().replace("*", " ").strip()
        if text[-1:].isdigit():
            text = _GLUED_FOOTNOTE.sub("", text)  # footnote number glued to the last word
        text = " " + " ".join(_NOT_WORD.sub(" ", text).split()) + " "
        for phrase, replacement in self._synonyms_longest_first:
            text = text.replace(f" {phrase} ", f" {replacement} ")
        return " ".join(w for w in text.split() if w not in _STOPWORDS)

    @functools.cached_property
    def _synonyms_longest_first(self) -> list[tuple[str, str]]:
        return sorted(self.label_synonyms.items(), key=lambda kv: -len(kv[0]))

    @functools.cached_property
    def _indicator_keys(self) -> dict[tuple[str, str], str]:
        keys = {}
        for ind in self.indicators.values():
            for name in (ind.label.nl, ind.label.en, *ind.aliases):
                keys[(ind.table, self.normalize_label(name))] = ind.id
        return keys

    @functools.cached_property
    def _indicator_bags(self) -> dict[tuple[str, frozenset], str | None]:
        """Labels as sets of words; None where two indicators of a table share a set."""
        bags = {}
        for (table, normalized), ind_id in self._indicator_keys.items():  # labels normalised once
            key = (table, self._bag(normalized))
            bags[key] = ind_id if bags.get(key, ind_id) == ind_id else None
        return bags

    @staticmethod
    def _bag(normalized: str) -> frozenset:
        return frozenset(w for w in normalized.split() if w not in _LINKING_WORDS)

    @functools.cached_property
    def _table_keys(self) -> dict[str, str]:
        keys = {}
        for t in self.tables.values():
            for name in (t.title.nl, t.title.en, t.short_title.nl, t.short_title.en, *t.aliases):
                keys[self.normalize_label(name)] = t.id
        return keys

    def match_indicator(self, label: str, table_id: str | None = None) -> str | None:
        """The indicator id a row label stands for, or None. With ``table_id``, only that table.

        A label matches a known label or alias after normalisation; failing that, a label with the
        same words in another order ("Zedenzaken in voorraad (aantal)") matches, if only one does.
        """
        key = self.normalize_label(label)
        tables = [table_id] if table_id else list(self.tables)
        found = {self._indicator_keys.get((t, key)) for t in tables} - {None}
        if not found:
            bag = self._bag(key)
            found = {self._indicator_bags.get((t, bag)) for t in tables} - {None}
        return found.pop() if len(found) == 1 else None

    def match_table(self, title: str) -> str | None:
        """The table id a table title stands for, or None (also tried without "Tabel N")."""
        title = re.sub(r"^\s*tab(?:el|le)\s+\d+[.:]?\s*", "", title, flags=re.I)
        title = re.sub(r"\((?:bron|source):[^)]*\)", " ", title, flags=re.I)
        return self._table_keys.get(self.normalize_label(title))

    def suggest_indicator(self, label: str, table_id: str | None = None) -> str | None:
        """The closest known label, for a "did you mean" in an error message."""
        names = [
            name
            for ind in self.indicators.values()
            if table_id in (None, ind.table)
            for name in (ind.label.nl, *ind.aliases)
        ]
        close = difflib.get_close_matches(label.strip(), names, n=1, cutoff=0.6)
        return close[0] if close else None

    # --- Convenience ------------------------------------------------------------------------

    def table_of(self, indicator_id: str) -> Table:
        return self.tables[self.indicators[indicator_id].table]

    def unit_label(self, unit: str, lang: str = "nl") -> str:
        return self.units[unit](lang)

    def caveats_for(self, indicator_id: str) -> list[Text]:
        """The caveats of an indicator and of its table, each once, table first."""
        ind = self.indicators[indicator_id]
        ids = dict.fromkeys([*self.table_of(indicator_id).caveats, *ind.caveats])
        return [self.caveats[c] for c in ids]

    def events_for(self, table_id: str) -> list[Event]:
        return [e for e in self.events if table_id in e.tables]


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Read and validate the catalog (``data/catalog.yml`` by default).

    Raises
    ------
    CatalogError
        If the file is missing, is not YAML, or refers to something it does not define.
    """
    path = Path(path) if path else CATALOG_PATH
    return _load_catalog_cached(path.resolve(), path.stat().st_mtime_ns if path.exists() else 0)


def _parse(text: str):
    """The catalog's YAML. A catalog written as JSON (which is YAML too; a generated catalog of
    thousands of indicators is) is read as JSON: a hundred times faster than PyYAML, whose
    constructor stays pure Python even with libyaml's parser. Everything else goes to YAML,
    through libyaml where PyYAML has it."""
    body = _LEADING_COMMENTS.sub("", text)  # JSON has no comments: only a header of them can precede it
    if body.startswith("{"):
        try:
            return json.loads(body)
        except ValueError:
            pass  # YAML in braces (flow style), or not valid: YAML says which
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@functools.lru_cache(maxsize=4)
def _load_catalog_cached(path: Path, _mtime: int) -> Catalog:
    try:
        raw = _parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(f"{path}: catalog not found") from None
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: not valid YAML: {exc}") from None
    try:
        return Catalog.model_validate(raw)
    except ValidationError as exc:
        raise CatalogError(f"{path}: {exc}") from None
