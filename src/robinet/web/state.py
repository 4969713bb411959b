"""The store behind the web app: opened read-only once per worker, a cursor per request.

A DuckDB connection is not safe to share between threads running queries at once, and
FastAPI runs synchronous routes in a thread pool. `con.cursor()` opens a second connection to
the same database instance (same file, same buffer pool, its own client context): each
request gets its own, used by one thread at a time, and closes it when the response is built.
Creating a cursor takes about a millisecond. Temporary macros live in a connection's context,
so `Store(cursor)` installs them on each cursor, as it does on every connection.

The slug UDF (`robinet.store.macros`) is a Python function registered in the database
instance's catalog, which every cursor shares; `install_slug` finds it there and only creates
the temporary macros that call it.

Results that depend only on the (read-only) store are computed once and kept: the report
behind the home page, the sources catalog used for provenance, the ids used for close matches.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from robinet.store import Store, open_store

T = TypeVar("T")
MEMO_SIZE = 512


class StoreHandle:
    """One read-only store per worker process; `cursor()` gives a per-request Store."""

    def __init__(self, path: Path | str | None = None) -> None:
        self._root = open_store(path, read_only=True)
        self.path = self._root.path
        self._cursor_lock = threading.Lock()
        self._cache: dict[str, Any] = {}
        self._cache_locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()
        self._memo: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._memo_lock = threading.Lock()

    @contextmanager
    def cursor(self) -> Iterator[Store]:
        """A Store over a fresh cursor of the worker's connection, closed afterwards."""
        with self._cursor_lock:  # cursor creation touches the parent connection
            con = self._root.con.cursor()
        store = Store(con, self.path)
        try:
            yield store
        finally:
            store.close()

    def cached(self, key: str, build: Callable[[Store], T]) -> T:
        """`build(store)` once per process (the store is read-only, so it never changes)."""
        if key in self._cache:
            return self._cache[key]
        with self._locks_lock:
            lock = self._cache_locks.setdefault(key, threading.Lock())
        with lock:  # a second request waits for the first build instead of repeating it
            if key not in self._cache:
                with self.cursor() as store:
                    self._cache[key] = build(store)
        return self._cache[key]

    def memo(self, key: tuple[Any, ...], build: Callable[[Store], T]) -> T:
        """`build(store)` kept for `key` in a bounded LRU (MEMO_SIZE entries): a model's
        document costs ~0.2 s to compute (openness scoring dominates) and never changes while
        the read-only store is open. Two concurrent misses may both build; either is kept."""
        with self._memo_lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        with self.cursor() as store:
            value = build(store)
        with self._memo_lock:
            self._memo[key] = value
            while len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)
        return value

    def close(self) -> None:
        self._root.close()
