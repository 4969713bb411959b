"""The interface every source implements, and the batch of normalized rows it returns.

A source only reads files (or the network) and emits rows for the store's fact tables; it never
writes to the store. `store.ingest` writes a batch in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True)
class SourceInfo:
    """What `robinet sources` shows about a source, and the provenance of every row from it."""

    name: str  # e.g. 'epoch-notable'
    title: str
    origin: str  # repository or URL
    version: str  # commit of the origin the copy was taken from
    license: str
    attribution: str
    files: tuple[str, ...]  # paths relative to the sources directory
    retrieved_at: dt.datetime  # when the copy was taken from the origin


@dataclass(frozen=True)
class ImportWarning:
    """A row kept out (or a field dropped), with where it came from."""

    file: str
    row: int | None
    message: str
    field: str | None = None


@dataclass
class Batch:
    """Normalized rows for the store's fact tables, plus what was kept out."""

    info: SourceInfo
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    warnings: list[ImportWarning] = field(default_factory=list)
    rows_read: int = 0

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.rows.setdefault(table, []).append(row)

    def warn(self, file: str, row: int | None, message: str, field: str | None = None) -> None:
        self.warnings.append(ImportWarning(file, row, message, field))

    @property
    def rows_rejected(self) -> int:
        """Source rows kept out entirely (warnings about a dropped field do not count)."""
        return sum(1 for w in self.warnings if w.field is None)


class Source(Protocol):
    info: SourceInfo

    def read(self, sources_dir: Path) -> Batch:
        """Read this source's files under `sources_dir` into a batch."""
        ...


def provenance(info: SourceInfo, file: str, row: int | None) -> dict[str, Any]:
    """The provenance columns every fact row carries."""
    return {"source": info.name, "file": file, "row": row, "retrieved_at": info.retrieved_at}


def csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, row) for a CSV file; row 1 is the first data row after the header.

    Lines starting with '#' before the header are comments (Interconnects' corrections file).
    """
    import csv

    with path.open(newline="", encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        reader = csv.DictReader(lines)
        yield from enumerate(reader, start=1)
