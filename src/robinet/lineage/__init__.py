"""Lineage: every Hub model's ancestry, the license terms it inherits, and the conflicts.

    build.rebuild(store)            inferred edges, closure, anomalies, obligations, conflicts
    query.lineage(store, model)     ancestors, roots, descendants of one model
    query.check(store, model, use)  the verdict across the whole lineage
    query.conflicts(store, ...)     conflicts with ancestor and clause, counts by type

Edges come from sources/hub_dump.py (declared signals) and inference.py (names); the license
engine is reached through licensing.py only. Everything is set-based DuckDB SQL.
"""
