"""Recompute every derived lineage table from `models` and `edges`, in the caller's transaction.

Order: inferred edges -> closure -> anomalies -> license terms -> obligations -> conflicts.

`rebuild(store)` is what every writer of `models` or `edges` calls inside its transaction; it
clears the `lineage_dirty` flag that a writer leaves set when it commits models without
rebuilding (a live sync, page by page), and records how many models it saw. `repair(store)` is
the same rebuild for a store found stale (`robinet store repair`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from robinet.errors import StoreError
from robinet.store.db import Store
from robinet.store.lineage import closure as graph
from robinet.store.lineage import inference, obligations, queries


@dataclass(frozen=True, slots=True)
class LineageCoverage:
    """How much of the store has lineage."""

    models: int
    with_declared_lineage: int  # models with an edge of confidence 1
    with_any_lineage: int  # models with any edge, inferred ones included
    declared_share: float  # with_declared_lineage / models, 4 decimals
    edges_by_source: dict[str, int]  # signal (card, tag, gguf, name...) -> edges


@dataclass(frozen=True, slots=True)
class LineageSummary:
    """What one rebuild found (the `lineage` field of an import or sync report).

    The coverage fields (`models` ... `edges_by_source`, see LineageCoverage), then:
    `inferred_edges` written by the name rules, `closure_rows` (model, ancestor) pairs,
    `anomalies` and `conflicts` counted by kind, `obligations` (model, inherited license)
    rows, and `timings`: seconds per step (inference, closure, anomalies, obligations,
    conflicts, indexes).
    """

    models: int
    with_declared_lineage: int
    with_any_lineage: int
    declared_share: float
    edges_by_source: dict[str, int]
    inferred_edges: int
    closure_rows: int
    anomalies: dict[str, int] = field(default_factory=dict)
    obligations: int = 0
    conflicts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RepairReport:
    """`repair`'s answer: whether the store was stale, and the rebuild's summary."""

    was_stale: bool
    lineage: LineageSummary


def rebuild(store: Store) -> LineageSummary:
    """Recompute lineage for the whole store; return a summary with timings (seconds)."""
    timings: dict[str, float] = {}

    def step(name: str, started: float) -> float:
        now = time.perf_counter()
        timings[name] = round(now - started, 3)
        return now

    t = time.perf_counter()
    with store.transaction():
        drop_indexes(store)
        inferred = inference.infer(store)
        t = step("inference", t)
        closure = graph.build_closure(store)
        t = step("closure", t)
        anomalies = graph.find_anomalies(store)
        t = step("anomalies", t)
        obligations.load_terms(store)
        n_obligations = obligations.build_obligations(store)
        t = step("obligations", t)
        conflicts = obligations.build_conflicts(store)
        t = step("conflicts", t)
        create_indexes(store)
        t = step("indexes", t)
        coverage = lineage_summary(store)
        store.set_meta(queries.MODELS_AT_REBUILD, str(coverage.models))
        store.set_meta(queries.DIRTY_FLAG, "0")
    return LineageSummary(
        models=coverage.models,
        with_declared_lineage=coverage.with_declared_lineage,
        with_any_lineage=coverage.with_any_lineage,
        declared_share=coverage.declared_share,
        edges_by_source=coverage.edges_by_source,
        inferred_edges=inferred,
        closure_rows=closure,
        anomalies=anomalies,
        obligations=n_obligations,
        conflicts=conflicts,
        timings=timings,
    )


def repair(store: Store) -> RepairReport:
    """Rebuild the derived lineage tables in one transaction and clear `lineage_dirty`.

    For a store a sync left stale (read commands then raise StaleStoreError). The store must
    be open for writing.
    """
    if queries.is_read_only(store):
        raise StoreError(
            f"the store {store.path} is open read-only: repairing it rewrites its lineage tables",
            hint="run `robinet store repair` (it opens the store for writing) when no other "
            "process is writing to it",
        )
    was_stale = queries.lineage_state(store).dirty
    return RepairReport(was_stale=was_stale, lineage=rebuild(store))


# Point lookups of one model (robinet lineage/check) go through these ART indexes; they are
# dropped while the tables are rebuilt in bulk and created again after.
INDEXES = {
    "idx_closure_model": "lineage_closure (model)",
    "idx_closure_ancestor": "lineage_closure (ancestor)",
    "idx_descendants_ancestor": "lineage_descendants (ancestor)",
    "idx_edges_child": "edges (child)",
    "idx_edges_parent": "edges (parent)",
    "idx_obligations_model": "lineage_obligations (model)",
    "idx_conflicts_model": "lineage_conflicts (model)",
}


def drop_indexes(store: Store) -> None:
    for name in INDEXES:
        store.con.execute(f"DROP INDEX IF EXISTS {name}")


def create_indexes(store: Store) -> None:
    for name, target in INDEXES.items():
        store.con.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def lineage_summary(store: Store) -> LineageCoverage:
    """Share of models with declared lineage, with any lineage, and edge counts by source."""
    row = store.con.execute(
        """
        SELECT count(*),
               count(*) FILTER (WHERE hf_id IN (SELECT child FROM edges WHERE confidence >= 1)),
               count(*) FILTER (WHERE hf_id IN (SELECT child FROM edges))
        FROM models
        """
    ).fetchone()
    total, declared, any_lineage = row if row else (0, 0, 0)
    by_source = store.con.execute(
        "SELECT source, count(*) FROM edges GROUP BY source ORDER BY source"
    ).fetchall()
    return LineageCoverage(
        models=int(total),
        with_declared_lineage=int(declared),
        with_any_lineage=int(any_lineage),
        declared_share=round(declared / total, 4) if total else 0.0,
        edges_by_source={str(k): int(v) for k, v in by_source},
    )
