"""Opening the store the commands use, seeded from the bundled snapshot the first time."""

from __future__ import annotations

from pathlib import Path

from robinet.store.db import Store, default_db_path
from robinet.store.snapshot import load_bundled


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
        load_bundled(store)
    if read_only:
        store.close()
        store = Store.open(path, read_only=True)
    return store
