"""Questions about one model (its lineage, its verdict) and about conflicts, over the store.

Pure logic over the typed rows of `robinet.store.lineage.queries` (the derived lineage tables,
see `robinet.store.lineage.build`); no SQL here. Results are frozen dataclasses; the CLI
formats them.

Reads never write: when a sync stopped before it rebuilt the lineage (the store's
`lineage_dirty` flag), every question raises `StaleStoreError` instead of answering from
stale tables; `robinet.store.lineage.repair` rebuilds them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from robinet.errors import NotFoundError, StaleStoreError, UsageError
from robinet.licenses import lineage_terms as licensing
from robinet.model import Decision, Relation, Verdict
from robinet.store.db import Store
from robinet.store.lineage import queries
from robinet.store.lineage.obligations import CONFLICT_TYPES
from robinet.store.lineage.queries import AnomalyRow, ConflictRow

# Hub pipeline tags and tags that say what a model takes in, beyond text.
_PIPELINE_MODALITY = {
    "image-text-to-text": "vision",
    "visual-question-answering": "vision",
    "document-question-answering": "vision",
    "image-to-text": "vision",
    "video-text-to-text": "vision",
    "image-classification": "vision",
    "object-detection": "vision",
    "image-segmentation": "vision",
    "text-to-image": "vision",
    "image-to-image": "vision",
    "text-to-video": "vision",
    "any-to-any": "multimodal",
    "automatic-speech-recognition": "audio",
    "text-to-speech": "audio",
    "text-to-audio": "audio",
    "audio-classification": "audio",
    "audio-to-audio": "audio",
    "audio-text-to-text": "audio",
    "text-generation": "text",
    "text2text-generation": "text",
    "fill-mask": "text",
    "feature-extraction": "text",
    "sentence-similarity": "text",
    "text-classification": "text",
    "token-classification": "text",
    "question-answering": "text",
    "summarization": "text",
    "translation": "text",
}
_TAG_MODALITY = {
    "multimodal": "multimodal",
    "vision": "vision",
    "image-text-to-text": "vision",
    "mllama": "vision",
    "llava": "vision",
    "vision-language": "vision",
    "audio": "audio",
    "speech": "audio",
}

__all__ = [
    "Ancestor",
    "AnomalyRow",
    "CheckResult",
    "ConflictReport",
    "ConflictRow",
    "LicenseVerdict",
    "Lineage",
    "Member",
    "Modality",
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
    """The store's spelling of `model` (Hub ids are case-insensitive); NotFoundError with the
    closest ids the store holds when it is not there."""
    found = queries.spelling(store, model)
    if found is None:
        close = queries.close_models(store, model)
        hint = "import it with `robinet sync hub --author OWNER` or `--from FILE`"
        if close:
            hint = f"did you mean {', '.join(repr(c) for c in close)}? Otherwise {hint}"
        raise NotFoundError(f"model {model!r} is not in the store", hint=hint)
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
class Modality:
    """The modality a check used, and where it came from (`given`, or a model's pipeline tag
    or tags), or None when nothing said."""

    modality: str | None
    source: str


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The whole lineage's verdict (`verdict`: the same object `license check` returns, for the
    web API and the CLI alike), who decided it, and the terms the model carries."""

    model: str
    decision: Decision
    verdict: Verdict
    decided_by: list[LicenseVerdict]
    licenses: list[LicenseVerdict]
    lineage: list[Member]
    obligations: list[Obligation]
    conflicts: list[ConflictRow]
    modality: Modality


def detect_modality(store: Store, members: list[str]) -> Modality:
    """The model's modality from its own Hub metadata, then its ancestors' (nearest first):
    the first non-text modality found wins (a fine-tune of a vision model is one, even when
    its card says text-generation); text when only text is found; None when nothing is."""
    rows = queries.modality_rows(store, members)
    text_from: str | None = None
    for model in members:
        row = rows.get(model)
        if row is None:
            continue
        found = []
        if row.pipeline_tag and row.pipeline_tag in _PIPELINE_MODALITY:
            found.append(
                (_PIPELINE_MODALITY[row.pipeline_tag], f"pipeline tag {row.pipeline_tag!r}")
            )
        for tag in row.tags:
            if tag.lower() in _TAG_MODALITY:
                found.append((_TAG_MODALITY[tag.lower()], f"tag {tag!r}"))
        for modality, why in found:
            if modality != "text":
                return Modality(modality, f"{why} of {model}")
            text_from = text_from or f"{why} of {model}"
    if text_from:
        return Modality("text", text_from)
    return Modality(None, "not stated by the model or its ancestors")


def _applies(term: queries.InheritedTerm) -> bool:
    """Termination is the licensor's remedy, not a duty; naming binds models that are made
    (fine-tuned, merged, adapted, distilled), not a quantized copy."""
    if term.kind == "termination":
        return False
    return not (term.kind == "naming" and term.first_relation == "quantized")


def check(store: Store, model: str, use: Any) -> CheckResult:
    """The verdict for `use` across the model and every ancestor's license.

    The strictest verdict decides (deny > unknown > conditional > allow); `decided_by` lists
    the licenses that give it, each with the models (the model itself or ancestors) that carry
    it and the clauses behind it. A license that cannot be resolved is `unknown`. The use's
    modality, when not given, is read from the model and its ancestors (`detect_modality`).
    """
    require_fresh(store)
    hf_id = resolve_model(store, model)
    rows = queries.members(store, hf_id)
    if use.modality is None:
        found = detect_modality(store, [r.id for r in rows])
        if found.modality is not None:
            use = dataclasses.replace(use, modality=found.modality, modality_source=found.source)
    else:
        found = Modality(use.modality, use.modality_source or "given")
    verdicts: dict[str | None, Verdict] = {}
    carriers: dict[str | None, list[str]] = {}
    members: list[Member] = []
    for row in rows:  # by depth, then id
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
    verdict = licensing.combine([v.verdict for v in by_license])
    decision = verdict.decision
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
        verdict=verdict,
        modality=found,
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


def check_document(result: CheckResult, use: Any) -> dict[str, Any]:
    """`robinet check --json`'s object, which the web API returns too: `verdict` is the
    combined verdict of the whole lineage (the same object as `license check`'s); the rest says
    who decided, and where the modality came from."""
    from robinet.jsonable import to_jsonable

    data: dict[str, Any] = to_jsonable(result)
    data.pop("decision")
    data["use"] = to_jsonable(use)
    return data
