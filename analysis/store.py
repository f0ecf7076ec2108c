"""The store: every published value with its vintage, in one parquet file replaced atomically.

Nothing is overwritten: a new publication adds rows with its own vintage. "Latest" is, for each
indicator and period, the row of the newest vintage; "as published on D" the newest vintage not
after D; revisions are the same indicator and period with different values across vintages.

The provenance records of all sources travel inside the parquet file's metadata, so a store is one
file: a reader opens either the old file or the new one, never half of each.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import threading
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .model import COLUMNS, SCHEMA, SORT
from .sources import SourceRecord

STORE_DIR = Path(__file__).resolve().parent.parent / "data" / "store"
FILE_NAME = "observations.parquet"
_SERIES_KEY = ["indicator_id", "period_start", "period_end"]


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def to_arrow(observations: pd.DataFrame, sources: list[SourceRecord]) -> pa.Table:
    """The store's on-disk form: rows in a fixed order, provenance in the metadata."""
    df = observations.loc[:, list(COLUMNS)].copy()
    for col in ("period_start", "period_end", "vintage"):
        df[col] = pd.to_datetime(df[col]).dt.date
    df = df.sort_values(list(SORT), kind="stable").reset_index(drop=True)
    table = pa.Table.from_pandas(df, schema=SCHEMA, preserve_index=False)
    records = [s.model_dump(mode="json") for s in sorted(sources, key=lambda s: s.source_id)]
    metadata = {b"police_stats.sources": json.dumps(records, sort_keys=True, ensure_ascii=False).encode()}
    return table.replace_schema_metadata(metadata)


def write_parquet_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    # Fixed settings: the same rows give the same bytes (no timestamps are written by parquet).
    pq.write_table(table, sink, compression="zstd", compression_level=9, use_dictionary=True,
                   write_statistics=True, row_group_size=1 << 20)
    return sink.getvalue().to_pybytes()


class Store:
    """A store on disk (``data/store`` by default), read lazily and re-read when the file changes.

    Parameters
    ----------
    path
        The store directory (holding ``observations.parquet``) or the parquet file itself.
    """

    def __init__(self, path: str | Path | None = None):
        path = Path(path) if path else STORE_DIR
        self.file = path if path.suffix == ".parquet" else path / FILE_NAME
        self.dir = self.file.parent
        self._stamp = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Store({str(self.dir)!r})"

    # --- Reading -----------------------------------------------------------------------------

    def _load(self):
        """(Re)read the file when it changed on disk; cached results belong to one version."""
        try:
            st = self.file.stat()
        except FileNotFoundError:
            raise FileNotFoundError(f"no store at {self.file} (run: python -m analysis.build)") from None
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        with self._lock:
            if stamp != self._stamp:
                # One open file for both the stamp and the read: by path, pyarrow opens the file more
                # than once, and a store replaced in between fails to read ("deserialize thrift").
                with open(self.file, "rb") as fh:
                    st = os.fstat(fh.fileno())
                    table = pq.read_table(pa.BufferReader(fh.read()))
                stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
                meta = table.schema.metadata or {}
                records = json.loads(meta.get(b"police_stats.sources", b"[]"))
                frame = table.to_pandas(date_as_object=False)
                for col in ("period_start", "period_end", "vintage"):
                    frame[col] = frame[col].astype("datetime64[ms]")
                self._frame = frame
                self._sources = {r["source_id"]: SourceRecord.model_validate(r) for r in records}
                self._latest_cache = {}
                self._stamp = stamp
            return self._frame

    def exists(self) -> bool:
        return self.file.exists()

    @property
    def observations(self) -> pd.DataFrame:
        """Every row of every vintage (a copy is not made: do not modify it)."""
        return self._load()

    @property
    def sources(self) -> dict[str, SourceRecord]:
        self._load()
        return self._sources

    def document(self, source_id: str) -> Path:
        """The published document of a source, as archived in ``sources/`` beside the store's folder.

        Raises
        ------
        KeyError
            If the store has no source ``source_id`` (the message lists the ones it has).
        FileNotFoundError
            If the document is not in that folder.
        """
        if source_id not in self.sources:
            raise KeyError(f"no source {source_id!r} in {self}; it has {sorted(self.sources)}")
        path = self.dir.parent / "sources" / self.sources[source_id].file
        if not path.is_file():
            raise FileNotFoundError(f"source {source_id!r}: its document {path} is missing")
        return path

    def vintages(self) -> list[dt.date]:
        """Publication dates in the store, oldest first."""
        return sorted({d.date() for d in self._load()["vintage"]})

    def latest(self, as_of: dt.date | str | None = None) -> pd.DataFrame:
        """One row per indicator and period: the newest vintage (not after ``as_of`` if given)."""
        frame = self._load()
        key = None if as_of is None else pd.Timestamp(as_of).normalize()
        with self._lock:
            cached = self._latest_cache.get(key)
        if cached is not None:
            return cached
        rows = frame if key is None else frame[frame["vintage"] <= key]
        latest = (
            rows.sort_values([*_SERIES_KEY, "vintage", "source_id"], kind="stable")
            .drop_duplicates(_SERIES_KEY, keep="last")
            .sort_values(["table_id", "indicator_id", "period_end"], kind="stable")
            .reset_index(drop=True)
        )
        with self._lock:
            self._latest_cache[key] = latest
        return latest

    def select(self, indicator_ids, as_of=None) -> pd.DataFrame:
        """The latest rows (or as published on ``as_of``) of some indicators."""
        ids = [indicator_ids] if isinstance(indicator_ids, str) else list(indicator_ids)
        latest = self.latest(as_of)
        return latest[latest["indicator_id"].isin(ids)].reset_index(drop=True)

    def series(self, indicator_id: str, as_of=None) -> pd.Series:
        """Values of one indicator indexed by period end date.

        The Series carries, in ``.attrs``, the indicator and table id, the unit and, per period
        end date, the status, rounding, period start, vintage and source of each value.

        Raises
        ------
        KeyError
            If the store has no values for ``indicator_id`` (as published on ``as_of``).
        """
        rows = self.select(indicator_id, as_of)
        if rows.empty:
            when = f" as published on {as_of}" if as_of else ""
            raise KeyError(f"no values for indicator {indicator_id!r}{when}")
        return series_from_rows(rows)

    def revisions(self, indicator_ids=None) -> pd.DataFrame:
        """Every value that a later publication changed: one row per vintage of such a period."""
        frame = self._load()
        if indicator_ids is not None:
            ids = [indicator_ids] if isinstance(indicator_ids, str) else list(indicator_ids)
            frame = frame[frame["indicator_id"].isin(ids)]
        counts = frame.groupby(_SERIES_KEY)["value"].transform(lambda v: v.nunique(dropna=False))
        changed = frame[counts > 1].sort_values([*_SERIES_KEY, "vintage"])
        changed = changed.assign(previous_value=changed.groupby(_SERIES_KEY)["value"].shift())
        return changed.reset_index(drop=True)

    # --- Writing -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self):
        """Hold the store's write lock: one writer at a time; readers never wait."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir / ".lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield self
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def write(self, observations: pd.DataFrame, sources: list[SourceRecord]) -> None:
        """Replace the whole store atomically (call inside ``locked()`` when others may write)."""
        atomic_write_bytes(self.file, write_parquet_bytes(to_arrow(observations, sources)))


def series_from_rows(rows: pd.DataFrame) -> pd.Series:
    """A value Series indexed by period end, with per-value metadata in ``attrs`` (see Store.series)."""
    rows = rows.sort_values("period_end")
    index = pd.DatetimeIndex(rows["period_end"], name="period_end")
    series = pd.Series(rows["value"].to_numpy(), index=index, name=rows["indicator_id"].iloc[0])

    def per_value(col):
        return dict(zip(index, rows[col].tolist()))

    series.attrs = {
        "indicator_id": rows["indicator_id"].iloc[0],
        "table_id": rows["table_id"].iloc[0],
        "unit": rows["unit"].iloc[0],
        "status": per_value("status"),
        "rounded_to": per_value("rounded_to"),
        "period_start": per_value("period_start"),
        "vintage": per_value("vintage"),
        "source_id": per_value("source_id"),
    }
    return series
