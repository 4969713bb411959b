"""The duties engine's vocabulary: what the store knows about a model, and what the engine
answers about it. Frozen dataclasses; `DutiesResult.to_json()` is the JSON shape views print."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from robinet.jsonable import to_jsonable

Role = Literal["provider", "deployer"]
ROLES: tuple[str, ...] = ("provider", "deployer")


@dataclass(frozen=True, slots=True)
class ModelFacts:
    """What the store knows about one released model, as the duties engine needs it.

    `domains` and `tasks` are Epoch AI's words ("Language", "Image generation";
    "Chat", "Text-to-image"); `license` is a license knowledge-base id. Every fact may be
    unknown (None or empty): the engine then answers `None` where it would need it."""

    name: str
    organization: str | None = None
    organization_country: str | None = None  # ISO 3166-1 alpha-2 of the primary organization
    organization_region: str | None = None  # US, CN, EU (Europe at large), other
    training_compute_flop: float | None = None
    compute_source: str | None = None  # e.g. "Epoch AI, notable_ai_models.csv"
    domains: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    license: str | None = None
    weights_public: bool | None = None
    architecture_public: bool | None = None
    released: dt.date | None = None  # first publication: a proxy for placing on the market


@dataclass(frozen=True, slots=True)
class Duty:
    """What a law asks of a provider or deployer of the model, and whether it applies.

    `applies` is True, False, or None when a fact it depends on is unknown; `why` names the
    facts used. `quote` is verbatim (in `lang`), `source` the official text's URL."""

    id: str
    article: str
    title: str
    applies: bool | None
    why: str
    quote: str
    source: str
    applies_from: dt.date | None
    comply_by: dt.date | None = None
    lang: str = "en"
    summary: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """A status the duties depend on (general-purpose, systemic risk, exemption)."""

    id: str
    value: bool | None
    article: str
    why: str
    quote: str
    source: str
    lang: str = "en"


@dataclass(frozen=True, slots=True)
class LicenseReason:
    """One term of the license that decides whether it is free and open-source."""

    kind: str  # the term's kind in the license knowledge base
    clause: str
    quote: str  # the license's own words
    qualifies: bool  # False: this term disqualifies the license
    provision: str | None  # the provision (guidelines paragraph) that decides it
    explanation: str


@dataclass(frozen=True, slots=True)
class LicenseCheck:
    """Is the license a "free and open-source licence" in the sense of Art. 53(2)?"""

    license: str | None
    free_open_source: bool | None
    why: str
    reasons: tuple[LicenseReason, ...] = ()


@dataclass(frozen=True, slots=True)
class DutiesResult:
    """The duties of a provider or deployer of one model in one jurisdiction."""

    model: str
    jurisdiction: str
    jurisdiction_name: str
    role: str
    public_service: bool
    compute_flop: float | None
    compute_source: str | None
    gpai: bool | None
    systemic_risk: bool | None
    open_source_exemption: bool | None
    duties: tuple[Duty, ...]
    disclaimer: str
    findings: tuple[Finding, ...] = ()
    license_check: LicenseCheck | None = None
    facts: ModelFacts | None = field(default=None, repr=False)

    def duty(self, duty_id: str) -> Duty:
        for duty in self.duties:
            if duty.id == duty_id:
                return duty
        raise KeyError(duty_id)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values: `model`, `jurisdiction`, the three statuses, `compute_flop`,
        `duties` (with `count`), `findings`, `license_check`, `facts`, `disclaimer`; dates ISO."""
        out: dict[str, Any] = {
            "model": self.model,
            "jurisdiction": self.jurisdiction,
            "jurisdiction_name": self.jurisdiction_name,
            "role": self.role,
            "public_service": self.public_service,
            "compute_flop": self.compute_flop,
            "compute_source": self.compute_source,
            "gpai": self.gpai,
            "systemic_risk": self.systemic_risk,
            "open_source_exemption": self.open_source_exemption,
            "duties": to_jsonable(self.duties),
            "count": len(self.duties),
            "findings": to_jsonable(self.findings),
            "license_check": to_jsonable(self.license_check) if self.license_check else None,
            "facts": to_jsonable(self.facts) if self.facts else None,
            "disclaimer": self.disclaimer,
        }
        return out
