"""Shared fixtures: an in-memory store, the repo's copies of the real data, and the report
built from them once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from robinet.store import Store

if TYPE_CHECKING:  # the report pulls in plotly: imported by the fixture that needs it
    from robinet.report.build import Report
    from robinet.report.section import Section

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
    from robinet.store.pipeline import build_all

    store = Store.open(tmp_path_factory.mktemp("real") / "real.duckdb")
    build_all(store, SOURCES)
    yield store
    store.close()


@dataclass(frozen=True)
class BuiltReport:
    """The report of the real store, built once per run: its sections, its HTML page and the
    document `robinet report --json` prints."""

    report: Report
    html: str
    json: dict[str, Any]

    def section(self, key: str) -> Section:
        return next(s for s in self.report.sections if s.key == key)


@pytest.fixture(scope="session")
def built_report(real_store: Store) -> BuiltReport:
    """Building the report runs every engine over the whole store: tests share one build.

    Tests must treat it as read-only."""
    from robinet.jsonable import to_jsonable
    from robinet.report.build import build_report, render_html

    report = build_report(real_store)
    return BuiltReport(report, render_html(report), to_jsonable(report.to_json()))
