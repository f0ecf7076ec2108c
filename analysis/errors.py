"""Errors that name exactly what was wrong and where."""
from __future__ import annotations


class DataError(ValueError):
    """Bad input: names the file, table, row and cell where the problem is.

    Parameters are all optional except the message; ``str(error)`` joins the ones given, so a
    message reads like ``letter.txt, Tabel 1, row 3 'Aantal aangiftes', cell 4 (line 312): ...``.
    """

    def __init__(self, message: str, *, file=None, table=None, row=None, cell=None, line=None):
        self.message = message
        self.file = None if file is None else str(file)
        self.table = table
        self.row = row
        self.cell = cell
        self.line = line
        super().__init__(str(self))

    def where(self) -> str:
        parts = [p for p in (self.file, self.table, self.row, self.cell) if p]
        place = ", ".join(str(p) for p in parts)
        if self.line:
            place += f" (line {self.line})" if place else f"line {self.line}"
        return place

    def __str__(self) -> str:
        place = self.where()
        return f"{place}: {self.message}" if place else self.message

    def as_dict(self) -> dict:
        return {
            "message": self.message,
            "file": self.file,
            "table": self.table,
            "row": self.row,
            "cell": self.cell,
            "line": self.line,
        }


class CatalogError(ValueError):
    """The catalog itself is inconsistent (a programming or editing error, not bad input)."""
