"""The one door into the store: fetch -> stage -> load -> rebuild, in one transaction.

    run(store, fetch=batches, stage=..., load=..., rebuild=...)

- fetch    a source's batches (sources/ read files or the network; they never write);
- stage    each batch into temp tables of the store's connection (DuckDB-side staging);
- load     the loader's writes (store/ingest.py for the fact-table sources, store/hub/ for the
           Hub): the only code that writes fact tables;
- rebuild  the derived tables that depend on what was loaded (releases and organizations,
           or lineage), or a mark that they are stale.

All four run in one transaction: a failure anywhere (a file that turns out unreadable half-way,
a bug in a rebuild) leaves the store exactly as it was. The store is checked writable before
anything is read, so a read-only folder fails at once rather than at the commit.

`build_all` builds a store from the repo's copies of every source (`robinet snapshot build`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from robinet.errors import StoreError
from robinet.store.db import Store

B = TypeVar("B")
R = TypeVar("R")


def ensure_writable(store: Store) -> None:
    """Raise StoreError unless an import can commit to `store` (file, folder, connection)."""
    # fetchall, not fetchone: a result left open blocks registering Arrow tables after it.
    mode = store.con.execute("SELECT current_setting('access_mode')").fetchall()
    if mode == [("read_only",)]:
        raise StoreError(
            f"the store {store.path} is open read-only", hint="open it for writing to import"
        )
    if store.path is None:
        return
    path = Path(store.path)
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        problem = f"the store file {path} is not writable"
    elif not os.access(folder, os.W_OK | os.X_OK):
        # DuckDB writes its journal (NAME.wal) next to the store at every commit.
        problem = f"the folder {folder} of the store {path.name} is not writable"
    else:
        return
    raise StoreError(
        f"{problem}: nothing was imported",
        hint="pass another --db PATH, or make the folder and the file writable",
    )


def run(
    store: Store,
    *,
    load: Callable[[], R],
    fetch: Iterable[B] = (),
    stage: Callable[[B], None] | None = None,
    rebuild: Callable[[Store], Any] | None = None,
    timings: dict[str, float] | None = None,
) -> tuple[R, Any]:
    """Stage every batch of `fetch`, load, rebuild: one transaction; (load's, rebuild's) result.

    A source that reads everything at once (a fact-table source's Batch) has nothing to
    stage: its batch is given to `load` directly. `timings`, when given, receives the seconds
    of each step: fetch_stage, load, rebuild, commit.
    """
    clock = _Clock(timings)
    ensure_writable(store)
    with store.transaction():
        for batch in fetch:
            if stage is not None:
                stage(batch)
        clock.lap("fetch_stage")
        loaded = load()
        clock.lap("load")
        derived = rebuild(store) if rebuild is not None else None
        clock.lap("rebuild")
    clock.lap("commit")
    return loaded, derived


class _Clock:
    """Seconds between laps, into `timings` (nothing is kept without one)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[name] = round(self.timings.get(name, 0.0) + now - self.last, 3)
        self.last = now


def rebuild_lineage(store: Store) -> Any:
    """The derived lineage tables, recomputed (their builder clears the stale mark)."""
    from robinet.store.lineage import build  # looked up at call time: tests replace it

    return build.rebuild(store)


def mark_lineage_stale(store: Store) -> None:
    """Lineage left for a later rebuild: read commands see the mark and say so."""
    from robinet.store.lineage.queries import DIRTY_FLAG  # the flag the lineage side reads

    store.set_meta(DIRTY_FLAG, "1")


def build_all(
    store: Store,
    sources_dir: Path,
    *,
    progress: Callable[[str], None] | None = None,
) -> list[Any]:
    """Import every source from `sources_dir`, each in its own transaction, then merge once.

    Returns one `store.ingest.IngestResult` per source.
    """
    from robinet.sources import hf_samples
    from robinet.sources.build import all_sources
    from robinet.store.hub import import_batches
    from robinet.store.ingest import IngestResult, ingest, record_source
    from robinet.store.merge import rebuild_derived

    results: list[IngestResult] = []
    for source in all_sources():
        if progress:
            progress(source.info.name)
        results.append(ingest(store, source.read(sources_dir), merge=False))
    for info in hf_samples.SAMPLES:
        if progress:
            progress(info.name)
        report = import_batches(
            store,
            hf_samples.sample_batches(info, sources_dir),
            source=info.name,
            files=[info.files[0]],
            retrieved_at=info.retrieved_at,
            lineage=info is hf_samples.SAMPLES[-1],  # lineage once, after the last sample
        )
        imported = store.count_where("models", "source = ?", [info.name])
        results.append(
            IngestResult(
                source=info.name,
                rows_read=report.rows_read,
                rows_imported={"models": imported},
                rows_rejected=report.rejected,
                warning_count=report.warnings,
            )
        )
        with store.transaction():
            dated_by = "created_at" if info is hf_samples.MODEL_INFO else "last_modified"
            record_source(store, info, results[-1], date_column=("models", dated_by))
    with store.transaction():
        rebuild_derived(store)
    return results
