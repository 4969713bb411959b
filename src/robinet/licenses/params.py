"""Term parameters: one pydantic model per term kind, checked when the knowledge base is
validated (`schema.py`).

A verdict reads a term's `params` by name: a key the model does not declare, a value of the
wrong type or a word outside the shared vocabulary (`vocabulary.py`) would make a condition
that silently never applies. So each model forbids unknown keys and coerces nothing (strict:
no "700000000" for an int, no "yes" for a bool); `docs/licenses.md` describes each kind.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from robinet.licenses.entries import TermKind
from robinet.licenses.vocabulary import (
    ATTRIBUTION_TRIGGERS,
    COUNTRY_ALIASES,
    DISTRIBUTIONS,
    MODALITIES,
    OBLIGATION_KINDS,
    PURPOSES,
    TERRITORY_BINDS,
    USER_COUNTS,
    USES,
    did_you_mean,
    known_region,
)

Positive = Annotated[int, Field(gt=0)]
Text = Annotated[str, Field(min_length=1)]


class Params(BaseModel):
    """Parameters of one term kind: no unknown key, no coercion between types."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class CommercialUseParams(Params):
    allowed: bool
    condition: Text | None = None  # e.g. registration, when allowed
    condition_kind: str | None = None  # the obligation kind of `condition` (registration...)
    effect: Text | None = None  # what happens instead, when not allowed
    annual_revenue_usd: Positive | None = None

    @field_validator("condition_kind")
    @classmethod
    def _kind(cls, kind: str | None) -> str | None:
        return None if kind is None else _vocabulary([kind], list(OBLIGATION_KINDS), "kind")[0]


class NoncommercialParams(Params):
    allowed_uses: list[str] = Field(min_length=1)

    @field_validator("allowed_uses")
    @classmethod
    def _non_commercial_uses(cls, uses: list[str]) -> list[str]:
        allowed = [u for u in USES if u != "commercial"]
        return _vocabulary(uses, allowed, "use")


class UserThresholdParams(Params):
    monthly_active_users: Positive | None = None
    monthly_revenue_usd: Positive | None = None
    annual_revenue_usd: Positive | None = None
    effect: Text  # "separate license required" (a deny above the limit), or a duty
    commercial_only: bool = False
    counts: str = "product"  # whose users: the product's, or the licensee group's (USER_COUNTS)
    on_release_date: bool = False  # counted in the month before the version's release date
    measured: Text | None = None
    scope: Text | None = None

    @field_validator("counts")
    @classmethod
    def _counts(cls, counts: str) -> str:
        return _vocabulary([counts], USER_COUNTS, "user count")[0]

    @model_validator(mode="after")
    def _has_a_limit(self) -> UserThresholdParams:
        if not (self.monthly_active_users or self.monthly_revenue_usd or self.annual_revenue_usd):
            raise ValueError(
                "a user threshold needs monthly_active_users, monthly_revenue_usd "
                "or annual_revenue_usd"
            )
        return self


class TerritoryParams(Params):
    excluded: list[str] = Field(min_length=1)  # ISO 3166-1 alpha-2 codes, or EU
    modalities: list[str] = Field(default_factory=list)  # [] = every modality
    binds: list[str] = Field(min_length=1)  # licensee (place of business) and/or market
    exempt: Text | None = None

    @field_validator("binds")
    @classmethod
    def _binds(cls, binds: list[str]) -> list[str]:
        return _vocabulary(binds, TERRITORY_BINDS, "territory binding")

    @field_validator("excluded")
    @classmethod
    def _regions(cls, codes: list[str]) -> list[str]:
        for code in codes:
            # canonical codes only: verdicts compare them as written (UK would miss GB)
            if code in COUNTRY_ALIASES:
                raise ValueError(f"write {code!r} as its ISO 3166-1 code {COUNTRY_ALIASES[code]!r}")
            if code != code.upper() or not known_region(code):
                raise ValueError(f"{code!r} is not an upper-case ISO 3166-1 alpha-2 code or EU")
        return codes

    @field_validator("modalities")
    @classmethod
    def _modalities(cls, modalities: list[str]) -> list[str]:
        return _vocabulary(modalities, MODALITIES, "modality")


class Prohibition(Params):
    """One prohibited use of a license mapped onto the purposes taxonomy, with its words."""

    category: str
    clause: Text
    quote: Annotated[str, Field(min_length=3, max_length=400)]  # verbatim, checked
    unless: Text | None = None  # the license's own qualifier ("unlicensed" practice...)

    @field_validator("category")
    @classmethod
    def _category(cls, category: str) -> str:
        return _vocabulary([category], sorted(PURPOSES), "purpose category")[0]


class FieldOfUseParams(Params):
    """Prohibited uses. `prohibitions` map the clause's words onto the purposes taxonomy;
    `prohibited` (their categories) is derived from them when the entry is loaded."""

    prohibitions: list[Prohibition] = Field(default_factory=list)
    prohibited: list[str] = Field(default_factory=list)

    @field_validator("prohibited")
    @classmethod
    def _categories(cls, categories: list[str]) -> list[str]:
        return _vocabulary(categories, sorted(PURPOSES), "purpose category")


class AcceptableUseParams(Params):
    policy: Text | None  # the incorporated policy's id; null when its text is not in the data
    policy_name: Text | None = None  # how the license names a policy robinet lacks


class OutputTrainingParams(Params):
    allowed: bool
    scope: Text | None = None  # what outputs may not improve
    exception: Text | None = None
    condition: Text | None = None


class AttributionParams(Params):
    notice: Text
    notice_exact: bool = True  # false: `notice` describes the credit, it is not words to copy
    trigger: str
    monthly_active_users: Positive | None = None  # trigger: threshold
    monthly_revenue_usd: Positive | None = None

    @field_validator("trigger")
    @classmethod
    def _trigger(cls, trigger: str) -> str:
        return _vocabulary([trigger], ATTRIBUTION_TRIGGERS, "trigger")[0]

    @model_validator(mode="after")
    def _threshold_has_a_limit(self) -> AttributionParams:
        if self.trigger == "threshold" and self.monthly_active_users is None:
            raise ValueError("trigger 'threshold' needs monthly_active_users")
        return self


class NamingParams(Params):
    prefix: Text | None = None
    endorsement_forbidden: bool | None = None

    @model_validator(mode="after")
    def _says_something(self) -> NamingParams:
        if self.prefix is None and self.endorsement_forbidden is None:
            raise ValueError("a naming term needs prefix or endorsement_forbidden")
        return self


class DerivativesParams(Params):
    same_license: bool
    pass_through_use_restrictions: bool
    carries: list[Text] = Field(default_factory=list)
    share_adaptations: bool | None = None  # false: adapted material may not be shared (ND)


class RedistributionParams(Params):
    copy_of_license: bool | None = None
    mark_modifications: bool | None = None
    notice_file: Text | None = None  # the exact text of the Notice file
    carry_notices: bool | None = None  # keep the work's own NOTICE file / notices (Apache 4.d)
    source_required: bool | None = None
    network_use_is_distribution: bool | None = None  # AGPL 13: a modified version served
    applies_to: list[str] = Field(default_factory=lambda: ["unmodified", "modified"])

    @field_validator("applies_to")
    @classmethod
    def _applies(cls, values: list[str]) -> list[str]:
        return _vocabulary(values, [d for d in DISTRIBUTIONS if d != "none"], "distribution")


class TerminationParams(Params):
    on_breach: bool | None = None
    on_litigation: bool | None = None
    at_will: bool | None = None


PARAMS: dict[TermKind, type[Params]] = {
    TermKind.COMMERCIAL_USE: CommercialUseParams,
    TermKind.NONCOMMERCIAL: NoncommercialParams,
    TermKind.USER_THRESHOLD: UserThresholdParams,
    TermKind.TERRITORY: TerritoryParams,
    TermKind.FIELD_OF_USE: FieldOfUseParams,
    TermKind.ACCEPTABLE_USE: AcceptableUseParams,
    TermKind.OUTPUT_TRAINING: OutputTrainingParams,
    TermKind.ATTRIBUTION: AttributionParams,
    TermKind.NAMING: NamingParams,
    TermKind.DERIVATIVES: DerivativesParams,
    TermKind.REDISTRIBUTION: RedistributionParams,
    TermKind.TERMINATION: TerminationParams,
}


def _vocabulary(values: list[str], known: tuple[str, ...] | list[str], what: str) -> list[str]:
    for value in values:
        if value not in known:
            raise ValueError(f"unknown {what} {value!r}{did_you_mean(value, known)}")
    if len(set(values)) != len(values):
        raise ValueError(f"a {what} is listed twice")
    return values
