"""Opening the store, transactions, and small query helpers."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import platformdirs

from robinet.errors import StoreError
from robinet.store.schema import SCHEMA_VERSION, TABLES

ENV_DB = "ROBINET_DB"


def default_db_path() -> Path:
    """`$ROBINET_DB`, else robinet.duckdb in the user's data directory."""
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path("robinet") / "robinet.duckdb"


class Store:
    """A DuckDB connection holding robinet's tables."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None) -> None:
        # DuckDB draws progress bars on stdout for long queries: that would corrupt --json.
        con.execute("SET enable_progress_bar = false")
        self.con = con
        self.path = path
        self._in_transaction = False

    @classmethod
    def memory(cls) -> Store:
        store = cls(duckdb.connect(":memory:"), None)
        store.ensure_schema()
        return store

    @classmethod
    def open(cls, path: Path | str, *, read_only: bool = False) -> Store:
        path = Path(path)
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"the store {path} is in use by another process that is writing to it",
                    hint="wait for it to finish (an import or a sync), or pass another --db PATH",
                ) from exc
            raise StoreError(
                f"cannot open the store {path}: {exc}",
                hint="pass another --db PATH; if the file is damaged, move it away and robinet "
                "starts a new store from the bundled snapshot",
            ) from exc
        store = cls(con, path)
        if read_only:
            store.check_schema()
        else:
            store.ensure_schema()
        return store

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        for ddl in TABLES.values():
            self.con.execute(ddl)
        if self.meta("schema_version") is None:
            self.set_meta("schema_version", str(SCHEMA_VERSION))
        self.check_schema()

    def check_schema(self) -> None:
        try:
            version = self.meta("schema_version")
        except duckdb.CatalogException:
            version = None
        if version is None or int(version) != SCHEMA_VERSION:
            raise StoreError(
                f"the store {self.path} has schema version {version}, "
                f"this robinet expects {SCHEMA_VERSION}",
                hint="pass another --db PATH, or move the file away: robinet then starts a new "
                "store from the bundled snapshot (data you synced into it is not carried over)",
            )

    def meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def count(self, table: str) -> int:
        if table not in TABLES:
            raise StoreError(f"unknown table {table!r}")
        row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0

    def count_where(self, table: str, where: str, params: Sequence[Any]) -> int:
        if table not in TABLES:
            raise StoreError(f"unknown table {table!r}")
        row = self.con.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()
        return int(row[0]) if row else 0

    def is_empty(self) -> bool:
        return self.count("sources") == 0 and self.count("models") == 0

    # -- transactions ---------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """All or nothing: on any exception the store is left as it was before."""
        if self._in_transaction:  # nested: the outer transaction decides
            yield self
            return
        self.con.begin()
        self._in_transaction = True
        try:
            yield self
        except BaseException:
            self.con.rollback()
            raise
        else:
            self.con.commit()
        finally:
            self._in_transaction = False

    # -- queries --------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[dict]:
        """Run `sql` and return rows as dicts (column name -> value)."""
        cur = self.con.execute(sql, params or [])
        names = [d[0] for d in cur.description or []]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        row = self.con.execute(sql, params or []).fetchone()
        return None if row is None else row[0]


def open_store(
    path: Path | str | None = None, *, seed: bool = True, read_only: bool = False
) -> Store:
    """Open the store at `path` (default: `default_db_path()`).

    A store that holds no data yet is first seeded from the snapshot bundled with the package,
    so every command works offline on a fresh install. Read-only stores can be opened by many
    processes at once (several `robinet check` gates in one CI job).
    """
    path = Path(path or default_db_path())
    if read_only and path.exists():
        store = Store.open(path, read_only=True)
        if not (seed and store.is_empty()):
            return store
        store.close()
    store = Store.open(path)
    if seed and store.is_empty():
        from robinet.store.snapshot import load_bundled

        load_bundled(store)
    if read_only:
        store.close()
        store = Store.open(path, read_only=True)
    return store
