"""The vocabulary of robinet: small frozen dataclasses and enums shared by every layer.

Engines add their own result types next to their code (licenses/, lineage/, openness/...);
what lives here is what crosses layers: tiers, regions, organizations, releases, edges,
provenance and verdicts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Tier(StrEnum):
    """How a release can be accessed (Epoch AI's "Model accessibility", normalized)."""

    OPEN_UNRESTRICTED = "open-unrestricted"
    OPEN_RESTRICTED = "open-restricted"
    OPEN_NONCOMMERCIAL = "open-noncommercial"
    API = "api"
    HOSTED = "hosted"
    UNRELEASED = "unreleased"

    @property
    def open_weights(self) -> bool:
        return self in OPEN_TIERS

    @property
    def group(self) -> str:
        """Coarse grouping used in charts: open-weight, api/hosted, unreleased."""
        if self.open_weights:
            return "open-weight"
        if self in (Tier.API, Tier.HOSTED):
            return "api/hosted"
        return "unreleased"


OPEN_TIERS = frozenset({Tier.OPEN_UNRESTRICTED, Tier.OPEN_RESTRICTED, Tier.OPEN_NONCOMMERCIAL})


class Region(StrEnum):
    US = "US"
    CN = "CN"
    EU = "EU"
    OTHER = "other"


class Relation(StrEnum):
    """How a child model was made from its parent."""

    FINETUNE = "finetune"
    ADAPTER = "adapter"
    QUANTIZED = "quantized"
    MERGE = "merge"
    DISTILL = "distill"


class Decision(StrEnum):
    ALLOW = "allow"
    CONDITIONAL = "conditional"
    DENY = "deny"
    UNKNOWN = "unknown"

    def exit_code(self, *, allow_unknown: bool = False) -> int:
        """What a gate exits with: 1 on deny, and on unknown unless allowed (a CI gate must not
        pass a model whose terms nobody has read); 0 otherwise."""
        failing = self is Decision.DENY or (self is Decision.UNKNOWN and not allow_unknown)
        return 1 if failing else 0


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where one fact came from."""

    source: str
    file: str | None = None
    row: int | None = None
    retrieved_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Organization:
    id: str
    name: str
    country: str | None
    region: Region | None
    countries: tuple[str, ...] = ()
    parent: str | None = None
    hf_orgs: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Release:
    """One model's publication, merged across every source that saw it.

    `organization` is the primary developer; `organizations` every organization the sources
    name (co-authors included); `organization_name` the primary one's display name."""

    id: str
    name: str
    organization: str | None
    countries: tuple[str, ...]
    region: Region | None
    date: dt.date | None
    tier: Tier | None
    hf_id: str | None = None
    sources: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    organization_name: str | None = None
    notable: bool = False


@dataclass(frozen=True, slots=True)
class Edge:
    """Lineage: `child` was made from `parent` by `relation`."""

    child: str
    parent: str
    relation: Relation
    source: str
    confidence: float = 1.0
    evidence: str | None = None

    @property
    def inferred(self) -> bool:
        return self.confidence < 1.0


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a verdict is what it is: the clause that decides and its verbatim words."""

    license: str
    clause: str
    quote: str
    explanation: str


@dataclass(frozen=True, slots=True)
class Verdict:
    decision: Decision
    reasons: tuple[Reason, ...] = ()
    conditions: tuple[str, ...] = field(default_factory=tuple)
