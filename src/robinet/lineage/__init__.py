"""Lineage queries: every Hub model's ancestry, the license terms it inherits, the conflicts.

    query.lineage(store, model)     ancestors, roots, descendants of one model
    query.check(store, model, use)  the verdict across the whole lineage
    query.conflicts(store, ...)     conflicts with ancestor and clause, counts by type

The derived tables these read (closure, obligations, conflicts) are built by
`robinet.store.lineage.build`, inside the transaction of the import that changed the edges;
the license engine is reached through `robinet.licenses.lineage_terms`.
"""
