"""The interfaces sources implement, and the batches of normalized rows they emit.

A source only reads files (or the network) and emits records; it never gets a write connection
and never imports the store. Two shapes of output:

- `Source.read(sources_dir) -> Batch`: rows for the store's fact tables (Epoch, Interconnects,
  Arena), written by `store.ingest` in one transaction.
- `HubSource.batches() -> Iterator[HubBatch]`: Hub model records, one JSON document (or one
  row of typed columns) each, with its row number in its file; written by `store.hub`, which
  parses them set-based in DuckDB.

`store.pipeline` runs fetch (a source) -> stage -> load -> rebuild of the derived tables.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from robinet.errors import InputDataError

if TYPE_CHECKING:
    import pyarrow as pa

# A physical line (or a CSV field) longer than this is kept out with a warning naming it: the
# Hub's largest model records are a few MB (a long `siblings` list), and a reader holds at most
# this much of one line in memory.
MAX_LINE_BYTES = 16 << 20


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


@dataclass(frozen=True)
class HubBatch:
    """A slice of one file's Hub model records, in file order.

    `rows` are the row (line) numbers of the records in `file` (None: records that come from no
    file, such as a page of a live sync). Each record is either one JSON document in `docs`
    (JSON Lines, API pages) or one row of the typed `columns` (a Parquet dump); the loader
    turns columns into documents itself. `warnings` are the records kept out while reading
    (a line over the size cap, bytes that are not UTF-8, a gzip stream cut short).
    """

    file: str | None
    rows: pa.Array  # int64
    docs: pa.Array | pa.ChunkedArray | None = None  # string, one JSON document per row
    columns: pa.Table | None = None
    warnings: tuple[ImportWarning, ...] = ()

    def __len__(self) -> int:
        return len(self.rows)


class HubSource(Protocol):
    """Hub model records from one origin (a dump file, a sample, a page of the live Hub)."""

    def batches(self) -> Iterator[HubBatch]:
        """The records in order, in batches; raises InputDataError when the input is unusable."""
        ...


def provenance(info: SourceInfo, file: str, row: int | None) -> dict[str, Any]:
    """The provenance columns every fact row carries."""
    return {"source": info.name, "file": file, "row": row, "retrieved_at": info.retrieved_at}


def csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, row) for a CSV file; row 1 is the first data row after the header.

    Lines starting with '#' before the header are comments (Interconnects' corrections file).
    A byte that is not UTF-8, or a field over the size cap, is an InputDataError naming the
    file and row: these are the repo's own copies of the sources, so a damaged copy is refused
    rather than imported in part.
    """
    import csv

    csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE_BYTES))
    number = 0
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            lines = (line for line in handle if not line.startswith("#"))
            for number, row in enumerate(csv.DictReader(lines), start=1):
                yield number, row
    except UnicodeDecodeError as exc:
        raise InputDataError(
            f"not valid UTF-8 ({exc.reason}) after data row {number}", file=str(path)
        ) from exc
    except csv.Error as exc:
        raise InputDataError(
            f"not a readable CSV file: {exc}", file=str(path), row=number + 1
        ) from exc


def hub_batches(
    items: Iterable[tuple[int, Any] | ImportWarning], file: str | None, batch_rows: int
) -> Iterator[HubBatch]:
    """(row, record) items as batches of JSON documents, with the warnings among them."""
    import pyarrow as pa

    rows: list[int] = []
    docs: list[str] = []
    warnings: list[ImportWarning] = []

    def flush() -> HubBatch:
        batch = HubBatch(
            file,
            pa.array(rows, pa.int64()),
            docs=pa.array(docs, pa.large_string()),
            warnings=tuple(warnings),
        )
        rows.clear()
        docs.clear()
        warnings.clear()
        return batch

    for item in items:
        if isinstance(item, ImportWarning):
            warnings.append(item)
            continue
        number, record = item
        try:
            doc = json.dumps(record, default=str)
        except (TypeError, ValueError, RecursionError):
            doc = repr(record)  # not JSON: reported as a row that is not a JSON object
        rows.append(number)
        docs.append(doc)
        if len(rows) >= batch_rows:
            yield flush()
    if rows or warnings:
        yield flush()
