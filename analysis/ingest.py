"""Add a published document to the store.

    python -m analysis.ingest PATH [--store DIR] [--dry-run] [--json] [--vintage YYYY-MM-DD] ...

Reads a letter's text, HTML or .docx, or a CSV as published; finds its tables; maps row labels to
indicators through the catalog's aliases; validates everything; shows per indicator and period what
is new, revised (old -> new) or unchanged; and only then writes a new vintage. The document is
archived with its provenance record in the ``sources`` folder beside the store, so that
``python -m analysis.build`` rebuilds the same store. Ingesting the same document twice changes
nothing. ``--json`` prints the extracted observations as JSON records (data-model columns) on
stdout, the report going to stderr.

In code: ``preview = prepare(path, store)`` then ``commit(preview, store, path)``; the browser import
uses the same two steps.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .build import check_consistent
from .catalog import Catalog, load_catalog
from .documents import DocumentData, read_source
from .errors import DataError
from .formatting import format_number
from .model import COLUMNS, STATUSES
from .readers import detect_reader
from .readers.base import MAX_BYTES, read_bytes
from .sources import MANIFEST_SUFFIX, SourceRecord, sha256_of, slug, write_manifest
from .files import atomic_write_bytes
from .store import Store


@dataclass
class Preview:
    """What ingesting a document would do, before anything is written."""

    record: SourceRecord
    document: DocumentData | None  # None when the document is already in the store
    changes: pd.DataFrame  # indicator_id, period_start, period_end, old_value, new_value, change
    already_ingested: str | None = None  # the source id under which the same bytes are stored

    @property
    def counts(self) -> dict[str, int]:
        counts = self.changes["change"].value_counts() if len(self.changes) else {}
        return {k: int(counts.get(k, 0)) for k in ("new", "revised", "unchanged")}


def prepare(
    path: str | Path,
    store: Store,
    *,
    catalog: Catalog | None = None,
    vintage: dt.date | None = None,
    title: str | None = None,
    publisher: str | None = None,
    published: str | None = None,
    url: str | None = None,
    kamerstuk: str | None = None,
    licence: str | None = None,
    status: str = "definitief",
    max_bytes: int = MAX_BYTES,
    display_name: str | None = None,
) -> Preview:
    """Read and validate a document and compare it with the store; writes nothing.

    Parameters
    ----------
    vintage
        The publication date of the document. When not given, the day it was first seen (today), or
        the latest date the document reports on if that is later: a figure is never dated before
        the day it describes.
    display_name
        The name errors use for the file (an upload's original name); the path's name by default.

    Raises
    ------
    DataError
        If anything in the document does not validate; names file, table, row and cell.
    """
    path = Path(path)
    name = display_name or path.name
    catalog = catalog or load_catalog()
    if status not in STATUSES:
        raise DataError(f"unknown status {status!r} (use one of: {', '.join(STATUSES)})", file=name)
    with _named(name):  # errors name the file as the user knows it, not a temporary path
        read_bytes(path, max_bytes)  # empty, missing and oversized files fail here, before any parsing
        reader = detect_reader(path)
    sha = sha256_of(path)
    stated, vintage = vintage, vintage or dt.date.today()
    source_id = f"{slug(Path(name).stem, 48) or 'document'}-{sha[:8]}"
    record = SourceRecord(
        source_id=source_id,
        title=title or Path(name).stem,
        publisher=publisher or "onbekend",
        published=published or vintage.isoformat(),
        vintage=vintage,
        url=url,
        kamerstuk=kamerstuk,
        licence=licence,
        sha256=sha,
        file=f"{source_id}{Path(name).suffix.lower()}",
        reader=reader,
        status=status,
    )
    existing = _stored_with_sha(store, sha)
    with _named(name):
        document = read_source(record, path, catalog)
        own = document.observations[document.observations["source_id"] == record.source_id]
        last = own["period_end"].max().date() if len(own) else vintage
        if stated is None and last > vintage:
            record = record.model_copy(update={"vintage": last, "published": published or last.isoformat()})
            document = read_source(record, path, catalog)
    _check_not_before(document, name)
    # The stored values of the document's own indicators: what it is compared with (only their row groups are read).
    ids = document.observations["indicator_id"].unique().tolist()
    latest = store.select(ids) if store.exists() else pd.DataFrame(columns=list(COLUMNS))
    if store.exists() and not existing:
        _check_fits(store, document, name)
    return Preview(record, None if existing else document, compare(latest, document.observations), existing)


def _check_not_before(document: DocumentData, name: str) -> None:
    """No value may be dated (vintage) before the day it describes: that is a wrong --vintage."""
    obs = document.observations
    early = obs[obs["period_end"] > obs["vintage"]]
    if len(early):
        row = early.iloc[0]
        raise DataError(f"{row['indicator_id']} on {row['period_end']:%Y-%m-%d} cannot have been published on "
                        f"{row['vintage']:%Y-%m-%d}, before the date it describes; check --vintage", file=name)


def _check_fits(store: Store, document: DocumentData, name: str) -> None:
    """The document must not contradict a stored source of the same vintage (checked before any write)."""
    try:
        ids = document.observations["indicator_id"].unique().tolist()
        check_consistent(pd.concat([store.history(ids), document.observations], ignore_index=True))
    except DataError as exc:
        raise DataError(f"{exc.message}; give this document its own publication date with --vintage",
                        file=name) from None


@contextlib.contextmanager
def _named(name: str):
    try:
        yield
    except DataError as exc:
        exc.file = name
        raise


def _stored_with_sha(store: Store, sha: str) -> str | None:
    if not store.exists():
        return None
    return next((s.source_id for s in store.sources.values() if s.sha256 == sha), None)


def compare(latest: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """Per new observation: new, revised (the stored value differs) or unchanged."""
    key = ["indicator_id", "period_start", "period_end"]
    old = latest[[*key, "value", "status"]].rename(columns={"value": "old_value", "status": "old_status"})
    merged = observations[[*key, "value", "status"]].merge(old, on=key, how="left", indicator=True)
    merged = merged.rename(columns={"value": "new_value", "status": "new_status"})
    same = (merged["old_value"] == merged["new_value"]) | (merged["old_value"].isna() & merged["new_value"].isna())
    merged["change"] = np.where(merged["_merge"] == "left_only", "new", np.where(same, "unchanged", "revised"))
    return merged.drop(columns="_merge").sort_values(key).reset_index(drop=True)


def commit(preview: Preview, store: Store, document_path: str | Path) -> bool:
    """Write the previewed document as a new vintage; False if it was already in the store.

    The document and its provenance record are archived first, then the store is replaced in one
    atomic step under the store's write lock: a crash leaves the store as it was before or after.
    """
    if preview.document is None:
        return False
    sources_dir = store.dir.parent / "sources"
    with store.locked():
        if _stored_with_sha(store, preview.record.sha256):  # another writer got there first
            return False
        target = sources_dir / preview.record.file
        if not target.exists():
            sources_dir.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, Path(document_path).read_bytes())
        manifest = sources_dir / f"{preview.record.source_id}{MANIFEST_SUFFIX}"
        if not manifest.exists():
            write_manifest(preview.record, sources_dir)
        if store.exists():
            observations = pd.concat([store.observations, preview.document.observations], ignore_index=True)
            sources = [*store.sources.values(), *preview.document.sources]
        else:
            observations, sources = preview.document.observations, preview.document.sources
        check_consistent(observations, indicators=preview.document.observations["indicator_id"].unique())
        store.write(observations, sources)
    return True


# --- Command line ------------------------------------------------------------------------------


def observations_json(observations: pd.DataFrame) -> str:
    """Observations as JSON records with the data model's column names and ISO dates."""
    out = observations.loc[:, list(COLUMNS)].copy()
    for col in ("period_start", "period_end", "vintage"):
        out[col] = pd.to_datetime(out[col]).dt.strftime("%Y-%m-%d")
    records = out.to_dict(orient="records")
    for r in records:
        r["value"] = None if pd.isna(r["value"]) else r["value"]
        r["rounded_to"] = int(r["rounded_to"])
    return json.dumps(records, ensure_ascii=False, indent=1)


def report(preview: Preview, catalog: Catalog) -> str:
    lines = []
    if preview.document:
        for item in preview.document.skipped:
            lines.append(f"skipped {item}: not a table of the catalog")
    for row in preview.changes.itertuples():
        when = f"{row.period_end:%Y-%m-%d}" if row.period_start == row.period_end else f"{row.period_end:%Y}"
        label = catalog.indicators[row.indicator_id].short_label.nl
        if row.change == "revised":
            detail = f"{format_number(row.old_value)} -> {format_number(row.new_value)}"
        else:
            detail = format_number(row.new_value)
        lines.append(f"  {row.change:<9} {row.indicator_id:<28} {when}  {detail:>20}  ({label})")
    c = preview.counts
    lines.append(f"{c['new']} new, {c['revised']} revised, {c['unchanged']} unchanged")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.ingest", description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="the document: letter text, HTML, .docx or CSV")
    parser.add_argument("--store", type=Path, default=None, help="store folder (default: data/store)")
    parser.add_argument("--dry-run", action="store_true", help="validate and report; write nothing")
    parser.add_argument("--json", action="store_true", help="print the extracted observations as JSON")
    parser.add_argument("--vintage", type=dt.date.fromisoformat, default=None,
                        help="publication date YYYY-MM-DD (default: today, or the latest date the document reports on if later)")
    parser.add_argument("--title", help="title of the document")
    parser.add_argument("--publisher", help="who published it")
    parser.add_argument("--published", help="publication date as stated, e.g. 'december 2026'")
    parser.add_argument("--url", help="where it was published")
    parser.add_argument("--kamerstuk", help="kamerstuk reference, e.g. 'Kamerstukken II 2026/27, 29 628, nr. 1350'")
    parser.add_argument("--licence", help="licence of the document")
    parser.add_argument("--status", default="definitief", help="status of values the document does not mark")
    args = parser.parse_args(argv)
    out = sys.stderr if args.json else sys.stdout
    store = Store(args.store)
    try:
        catalog = load_catalog()
        preview = prepare(args.path, store, catalog=catalog, vintage=args.vintage, title=args.title,
                          publisher=args.publisher, published=args.published, url=args.url,
                          kamerstuk=args.kamerstuk, licence=args.licence, status=args.status)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("nothing was written; the store is unchanged.", file=sys.stderr)
        return 1
    if args.json:
        if preview.document is not None:
            print(observations_json(preview.document.observations))
        else:  # as stored, with the vintage it was given then
            stored = store.observations
            print(observations_json(stored[stored["source_id"] == preview.already_ingested]))
    if preview.already_ingested:
        print(f"{args.path.name} is already in the store as source {preview.already_ingested}; nothing changed.", file=out)
        return 0
    print(f"{args.path.name}: vintage {preview.record.vintage}, source {preview.record.source_id}", file=out)
    print(report(preview, catalog), file=out)
    if args.dry_run:
        print("dry run: nothing written.", file=out)
        return 0
    commit(preview, store, args.path)
    print(f"written to {store.file}", file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
