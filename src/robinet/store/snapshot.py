"""The bundled snapshot: every table as a Parquet file shipped inside the package.

`export_snapshot` writes it (run by `robinet snapshot build` from the repo's copies of the
sources); `load_bundled` seeds an empty store from it, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib.resources import files
from pathlib import Path

from robinet import __version__
from robinet.errors import StoreError
from robinet.store.db import Store
from robinet.store.schema import TABLES

# Tables that are data (meta holds the schema version and is never exported).
DATA_TABLES = [name for name in TABLES if name != "meta"]


def bundled_dir() -> Path:
    return Path(str(files("robinet") / "data" / "snapshot"))


def export_snapshot(store: Store, out_dir: Path) -> dict[str, int]:
    """Write every data table of `store` to `out_dir/<table>.parquet`; return row counts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for table in DATA_TABLES:
        target = out_dir / f"{table}.parquet"
        # Sorted by every column so that a rebuild from the same sources is byte-stable. The
        # table name comes from the schema; the path is bound, never pasted into the SQL.
        store.con.execute(
            f"COPY (SELECT * FROM {table} ORDER BY ALL) TO ? (FORMAT PARQUET, COMPRESSION ZSTD)",
            [str(target)],
        )
        counts[table] = store.count(table)
    (out_dir / "MANIFEST.json").write_text(
        json.dumps({"robinet_version": __version__, "counts": counts}, indent=2, sort_keys=True)
        + "\n"
    )
    return counts


def load_snapshot(store: Store, snapshot_dir: Path, *, kind: str = "bundled") -> dict[str, int]:
    """Replace the store's data with the Parquet tables in `snapshot_dir`, atomically."""
    # A table added after the snapshot was built simply starts empty.
    present = [t for t in DATA_TABLES if (snapshot_dir / f"{t}.parquet").exists()]
    if "releases" not in present:
        raise StoreError(
            f"no snapshot in {snapshot_dir}",
            hint="rebuild it with `robinet snapshot build` from a clone of the repository",
        )
    counts: dict[str, int] = {}
    with store.transaction():
        for table in DATA_TABLES:
            store.con.execute(f"DELETE FROM {table}")
            if table not in present:
                counts[table] = 0
                continue
            _insert_parquet(store, table, snapshot_dir / f"{table}.parquet")
            counts[table] = store.count(table)
        record_snapshot(store, kind=kind, source=None, counts=counts)
    return counts


def _insert_parquet(store: Store, table: str, path: Path) -> None:
    """Append the rows of one Parquet file to `table` (a schema table), by column name.

    The file is opened by pyarrow from a file object, not by DuckDB from its name: DuckDB
    reads a name with `*`, `?` or `[` as a pattern, and the snapshot folder is the user's.
    """
    import pyarrow.parquet as pq

    if table not in TABLES:
        raise StoreError(f"unknown table {table!r}")
    try:
        with path.open("rb") as handle:
            rows = pq.read_table(handle)
    except (OSError, ValueError) as exc:
        raise StoreError(f"cannot read the snapshot table {path}: {exc}") from exc
    store.con.register("_snapshot_rows", rows)
    try:
        store.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _snapshot_rows")
    finally:
        store.con.unregister("_snapshot_rows")


def load_bundled(store: Store) -> dict[str, int]:
    return load_snapshot(store, bundled_dir())


def record_snapshot(store: Store, *, kind: str, source: str | None, counts: dict) -> int:
    """Append one row to the `snapshots` history; returns its id."""
    next_id = int(store.scalar("SELECT coalesce(max(id), 0) + 1 FROM snapshots"))
    store.con.execute(
        "INSERT INTO snapshots (id, created_at, kind, source, robinet_version, counts) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            next_id,
            dt.datetime.now(dt.UTC).replace(tzinfo=None),
            kind,
            source,
            __version__,
            json.dumps(counts, sort_keys=True),
        ],
    )
    return next_id
