"""The tidy data model every layer shares: one observation per row.

See ARCHITECTURE.md ("Data model"). The column order, types and allowed statuses are declared here
once; the store, the readers and the exports all use them.
"""
from __future__ import annotations

import pyarrow as pa

COLUMNS = (
    "table_id",
    "indicator_id",
    "period_start",
    "period_end",
    "value",
    "unit",
    "status",
    "rounded_to",
    "vintage",
    "source_id",
)

SCHEMA = pa.schema(
    [
        ("table_id", pa.string()),
        ("indicator_id", pa.string()),
        ("period_start", pa.date32()),
        ("period_end", pa.date32()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("status", pa.string()),
        ("rounded_to", pa.int64()),
        ("vintage", pa.date32()),
        ("source_id", pa.string()),
    ]
)

# Statuses as CBS uses them. The last three explain a missing (or nil) value.
STATUSES = (
    "definitief",
    "voorlopig",
    "nader voorlopig",
    "herzien",
    "onbekend",
    "geheim",
    "nihil",
)
MISSING_STATUSES = ("onbekend", "geheim")

# The key of one observation: a publication states one value per indicator and period.
KEY = ("indicator_id", "period_start", "period_end", "vintage", "source_id")
# Sort order of the store on disk; also what makes a build byte-for-byte repeatable.
SORT = ("table_id", "indicator_id", "period_end", "period_start", "vintage", "source_id")
