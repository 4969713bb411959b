"""The sources a store is built from (the repo's copies of every source and the Hub samples).

Sources only read: `store.pipeline.build_all` runs each through its loader.
"""

from __future__ import annotations

from robinet.sources import arena, catalog, epoch, interconnects
from robinet.sources.base import Source


def all_sources() -> list[Source]:
    """The fact-table sources, in import order (the Hub samples are `hf_samples.SAMPLES`)."""
    sources: list[Source] = [
        *catalog.SOURCES,
        *epoch.SOURCES,
        *interconnects.SOURCES,
        *arena.SOURCES,
    ]
    return sources
