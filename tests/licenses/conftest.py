"""Fixtures of the license-engine tests: the bundled knowledge base, and the text variants
shared with the benchmark (benchmarks/license_identify/variants.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from robinet.licenses import KnowledgeBase, knowledge_base

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "license_identify"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return knowledge_base()
