"""The sources a store is built from (the repo's copies of every source and the Hub samples).

Sources only read: `store.pipeline.build_all` runs each through its loader.
"""

from __future__ import annotations

import importlib
from typing import Any

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


# `build_all` writes, so it moved to robinet.store.pipeline; resolved lazily for the callers
# not yet moved (the CLI, tests/conftest.py); delete once they import it from there.
def __getattr__(name: str) -> Any:
    if name == "build_all":
        return importlib.import_module("robinet.store.pipeline").build_all
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
