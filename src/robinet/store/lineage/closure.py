"""The lineage graph as set-based SQL: the transitive closure and its anomalies.

`lineage_closure` holds one row per (model, ancestor) with the shortest depth, the relation of
the hop into the ancestor's child, how the model itself was made, and the path's confidence
(the product of its edges'). It is computed by one recursive CTE whose rows carry their path,
so a cycle is cut where it closes instead of being walked forever.

Anomalies (`lineage_anomalies`): `cycle` (an edge that closes a loop), `self_reference`
(written at import), `dangling_parent` (a parent the store does not hold).
"""

from __future__ import annotations

from robinet.store.db import Store

MAX_DEPTH = 64


def build_closure(store: Store) -> int:
    con = store.con
    con.execute("DELETE FROM lineage_closure")
    con.execute(
        f"""
        INSERT INTO lineage_closure
        WITH RECURSIVE walk(model, ancestor, depth, relation, first_relation, all_quantized,
                            source, confidence, inferred, path) AS (
            SELECT child, parent, 1, relation, relation, relation = 'quantized', source,
                   confidence, confidence < 1, [child, parent]
            FROM edges WHERE child <> parent
            UNION ALL
            SELECT w.model, e.parent, w.depth + 1, e.relation, w.first_relation,
                   w.all_quantized AND e.relation = 'quantized', e.source,
                   w.confidence * e.confidence, w.inferred OR e.confidence < 1,
                   list_append(w.path, e.parent)
            FROM walk w JOIN edges e ON e.child = w.ancestor
            WHERE NOT list_contains(w.path, e.parent) AND w.depth < {MAX_DEPTH}
        )
        SELECT model, ancestor,
               min(depth),
               arg_min(relation, (depth, -confidence)),
               arg_min(first_relation, (depth, -confidence)),
               bool_and(all_quantized),
               arg_min(source, (depth, -confidence)),
               max(confidence),
               bool_and(inferred)
        FROM walk GROUP BY model, ancestor
        """
    )
    con.execute("DELETE FROM lineage_descendants")
    con.execute(
        "INSERT INTO lineage_descendants SELECT ancestor, first_relation, count(*) "
        "FROM lineage_closure GROUP BY ALL"
    )
    count = con.execute("SELECT count(*) FROM lineage_closure").fetchone()
    return int(count[0]) if count else 0


def find_anomalies(store: Store) -> dict[str, int]:
    """Recompute cycle and dangling-parent anomalies (self-references come from imports)."""
    con = store.con
    con.execute("DELETE FROM lineage_anomalies WHERE kind IN ('cycle', 'dangling_parent')")
    # An edge child -> parent closes a cycle when parent descends from child.
    con.execute(
        """
        INSERT INTO lineage_anomalies
        SELECT 'cycle', e.child, e.parent,
               'cycle of ' || (c.depth + 1) || ' edge(s): ' || e.parent || ' descends from '
                   || e.child, e.source, NULL, NULL
        FROM edges e JOIN lineage_closure c ON c.model = e.parent AND c.ancestor = e.child
        """
    )
    con.execute(
        """
        INSERT INTO lineage_anomalies
        SELECT 'dangling_parent', e.child, e.parent,
               'parent not in the store (' || e.source || ')', e.source, NULL, NULL
        FROM edges e ANTI JOIN models m ON m.hf_id = e.parent
        """
    )
    rows = con.execute("SELECT kind, count(*) FROM lineage_anomalies GROUP BY kind").fetchall()
    return {str(k): int(n) for k, n in rows}
