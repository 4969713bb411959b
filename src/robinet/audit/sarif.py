"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer).

One run, `tool.driver` named robinet with every rule (id, name, short and full description,
help text, default level); one result per finding, each with `ruleId`, `ruleIndex`, `level`,
`message.text`, a location at the line of the models file (or the model card) that names the
model, and a `partialFingerprints` entry so that code scanning follows a result across runs.
A finding waived by a policy exception carries an external suppression with its reason.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from robinet.audit.result import AuditResult, Finding, Location, ModelAudit

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
MARKER = '"name": "robinet"'
INFORMATION_URI = "https://github.com/robinet/robinet/blob/main/docs/audit.md"

# rule id -> (short description, full description, help, default level)
RULES: dict[str, tuple[str, str, str, str]] = {
    "verdict-deny": (
        "A license in the model's lineage forbids the use",
        "The license of the model or of one of its ancestors forbids the use the policy's "
        "context describes; the clause and the model carrying it are named.",
        "Choose another model, change the use, or obtain a separate license from the "
        "licensor. `robinet check MODEL` shows the whole lineage.",
        "error",
    ),
    "unknown-license": (
        "A license in the model's lineage is unknown",
        "The license of the model or of an ancestor could not be resolved, so its terms "
        "cannot be checked.",
        "Find the license that applies (the repository's LICENSE file, the card's "
        "license_name) or set `allow_unknown: true` in the policy.",
        "error",
    ),
    "denied-license": (
        "The policy denies a license in the lineage",
        "A license the policy lists under deny_licenses is carried by the model or an ancestor.",
        "Replace the model or remove the license from deny_licenses.",
        "error",
    ),
    "license-not-allowed": (
        "A license in the lineage is not allowed by the policy",
        "The policy lists allowed licenses and a license of the lineage is not among them.",
        "Replace the model, or add the license to allow_licenses after review.",
        "error",
    ),
    "denied-category": (
        "A license in the lineage falls in a denied category",
        "The terms of a license of the lineage put it in a category the policy denies "
        "(non-commercial, field-of-use...).",
        "Replace the model or review deny_categories.",
        "error",
    ),
    "model-not-found": (
        "The model is not in the store",
        "The model could not be found in the robinet store, so its lineage and license are "
        "unknown.",
        "Import it with `robinet sync hub --author OWNER` or `--from FILE`, or fix the id.",
        "error",
    ),
    "base-model-not-found": (
        "A local model's base model is not in the store",
        "A local model folder names a base model the store does not hold: its license is unknown.",
        "Import the base model into the store (`robinet sync hub`).",
        "error",
    ),
    "exception-expired": (
        "A policy exception has expired",
        "The policy's exception for this model is past its `until` date and no longer applies.",
        "Renew the agreement and extend `until`, or replace the model.",
        "error",
    ),
    "card-license-mismatch": (
        "The model card and the license file disagree",
        "The license declared in the card's front matter is not the license its LICENSE "
        "file contains; both are checked.",
        "Fix the card's `license` or the LICENSE file so that they agree.",
        "warning",
    ),
    "card-unreadable": (
        "Part of a local model folder cannot be read",
        "The card's front matter or a configuration file of a local model folder is "
        "unreadable; what it would say is missing from the audit.",
        "Fix the file named in the message.",
        "warning",
    ),
    "lineage-conflict": (
        "The model's license conflicts with what it inherits",
        "The model's declared license contradicts the terms of an ancestor's license (more "
        "permissive, commercial over a non-commercial ancestor, a missing name prefix...).",
        "Review the ancestor's clause named in the message.",
        "warning",
    ),
    "verdict-conditional": (
        "The use is allowed on conditions",
        "The licenses of the lineage allow the use if the obligations are met.",
        "Meet the obligations listed in the audit (`--format json`: obligations).",
        "note",
    ),
    "exception-applied": (
        "A policy exception waives the model's failures",
        "The policy's exception for this model applies: its failures do not fail the gate.",
        "Review the exception before its `until` date.",
        "note",
    ),
}


def _rule(rule_id: str) -> dict[str, Any]:
    short, full, help_text, level = RULES[rule_id]
    return {
        "id": rule_id,
        "name": "".join(part.title() for part in rule_id.split("-")),
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": level},
        "properties": {"tags": ["license", "ai-model", "compliance"], "precision": "high"},
    }


def _uri(file: str, root: Path | None) -> str:
    path = Path(file)
    if root is not None:
        try:
            return Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()
        except ValueError:  # another drive
            pass
    return path.as_posix()


def _location(where: Location | None, model: ModelAudit, root: Path | None) -> dict[str, Any]:
    physical: dict[str, Any]
    if where is None:  # a model named on the command line only
        physical = {"artifactLocation": {"uri": model.input}, "region": {"startLine": 1}}
    else:
        uri = _uri(where.file, root)
        artifact: dict[str, Any] = {"uri": uri}
        if not uri.startswith(("/", "../")):
            artifact["uriBaseId"] = "%SRCROOT%"
        physical = {"artifactLocation": artifact, "region": {"startLine": max(1, where.line)}}
    return {
        "physicalLocation": physical,
        "logicalLocations": [{"name": model.model, "kind": "module"}],
    }


def _result(
    f: Finding, model: ModelAudit, index: dict[str, int], root: Path | None
) -> dict[str, Any]:
    where = f.location or model.location
    text = f"{model.model}: {f.message}"
    if f.license:
        text += f" [{f.license}" + (f" §{f.clause}]" if f.clause else "]")
    digest = hashlib.sha256(f"{f.rule}|{model.model}|{f.license}|{f.message}".encode()).hexdigest()
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "level": f.level,
        "message": {"text": text},
        "locations": [_location(where, model, root)],
        "partialFingerprints": {"robinetFinding/v1": digest[:32]},
        "properties": {"model": model.model, "decision": model.decision, "status": model.status},
    }
    if f.suppressed:
        out["suppressions"] = [{"kind": "external", "justification": f.suppressed}]
    return out


def to_sarif(result: AuditResult, *, root: Path | None = None) -> dict[str, Any]:
    """The SARIF log; file URIs relative to `root` (the repository: the current folder)."""
    from robinet import __version__

    index = {rule: n for n, rule in enumerate(RULES)}
    results = [
        _result(f, m, index, root) for m in result.models for f in m.findings if f.rule in index
    ]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "robinet",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(r) for r in RULES],
                    }
                },
                "automationDetails": {"id": "robinet-audit/"},
                "results": results,
                "properties": {"gate": "pass" if result.passed else "fail"},
            }
        ],
    }


def render(result: AuditResult, *, root: Path | None = None) -> str:
    return json.dumps(to_sarif(result, root=root), indent=2, ensure_ascii=False) + "\n"
