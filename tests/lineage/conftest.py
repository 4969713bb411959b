"""Fixtures of the lineage tests: stores loaded from the built and real fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from robinet.store import Store
from robinet.store.hub import import_dump

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures" / "lineage"
BUILT = FIXTURES / "built.jsonl"
SAMPLE = FIXTURES / "top_models_sample.jsonl"
REAL_CSV = HERE.parent.parent / "data" / "sources" / "hf-top-models" / "hf_models.csv"


@pytest.fixture(scope="module")
def built_store() -> Iterator[Store]:
    """The hand-built cases (built.jsonl) imported into a fresh in-memory store."""
    store = Store.memory()
    import_dump(store, BUILT, source="built")
    yield store
    store.close()


@pytest.fixture(scope="module")
def sample_store() -> Iterator[Store]:
    """13 real rows of the top-models sample, in the Hub API shape."""
    store = Store.memory()
    import_dump(store, SAMPLE, source="hf-top-models")
    yield store
    store.close()


@pytest.fixture(scope="session")
def real_hub_store() -> Iterator[Store]:
    """The repo's copy of the whole 2024-09 top-models sample (9,715 models), once per run."""
    store = Store.memory()
    import_dump(store, REAL_CSV, source="hf-top-models")
    yield store
    store.close()
