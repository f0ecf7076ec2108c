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
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .model import COLUMNS, SCHEMA, SORT
from .files import atomic_write_bytes
from .sources import SourceRecord

STORE_DIR = Path(__file__).resolve().parent.parent / "data" / "store"
FILE_NAME = "observations.parquet"
_SERIES_KEY = ["indicator_id", "period_start", "period_end"]
VINTAGES_KEY = b"police_stats.vintages"


def to_arrow(observations: pd.DataFrame, sources: list[SourceRecord]) -> pa.Table:
    """The store's on-disk form: rows in a fixed order, provenance in the metadata."""
    df = observations.loc[:, list(COLUMNS)]
    df = df.assign(**{col: pd.to_datetime(df[col]) for col in ("period_start", "period_end", "vintage")})
    # Sorted before the columns take the store's types: a categorical column is still a
    # dictionary then, and millions of rows sort and move as small integers, not as strings.
    table = pa.Table.from_pandas(df, preserve_index=False)
    table = table.take(_store_order(table))
    table = table.cast(SCHEMA.with_metadata(table.schema.metadata))
    records = [s.model_dump(mode="json") for s in sorted(sources, key=lambda s: s.source_id)]
    # The vintages too, so that listing them does not mean reading a column of millions of rows.
    vintages = sorted(d.isoformat() for d in pc.unique(table["vintage"]).to_pylist())
    metadata = {
        b"police_stats.sources": json.dumps(records, sort_keys=True, ensure_ascii=False).encode(),
        VINTAGES_KEY: json.dumps(vintages).encode(),
    }
    return table.replace_schema_metadata(metadata)


# Rows per row group, chosen by measurement (docs/performance.md): the store is sorted by table and
# indicator, so one indicator's rows sit in one or two row groups of this size, and a request
# decodes a few thousand rows instead of the whole store.
ROW_GROUP_ROWS = 4096
# Decoded row groups kept per store version (about 50 MB at most): the calls one request makes
# (select, series, revisions of the same indicators) decode each row group once.
CACHE_ROWS = 1 << 20
ANSWERS_KEPT = 256  # query answers kept per store version (see _Version.answer)


def _store_order(table: pa.Table) -> pa.Array:
    """Row order of the store (``model.SORT``); Arrow's sort is stable, like the one before it."""
    keys = {}
    for col in SORT:
        column = table[col].combine_chunks()
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = pc.dictionary_encode(column)  # sorting integers beats comparing strings, 3x
        if pa.types.is_dictionary(column.type):  # order by the words, not by the codes
            column = pc.rank(column.dictionary, tiebreaker="dense").take(column.indices)
        keys[col] = column
    return pc.sort_indices(pa.table(keys), sort_keys=[(col, "ascending") for col in SORT])


def write_parquet_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    # Fixed settings: the same rows give the same bytes (no timestamps are written by parquet).
    pq.write_table(table, sink, compression="zstd", compression_level=9, use_dictionary=True,
                   write_statistics=True, row_group_size=ROW_GROUP_ROWS)
    return sink.getvalue().to_pybytes()


class _Version:
    """One version of the store file, held open.

    Reads go through the open handle, so a writer replacing the file (``os.replace``) never mixes
    two versions: this one stays readable until it is dropped for the new one. The footer's
    statistics say which indicators each row group holds; a query decodes only those row groups.
    """

    def __init__(self, file: Path):
        handle = pa.OSFile(str(file))
        st = os.fstat(handle.fileno())
        self.stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        self.parquet = pq.ParquetFile(handle)
        meta = self.parquet.schema_arrow.metadata or {}
        records = json.loads(meta.get(b"police_stats.sources", b"[]"))
        self.sources = {r["source_id"]: SourceRecord.model_validate(r) for r in records}
        self._vintages = [dt.date.fromisoformat(d) for d in json.loads(meta[VINTAGES_KEY])] if VINTAGES_KEY in meta else None
        self._first, self._last = self._indicator_ranges()
        self._cache: OrderedDict[int, pa.Table] = OrderedDict()
        self._cached_rows = 0
        self._answers: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._lock = threading.Lock()

    def _indicator_ranges(self) -> tuple[np.ndarray, np.ndarray]:
        """First and last indicator id of each row group (from the footer's statistics)."""
        meta = self.parquet.metadata
        col = meta.schema.to_arrow_schema().get_field_index("indicator_id")
        first, last = [], []
        for i in range(meta.num_row_groups):
            stats = meta.row_group(i).column(col).statistics
            known = stats is not None and stats.has_min_max
            first.append(stats.min if known else "")  # unknown: a range that holds every id
            last.append(stats.max if known else "\U0010ffff")
        return np.array(first, dtype=str), np.array(last, dtype=str)

    def rows(self, indicator_ids: list[str] | None = None) -> pa.Table:
        """Every row (of some indicators), in store order."""
        if indicator_ids is None:
            with self._lock:  # a ParquetFile is not safe for two threads reading at once
                return self.parquet.read()
        wanted = sorted(set(indicator_ids))
        hit = np.zeros(len(self._first), dtype=bool)
        for x in wanted:
            hit |= (self._first <= x) & (x <= self._last)
        groups = np.flatnonzero(hit).tolist()
        if not groups:
            return SCHEMA.empty_table()
        table = pa.concat_tables([self._row_group(i) for i in groups])
        return table.filter(pc.is_in(table["indicator_id"], value_set=pa.array(wanted, pa.string())))

    def _row_group(self, i: int) -> pa.Table:
        with self._lock:
            table = self._cache.get(i)
            if table is not None:
                self._cache.move_to_end(i)
                return table
            table = self.parquet.read_row_group(i, use_threads=False)
            self._cache[i] = table
            self._cached_rows += table.num_rows
            while self._cached_rows > CACHE_ROWS and len(self._cache) > 1:
                self._cached_rows -= self._cache.popitem(last=False)[1].num_rows
            return table

    def answer(self, kind: str, ids: list[str] | None, as_of, compute) -> pd.DataFrame:
        """``compute(rows)`` for the rows of some indicators; the last answers are kept, since a
        dashboard asks the same again (another mode, another language) and each answer costs
        a pandas frame. Callers get a shallow copy: with copy-on-write, theirs to change."""
        key = (kind, None if ids is None else tuple(sorted(set(ids))),
               None if as_of is None else pd.Timestamp(as_of).date())
        with self._lock:
            frame = self._answers.get(key)
            if frame is not None:
                self._answers.move_to_end(key)
                return frame.copy(deep=False)
        frame = compute(self.rows(ids))
        if ids is not None:  # an answer about the whole store is too big to keep
            with self._lock:
                self._answers[key] = frame
                if len(self._answers) > ANSWERS_KEPT:
                    self._answers.popitem(last=False)
        return frame.copy(deep=False)

    def vintages(self) -> list[dt.date]:
        if self._vintages is None:  # a store written before the vintages were kept in the metadata
            with self._lock:
                self._vintages = sorted(pc.unique(self.parquet.read(columns=["vintage"])["vintage"]).to_pylist())
        return self._vintages


class Store:
    """A store on disk (``data/store`` by default), read lazily and re-read when the file changes.

    Parameters
    ----------
    path
        The store directory (holding ``observations.parquet``) or the parquet file itself.

    Queries of a few indicators (``select``, ``series``, ``history``, ``revisions``) decode only
    the row groups that hold them; ``observations`` and ``latest()`` read the whole store.
    """

    def __init__(self, path: str | Path | None = None):
        path = Path(path) if path else STORE_DIR
        self.file = path if path.suffix == ".parquet" else path / FILE_NAME
        self.dir = self.file.parent
        self._version_open: _Version | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Store({str(self.dir)!r})"

    # --- Reading -----------------------------------------------------------------------------

    def _version(self) -> _Version:
        """The file as it is now: reopened when a writer has replaced it."""
        try:
            st = self.file.stat()
        except FileNotFoundError:
            raise FileNotFoundError(f"no store at {self.file} (run: python -m analysis.build)") from None
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        with self._lock:
            if self._version_open is None or self._version_open.stamp != stamp:
                self._version_open = _Version(self.file)
            return self._version_open

    def exists(self) -> bool:
        return self.file.exists()

    @property
    def observations(self) -> pd.DataFrame:
        """Every row of every vintage (reads the whole store: for a few indicators use ``history``)."""
        return _frame(self._version().rows())

    @property
    def sources(self) -> dict[str, SourceRecord]:
        return self._version().sources

    def row_count(self) -> int:
        """Rows in the store, all vintages (from the file's footer: nothing is read)."""
        return self._version().parquet.metadata.num_rows

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
        return list(self._version().vintages())

    def latest(self, as_of: dt.date | str | None = None) -> pd.DataFrame:
        """One row per indicator and period: the newest vintage (not after ``as_of`` if given).

        Reads the whole store; ``select`` reads only the indicators asked for.
        """
        return self._version().answer("latest", None, as_of, lambda rows: _frame(_newest(_published_by(rows, as_of))))

    def select(self, indicator_ids, as_of=None) -> pd.DataFrame:
        """The latest rows (or as published on ``as_of``) of some indicators."""
        return self._version().answer("latest", _ids(indicator_ids), as_of,
                                      lambda rows: _frame(_newest(_published_by(rows, as_of))))

    def history(self, indicator_ids, as_of=None) -> pd.DataFrame:
        """Every published row of some indicators, all vintages (those not after ``as_of``)."""
        return self._version().answer("history", _ids(indicator_ids), as_of,
                                      lambda rows: _frame(_published_by(rows, as_of)))

    def series(self, indicator_id: str, as_of=None) -> pd.Series:
        """Values of one indicator indexed by period end date.

        The Series carries, in ``.attrs``, the indicator and table id, the unit and, per period
        end date, the status, rounding, period start, vintage and source of each value (read-only
        mappings, ``PerValue``, so that pandas copies them for free).

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
        """Every value that a later publication changed: one row per vintage of such a period.

        ``previous_value`` is the value of the vintage before (missing for the first).
        """
        ids = None if indicator_ids is None else _ids(indicator_ids)
        order = [(c, "ascending") for c in (*_SERIES_KEY, "vintage")]
        return self._version().answer("revisions", ids, None, lambda rows: _frame(_revised(rows).sort_by(order)))

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


def _ids(indicator_ids) -> list[str]:
    return [indicator_ids] if isinstance(indicator_ids, str) else list(indicator_ids)


def _published_by(rows: pa.Table, as_of) -> pa.Table:
    """The rows of vintages not after ``as_of`` (all rows when it is None)."""
    if as_of is None:
        return rows
    day = pa.scalar(pd.Timestamp(as_of).date(), pa.date32())
    return rows.filter(pc.less_equal(rows["vintage"], day))


def _period_starts(rows: pa.Table) -> np.ndarray:
    """True where a row begins another indicator and period.

    The store is sorted by indicator, period, vintage and source (``model.SORT``), so the rows of
    one indicator and period follow each other, oldest vintage first: no sort is needed to find
    the newest or the revised, whatever the size of the store.
    """
    n = rows.num_rows
    starts = np.ones(n, dtype=bool)
    if n < 2:
        return starts
    starts[1:] = False
    for col in ("indicator_id", "period_end", "period_start"):
        column = rows[col]
        differs = pc.fill_null(pc.not_equal(column.slice(1), column.slice(0, n - 1)), True)
        starts[1:] |= differs.to_numpy(zero_copy_only=False)
    return starts


def _newest(rows: pa.Table) -> pa.Table:
    """Of each indicator and period, the row of the newest vintage: the last of its run."""
    rows = rows.combine_chunks()
    last = np.append(_period_starts(rows)[1:], True) if rows.num_rows else np.zeros(0, dtype=bool)
    return rows.filter(pa.array(last))


def _revised(rows: pa.Table) -> pa.Table:
    """The rows of each indicator and period whose value differs between vintages, with
    ``previous_value``: the value of the row before in the same period (missing for the first)."""
    rows = rows.combine_chunks()
    starts = _period_starts(rows)
    value = rows["value"].to_numpy(zero_copy_only=False).astype(float)
    previous = np.append(np.nan, value[:-1]) if len(value) else value
    previous[starts] = np.nan
    same = (value == previous) | (np.isnan(value) & np.isnan(previous))  # a missing value is a value too
    run = np.cumsum(starts) - 1
    changed = np.zeros(int(starts.sum()), dtype=bool)
    changed[run[~starts & ~same]] = True
    keep = changed[run]
    return rows.filter(pa.array(keep)).append_column("previous_value", pa.array(previous[keep]))


def _frame(rows: pa.Table) -> pd.DataFrame:
    frame = rows.to_pandas(date_as_object=False)
    for col in ("period_start", "period_end", "vintage"):
        if frame[col].dtype != "datetime64[ms]":
            frame[col] = frame[col].astype("datetime64[ms]")
    return frame


class PerValue(dict):
    """Metadata per period of a store series (``Series.attrs["status"]`` and the like): read-only.

    pandas deep-copies ``attrs`` on every operation on a Series (a slice, an arithmetic step, a
    comparison); for dicts of every period's metadata that costs more than the operation. This
    mapping cannot be changed, so a copy of it is itself: copying ``attrs`` costs a few dict
    entries whatever the length of the series. It is a ``dict`` for everything that reads it.
    """

    __slots__ = ()

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):  # pickles as itself, without going through the blocked __setitem__
        return (type(self), (dict(self),))

    def _read_only(self, *args, **kwargs):
        raise TypeError("a store series' per-value metadata is read-only; copy it with dict(...) to change it")

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only


def series_from_rows(rows: pd.DataFrame) -> pd.Series:
    """A value Series indexed by period end, with per-value metadata in ``attrs`` (see Store.series)."""
    if not rows["period_end"].is_monotonic_increasing:
        rows = rows.sort_values("period_end", kind="stable")
    index = pd.DatetimeIndex(rows["period_end"], name="period_end")
    series = pd.Series(rows["value"].to_numpy(), index=index, name=rows["indicator_id"].iloc[0])
    dates = list(index)

    def per_value(col):
        return PerValue(zip(dates, rows[col].tolist()))

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
