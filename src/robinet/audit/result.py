"""The audit's vocabulary: frozen dataclasses every output format reads.

AuditResult
├── models: ModelAudit            one per model audited, in input order
│   ├── deciding / reasons: Reason    the clause (and the model carrying it) that decides
│   ├── obligations: Obligation       what the product must do, by kind
│   ├── findings: Finding             policy violations and problems, each with a rule
│   ├── licenses: LicenseUse          each license of the lineage and its decision
│   └── lineage / edges               ancestors and the edges between them (for BOMs)
├── obligations                   the product's checklist: every model's, deduplicated
└── warnings                      the contract's warning objects (a key not evaluated...)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# Decisions, strictest last; anything else the engine answers counts as unknown.
DECISIONS = ("allow", "conditional", "unknown", "deny")
SEVERITY = {d: i for i, d in enumerate(DECISIONS)}
LEVELS = ("error", "warning", "note")  # SARIF's levels, kept for every finding


@dataclass(frozen=True, slots=True)
class Location:
    """The line of an input file that names a model (a models file, a model card)."""

    file: str
    line: int = 1


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """One model to audit, as given: a Hub id (`hub`) or a local folder (`local`)."""

    text: str  # as written
    kind: str  # hub | local
    id: str  # the Hub id, or the folder's path
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    """A clause behind a decision, with the model that carries the license (depth 0: the
    model itself)."""

    model: str
    depth: int
    license: str | None
    clause: str | None
    quote: str | None
    explanation: str


@dataclass(frozen=True, slots=True)
class Obligation:
    """One thing to do: `kind` is the license term's kind (attribution, naming, ...)."""

    kind: str
    text: str
    license: str | None
    clause: str | None
    models: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    level: str  # error | warning | note
    message: str
    license: str | None = None
    clause: str | None = None
    model: str | None = None  # the model carrying what the finding is about
    location: Location | None = None  # where to point, when not the model's own line
    suppressed: str | None = None  # an exception's reason: the policy waives it


@dataclass(frozen=True, slots=True)
class LicenseUse:
    """A license of the lineage (`license` None: unresolved, `declared` says what was
    written), the models carrying it, and its decision for the use."""

    license: str | None
    declared: str | None
    models: tuple[str, ...]
    depth: int
    decision: str


@dataclass(frozen=True, slots=True)
class LineageNode:
    id: str
    depth: int
    relation: str
    source: str
    confidence: float
    inferred: bool
    license: str | None
    declared: str | None
    in_store: bool


@dataclass(frozen=True, slots=True)
class LineageEdge:
    child: str
    parent: str
    relation: str
    source: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Facts:
    """What is known of the model for a BOM's model card; None where unknown."""

    task: str | None = None
    datasets: tuple[str, ...] = ()
    parameters: int | None = None
    library: str | None = None
    modality: str | None = None
    architecture: str | None = None
    version: str | None = None  # a Hub revision, when known
    released: dt.datetime | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class ModelAudit:
    model: str
    kind: str  # hub | local
    input: str
    location: Location | None
    decision: str  # allow | conditional | deny | unknown
    status: str  # pass | fail | waived
    deciding: Reason | None
    reasons: tuple[Reason, ...]
    obligations: tuple[Obligation, ...]
    findings: tuple[Finding, ...]
    license: str | None  # the model's own license (knowledge-base id)
    declared: str | None  # the model's own declaration, as written
    concluded: tuple[str | None, ...]  # its own license and the licenses it inherits
    licenses: tuple[LicenseUse, ...]
    lineage: tuple[LineageNode, ...]
    edges: tuple[LineageEdge, ...]
    facts: Facts = field(default_factory=Facts)


@dataclass(frozen=True, slots=True)
class AuditResult:
    models: tuple[ModelAudit, ...]
    obligations: tuple[Obligation, ...]  # the product's checklist
    policy: str | None  # the policy file
    context: dict[str, Any]
    warnings: tuple[dict[str, Any], ...] = ()
    checked_on: dt.date | None = None

    @property
    def passed(self) -> bool:
        return all(m.status != "fail" for m in self.models)

    @property
    def exit_code(self) -> int:
        """0 when every model passes (or is waived by an exception), else 1."""
        return 0 if self.passed else 1

    def summary(self) -> dict[str, Any]:
        by_decision = {d: sum(m.decision == d for m in self.models) for d in DECISIONS}
        by_status = {s: sum(m.status == s for m in self.models) for s in ("pass", "fail", "waived")}
        return {
            "gate": "pass" if self.passed else "fail",
            "exit_code": self.exit_code,
            "decisions": by_decision,
            "statuses": by_status,
            "findings": sum(len(m.findings) for m in self.models),
            "obligations": [_jsonable(o) for o in self.obligations],
            "checked_on": self.checked_on,
        }


def _jsonable(value: Any) -> Any:
    from robinet.jsonable import to_jsonable

    return to_jsonable(value)
