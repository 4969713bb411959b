"""Questions about one model (its lineage, its verdict) and about conflicts, over the store.

Pure logic over the typed rows of `robinet.store.lineage.queries` (the derived lineage tables,
see `robinet.store.lineage.build`); no SQL here. Results are frozen dataclasses; the CLI
formats them.

Reads never write: when a sync stopped before it rebuilt the lineage (the store's
`lineage_dirty` flag), every question raises `StaleStoreError` instead of answering from
stale tables; `robinet.store.lineage.repair` rebuilds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from robinet.errors import NotFoundError, StaleStoreError, UsageError
from robinet.licenses import lineage_terms as licensing
from robinet.model import Decision, Relation, Verdict
from robinet.store.db import Store
from robinet.store.lineage import queries
from robinet.store.lineage.obligations import CONFLICT_TYPES
from robinet.store.lineage.queries import AnomalyRow, ConflictRow

_SEVERITY = {Decision.ALLOW: 0, Decision.CONDITIONAL: 1, Decision.DENY: 2}

__all__ = [
    "Ancestor",
    "AnomalyRow",
    "CheckResult",
    "ConflictReport",
    "ConflictRow",
    "LicenseVerdict",
    "Lineage",
    "Member",
    "Obligation",
    "Parent",
    "check",
    "conflicts",
    "lineage",
    "require_fresh",
    "resolve_model",
]


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
class Parent:
    """A direct edge out of the model, with the evidence that gave it."""

    id: str
    relation: str
    source: str
    confidence: float
    evidence: str | None


@dataclass(frozen=True, slots=True)
class Lineage:
    model: str
    license: str | None
    roots: list[str]
    ancestors: list[Ancestor]
    parents: list[Parent]
    descendants: dict[str, Any]  # {"total": n, "by_relation": {relation: n}}
    anomalies: list[AnomalyRow] = field(default_factory=list)
    tree: dict[str, Any] | None = None


def require_fresh(store: Store) -> None:
    """Raise StaleStoreError when the derived lineage tables lag behind the facts."""
    state = queries.lineage_state(store)
    if not state.dirty:
        return
    counted = (
        f" (the store holds {state.models:,} models; the last rebuild saw "
        f"{state.models_at_rebuild:,})"
        if state.models_at_rebuild is not None
        else ""
    )
    raise StaleStoreError(
        "the lineage tables are out of date: a sync or an import stopped before it rebuilt "
        f"them{counted}"
    )


def resolve_model(store: Store, model: str) -> str:
    """The store's spelling of `model` (Hub ids are case-insensitive)."""
    found = queries.spelling(store, model)
    if found is None:
        raise NotFoundError(
            f"model {model!r} is not in the store",
            hint="import it with `robinet sync hub --author OWNER` or `--from FILE`",
        )
    return found


def lineage(store: Store, model: str, *, tree: bool = False) -> Lineage:
    """Ancestors (with relation, depth, signal, confidence), roots, descendants of `model`."""
    require_fresh(store)
    hf_id = resolve_model(store, model)
    own = queries.model_row(store, hf_id)
    rows = queries.ancestors(store, hf_id)
    ancestors = [
        Ancestor(
            r.ancestor,
            r.relation,
            r.depth,
            r.source,
            round(r.confidence, 4),
            r.inferred,
            r.license,
            r.in_store,
        )
        for r in rows
    ]
    # A pure cycle has no root; a model with no ancestors is its own root.
    roots = sorted(r.ancestor for r in rows if r.is_root) or ([] if rows else [hf_id])
    parents = [
        Parent(e.parent, e.relation, e.source, e.confidence, e.evidence)
        for e in queries.edges_from(store, [hf_id])
    ]
    by_relation = queries.descendant_counts(store, hf_id)
    descendants = {
        "total": sum(by_relation.values()),
        "by_relation": {r.value: by_relation.get(r.value, 0) for r in Relation},
    }
    members = [hf_id, *(a.id for a in ancestors)]
    return Lineage(
        model=hf_id,
        license=(own.license_id or own.license) if own else None,
        roots=roots,
        ancestors=ancestors,
        parents=parents,
        descendants=descendants,
        anomalies=queries.anomalies_of(store, members),
        tree=_tree(store, hf_id, members) if tree else None,
    )


def _tree(store: Store, hf_id: str, members: list[str]) -> dict[str, Any]:
    """The model with its parents nested (each model once; a revisit is marked `seen`)."""
    by_child: dict[str, list[queries.EdgeRow]] = {}
    for e in queries.edges_from(store, members):
        by_child.setdefault(e.child, []).append(e)
    seen: set[str] = set()

    def node(model: str, relation: str | None, confidence: float | None) -> dict[str, Any]:
        out: dict[str, Any] = {"id": model, "relation": relation, "confidence": confidence}
        if model in seen:
            out["seen"] = True
            return out
        seen.add(model)
        out["parents"] = [node(e.parent, e.relation, e.confidence) for e in by_child.get(model, [])]
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
class Obligation:
    """A term the model must honour: of its own license (depth 0) or inherited from `origin`."""

    origin: str
    depth: int
    license_id: str
    kind: str
    clause: str | None
    summary: str | None
    confidence: float


@dataclass(frozen=True, slots=True)
class CheckResult:
    model: str
    decision: Decision
    decided_by: list[LicenseVerdict]
    licenses: list[LicenseVerdict]
    lineage: list[Member]
    obligations: list[Obligation]
    conflicts: list[ConflictRow]


def _applies(term: queries.InheritedTerm) -> bool:
    """Termination is the licensor's remedy, not a duty; naming binds models that are made
    (fine-tuned, merged, adapted, distilled), not a quantized copy."""
    if term.kind == "termination":
        return False
    return not (term.kind == "naming" and term.first_relation == "quantized")


def check(store: Store, model: str, use: Any) -> CheckResult:
    """The verdict for `use` across the model and every ancestor's license.

    The strictest verdict decides (deny > conditional > allow); `decided_by` lists the
    licenses that give it, each with the models (the model itself or ancestors) that carry it
    and the clauses behind it. An unknown license makes the result at least conditional.
    """
    require_fresh(store)
    hf_id = resolve_model(store, model)
    verdicts: dict[str | None, Verdict] = {}
    carriers: dict[str | None, list[str]] = {}
    members: list[Member] = []
    for row in queries.members(store, hf_id):  # by depth, then id
        if row.license_id not in verdicts:
            verdicts[row.license_id] = licensing.check(row.license_id, use)
        carriers.setdefault(row.license_id, []).append(row.id)
        members.append(
            Member(
                row.id,
                row.depth,
                row.license_id,
                round(row.confidence, 4),
                verdicts[row.license_id].decision,
            )
        )
    by_license = [LicenseVerdict(lic, carriers[lic], v) for lic, v in verdicts.items()]
    worst = max((_SEVERITY[v.verdict.decision] for v in by_license), default=0)
    decision = next(d for d, s in _SEVERITY.items() if s == worst)
    obligations = [
        Obligation(
            t.origin, t.depth, t.license_id, t.kind, t.clause, t.summary, round(t.confidence, 4)
        )
        for t in queries.inherited_terms(store, hf_id)
        if _applies(t)
    ]
    return CheckResult(
        model=hf_id,
        decision=decision,
        decided_by=[v for v in by_license if v.verdict.decision == decision],
        licenses=by_license,
        lineage=members,
        obligations=obligations,
        conflicts=queries.conflict_rows(store, model=hf_id),
    )


# -- conflicts --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ConflictReport:
    """Conflicts listed (by type, then model), their number, and counts by type over every
    type matching the other filters (`--type` narrows the list, not the counts)."""

    conflicts: list[ConflictRow]
    count: int  # listed
    counts: dict[str, int]
    total: int  # matching, over every type


def conflicts(
    store: Store,
    *,
    root: str | None = None,
    type: str | None = None,
    model: str | None = None,
    limit: int | None = None,
    declared_only: bool = False,
) -> ConflictReport:
    """Conflicts (of one model, or under one root, of one type), with counts by type."""
    require_fresh(store)
    if type is not None and type not in CONFLICT_TYPES:
        raise UsageError(
            f"unknown conflict type {type!r}", hint=f"one of: {', '.join(CONFLICT_TYPES)}"
        )
    under = resolve_model(store, root) if root is not None else None
    counts = queries.conflict_counts(store, model=model, under=under, declared_only=declared_only)
    listed = queries.conflict_rows(
        store, model=model, under=under, type=type, declared_only=declared_only, limit=limit
    )
    return ConflictReport(
        conflicts=listed,
        count=len(listed),
        counts={t: counts.get(t, 0) for t in CONFLICT_TYPES},
        total=sum(counts.values()),
    )
