"""CycloneDX 1.6 / 1.7 AI-BOM: one `machine-learning-model` component per model audited.

- `pedigree.ancestors`: the whole lineage, each ancestor a component with its declared
  license and, as properties, its depth and the relation, signal and confidence of the edge
  into it (`robinet:edge` names every edge child -> parent);
- `licenses`: the declared license (`acknowledgement: declared`) and the concluded ones — the
  model's own and every license it inherits (`acknowledgement: concluded`); an SPDX id where
  the SPDX List has one, else `LicenseRef-robinet-<id>` (name, URL, text); never dropped;
- `modelCard.modelParameters`: task, architecture, datasets, inputs/outputs where known;
- properties: the decision, the status, and each obligation (`robinet:obligation`).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from robinet.audit.bom_licenses import BomLicense, bom_license
from robinet.audit.result import AuditResult, LineageNode, ModelAudit

SPEC_VERSIONS = ("1.6", "1.7")
MARKER = '"bomFormat": "CycloneDX"'
_IO = {"text": "text", "vision": "image", "audio": "audio", "multimodal": "multimodal"}


def _license(lic: BomLicense, acknowledgement: str) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if lic.spdx:
        body["id"] = lic.spdx
    else:
        body["name"] = lic.name
        if lic.url:
            body["url"] = lic.url
        if lic.text:
            body["text"] = {"content": lic.text, "contentType": "text/plain"}
        body["properties"] = [{"name": "robinet:license-ref", "value": lic.ref}]
    body["acknowledgement"] = acknowledgement
    return {"license": body}


def _licenses(declared: BomLicense, concluded: list[BomLicense]) -> list[dict[str, Any]]:
    out = [_license(declared, "declared")]
    out += [_license(lic, "concluded") for lic in concluded]
    return out


def _prop(name: str, value: object) -> dict[str, str]:
    return {"name": f"robinet:{name}", "value": str(value)}


def _identity(model: str, kind: str) -> dict[str, Any]:
    if kind == "local":
        return {"name": model}
    group, _, name = model.partition("/")
    return {
        "group": group,
        "name": name,
        "purl": f"pkg:huggingface/{model}",
        "externalReferences": [{"type": "distribution", "url": f"https://huggingface.co/{model}"}],
    }


def _ancestor(node: LineageNode, audit: ModelAudit, ref: str) -> dict[str, Any]:
    lic = bom_license(node.license, node.declared)
    props = [
        _prop("depth", node.depth),
        _prop("relation", node.relation),
        _prop("source", node.source),
        _prop("confidence", node.confidence),
        _prop("inferred", str(node.inferred).lower()),
        _prop("in-store", str(node.in_store).lower()),
    ]
    props += [
        _prop("edge", f"{e.child} -> {e.parent} ({e.relation}, {e.source}, {e.confidence})")
        for e in audit.edges
        if e.parent == node.id
    ]
    return {
        "type": "machine-learning-model",
        "bom-ref": f"{ref}/ancestor:{node.id}",
        **_identity(node.id, "hub"),
        "licenses": [_license(lic, "declared")],
        "properties": props,
    }


def _model_card(audit: ModelAudit) -> dict[str, Any]:
    facts = audit.facts
    params: dict[str, Any] = {}
    if facts.task:
        params["task"] = facts.task
    if facts.architecture:
        params["modelArchitecture"] = facts.architecture
    if facts.datasets:
        params["datasets"] = [{"type": "dataset", "name": d} for d in facts.datasets]
    if facts.modality:
        params["inputs"] = [{"format": _IO.get(facts.modality, facts.modality)}]
        params["outputs"] = [{"format": "text"}]
    card: dict[str, Any] = {"modelParameters": params} if params else {}
    props = []
    if facts.parameters is not None:
        props.append(_prop("parameters", facts.parameters))
    if facts.library:
        props.append(_prop("library", facts.library))
    if props:
        card["properties"] = props
    return card


def component(audit: ModelAudit) -> dict[str, Any]:
    ref = f"model:{audit.model}"
    declared = bom_license(audit.license, audit.declared)
    concluded = [
        bom_license(lic, audit.declared if lic is None else None) for lic in audit.concluded
    ]
    out: dict[str, Any] = {
        "type": "machine-learning-model",
        "bom-ref": ref,
        **_identity(audit.model, audit.kind),
        "licenses": _licenses(declared, list({c.key: c for c in concluded}.values())),
    }
    if audit.lineage:
        out["pedigree"] = {"ancestors": [_ancestor(n, audit, ref) for n in audit.lineage]}
    card = _model_card(audit)
    if card:
        out["modelCard"] = card
    props = [_prop("decision", audit.decision), _prop("status", audit.status)]
    if audit.deciding is not None:
        d = audit.deciding
        props.append(_prop("deciding", f"{d.model} {d.license or 'unknown'} §{d.clause or '-'}"))
    props += [
        _prop("obligation", f"[{o.kind}] {o.text} ({o.license} §{o.clause})")
        for o in audit.obligations
    ]
    props += [_prop("finding", f"{f.level} {f.rule}: {f.message}") for f in audit.findings]
    out["properties"] = props
    return out


def to_cyclonedx(
    result: AuditResult, *, spec_version: str = "1.6", created: datetime | None = None
) -> dict[str, Any]:
    from robinet import __version__

    if spec_version not in SPEC_VERSIONS:
        from robinet.errors import UsageError

        raise UsageError(f"--spec-version must be one of {', '.join(SPEC_VERSIONS)}")
    created = created or datetime.now(UTC)
    components = [component(m) for m in result.models]
    seed = json.dumps(components, sort_keys=True) + created.isoformat()
    return {
        "bomFormat": "CycloneDX",
        "$schema": f"http://cyclonedx.org/schema/bom-{spec_version}.schema.json",
        "specVersion": spec_version,
        "serialNumber": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}",
        "version": 1,
        "metadata": {
            "timestamp": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tools": {
                "components": [{"type": "application", "name": "robinet", "version": __version__}]
            },
            "properties": [_prop("gate", "pass" if result.passed else "fail")],
        },
        "components": components,
    }


def render(result: AuditResult, **options: Any) -> str:
    return json.dumps(to_cyclonedx(result, **options), indent=2, ensure_ascii=False) + "\n"
