"""Provenance: one record per publication, kept as YAML beside the document it describes.

``data/sources/<name>.source.yml`` says what a document is (title, publisher, publication date,
URL, kamerstuk, licence, sha256) and which reader reads it. The vintage of its figures is the
date it was published; where only a month or year is known, the last day of it, so that "as
published on D" never shows a figure before it could have been read.
"""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
import unicodedata
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import DataError
from .files import atomic_write_bytes

READERS = ("letter_text", "cbs_statline_text", "csv", "press_release_csv", "html", "docx")
MANIFEST_SUFFIX = ".source.yml"


class StatusOverride(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    indicator_id: str
    period: str
    status: str
    reason: str


class SourceRecord(BaseModel):
    """A published document (or, in a compilation, one publication cited in it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    source_id: str
    title: str
    publisher: str
    published: str  # as stated: "juni 2026", "2023-03", "2025"
    vintage: dt.date
    url: str | None = None
    kamerstuk: str | None = None
    licence: str | None = None
    sha256: str
    file: str
    reader: Literal[READERS] = "letter_text"  # type: ignore[valid-type]
    table: str | None = None
    status: str = "definitief"  # the status of a value the document does not mark otherwise
    note: str | None = None
    status_overrides: list[StatusOverride] = []

    def public(self) -> dict:
        """The fields a reader of a chart needs (no reader settings), JSON-ready."""
        data = self.model_dump(mode="json", exclude={"reader", "status_overrides", "table", "status"})
        return dict(sorted(data.items()))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def vintage_from_published(text: str) -> dt.date:
    """The vintage for a stated publication date: the day, or the last day of the month or year."""
    s = text.strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s):
        return dt.date(*map(int, m.groups()))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", s):
        y, mo = map(int, m.groups())
        return dt.date(y, mo, calendar.monthrange(y, mo)[1])
    if re.fullmatch(r"\d{4}", s):
        return dt.date(int(s), 12, 31)
    raise ValueError(f"publication date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")


def slug(text: str, limit: int = 64) -> str:
    """A file- and URL-safe id from a text, cut at a word boundary."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(text) > limit:
        text = text[:limit].rsplit("-", 1)[0]
    return text


def read_manifest(path: Path) -> SourceRecord:
    """One provenance record, checked against the document it describes."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        record = SourceRecord.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        raise DataError(f"not a valid provenance record: {exc}", file=path) from None
    document = path.parent / record.file
    if not document.exists():
        raise DataError(f"the document {record.file!r} it describes is missing", file=path)
    actual = sha256_of(document)
    if actual != record.sha256:
        raise DataError(
            f"{record.file} has sha256 {actual}, the record says {record.sha256}: a published source must not change",
            file=path,
        )
    return record


def read_manifests(sources_dir: Path) -> list[SourceRecord]:
    """Every provenance record in a folder, oldest vintage first (the order a build applies them)."""
    records = [read_manifest(p) for p in sorted(sources_dir.glob(f"*{MANIFEST_SUFFIX}"))]
    ids = [r.source_id for r in records]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise DataError(f"source ids used twice: {', '.join(duplicates)}", file=sources_dir)
    return sorted(records, key=lambda r: (r.vintage, r.source_id))


def write_manifest(record: SourceRecord, sources_dir: Path) -> Path:
    """Write a record atomically as ``<source_id>.source.yml``."""
    data = record.model_dump(mode="json", exclude_defaults=False)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    path = sources_dir / f"{record.source_id}{MANIFEST_SUFFIX}"
    atomic_write_bytes(path, text.encode("utf-8"))
    return path
