"""Shared fixtures: an in-memory store, and the repo's copies of the real data."""

from __future__ import annotations

from pathlib import Path

import pytest

from robinet.store import Store

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "data" / "sources"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def memory_store() -> Store:
    """An empty store with the schema, in memory."""
    store = Store.memory()
    yield store
    store.close()


@pytest.fixture(scope="session")
def real_store(tmp_path_factory) -> Store:
    """A store built from the repo's copies of the real sources (data/sources), once per run.

    Tests must treat it as read-only.
    """
    from robinet.sources.build import build_all

    store = Store.open(tmp_path_factory.mktemp("real") / "real.duckdb")
    build_all(store, SOURCES)
    yield store
    store.close()
