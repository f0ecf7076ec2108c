"""From a reader's cells to validated observations, using the catalog's meaning.

This is where a row label becomes an indicator, a header a period and a cell a value with its
status; and where everything that can be wrong with a published table is checked, each problem
reported with the file, table, row and cell it is in.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog
from .errors import DataError
from .model import STATUSES
from .parsing import Period, mixed_formats_message, number_format_of, parse_number, parse_period
from .readers.base import RawTable, RawValue

# Status words seen in published CSVs that state no status of their own.
_NO_STATUS = {"", "niet vermeld", "n.v.t.", "nvt", "unknown", "not stated"}


@dataclass
class Observation:
    """One extracted value, before it is given its vintage and source."""

    table_id: str
    indicator_id: str
    period: Period
    value: float
    unit: str
    status: str
    rounded_to: int
    citation: dict | None = None


@dataclass
class Extraction:
    """What a document holds: observations per table, and the tables it skipped."""

    observations: list[Observation] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # tables that are not in the catalog
    notes: dict[str, list[str]] = field(default_factory=dict)  # footnotes per table id


def extract(tables: list[RawTable], catalog: Catalog, file: Path | str, default_status: str = "definitief") -> Extraction:
    """Validated observations from the raw tables of one document.

    Raises
    ------
    DataError
        On the first problem: unknown label, bad period, non-numeric or negative count, duplicate
        period, or a table in the catalog that yields no values.
    """
    result = Extraction()
    for raw in tables:
        titled = raw.table_id or catalog.match_table(raw.title)
        table_id = titled or _table_from_labels(raw, catalog)
        if raw.problem is not None:
            if table_id is None:  # not a table we know: what is wrong with it does not matter here
                result.skipped.append(f"{raw.full_name}: {raw.problem.message}")
                continue
            raise raw.problem
        if table_id is None and not raw.long_form:
            result.skipped.append(raw.full_name)
            continue
        if table_id is not None and table_id not in catalog.tables:
            raise DataError(f"unknown table id {table_id!r}", file=file, table=raw.name)
        number_format = raw.number_format or _number_format(raw, file)
        seen: dict[tuple[str, Period], RawValue] = {}
        for item in raw.values:
            obs = _observation(item, raw, titled, catalog, file, number_format, default_status)
            key = (obs.indicator_id, obs.period)
            if key in seen:
                raise _duplicate(item, seen[key], obs, raw, file)
            seen[key] = item
            result.observations.append(obs)
        if raw.notes and table_id:
            result.notes.setdefault(table_id, []).extend(raw.notes)
    return result


def _duplicate(item: RawValue, first: RawValue, obs: Observation, raw: RawTable, file) -> DataError:
    """Two cells for one indicator and period: a repeated period or a repeated row (or column)."""
    same_row = item.row == first.row
    if raw.long_form:
        message = f"duplicate value: {obs.indicator_id} for {item.period.text!r} is also on {first.row}"
    elif same_row != raw.periods_in_rows:  # across one row runs the periods when they are columns
        message = (f"duplicate period: {item.period.text!r} is the same period as {first.period.text!r}"
                   f" ({first.cell if same_row else first.row})")
    else:
        what = "column" if raw.periods_in_rows else "row"
        message = (f"duplicate {what}: {item.label.text!r} is the same indicator ({obs.indicator_id}) "
                   f"as {first.row if not same_row else first.cell}")
    return DataError(message, file=file, table=raw.full_name, row=item.row, cell=item.cell, line=item.value.line)


def _table_from_labels(raw: RawTable, catalog: Catalog) -> str | None:
    """A table without a known title is the table its row labels belong to, if they agree."""
    found = set()
    for item in raw.values:
        ind = item.label.text if item.label.text in catalog.indicators else catalog.match_indicator(item.label.text)
        if ind:
            found.add(catalog.indicators[ind].table)
    return found.pop() if len(found) == 1 else None


def _number_format(raw: RawTable, file) -> str:
    """The table's number format, from the cells that show one (see ``parsing.number_format_of``).

    Cells that can only be Dutch decide over cells that lean either way; a table with both
    kinds of the same strength mixes formats and is refused, naming the later of the two cells.
    """
    certain: dict[str, RawValue] = {}
    leaning: dict[str, RawValue] = {}
    for item in raw.values:
        fmt, sure = number_format_of(item.value.text)
        if fmt:
            (certain if sure else leaning).setdefault(fmt, item)
    for found in (certain, leaning):
        if len(found) == 2:
            nl, en = found["nl"], found["en"]
            later, other = (en, nl) if raw.values.index(en) > raw.values.index(nl) else (nl, en)
            raise DataError(f"{mixed_formats_message(nl.value.text, en.value.text)} (the other is in {other.row}, {other.cell})",
                            file=file, table=raw.full_name, row=later.row, cell=later.cell, line=later.value.line)
        if found:
            return next(iter(found))
    return "nl"


def _observation(item: RawValue, raw: RawTable, table_id, catalog: Catalog, file, number_format, default_status) -> Observation:
    """One value; ``table_id`` is the table the title named (labels must be in it), else None."""
    def fail(message, cell=True):
        return DataError(message, file=file, table=raw.full_name, row=item.row,
                         cell=item.cell if cell else None, line=item.value.line if cell else item.label.line)

    label = item.label.text
    indicator_id = label if label in catalog.indicators else catalog.match_indicator(label, table_id)
    if indicator_id is not None and table_id and catalog.indicators[indicator_id].table != table_id:
        indicator_id = None
    if indicator_id is None:
        hint = catalog.suggest_indicator(label, table_id)
        raise fail(
            f"unknown row label {label!r}" + (f" for table {table_id}" if table_id else "")
            + (f" (did you mean {hint!r}? add an alias in data/catalog.yml if it is the same indicator)" if hint
               else " (add it, or an alias, to data/catalog.yml)"),
            cell=False,
        )
    indicator = catalog.indicators[indicator_id]
    table = catalog.tables[indicator.table]
    try:
        period = parse_period(item.period.text)
    except ValueError as exc:
        in_header = not (raw.long_form or raw.periods_in_rows)  # the period is a column's header cell
        raise DataError(str(exc), file=file, table=raw.full_name, row="header" if in_header else item.row,
                        cell=item.cell if in_header else f"period {item.period.text!r}",
                        line=item.period.line) from None
    if table.frequency == "snapshot" and not period.is_snapshot:
        raise fail(f"period {item.period.text!r} is a year, but {table.id} holds snapshots on a date")
    if table.frequency == "year" and period.is_snapshot:
        raise fail(f"period {item.period.text!r} is a date, but {table.id} holds year totals")
    try:
        value, marker = parse_number(item.value.text, number_format)
    except ValueError as exc:
        raise fail(str(exc)) from None
    if indicator.unit == "count" and not math.isnan(value):
        if value < 0:
            raise fail(f"negative count {item.value.text!r}")
        if value != int(value):
            raise fail(f"{item.value.text!r} is not a whole number, but {indicator_id} is a count")
    stated = (item.status or "").strip().lower()
    if stated in _NO_STATUS:
        stated = ""
    elif stated not in STATUSES:
        raise fail(f"unknown status {item.status!r} (use one of: {', '.join(STATUSES)})")
    status = marker or stated or ("voorlopig" if period.provisional else default_status)
    rounded_to = item.rounded_to or 1
    if rounded_to < 1:
        raise fail(f"rounded_to must be 1 or more, not {rounded_to}")
    return Observation(
        table_id=indicator.table,
        indicator_id=indicator_id,
        period=period,
        value=value,
        unit=indicator.unit,
        status=status,
        rounded_to=rounded_to,
        citation=item.citation,
    )
