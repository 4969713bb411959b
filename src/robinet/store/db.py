"""Opening the store, transactions, and small query helpers."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import duckdb
import platformdirs

from robinet.errors import StoreError
from robinet.store.macros import SLUG_MARK, install_macros, install_slug
from robinet.store.schema import SCHEMA_VERSION, TABLES

ENV_DB = "ROBINET_DB"


def default_db_path() -> Path:
    """`$ROBINET_DB`, else robinet.duckdb in the user's data directory."""
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path("robinet") / "robinet.duckdb"


class _Connection:
    """A DuckDB connection that installs the slug UDF on the first statement using it."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self._slug = False

    def _prepare(self, sql: str) -> None:
        if not self._slug and SLUG_MARK in sql:
            # A result left unread blocks registering a function; the statement about to run
            # would discard it anyway.
            self._con.abort()
            install_slug(self._con)
            self._slug = True

    def execute(self, query: str, parameters: object = None) -> duckdb.DuckDBPyConnection:
        self._prepare(query)
        return self._con.execute(query, parameters)

    def executemany(self, query: str, parameters: object = None) -> duckdb.DuckDBPyConnection:
        self._prepare(query)
        return self._con.executemany(query, parameters)

    def register(self, name: str, data: object) -> duckdb.DuckDBPyConnection:
        # DuckDB 2 refuses to register while a result is unread (a `fetchone` leaves the rest);
        # no caller reads past a registration, so the pending result is closed first.
        self._con.abort()
        return self._con.register(name, data)

    def sql(self, query: str, **kwargs: Any) -> duckdb.DuckDBPyRelation:
        self._prepare(query)
        return self._con.sql(query, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


class Store:
    """A DuckDB connection holding robinet's tables."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None) -> None:
        # DuckDB draws progress bars on stdout for long queries: that would corrupt --json.
        con.execute("SET enable_progress_bar = false")
        install_macros(con)  # the domain rules SQL uses (robinet.store.macros)
        # Typed as the connection it wraps: every method is the connection's own.
        self.con = cast(duckdb.DuckDBPyConnection, _Connection(con))
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
            _check_writable(path)
        try:
            # Never fetch code at run time: a SQLite (or other) file given as --db must not make
            # DuckDB download and load a scanner extension.
            con = duckdb.connect(str(path), read_only=read_only, config=_CONFIG)
        except duckdb.Error as exc:
            raise _open_error(path, exc) from exc
        store = cls(con, path)
        try:
            if read_only:
                store.check_schema()
            else:
                store.ensure_schema()
        except duckdb.Error as exc:
            store.close()
            raise _open_error(path, exc) from exc
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


_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


def _check_writable(path: Path) -> None:
    """Fail before any work when the store cannot be written, naming what is wrong."""
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the folder {parent} for the store: {exc.strerror or exc}",
            hint="pass another --db PATH (or set ROBINET_DB) in a folder you can write to",
        ) from exc
    if path.exists() and not path.is_file():
        raise StoreError(
            f"the store path {path} is not a file", hint="pass a file path as --db PATH"
        )
    if not os.access(path if path.exists() else parent, os.W_OK):
        raise StoreError(
            f"the store {path} cannot be written (no write permission on "
            f"{'the file' if path.exists() else 'its folder'})",
            hint="pass another --db PATH, or run a read-only command",
        )


def _open_error(path: Path, exc: duckdb.Error) -> StoreError:
    message = str(exc)
    if "Could not set lock" in message or "Conflicting lock" in message:
        return StoreError(
            f"the store {path} is in use by another process that is writing to it",
            hint="wait for it to finish (an import or a sync), or pass another --db PATH",
        )
    if "not a valid DuckDB database" in message or "Extension" in message:
        return StoreError(
            f"{path} is not a robinet store (not a DuckDB database file)",
            hint="pass another --db PATH; a file that is not a store is never overwritten",
        )
    return StoreError(
        f"cannot open the store {path}: {message}",
        hint="pass another --db PATH; if the file is damaged, move it away and robinet "
        "starts a new store from the bundled snapshot",
    )
