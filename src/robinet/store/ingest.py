"""The loader of the fact-table sources (Epoch, Interconnects, Arena): a source's batch written
all or nothing (store/pipeline.py), with provenance and history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from robinet.errors import StoreError
from robinet.sources.base import Batch, SourceInfo
from robinet.store import pipeline
from robinet.store.db import Store
from robinet.store.schema import TABLES
from robinet.store.snapshot import record_snapshot

# Fact tables a source may write; each has a `source` column naming the source of every row.
FACT_TABLES = (
    "release_facts",
    "capability_scores",
    "arena_entries",
    "org_regions",
    "models",
    "edges",
    "license_refs",
    "openness_evidence",  # a source's quoted evidence (Epoch AI's notes; Hub cards load apart)
)
_DATE_COLUMNS = {
    "release_facts": "date",
    "capability_scores": "date",
    "arena_entries": "snapshot_date",
}


@dataclass(frozen=True)
class IngestResult:
    source: str
    rows_read: int
    rows_imported: dict[str, int]
    rows_rejected: int
    warning_count: int  # the warnings themselves are in import_warnings, with locations


def insert_rows(store: Store, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert dicts into `table` by column name (columns not given stay NULL)."""
    if table not in TABLES:
        raise StoreError(f"unknown table {table!r}")
    if not rows:
        return
    # Registered by name, not found by DuckDB's replacement scan of the caller's locals: the
    # store's connection wrapper (store/db.py) is a frame in between.
    store.con.register("_ingest_rows", pa.Table.from_pylist(rows))
    try:
        store.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _ingest_rows")
    finally:
        store.con.unregister("_ingest_rows")


def ingest(store: Store, batch: Batch, *, merge: bool = True) -> IngestResult:
    """Replace everything `batch.info.name` contributed with `batch`, in one transaction.

    Derived tables (releases, organizations) are rebuilt in the same transaction, so a failure
    anywhere leaves the store exactly as it was.
    """
    info = batch.info
    unknown = set(batch.rows) - set(FACT_TABLES)
    if unknown:
        raise StoreError(f"source {info.name} emitted rows for unknown tables {sorted(unknown)}")
    result, _ = pipeline.run(
        store, load=lambda: _write(store, batch), rebuild=_rebuild_derived if merge else None
    )
    return result


def _rebuild_derived(store: Store) -> None:
    from robinet.store import merge  # looked up at call time: tests replace it

    merge.rebuild_derived(store)


def _write(store: Store, batch: Batch) -> IngestResult:
    """Every fact row of `batch` (the source's earlier rows deleted), its sources row and its
    snapshot entry; in the caller's transaction."""
    info = batch.info
    for table in FACT_TABLES:
        store.con.execute(f"DELETE FROM {table} WHERE source = ?", [info.name])
    store.con.execute("DELETE FROM import_warnings WHERE source = ?", [info.name])
    for table, rows in batch.rows.items():
        insert_rows(store, table, rows)
    insert_rows(
        store,
        "import_warnings",
        [
            {
                "source": info.name,
                "file": w.file,
                "row": w.row,
                "field": w.field,
                "message": w.message,
            }
            for w in batch.warnings
        ],
    )
    dates = [
        row[_DATE_COLUMNS[table]]
        for table, rows in batch.rows.items()
        if table in _DATE_COLUMNS
        for row in rows
        if row.get(_DATE_COLUMNS[table]) is not None
    ]
    imported = {table: len(rows) for table, rows in batch.rows.items()}
    result = IngestResult(
        source=info.name,
        rows_read=batch.rows_read,
        rows_imported=imported,
        rows_rejected=batch.rows_rejected,
        warning_count=len(batch.warnings),
    )
    record_source(store, info, result, dates=dates)
    record_snapshot(store, kind="import", source=info.name, counts=imported)
    return result


def record_source(
    store: Store,
    info: SourceInfo,
    result: IngestResult,
    *,
    dates: list[dt.date] | None = None,
    date_column: tuple[str, str] | None = None,
) -> None:
    """Write (or replace) the `sources` row of one import: counts, dates covered, license.

    The dates covered are `dates`, or the range of `date_column` (table, column) over the rows
    this source wrote.
    """
    date_min = date_max = None
    if dates:
        date_min, date_max = min(dates), max(dates)
    elif date_column:
        table, column = date_column
        if table not in TABLES or not column.isidentifier():
            raise StoreError(f"unknown table or column {table!r}.{column!r}")
        row = store.con.execute(
            f"SELECT min({column})::DATE, max({column})::DATE FROM {table} WHERE source = ?",
            [info.name],
        ).fetchone()
        date_min, date_max = row if row else (None, None)
    store.con.execute("DELETE FROM sources WHERE name = ?", [info.name])
    store.con.execute(
        "INSERT INTO sources (name, title, origin, version, license, attribution, files, "
        "retrieved_at, imported_at, rows_read, rows_imported, rows_rejected, date_min, date_max) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            info.name,
            info.title,
            info.origin,
            info.version,
            info.license,
            info.attribution,
            list(info.files),
            info.retrieved_at,
            dt.datetime.now(dt.UTC).replace(tzinfo=None),
            result.rows_read,
            # Source rows kept (one row may feed several tables: see `snapshots.counts`).
            result.rows_read - result.rows_rejected,
            result.rows_rejected,
            date_min,
            date_max,
        ],
    )
