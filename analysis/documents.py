"""A published document in, observations with their vintage and source out.

Shared by the build (every bundled source) and the ingest command (one new document), so both
read a document in exactly the same way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .catalog import Catalog
from .errors import DataError
from .model import COLUMNS
from .readers import read_document
from .sources import SourceRecord, slug, vintage_from_published
from .tables import Extraction, Observation, extract


@dataclass
class DocumentData:
    observations: pd.DataFrame  # the data model's columns
    sources: list[SourceRecord]  # the document's record, or the publications a compilation cites
    skipped: list[str] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)


def read_source(record: SourceRecord, path: Path, catalog: Catalog) -> DocumentData:
    """Read a document described by ``record`` into observations of the data model.

    Raises
    ------
    DataError
        If the document does not validate, or holds none of the catalog's tables.
    """
    tables = read_document(path, catalog, record.reader)
    if record.table:
        for t in tables:
            t.table_id = record.table
    extraction = extract(tables, catalog, path.name, default_status=record.status)
    if not extraction.observations:
        found = "; ".join(extraction.skipped) or "no tables"
        raise DataError(f"no table of the catalog found ({found})", file=path.name)
    cited = _cited_sources(extraction, record, path)
    rows = [_row(o, record, cited) for o in extraction.observations]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    _apply_overrides(frame, record, path)
    used = set(frame["source_id"])
    sources = [s for s in [record, *cited.values()] if s.source_id in used]
    return DocumentData(frame, sources, extraction.skipped, extraction.notes)


def _cited_sources(extraction: Extraction, record: SourceRecord, path: Path) -> dict[tuple, SourceRecord]:
    """In a compilation, each row's citation becomes a source record of its own."""
    cited = {}
    for obs in extraction.observations:
        c = obs.citation
        if not c or not c.get("published"):
            continue
        key = tuple(sorted(c.items()))
        if key in cited:
            continue
        try:
            vintage = vintage_from_published(c["published"])
        except ValueError as exc:
            raise DataError(str(exc), file=path.name, row=f"citation {c.get('title')!r}") from None
        title = c.get("title") or record.title
        cited[key] = SourceRecord(
            source_id=slug(f"{record.source_id} {c['published']} {title}"),
            title=title,
            publisher=c.get("publisher") or record.publisher,
            published=c["published"],
            vintage=vintage,
            url=c.get("url") or record.url,
            kamerstuk=record.kamerstuk,
            licence=record.licence,
            sha256=record.sha256,
            file=record.file,
            reader=record.reader,
            note=f"Cited in {record.file}",
        )
    return cited


def _row(obs: Observation, record: SourceRecord, cited: dict) -> dict:
    source = cited.get(tuple(sorted(obs.citation.items()))) if obs.citation else None
    source = source or record
    return {
        "table_id": obs.table_id,
        "indicator_id": obs.indicator_id,
        "period_start": pd.Timestamp(obs.period.start),
        "period_end": pd.Timestamp(obs.period.end),
        "value": obs.value,
        "unit": obs.unit,
        "status": obs.status,
        "rounded_to": obs.rounded_to,
        "vintage": pd.Timestamp(source.vintage),
        "source_id": source.source_id,
    }


def _apply_overrides(frame: pd.DataFrame, record: SourceRecord, path: Path) -> None:
    """Statuses the provenance record sets, with a reason, where the document states none."""
    for o in record.status_overrides:
        period = frame["period_end"].dt.year.astype(str) if len(o.period) == 4 else frame["period_end"].dt.strftime("%Y-%m-%d")
        hit = (frame["indicator_id"] == o.indicator_id) & (period == o.period)
        if not hit.any():
            raise DataError(f"status override for {o.indicator_id} {o.period} matches no value", file=path.name)
        frame.loc[hit, "status"] = o.status
