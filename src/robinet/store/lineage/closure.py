"""The lineage graph as set-based SQL over nodes: the transitive closure and its anomalies.

`lineage_closure` holds one row per (model, ancestor) pair. It is built breadth-first by one
recursive CTE keyed on the pair (`WITH RECURSIVE ... USING KEY (model, ancestor)`): round k
joins the pairs first reached in round k-1 with the edges into their models and keeps only the
pairs not reached before (`recurring.walk` is every pair so far). Each pair is written once, so
time and memory grow with the closure's size, not with the number of paths: in a lattice of
merges (two models per layer, each merging both models of the layer above) the paths double
with every layer, the pairs grow by two. A cycle ends the same way: a pair reached again is not
new, and a model is never its own ancestor.

The columns of a pair:

    depth           length of the shortest path
    relation        on the chosen path (below): the hop into the ancestor's child
    first_relation  on the chosen path: the model's own hop (how the model itself was made)
    source          on the chosen path: the signal of the hop into the ancestor
    all_quantized   every hop of the chosen path is a quantization
    confidence      the best product of edge confidences over every path (not only the
                    shortest ones): a second, set-based pass (`_best_confidence`) raises the
                    pairs whose shortest paths are less sure than a longer one
    inferred        no path of declared edges only (confidence < 1; declared edges have 1)

The chosen path is a shortest path, the most confident among them; among equally confident
ones, the one through the parent first in sort order (of two edges naming the same parent, the
more confident, then relation, then source first in sort order). The choice is recursive —
the chosen path of (model, ancestor) is one edge model -> parent followed by the chosen path
of (parent, ancestor) — so it is deterministic and computed once per pair.

Anomalies (`lineage_anomalies`): `cycle` (an edge that closes a loop), `self_reference`
(written at import), `dangling_parent` (a parent the store does not hold).
"""

from __future__ import annotations

from robinet.store.db import Store

# The edges the walk follows: one per (child, parent), self-loops left out. The importers
# write one edge per pair; should two name the same pair, the more confident one is kept
# (then relation, then source, first in sort order), so that (confidence, parent) orders the
# candidates of a pair totally and the common case is copied without any aggregation.
_EDGES = "_lineage_edges"
_EDGES_SQL = f"""
CREATE OR REPLACE TEMP TABLE {_EDGES} AS
WITH repeated AS (
    SELECT child, parent FROM edges WHERE child <> parent
    GROUP BY child, parent HAVING count(*) > 1
)
SELECT e.child, e.parent, e.relation, e.source, e.confidence
FROM edges e ANTI JOIN repeated r ON r.child = e.child AND r.parent = e.parent
WHERE e.child <> e.parent
UNION ALL
SELECT e.child, e.parent, arg_min(e.relation, (-e.confidence, e.relation, e.source)),
       arg_min(e.source, (-e.confidence, e.relation, e.source)), max(e.confidence)
FROM edges e SEMI JOIN repeated r ON r.child = e.child AND r.parent = e.parent
GROUP BY e.child, e.parent
"""

# Which candidate path of a pair is kept (arg_min key): the most confident, then the one
# through the parent first in sort order.
_CHOICE = "(-(e.confidence * w.confidence), e.parent)"

_CLOSURE_SQL = f"""
INSERT INTO lineage_closure BY NAME
WITH RECURSIVE walk(model, ancestor, depth, relation, first_relation, all_quantized, source,
                    confidence) USING KEY (model, ancestor) AS (
    SELECT child, parent, 1, relation, relation, relation = 'quantized', source, confidence
    FROM {_EDGES}
    UNION
    SELECT e.child, w.ancestor, min(w.depth) + 1,
           arg_min(w.relation, {_CHOICE}), arg_min(e.relation, {_CHOICE}),
           arg_min(w.all_quantized AND e.relation = 'quantized', {_CHOICE}),
           arg_min(w.source, {_CHOICE}), max(e.confidence * w.confidence)
    FROM walk w JOIN {_EDGES} e ON e.parent = w.model
    WHERE e.child <> w.ancestor
      AND NOT EXISTS (SELECT 1 FROM recurring.walk r
                      WHERE r.model = e.child AND r.ancestor = w.ancestor)
    GROUP BY e.child, w.ancestor
)
SELECT *, confidence < 1 AS inferred FROM walk
"""

# Relaxation, semi-naive: the pairs below 1 that may have a better path (`{candidates}`),
# each with the best of its model's edges followed by the parent's pair (or the edge alone
# when the parent is the ancestor), kept where that beats the pair's confidence.
_BETTER_SQL = f"""
CREATE OR REPLACE TEMP TABLE _lineage_better AS
SELECT t.model, t.ancestor, b.best
FROM lineage_closure t
JOIN (
    SELECT t.model, t.ancestor,
           max(e.confidence * CASE WHEN e.parent = t.ancestor THEN 1.0 ELSE p.confidence END)
               AS best
    FROM ({{candidates}}) t
    JOIN {_EDGES} e ON e.child = t.model
    LEFT JOIN lineage_closure p ON p.model = e.parent AND p.ancestor = t.ancestor
    WHERE e.parent = t.ancestor OR p.model IS NOT NULL
    GROUP BY t.model, t.ancestor
) b ON b.model = t.model AND b.ancestor = t.ancestor
WHERE b.best > t.confidence
"""
# Round 1: with every pair at its shortest paths' best, a model with a single edge has the
# confidence of that edge times its parent's pair: only a model with several edges can do
# better. Later rounds: the pairs whose parent's pair just improved.
_FIRST_CANDIDATES = f"""
    SELECT model, ancestor FROM lineage_closure
    WHERE confidence < 1
      AND model IN (SELECT child FROM {_EDGES} GROUP BY child HAVING count(*) > 1)
"""
_NEXT_CANDIDATES = f"""
    SELECT DISTINCT t.model, t.ancestor
    FROM _lineage_improved i
    JOIN {_EDGES} e ON e.parent = i.model
    JOIN lineage_closure t ON t.model = e.child AND t.ancestor = i.ancestor
    WHERE t.confidence < 1
"""
_APPLY_SQL = """
UPDATE lineage_closure c SET confidence = b.best, inferred = b.best < 1
FROM _lineage_better b WHERE c.model = b.model AND c.ancestor = b.ancestor
"""


def build_closure(store: Store) -> int:
    """Replace lineage_closure and lineage_descendants; return the number of pairs."""
    con = store.con
    con.execute("DELETE FROM lineage_closure")
    con.execute(_EDGES_SQL)
    con.execute(_CLOSURE_SQL)
    _best_confidence(store)
    con.execute(f"DROP TABLE {_EDGES}")
    con.execute("DELETE FROM lineage_descendants")
    con.execute(
        "INSERT INTO lineage_descendants SELECT ancestor, first_relation, count(*) "
        "FROM lineage_closure GROUP BY ALL"
    )
    count = con.execute("SELECT count(*) FROM lineage_closure").fetchone()
    return int(count[0]) if count else 0


def _best_confidence(store: Store) -> int:
    """Raise each pair's confidence to its best path's, over paths of any length; rounds.

    Edge confidences are at most 1, so going round a cycle never raises a product: the best
    path is a simple one, and the rounds (Bellman-Ford, semi-naive: each round looks only at
    the pairs an improvement of the last round can reach) stop after at most as many rounds
    as the longest simple path has edges — in practice one or two, since only inferred edges
    are below 1.
    """
    con = store.con
    candidates = _FIRST_CANDIDATES
    rounds = 0
    while True:
        rounds += 1
        con.execute(_BETTER_SQL.format(candidates=candidates))
        row = con.execute("SELECT count(*) FROM _lineage_better").fetchone()
        if not row or not row[0]:
            break
        con.execute(_APPLY_SQL)
        con.execute("CREATE OR REPLACE TEMP TABLE _lineage_improved AS FROM _lineage_better")
        candidates = _NEXT_CANDIDATES
    con.execute("DROP TABLE IF EXISTS _lineage_better")
    con.execute("DROP TABLE IF EXISTS _lineage_improved")
    return rounds


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
