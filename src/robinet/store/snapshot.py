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
        # Sorted by every column so that a rebuild from the same sources is byte-stable.
        store.con.execute(
            f"COPY (SELECT * FROM {table} ORDER BY ALL) TO '{target}' "
            "(FORMAT PARQUET, COMPRESSION ZSTD)"
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
            store.con.execute(
                f"INSERT INTO {table} BY NAME "
                f"SELECT * FROM read_parquet('{snapshot_dir / (table + '.parquet')}')"
            )
            counts[table] = store.count(table)
        record_snapshot(store, kind=kind, source=None, counts=counts)
    return counts


def load_bundled(store: Store) -> dict[str, int]:
    return load_snapshot(store, bundled_dir())


def record_snapshot(store: Store, *, kind: str, source: str | None, counts: dict) -> int:
    """Append one row to the `snapshots` history; returns its id."""
    next_id = int(store.scalar("SELECT coalesce(max(id), 0) + 1 FROM snapshots"))
    store.con.execute(
        "INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?)",
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
