"""Reads of the lineage tables: typed rows for the lineage engine (`robinet.lineage.query`).

Every statement the engine needs lives here, with bound parameters; each function returns
frozen dataclasses (or plain counts), never dict rows. The engine keeps the logic: which
spelling of a model id wins, how verdicts combine, which obligations apply, the tree.

    spelling(store, model)            the store's spelling of a model id, or None
    model_row(store, hf_id)           the model's own license and author
    ancestors(store, hf_id)           closure rows of one model, nearest first
    edges_from(store, children)       declared and inferred edges out of these models
    descendant_counts(store, hf_id)   descendants by how each was made
    anomalies_of(store, models)       anomalies of these models
    members(store, hf_id)             the model and its ancestors with depth and license id
    inherited_terms(store, hf_id)     every term the model carries or inherits, with origin
    conflict_rows / conflict_counts   conflicts, filtered
    modality_rows / close_models      what `check` reads of a model's modality; close ids
    lineage_state(store)              is the lineage stale (`lineage_dirty`), models counted
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from robinet.store.db import Store

# The meta keys the lineage writers keep: the flag an interrupted sync leaves set, and the
# number of models the last rebuild saw.
DIRTY_FLAG = "lineage_dirty"
MODELS_AT_REBUILD = "lineage_models"


@dataclass(frozen=True, slots=True)
class ModelRow:
    """A model's own facts that lineage reads."""

    hf_id: str
    author: str | None
    license_id: str | None  # knowledge-base id, when the declaration resolved
    license: str | None  # the raw license tag


@dataclass(frozen=True, slots=True)
class AncestorRow:
    """One (model, ancestor) pair of the closure, with the ancestor's license."""

    ancestor: str
    relation: str
    depth: int
    source: str
    confidence: float
    inferred: bool
    license: str | None  # knowledge-base id, else the raw tag
    in_store: bool
    is_root: bool  # the ancestor has no parent of its own


@dataclass(frozen=True, slots=True)
class EdgeRow:
    child: str
    parent: str
    relation: str
    source: str
    confidence: float
    evidence: str | None


@dataclass(frozen=True, slots=True)
class AnomalyRow:
    kind: str
    model: str
    parent: str | None
    detail: str | None


@dataclass(frozen=True, slots=True)
class MemberRow:
    """The model itself (depth 0, confidence 1) or one of its ancestors."""

    id: str
    depth: int
    confidence: float
    license_id: str | None


@dataclass(frozen=True, slots=True)
class InheritedTerm:
    """One term of a license the model carries (depth 0) or inherits from `origin`."""

    origin: str
    depth: int
    license_id: str
    first_relation: str  # 'self' for the model's own license
    kind: str
    clause: str | None
    summary: str | None
    confidence: float


@dataclass(frozen=True, slots=True)
class ConflictRow:
    model: str
    type: str
    ancestor: str | None
    ancestor_license: str | None
    license: str | None
    clause: str | None
    quote: str | None
    detail: str
    depth: int | None
    confidence: float


@dataclass(frozen=True, slots=True)
class LineageState:
    """Whether the derived tables lag behind `models` and `edges`, and the model counts."""

    dirty: bool
    models: int
    models_at_rebuild: int | None  # None when the last rebuild predates the count


def spelling(store: Store, model: str) -> str | None:
    """The store's spelling of `model`: exact first, then case-insensitive (Hub ids are),
    each among models and then among parents the store names but does not hold."""
    for sql in (
        "SELECT hf_id FROM models WHERE hf_id = ?",
        "SELECT parent FROM edges WHERE parent = ? LIMIT 1",
        "SELECT hf_id FROM models WHERE lower(hf_id) = lower(?) ORDER BY hf_id LIMIT 1",
        "SELECT parent FROM edges WHERE lower(parent) = lower(?) ORDER BY parent LIMIT 1",
    ):
        row = store.con.execute(sql, [model]).fetchone()
        if row is not None:
            return str(row[0])
    return None


def model_row(store: Store, hf_id: str) -> ModelRow | None:
    row = store.con.execute(
        "SELECT hf_id, author, license_id, license FROM models WHERE hf_id = ?", [hf_id]
    ).fetchone()
    return None if row is None else ModelRow(*row)


def ancestors(store: Store, hf_id: str) -> list[AncestorRow]:
    rows = store.con.execute(
        """
        SELECT c.ancestor, c.relation, c.depth, c.source, c.confidence, c.inferred,
               coalesce(m.license_id, m.license), m.hf_id IS NOT NULL,
               NOT EXISTS (SELECT 1 FROM edges e WHERE e.child = c.ancestor)
        FROM lineage_closure c LEFT JOIN models m ON m.hf_id = c.ancestor
        WHERE c.model = ? ORDER BY c.depth, c.ancestor
        """,
        [hf_id],
    ).fetchall()
    return [
        AncestorRow(
            r[0], r[1], int(r[2]), r[3], float(r[4]), bool(r[5]), r[6], bool(r[7]), bool(r[8])
        )
        for r in rows
    ]


def edges_from(store: Store, children: Sequence[str]) -> list[EdgeRow]:
    """The edges whose child is one of `children`, by child then parent."""
    rows = store.con.execute(
        "SELECT child, parent, relation, source, confidence, evidence FROM edges "
        "WHERE child IN (SELECT unnest(?::VARCHAR[])) ORDER BY child, parent",
        [list(children)],
    ).fetchall()
    return [EdgeRow(r[0], r[1], r[2], r[3], float(r[4]), r[5]) for r in rows]


def descendant_counts(store: Store, hf_id: str) -> dict[str, int]:
    """Descendants of `hf_id` by the relation of each descendant's own first hop."""
    rows = store.con.execute(
        "SELECT relation, n FROM lineage_descendants WHERE ancestor = ?", [hf_id]
    ).fetchall()
    return {str(relation): int(n) for relation, n in rows}


def anomalies_of(store: Store, models: Sequence[str]) -> list[AnomalyRow]:
    rows = store.con.execute(
        "SELECT kind, model, parent, detail FROM lineage_anomalies "
        "WHERE model IN (SELECT unnest(?::VARCHAR[])) ORDER BY kind, model, parent",
        [list(models)],
    ).fetchall()
    return [AnomalyRow(*r) for r in rows]


@dataclass(frozen=True, slots=True)
class ModalityRow:
    """What the Hub says a model takes and gives: its pipeline tag and tags."""

    hf_id: str
    pipeline_tag: str | None
    tags: tuple[str, ...]


def modality_rows(store: Store, models: Sequence[str]) -> dict[str, ModalityRow]:
    """Pipeline tag and tags of each of `models` the store holds (for `check`'s modality)."""
    rows = store.con.execute(
        "SELECT hf_id, pipeline_tag, tags FROM models WHERE hf_id IN (SELECT unnest(?::VARCHAR[]))",
        [list(models)],
    ).fetchall()
    return {r[0]: ModalityRow(r[0], r[1], tuple(r[2] or ())) for r in rows}


def close_models(store: Store, model: str, *, n: int = 3) -> list[str]:
    """Model ids that look like `model` (for "did you mean"): same name under any owner, or
    the same owner, then difflib's closest spellings among those candidates."""
    import difflib

    owner, _, name = model.lower().rpartition("/")
    rows = store.con.execute(
        "SELECT hf_id FROM models WHERE lower(hf_id) LIKE ? OR lower(hf_id) LIKE ? "
        "OR jaro_winkler_similarity(lower(hf_id), ?) > 0.85 LIMIT 2000",
        [f"%/{name}%", f"{owner}/%" if owner else "", model.lower()],
    ).fetchall()
    ids = [str(r[0]) for r in rows]
    lowered = {i.lower(): i for i in ids}
    close = difflib.get_close_matches(model.lower(), list(lowered), n=n, cutoff=0.6)
    return [lowered[c] for c in close]


def members(store: Store, hf_id: str) -> list[MemberRow]:
    """The model (depth 0) and every ancestor, by depth then id, with their license ids."""
    rows = store.con.execute(
        """
        WITH lineage AS (
            SELECT ?::VARCHAR AS id, 0 AS depth, 1.0::DOUBLE AS confidence
            UNION ALL
            SELECT ancestor, depth, confidence FROM lineage_closure WHERE model = ?
        )
        SELECT l.id, l.depth, l.confidence, m.license_id
        FROM lineage l LEFT JOIN models m ON m.hf_id = l.id
        ORDER BY l.depth, l.id
        """,
        [hf_id, hf_id],
    ).fetchall()
    return [MemberRow(r[0], int(r[1]), float(r[2]), r[3]) for r in rows]


def inherited_terms(store: Store, hf_id: str) -> list[InheritedTerm]:
    """Terms of the model's own license (depth 0) and of each license it inherits (from the
    nearest ancestor carrying it), by depth, origin, kind, clause."""
    rows = store.con.execute(
        """
        WITH inherited AS (
            SELECT hf_id AS origin, 0 AS depth, license_id, 'self' AS first_relation,
                   1.0::DOUBLE AS confidence
            FROM models WHERE hf_id = ? AND license_id IS NOT NULL
            UNION ALL
            SELECT origin, depth, license_id, first_relation, confidence
            FROM lineage_obligations WHERE model = ?
        )
        SELECT i.origin, i.depth, i.license_id, i.first_relation, t.kind, t.clause, t.summary,
               i.confidence
        FROM inherited i JOIN lineage_terms t USING (license_id)
        ORDER BY i.depth, i.origin, t.kind, t.clause
        """,
        [hf_id, hf_id],
    ).fetchall()
    return [InheritedTerm(r[0], int(r[1]), r[2], r[3], r[4], r[5], r[6], float(r[7])) for r in rows]


def _conflict_filter(
    *, model: str | None, under: str | None, declared_only: bool
) -> tuple[str, list[object]]:
    """WHERE clause (fixed fragments only) and its bound parameters."""
    where = ["TRUE"]
    params: list[object] = []
    if under is not None:
        where.append(
            "(model = ? OR model IN (SELECT model FROM lineage_closure WHERE ancestor = ?))"
        )
        params += [under, under]
    if model is not None:
        where.append("model = ?")
        params.append(model)
    if declared_only:
        where.append("confidence >= 1")
    return " AND ".join(where), params


def conflict_counts(
    store: Store, *, model: str | None = None, under: str | None = None, declared_only: bool = False
) -> dict[str, int]:
    """Conflicts by type among those matching the filters (every type, whatever is listed)."""
    where, params = _conflict_filter(model=model, under=under, declared_only=declared_only)
    rows = store.con.execute(
        f"SELECT type, count(*) FROM lineage_conflicts WHERE {where} GROUP BY type", params
    ).fetchall()
    return {str(t): int(n) for t, n in rows}


def conflict_rows(
    store: Store,
    *,
    model: str | None = None,
    under: str | None = None,
    type: str | None = None,
    declared_only: bool = False,
    limit: int | None = None,
) -> list[ConflictRow]:
    """Conflicts of `model`, or of `under` and its descendants, of one `type`; by type, model."""
    where, params = _conflict_filter(model=model, under=under, declared_only=declared_only)
    if type is not None:
        where += " AND type = ?"
        params.append(type)
    sql = (
        "SELECT model, type, ancestor, ancestor_license, license, clause, quote, detail, depth, "
        f"round(confidence, 4) FROM lineage_conflicts WHERE {where} ORDER BY type, model"
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    rows = store.con.execute(sql, params).fetchall()
    return [
        ConflictRow(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            None if r[8] is None else int(r[8]),
            float(r[9]),
        )
        for r in rows
    ]


def lineage_state(store: Store) -> LineageState:
    row = store.con.execute(
        "SELECT (SELECT value FROM meta WHERE key = ?), (SELECT value FROM meta WHERE key = ?), "
        "(SELECT count(*) FROM models)",
        [DIRTY_FLAG, MODELS_AT_REBUILD],
    ).fetchone()
    flag, at_rebuild, models = row if row else (None, None, 0)
    return LineageState(
        dirty=flag == "1",
        models=int(models),
        models_at_rebuild=int(at_rebuild) if at_rebuild is not None else None,
    )


def is_read_only(store: Store) -> bool:
    """Whether the store's database is attached read-only (a write would fail)."""
    row = store.con.execute(
        "SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return bool(row and row[0])
