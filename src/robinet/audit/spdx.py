"""SPDX 3.0.1 AI-BOM (JSON-LD): `ai_AIPackage` elements and their lineage and licenses.

- each model audited and each ancestor is an `ai_AIPackage` (supplier, download location,
  version, primary purpose `model`; release time where the facts know it);
- lineage: for each edge child -> parent, `descendantOf` (child to parent) and `ancestorOf`
  (parent to child), the relation, signal and confidence in the relationship's `comment`;
- licenses: `hasDeclaredLicense` to the declared license, `hasConcludedLicense` to the
  concluded one (a `ConjunctiveLicenseSet` when the model inherits several); a license on the
  SPDX List is a `simplelicensing_LicenseExpression`, any other an
  `expandedlicensing_CustomLicense` with its name, text and URL.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from robinet.audit.bom_licenses import BomLicense, bom_license
from robinet.audit.result import AuditResult, ModelAudit

CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
MARKER = '"name": "robinet"'
CREATION = "_:creationinfo"


class _Graph:
    def __init__(self, namespace: str) -> None:
        self.ns = namespace
        self.elements: dict[str, dict[str, Any]] = {}
        self.relationships = 0

    def id(self, kind: str, key: str) -> str:
        safe = "".join(c if c.isalnum() or c in "-._" else "-" for c in key)
        return f"{self.ns}#{kind}-{safe}"

    def add(self, element: dict[str, Any]) -> str:
        self.elements.setdefault(element["spdxId"], element)
        return str(element["spdxId"])

    def relate(
        self, source: str, kind: str, targets: list[str], comment: str | None = None
    ) -> None:
        self.relationships += 1
        rel: dict[str, Any] = {
            "type": "Relationship",
            "spdxId": f"{self.ns}#relationship-{self.relationships}",
            "creationInfo": CREATION,
            "from": source,
            "relationshipType": kind,
            "to": targets,
        }
        if comment:
            rel["comment"] = comment
        self.add(rel)

    def license(self, lic: BomLicense) -> str:
        if lic.spdx:
            return self.add(
                {
                    "type": "simplelicensing_LicenseExpression",
                    "spdxId": self.id("license", lic.spdx),
                    "creationInfo": CREATION,
                    "simplelicensing_licenseExpression": lic.spdx,
                }
            )
        element: dict[str, Any] = {
            "type": "expandedlicensing_CustomLicense",
            "spdxId": self.id("license", lic.ref),
            "creationInfo": CREATION,
            "name": lic.name,
            "simplelicensing_licenseText": lic.text
            or f"The license text is not known to robinet ({lic.name}).",
        }
        if lic.url:
            element["expandedlicensing_seeAlso"] = [lic.url]
        return self.add(element)

    def supplier(self, owner: str) -> str:
        return self.add(
            {
                "type": "Organization",
                "spdxId": self.id("supplier", owner),
                "creationInfo": CREATION,
                "name": owner,
            }
        )

    def package(self, model: str, kind: str, audit: ModelAudit | None) -> str:
        owner = model.split("/", 1)[0] if kind == "hub" else "local"
        facts = audit.facts if audit else None
        element: dict[str, Any] = {
            "type": "ai_AIPackage",
            "spdxId": self.id("model", model),
            "creationInfo": CREATION,
            "name": model,
            "suppliedBy": self.supplier(owner),
            "software_downloadLocation": f"https://huggingface.co/{model}"
            if kind == "hub"
            else "NOASSERTION",
            "software_packageVersion": (
                facts.version if facts and facts.version else "NOASSERTION"
            ),
            "software_primaryPurpose": "model",
        }
        if kind == "hub":
            element["software_packageUrl"] = f"pkg:huggingface/{model}"
        if facts and facts.released:
            element["releaseTime"] = facts.released.strftime("%Y-%m-%dT%H:%M:%SZ")
        if facts and facts.task:
            element["ai_typeOfModel"] = [facts.task]
        if audit is not None:
            element["comment"] = f"robinet audit: {audit.decision} ({audit.status})"
        return self.add(element)


def _model(graph: _Graph, audit: ModelAudit) -> str:
    me = graph.package(audit.model, audit.kind, audit)
    ids = {audit.model: me}
    for node in audit.lineage:
        ids[node.id] = graph.package(node.id, "hub", None)
        graph.relate(
            ids[node.id],
            "hasDeclaredLicense",
            [graph.license(bom_license(node.license, node.declared))],
        )
    for e in audit.edges:
        if e.child not in ids or e.parent not in ids:
            continue
        comment = f"{e.relation} via {e.source}, confidence {e.confidence}"
        graph.relate(ids[e.child], "descendantOf", [ids[e.parent]], comment)
        graph.relate(ids[e.parent], "ancestorOf", [ids[e.child]], comment)
    graph.relate(
        me, "hasDeclaredLicense", [graph.license(bom_license(audit.license, audit.declared))]
    )
    concluded = list(
        {
            graph.license(bom_license(lic, audit.declared if lic is None else None)): 1
            for lic in audit.concluded
        }
    )
    if len(concluded) > 1:
        target = graph.add(
            {
                "type": "expandedlicensing_ConjunctiveLicenseSet",
                "spdxId": graph.id("concluded", audit.model),
                "creationInfo": CREATION,
                "expandedlicensing_member": concluded,
            }
        )
    else:
        target = concluded[0]
    graph.relate(me, "hasConcludedLicense", [target], "its own license and every inherited one")
    return me


def to_spdx(result: AuditResult, *, created: datetime | None = None) -> dict[str, Any]:
    from robinet import __version__

    created = created or datetime.now(UTC)
    names = ",".join(m.model for m in result.models)
    namespace = f"urn:robinet:{uuid.uuid5(uuid.NAMESPACE_URL, names + created.isoformat())}"
    graph = _Graph(namespace)
    agent = graph.add(
        {
            "type": "SoftwareAgent",
            "spdxId": f"{namespace}#agent-robinet",
            "creationInfo": CREATION,
            "name": "robinet",
        }
    )
    tool = graph.add(
        {
            "type": "Tool",
            "spdxId": f"{namespace}#tool-robinet",
            "creationInfo": CREATION,
            "name": f"robinet {__version__}",
        }
    )
    roots = [_model(graph, m) for m in result.models]
    document = {
        "type": "SpdxDocument",
        "spdxId": f"{namespace}#document",
        "creationInfo": CREATION,
        "name": f"robinet AI-BOM: {names}",
        "profileConformance": ["core", "software", "ai", "simpleLicensing", "expandedLicensing"],
        "rootElement": roots,
        "element": sorted(k for k in graph.elements if k not in (agent, tool)),
    }
    info = {
        "type": "CreationInfo",
        "@id": CREATION,
        "specVersion": "3.0.1",
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "createdBy": [agent],
        "createdUsing": [tool],
    }
    graph_items = [info, graph.elements[agent], graph.elements[tool], document]
    graph_items += [e for k, e in graph.elements.items() if k not in (agent, tool)]
    return {"@context": CONTEXT, "@graph": graph_items}


def render(result: AuditResult, **options: Any) -> str:
    return json.dumps(to_spdx(result, **options), indent=2, ensure_ascii=False) + "\n"
