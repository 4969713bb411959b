"""Inherited obligations and license conflicts, set-based over the lineage closure.

A model must honour its own license's terms plus every ancestor's terms that reach
derivatives through the path's relations (a naming duty binds models that are *made* —
fine-tuned, merged, adapted, distilled; a quantized copy only redistributes its parent).

Conflicts, each with the ancestor and clause that cause it (one row per model and type, from
the nearest ancestor):

    more_permissive         the model's license drops what the ancestor's derivatives term
                            requires (same license, or its use restrictions passed through)
    noncommercial_ancestor  a non-commercial ancestor under a license that allows commercial use
    missing_naming          the ancestor requires a name prefix ("Llama") the model lacks
    missing_license         a derivative that declares no license at all
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import duckdb
from duckdb.func import PythonUDFType

from robinet.licenses import lineage_terms as licensing
from robinet.store.db import Store

CONFLICT_TYPES = (
    "more_permissive",
    "noncommercial_ancestor",
    "missing_naming",
    "missing_license",
)


def load_terms(store: Store) -> int:
    """lineage_terms (and the temp view _terms): the terms of every license in `models`."""
    import pyarrow as pa  # only imports need it; `robinet lineage` must start fast

    ids = [
        r[0]
        for r in store.con.execute(
            "SELECT DISTINCT license_id FROM models WHERE license_id IS NOT NULL ORDER BY 1"
        ).fetchall()
    ]
    rows = [t for license_id in ids for t in licensing.terms(license_id)]
    table = pa.table(
        {
            "license_id": pa.array([t.license_id for t in rows], pa.string()),
            "kind": pa.array([t.kind for t in rows], pa.string()),
            "clause": pa.array([t.clause for t in rows], pa.string()),
            "quote": pa.array([t.quote for t in rows], pa.string()),
            "summary": pa.array([t.summary for t in rows], pa.string()),
            "mode": pa.array([t.mode for t in rows], pa.string()),
            "prefix": pa.array([t.prefix for t in rows], pa.string()),
        }
    )
    store.con.execute("DELETE FROM lineage_terms")
    store.con.register("_terms_arrow", table)
    store.con.execute("INSERT INTO lineage_terms SELECT * FROM _terms_arrow")
    store.con.unregister("_terms_arrow")
    store.con.execute("CREATE OR REPLACE TEMP VIEW _terms AS SELECT * FROM lineage_terms")
    return len(rows)


def build_obligations(store: Store) -> int:
    """The licenses each model inherits (one row per model and license, from the nearest
    ancestor carrying it); their terms are joined from lineage_terms when asked, so the table
    grows with the closure, not with closure x terms."""
    con = store.con
    con.execute("DELETE FROM lineage_obligations")
    con.execute(
        """
        INSERT INTO lineage_obligations
        SELECT c.model, a.license_id,
               arg_min(c.ancestor, (c.depth, c.ancestor)), min(c.depth),
               arg_min(c.first_relation, (c.depth, c.ancestor)),
               arg_min(c.confidence, (c.depth, c.ancestor))
        FROM lineage_closure c JOIN models a ON a.hf_id = c.ancestor
        WHERE a.license_id IS NOT NULL
        GROUP BY c.model, a.license_id
        """
    )
    count = con.execute("SELECT count(*) FROM lineage_obligations").fetchone()
    return int(count[0]) if count else 0


# The name-prefix rule (`licensing.name_has_prefix`) as a DuckDB function for the conflicts
# query, registered for the rebuild only: the SQL path and the verdict path share one rule.
NAME_RULE = "robinet_name_has_prefix"


def _name_rule_udf(names: Any, prefixes: Any) -> Any:
    """Vectorized over Arrow arrays (one Python call per batch of rows, not per row)."""
    import pyarrow as pa

    return pa.array(
        [
            None if name is None or prefix is None else licensing.name_has_prefix(name, prefix)
            for name, prefix in zip(names.to_pylist(), prefixes.to_pylist(), strict=True)
        ],
        pa.bool_(),
    )


@contextmanager
def name_rule(store: Store) -> Iterator[None]:
    """`robinet_name_has_prefix(name, prefix)` available in SQL for the duration."""
    con = store.con
    with suppress(duckdb.InvalidInputException):  # left over by an interrupted rebuild
        con.remove_function(NAME_RULE)
    con.create_function(
        NAME_RULE,
        _name_rule_udf,
        ["varchar", "varchar"],
        "boolean",
        type=PythonUDFType.ARROW,
        side_effects=False,
    )
    try:
        yield
    finally:
        con.remove_function(NAME_RULE)


def build_conflicts(store: Store) -> dict[str, int]:
    con = store.con
    con.execute("DELETE FROM lineage_conflicts")
    with name_rule(store):
        con.execute(_CONFLICTS_SQL)
    rows = con.execute("SELECT type, count(*) FROM lineage_conflicts GROUP BY type").fetchall()
    return {str(k): int(n) for k, n in rows}


_CONFLICTS_SQL = f"""
        INSERT INTO lineage_conflicts
        WITH anc AS (
            SELECT c.model, c.ancestor, c.depth, c.confidence, c.first_relation,
                   m.license_id AS own, m.license AS own_raw, m.author AS own_author,
                   a.license_id AS anc_license, a.author AS anc_author
            FROM lineage_closure c
            JOIN models m ON m.hf_id = c.model
            JOIN models a ON a.hf_id = c.ancestor
        ), found AS (
            -- the model's license drops the ancestor's derivatives term
            SELECT anc.*, 'more_permissive' AS type, 0 AS rank, t.clause, t.quote,
                   'licensed ' || own || ' but ' || ancestor || ' (' || anc_license ||
                   ') requires ' || replace(t.mode, '_', ' ') || ' for derivatives' AS detail
            FROM anc JOIN _terms t ON t.license_id = anc.anc_license
            WHERE t.kind = 'derivatives' AND t.mode IS NOT NULL AND anc.own IS NOT NULL
              AND anc.own <> anc.anc_license
              AND (t.mode = 'same_license' OR NOT EXISTS (
                    SELECT 1 FROM _terms o WHERE o.license_id = anc.own
                      AND o.kind = 'derivatives'
                      AND o.mode IN ('pass_through_use_restrictions', 'same_license')))
            UNION ALL
            SELECT anc.*, 'noncommercial_ancestor', 0, t.clause, t.quote,
                   'licensed ' || own || ', which allows commercial use, but ' || ancestor ||
                   ' (' || anc_license || ') is non-commercial'
            FROM anc JOIN _terms t ON t.license_id = anc.anc_license
            WHERE t.kind = 'noncommercial' AND anc.own IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM _terms o WHERE o.license_id = anc.own
                              AND o.kind = 'noncommercial')
            UNION ALL
            SELECT anc.*, 'missing_naming', 0, t.clause, t.quote,
                   'name does not begin with ' || chr(34) || t.prefix || chr(34) ||
                   ' as ' || ancestor || ' (' || anc_license || ') requires'
            FROM anc JOIN _terms t ON t.license_id = anc.anc_license
            WHERE t.kind = 'naming' AND t.prefix IS NOT NULL AND anc.first_relation <> 'quantized'
              AND anc.own_author IS DISTINCT FROM anc.anc_author
              AND NOT {NAME_RULE}(anc.model, t.prefix)
            UNION ALL
            -- the ancestor shown is the nearest one whose terms bind derivatives, else nearest
            SELECT anc.*, 'missing_license',
                   CASE WHEN EXISTS (SELECT 1 FROM _terms t WHERE t.license_id = anc.anc_license
                        AND t.kind = 'derivatives' AND t.mode IS NOT NULL) THEN 0 ELSE 1 END,
                   (SELECT min(t.clause) FROM _terms t WHERE t.license_id = anc.anc_license
                      AND t.kind = 'derivatives'),
                   (SELECT min(t.quote) FROM _terms t WHERE t.license_id = anc.anc_license
                      AND t.kind = 'derivatives'),
                   'declares no license; inherits ' || anc_license || ' from ' || ancestor
            FROM anc
            WHERE anc.anc_license IS NOT NULL
              AND (anc.own_raw IS NULL OR lower(anc.own_raw) IN ('unknown', 'none', ''))
        )
        SELECT model, type,
               arg_min(ancestor, (rank, depth, ancestor)),
               arg_min(anc_license, (rank, depth, ancestor)),
               coalesce(any_value(own), any_value(own_raw)),
               arg_min(clause, (rank, depth, ancestor)), arg_min(quote, (rank, depth, ancestor)),
               arg_min(detail, (rank, depth, ancestor)),
               arg_min(depth, (rank, depth, ancestor)),
               arg_min(confidence, (rank, depth, ancestor))
        FROM found GROUP BY model, type
"""
