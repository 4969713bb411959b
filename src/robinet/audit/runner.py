"""The audit: every model of a list, across its whole lineage, under one policy.

`audit(store, specs, policy)` reads the store through the lineage engine (a Hub model's
ancestors, licenses and conflicts) and reads local folders (`audit.local`), then judges each
(`audit.judge`) and applies the policy's exceptions. It never stops at a bad model: a model
the store lacks or a folder that cannot be read is a finding of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from robinet.audit.judge import Judgement, Member, judge
from robinet.audit.local import LocalModel, read_local
from robinet.audit.policy import Policy
from robinet.audit.result import (
    AuditResult,
    Facts,
    Finding,
    LineageEdge,
    LineageNode,
    ModelAudit,
    ModelSpec,
    Obligation,
)
from robinet.errors import NotFoundError
from robinet.lineage import query
from robinet.store.db import Store
from robinet.store.lineage import queries as lineage_rows

Progress = Callable[[int, int, str], None]
# Hub pipeline tags a model's tags may carry (the task of its model card).
_TASK_SUFFIXES = ("-to-", "-generation", "-classification", "-detection", "-segmentation")
_TASKS = (
    "fill-mask",
    "question-answering",
    "summarization",
    "translation",
    "feature-extraction",
    "sentence-similarity",
    "automatic-speech-recognition",
    "text-to-speech",
    "depth-estimation",
    "zero-shot-image-classification",
)


class _Lineage:
    """What the store knows of a Hub model: members, nodes, edges, conflicts, facts."""

    def __init__(self, store: Store, hf_id: str) -> None:
        found = query.lineage(store, hf_id)  # resolves the spelling; NotFoundError if absent
        self.model = found.model
        declared = {a.id: a.license for a in found.ancestors}
        facts = _hub_facts(store, self.model)
        own = facts[0]
        declared[self.model] = own
        self.declared = own
        self.members = [
            Member(m.id, m.depth, m.license_id, declared.get(m.id))
            for m in lineage_rows.members(store, self.model)
        ]
        self.nodes = tuple(
            LineageNode(
                a.id,
                a.depth,
                a.relation,
                a.source,
                a.confidence,
                a.inferred,
                next((m.license for m in self.members if m.id == a.id), None),
                a.license,
                a.in_store,
            )
            for a in found.ancestors
        )
        self.edges = tuple(
            LineageEdge(e.child, e.parent, e.relation, e.source, round(e.confidence, 4))
            for e in lineage_rows.edges_from(store, [m.id for m in self.members])
        )
        self.conflicts = lineage_rows.conflict_rows(store, model=self.model)
        self.facts = facts[1]


def _hub_facts(store: Store, hf_id: str) -> tuple[str | None, Facts]:
    """The raw license declaration and the card facts the store keeps for a Hub model."""
    from robinet.store.queries.openness import hub_model

    row = hub_model(store, hf_id)
    tags = row.tags if row else ()
    task = next(
        (t for t in tags if t in _TASKS or (any(s in t for s in _TASK_SUFFIXES) and ":" not in t)),
        None,
    )
    datasets = tuple(t.split(":", 1)[1] for t in tags if t.startswith("dataset:"))
    modality = "multimodal" if task in ("image-text-to-text", "any-to-any") else None
    facts = Facts(
        task=task,
        datasets=datasets,
        library=row.library_name if row else None,
        modality=modality,
        url=f"https://huggingface.co/{hf_id}",
    )
    return (row.license if row else None), facts


def _finish(
    spec: ModelSpec,
    model: str,
    judged: Judgement,
    extra: Sequence[Finding],
    policy: Policy,
    today: dt.date,
    **rest: Any,
) -> ModelAudit:
    """Apply the policy's exceptions and build the model's audit."""
    findings = [*judged.findings, *extra]
    failing = any(f.level == "error" for f in findings)
    status = "fail" if failing else "pass"
    exception = policy.exception_for(model) or policy.exception_for(spec.text)
    if exception is not None:
        until = f" until {exception.until.isoformat()}" if exception.until else ""
        if exception.expired(today):
            findings.append(
                Finding(
                    "exception-expired",
                    "error" if failing else "warning",
                    f"the policy's exception for {exception.model} ({exception.reason}) expired on "
                    f"{exception.until}: it no longer applies",
                    model=model,
                )
            )
        elif failing:
            status = "waived"
            findings = [
                Finding(
                    f.rule,
                    f.level,
                    f.message,
                    f.license,
                    f.clause,
                    f.model,
                    f.location,
                    exception.reason,
                )
                if f.level == "error"
                else f
                for f in findings
            ]
            findings.append(
                Finding(
                    "exception-applied",
                    "note",
                    f"waived by the policy's exception{until}: {exception.reason}",
                    model=model,
                )
            )
    return ModelAudit(
        model=model,
        kind=spec.kind,
        input=spec.text,
        location=spec.location,
        decision=judged.decision,
        status=status,
        deciding=judged.deciding,
        reasons=judged.reasons,
        obligations=judged.obligations,
        findings=tuple(findings),
        licenses=judged.licenses,
        **rest,
    )


def _missing(spec: ModelSpec, policy: Policy, today: dt.date, message: str) -> ModelAudit:
    judged = Judgement("unknown", None, (), (), (), ())
    finding = Finding("model-not-found", "error", message, model=spec.id)
    return _finish(
        spec,
        spec.id,
        judged,
        [finding],
        policy,
        today,
        license=None,
        declared=None,
        concluded=(None,),
        lineage=(),
        edges=(),
    )


def _concluded(members: Sequence[Member]) -> tuple[str | None, ...]:
    return tuple(dict.fromkeys(m.license for m in sorted(members, key=lambda m: m.depth)))


def _audit_hub(store: Store, spec: ModelSpec, policy: Policy, today: dt.date) -> ModelAudit:
    try:
        found = _Lineage(store, spec.id)
    except NotFoundError as exc:
        return _missing(spec, policy, today, f"{spec.id}: {exc.message}")
    uses = policy.uses(found.facts.modality).uses
    judged = judge(found.members, uses, policy)
    extra = [
        Finding(
            "lineage-conflict",
            "warning",
            f"{c.type}: {c.detail}",
            license=c.ancestor_license,
            clause=c.clause,
            model=c.ancestor or c.model,
        )
        for c in found.conflicts
    ]
    own = found.members[0].license if found.members else None
    return _finish(
        spec,
        found.model,
        judged,
        extra,
        policy,
        today,
        license=own,
        declared=found.declared,
        concluded=_concluded(found.members),
        lineage=found.nodes,
        edges=found.edges,
        facts=found.facts,
    )


def _audit_local(store: Store, spec: ModelSpec, policy: Policy, today: dt.date) -> ModelAudit:
    local: LocalModel = read_local(spec.id)
    model = spec.text
    extra = [
        Finding("card-unreadable", "warning", p, model=model, location=local.card_location)
        for p in local.problems
    ]
    if local.card_license and local.file_license and local.card_license != local.file_license:
        extra.append(
            Finding(
                "card-license-mismatch",
                "warning",
                f"the card declares {local.card_license} but {local.license_file} is "
                f"{local.file_license}: both are checked",
                license=local.file_license,
                model=model,
                location=local.license_location,
            )
        )
    members = [Member(model, 0, lic, local.declared) for lic in local.licenses]
    nodes: list[LineageNode] = []
    edges: list[LineageEdge] = []
    uses = policy.uses(local.modality).uses
    for base in local.bases:
        edges.append(LineageEdge(model, base.id, base.relation, base.source, 1.0))
        try:
            found = _Lineage(store, base.id)
        except NotFoundError:
            extra.append(
                Finding(
                    "base-model-not-found",
                    "error" if not policy.allow_unknown else "warning",
                    f"the base model {base.id} is not in the store: its license is unknown",
                    model=base.id,
                    location=local.card_location,
                )
            )
            members.append(Member(base.id, 1, None, None))
            nodes.append(
                LineageNode(base.id, 1, base.relation, base.source, 1.0, False, None, None, False)
            )
            continue
        members += [Member(m.id, m.depth + 1, m.license, m.declared) for m in found.members]
        nodes.append(
            LineageNode(
                found.model,
                1,
                base.relation,
                base.source,
                1.0,
                False,
                found.members[0].license,
                found.declared,
                True,
            )
        )
        nodes += [
            LineageNode(
                n.id,
                n.depth + 1,
                n.relation,
                n.source,
                n.confidence,
                n.inferred,
                n.license,
                n.declared,
                n.in_store,
            )
            for n in found.nodes
        ]
        edges += found.edges
    judged = judge(members, uses, policy)
    facts = Facts(
        task=local.task,
        datasets=local.datasets,
        parameters=local.parameters,
        library=local.library,
        modality=local.modality,
        architecture=local.architecture,
    )
    spec_here = (
        spec if spec.location else ModelSpec(spec.text, spec.kind, spec.id, local.card_location)
    )
    return _finish(
        spec_here,
        model,
        judged,
        extra,
        policy,
        today,
        license=local.licenses[0],
        declared=local.declared,
        concluded=_concluded(members),
        lineage=_unique(nodes),
        edges=tuple(dict.fromkeys(edges)),
        facts=facts,
    )


def _unique(nodes: Sequence[LineageNode]) -> tuple[LineageNode, ...]:
    seen: dict[str, LineageNode] = {}
    for n in sorted(nodes, key=lambda n: n.depth):
        seen.setdefault(n.id, n)
    return tuple(seen.values())


def checklist(models: Sequence[ModelAudit]) -> tuple[Obligation, ...]:
    """Every model's obligations as one checklist, deduplicated (models joined), by kind."""
    merged: dict[tuple[str, str, str | None, str | None], Obligation] = {}
    for audit in models:
        for o in audit.obligations:
            key = (o.kind, o.text, o.license, o.clause)
            have = merged.get(key)
            models_ = (*have.models, audit.model) if have else (audit.model,)
            merged[key] = Obligation(
                o.kind, o.text, o.license, o.clause, tuple(dict.fromkeys(models_))
            )
    return tuple(sorted(merged.values(), key=lambda o: (o.kind, o.license or "", o.text)))


def audit(
    store: Store,
    specs: Sequence[ModelSpec],
    policy: Policy | None = None,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> AuditResult:
    """Audit `specs` under `policy` (the defaults when None), as of `today`."""
    policy = policy or Policy()
    today = today or dt.date.today()
    query.require_fresh(store)
    context = policy.uses()
    warnings = tuple(
        {
            "source": "policy",
            "file": policy.file,
            "row": None,
            "field": f"context.{key}",
            "message": f"{key} is not evaluated: the verdict engine asks no question about it yet",
        }
        for key in context.not_evaluated
    )
    models: list[ModelAudit] = []
    for n, spec in enumerate(specs):
        if progress:
            progress(n, len(specs), spec.text)
        run = _audit_local if spec.kind == "local" else _audit_hub
        models.append(run(store, spec, policy, today))
    if progress:
        progress(len(specs), len(specs), "")
    return AuditResult(
        models=tuple(models),
        obligations=checklist(models),
        policy=policy.file,
        context=dict(policy.context),
        warnings=warnings,
        checked_on=today,
    )
