"""Building a store from the repo's copies of every source (and the bundled snapshot)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from robinet.sources import arena, epoch, interconnects
from robinet.sources.base import Source
from robinet.store.db import Store
from robinet.store.ingest import IngestResult, ingest
from robinet.store.merge import rebuild_derived


def all_sources() -> list[Source]:
    sources: list[Source] = [*epoch.SOURCES, *interconnects.SOURCES, *arena.SOURCES]
    return sources


def build_all(
    store: Store,
    sources_dir: Path,
    *,
    progress: Callable[[str], None] | None = None,
) -> list[IngestResult]:
    """Import every source from `sources_dir`, each in its own transaction, then merge once."""
    results = []
    for source in all_sources():
        if progress:
            progress(source.info.name)
        results.append(ingest(store, source.read(sources_dir), merge=False))
    with store.transaction():
        rebuild_derived(store)
    return results
