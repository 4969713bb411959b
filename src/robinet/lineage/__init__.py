"""Lineage queries: every Hub model's ancestry, the license terms it inherits, the conflicts.

    query.lineage(store, model)     ancestors, roots, descendants of one model
    query.check(store, model, use)  the verdict across the whole lineage
    query.conflicts(store, ...)     conflicts with ancestor and clause, counts by type

Pure logic over the typed rows of `robinet.store.lineage.queries`; the derived tables those
read (closure, obligations, conflicts) are built by `robinet.store.lineage.build`, inside the
transaction of the import that changed the edges. A read never rebuilds them: on a store a
sync left stale it raises StaleStoreError (`robinet.store.lineage.repair` rebuilds). The
license engine is reached through `robinet.licenses.lineage_terms`.
"""
