"""`--format json`: the contract's shape (docs/json.md, docs/audit.md).

`{"models": [{model, decision, status, deciding, reasons, obligations, findings, ...}],
"count", "summary", "obligations", "policy", "context", "warnings", "generator"}`.
"""

from __future__ import annotations

from typing import Any

from robinet.audit.result import AuditResult, ModelAudit
from robinet.jsonable import dump_json, to_jsonable

MARKER = '"generator": "robinet'  # in the first bytes of every file this module writes


def _model(m: ModelAudit) -> dict[str, Any]:
    data = to_jsonable(m)
    data["licenses"] = [to_jsonable(u) for u in m.licenses]
    data["concluded"] = list(m.concluded)
    return data


def to_json(result: AuditResult) -> dict[str, Any]:
    from robinet import __version__

    return {
        "generator": f"robinet {__version__}",
        "models": [_model(m) for m in result.models],
        "count": len(result.models),
        "summary": to_jsonable(result.summary()),
        "obligations": to_jsonable(result.obligations),
        "policy": result.policy,
        "context": to_jsonable(result.context),
        "warnings": list(result.warnings),
    }


def render(result: AuditResult) -> str:
    return dump_json(to_json(result)) + "\n"
