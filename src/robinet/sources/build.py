"""Building a store from the repo's copies of every source (and the bundled snapshot)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from robinet.sources import arena, epoch, hf_samples, interconnects
from robinet.sources.base import Source
from robinet.store.db import Store
from robinet.store.ingest import IngestResult, ingest, record_source
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
    for info in hf_samples.SAMPLES:
        if progress:
            progress(info.name)
        report = hf_samples.import_sample(store, info, sources_dir)
        imported = store.count_where("models", "source = ?", [info.name])
        results.append(
            IngestResult(
                source=info.name,
                rows_read=report.rows_read,
                rows_imported={"models": imported},
                rows_rejected=report.rejected,
                warnings=report.warnings,
            )
        )
        with store.transaction():
            dated_by = "created_at" if info is hf_samples.MODEL_INFO else "last_modified"
            record_source(store, info, results[-1], date_column=("models", dated_by))
    with store.transaction():
        rebuild_derived(store)
    return results
