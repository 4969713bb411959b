"""Recompute every derived lineage table from `models` and `edges`, in the caller's transaction.

Order: inferred edges -> closure -> anomalies -> license terms -> obligations -> conflicts.
"""

from __future__ import annotations

import time
from typing import Any

from robinet.store.db import Store
from robinet.store.lineage import closure as graph
from robinet.store.lineage import inference, obligations


def rebuild(store: Store) -> dict[str, Any]:
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
        store.set_meta("lineage_dirty", "0")
    summary = lineage_summary(store)
    summary.update(
        inferred_edges=inferred,
        closure_rows=closure,
        anomalies=anomalies,
        obligations=n_obligations,
        conflicts=conflicts,
        timings=timings,
    )
    return summary


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


def lineage_summary(store: Store) -> dict[str, Any]:
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
    by_source = dict(
        store.con.execute(
            "SELECT source, count(*) FROM edges GROUP BY source ORDER BY source"
        ).fetchall()
    )
    return {
        "models": int(total),
        "with_declared_lineage": int(declared),
        "with_any_lineage": int(any_lineage),
        "declared_share": round(declared / total, 4) if total else 0.0,
        "edges_by_source": {str(k): int(v) for k, v in by_source.items()},
    }
