"""Questions about one model (its lineage, its verdict) and about conflicts, over the store.

Pure functions: they read the derived lineage tables (see build.py) and return dataclasses;
the CLI formats them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from robinet.errors import NotFoundError, UsageError
from robinet.licenses import lineage_terms as licensing
from robinet.model import Decision, Relation, Verdict
from robinet.store.db import Store
from robinet.store.lineage.obligations import CONFLICT_TYPES

_SEVERITY = {Decision.ALLOW: 0, Decision.CONDITIONAL: 1, Decision.DENY: 2}


@dataclass(frozen=True, slots=True)
class Ancestor:
    id: str
    relation: str
    depth: int
    source: str
    confidence: float
    inferred: bool
    license: str | None
    in_store: bool


@dataclass(frozen=True, slots=True)
class Lineage:
    model: str
    license: str | None
    roots: list[str]
    ancestors: list[Ancestor]
    parents: list[dict[str, Any]]
    descendants: dict[str, Any]
    anomalies: list[dict[str, Any]] = field(default_factory=list)
    tree: dict[str, Any] | None = None


def resolve_model(store: Store, model: str) -> str:
    """The store's spelling of `model` (Hub ids are case-insensitive)."""
    for sql in (
        "SELECT hf_id FROM models WHERE hf_id = ?",
        "SELECT parent FROM edges WHERE parent = ? LIMIT 1",
        "SELECT hf_id FROM models WHERE lower(hf_id) = lower(?) ORDER BY hf_id LIMIT 1",
        "SELECT parent FROM edges WHERE lower(parent) = lower(?) ORDER BY parent LIMIT 1",
    ):
        row = store.con.execute(sql, [model]).fetchone()
        if row is not None:
            return str(row[0])
    raise NotFoundError(
        f"model {model!r} is not in the store",
        hint="import it with `robinet sync hub --author OWNER` or `--from FILE`",
    )


def _dirty_check(store: Store) -> None:
    if store.meta("lineage_dirty") == "1":
        from robinet.store.lineage.build import rebuild

        rebuild(store)


def lineage(store: Store, model: str, *, tree: bool = False) -> Lineage:
    """Ancestors (with relation, depth, signal, confidence), roots, descendants of `model`."""
    _dirty_check(store)
    hf_id = resolve_model(store, model)
    con = store.con
    own = con.execute("SELECT coalesce(license_id, license) FROM models WHERE hf_id = ?", [hf_id])
    own_row = own.fetchone()
    rows = con.execute(
        """
        SELECT c.ancestor, c.relation, c.depth, c.source, c.confidence, c.inferred,
               coalesce(m.license_id, m.license), m.hf_id IS NOT NULL,
               NOT EXISTS (SELECT 1 FROM edges e WHERE e.child = c.ancestor)
        FROM lineage_closure c LEFT JOIN models m ON m.hf_id = c.ancestor
        WHERE c.model = ? ORDER BY c.depth, c.ancestor
        """,
        [hf_id],
    ).fetchall()
    ancestors = [
        Ancestor(r[0], r[1], int(r[2]), r[3], round(float(r[4]), 4), bool(r[5]), r[6], bool(r[7]))
        for r in rows
    ]
    roots = sorted(r[0] for r in rows if r[8]) or ([] if rows else [hf_id])
    parents = store.query(
        "SELECT parent AS id, relation, source, confidence, evidence FROM edges "
        "WHERE child = ? ORDER BY parent",
        [hf_id],
    )
    by_relation = dict(
        con.execute(
            "SELECT relation, n FROM lineage_descendants WHERE ancestor = ?",
            [hf_id],
        ).fetchall()
    )
    descendants = {
        "total": int(sum(by_relation.values())),
        "by_relation": {r.value: int(by_relation.get(r.value, 0)) for r in Relation},
    }
    members = [hf_id, *(a.id for a in ancestors)]
    anomalies = store.query(
        "SELECT kind, model, parent, detail FROM lineage_anomalies "
        "WHERE model IN (SELECT unnest(?::VARCHAR[])) ORDER BY kind, model, parent",
        [members],
    )
    return Lineage(
        model=hf_id,
        license=own_row[0] if own_row else None,
        roots=roots,
        ancestors=ancestors,
        parents=parents,
        descendants=descendants,
        anomalies=anomalies,
        tree=_tree(store, hf_id, members) if tree else None,
    )


def _tree(store: Store, hf_id: str, members: list[str]) -> dict[str, Any]:
    """The model with its parents nested (each model once; a revisit is marked `seen`)."""
    edges = store.query(
        "SELECT child, parent, relation, confidence FROM edges "
        "WHERE child IN (SELECT unnest(?::VARCHAR[])) ORDER BY child, parent",
        [members],
    )
    by_child: dict[str, list[dict[str, Any]]] = {}
    for e in edges:
        by_child.setdefault(e["child"], []).append(e)
    seen: set[str] = set()

    def node(model: str, relation: str | None, confidence: float | None) -> dict[str, Any]:
        out: dict[str, Any] = {"id": model, "relation": relation, "confidence": confidence}
        if model in seen:
            out["seen"] = True
            return out
        seen.add(model)
        out["parents"] = [
            node(e["parent"], e["relation"], e["confidence"]) for e in by_child.get(model, [])
        ]
        return out

    return node(hf_id, None, None)


# -- check ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Member:
    """The model (depth 0) or one ancestor, with its license and that license's decision."""

    id: str
    depth: int
    license: str | None
    confidence: float
    decision: Decision


@dataclass(frozen=True, slots=True)
class LicenseVerdict:
    """One license found in the lineage, the models that carry it, and its verdict."""

    license: str | None
    models: list[str]
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class CheckResult:
    model: str
    decision: Decision
    decided_by: list[LicenseVerdict]
    licenses: list[LicenseVerdict]
    lineage: list[Member]
    obligations: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]


def check(store: Store, model: str, use: Any) -> CheckResult:
    """The verdict for `use` across the model and every ancestor's license.

    The strictest verdict decides (deny > conditional > allow); `decided_by` lists the
    licenses that give it, each with the models (the model itself or ancestors) that carry it
    and the clauses behind it. An unknown license makes the result at least conditional.
    """
    _dirty_check(store)
    hf_id = resolve_model(store, model)
    rows = store.con.execute(
        """
        SELECT ? AS id, 0 AS depth, 1.0 AS confidence
        UNION ALL
        SELECT ancestor, depth, confidence FROM lineage_closure WHERE model = ?
        """,
        [hf_id, hf_id],
    ).fetchall()
    licenses = dict(
        store.con.execute(
            "SELECT hf_id, license_id FROM models WHERE hf_id IN (SELECT unnest(?::VARCHAR[]))",
            [[r[0] for r in rows]],
        ).fetchall()
    )
    verdicts: dict[str | None, Verdict] = {}
    carriers: dict[str | None, list[str]] = {}
    members: list[Member] = []
    for member, depth, confidence in sorted(rows, key=lambda r: (r[1], r[0])):
        license_id = licenses.get(member)
        if license_id not in verdicts:
            verdicts[license_id] = licensing.check(license_id, use)
        carriers.setdefault(license_id, []).append(member)
        members.append(
            Member(
                member,
                int(depth),
                license_id,
                round(float(confidence), 4),
                verdicts[license_id].decision,
            )
        )
    by_license = [LicenseVerdict(lic, carriers[lic], v) for lic, v in verdicts.items()]
    worst = max((_SEVERITY[v.verdict.decision] for v in by_license), default=0)
    decision = next(d for d, s in _SEVERITY.items() if s == worst)
    obligations = store.query(
        """
        WITH inherited AS (
            SELECT hf_id AS origin, 0 AS depth, license_id, 'self' AS first_relation,
                   1.0 AS confidence
            FROM models WHERE hf_id = ? AND license_id IS NOT NULL
            UNION ALL
            SELECT origin, depth, license_id, first_relation, confidence
            FROM lineage_obligations WHERE model = ?
        )
        SELECT i.origin, i.depth, i.license_id, t.kind, t.clause, t.summary,
               round(i.confidence, 4) AS confidence
        FROM inherited i JOIN lineage_terms t USING (license_id)
        -- termination is the licensor's remedy; naming binds models that are made, not copies
        WHERE t.kind <> 'termination'
          AND NOT (t.kind = 'naming' AND i.first_relation = 'quantized')
        ORDER BY depth, origin, kind, clause
        """,
        [hf_id, hf_id],
    )
    return CheckResult(
        model=hf_id,
        decision=decision,
        decided_by=[v for v in by_license if v.verdict.decision == decision],
        licenses=by_license,
        lineage=members,
        obligations=obligations,
        conflicts=conflicts(store, model=hf_id)["conflicts"],
    )


# -- conflicts --------------------------------------------------------------------------------
def conflicts(
    store: Store,
    *,
    root: str | None = None,
    type: str | None = None,
    model: str | None = None,
    limit: int | None = None,
    declared_only: bool = False,
) -> dict[str, Any]:
    """Conflicts (optionally under one root, of one type), with counts by type."""
    _dirty_check(store)
    if type is not None and type not in CONFLICT_TYPES:
        raise UsageError(
            f"unknown conflict type {type!r}", hint=f"one of: {', '.join(CONFLICT_TYPES)}"
        )
    where = ["1 = 1"]
    params: list[Any] = []
    if root is not None:
        root_id = resolve_model(store, root)
        where.append(
            "(model = ? OR model IN (SELECT model FROM lineage_closure WHERE ancestor = ?))"
        )
        params += [root_id, root_id]
    if model is not None:
        where.append("model = ?")
        params.append(model)
    if declared_only:
        where.append("confidence >= 1")
    base = f"FROM lineage_conflicts WHERE {' AND '.join(where)}"
    counts = dict(
        store.con.execute(f"SELECT type, count(*) {base} GROUP BY type", params).fetchall()
    )
    if type is not None:
        base += " AND type = ?"
        params.append(type)
    sql = (
        "SELECT model, type, ancestor, ancestor_license, license, clause, quote, detail, depth, "
        f"round(confidence, 4) AS confidence {base} ORDER BY type, model"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return {
        "conflicts": store.query(sql, params),
        "counts": {t: int(counts.get(t, 0)) for t in CONFLICT_TYPES},
        "total": int(sum(counts.values())),
    }
