"""The use context: who uses a model, where, at what scale, how it reaches others, for what.

Licenses are written about facts of different kinds, and a verdict must not mix them:

- *who* the licensee is: its principal place of business (`licensee_country`; Llama 3.2's
  multimodal exclusion binds a company based in the EU, not its end users);
- *where* the model, its outputs or the product are used or offered (`market`; Hunyuan's
  Territory forbids any use outside it);
- *how many* users: the product's (`monthly_users`; Qwen counts "your product or service")
  and those of every product of the licensee and its affiliates (`group_monthly_users`;
  Llama and Hunyuan count "all products or services" on the version's release date);
- revenue (`annual_revenue`, licensee and affiliates: Stability's community license,
  Moonshot's monthly-revenue trigger);
- how the model reaches others (`distribution`: none, hosted, unmodified, modified);
- what it is used for (`purposes`, from the controlled taxonomy of `vocabulary.PURPOSES`;
  `purpose_text` is a free description that never decides);
- the model's `modality`, and whether outputs train other models, a derivative's name.

`use_context(mapping)` builds one from plain keys (CLI options, a policy file, a web form),
with the shorthands `region` (sets both `licensee_country` and `market`) and `redistribute`
(distribution `modified`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from robinet.errors import UsageError
from robinet.licenses.vocabulary import (
    COUNTRY_ALIASES,
    DISTRIBUTIONS,
    MODALITIES,
    PURPOSES,
    REGION_GROUPS,
    USES,
    did_you_mean,
    known_region,
)


def _region(code: str, what: str) -> str:
    if not known_region(code):
        raise UsageError(
            f"{what} must be an ISO 3166-1 alpha-2 code such as DE (or EU), not {code!r}"
        )
    upper = code.strip().upper()
    return COUNTRY_ALIASES.get(upper, upper)


def _count(value: int | None, what: str) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise UsageError(f"{what} must be a whole number, not {value!r}")
    if value is not None and value < 0:
        raise UsageError(f"{what} cannot be negative")


@dataclass(frozen=True, slots=True)
class UseContext:
    """One use of a model, as the license texts distinguish it (see the module docstring)."""

    use: str = "commercial"  # commercial | research | personal
    licensee_country: str | None = None  # principal place of business (or domicile)
    market: tuple[str, ...] = ()  # where the model, outputs or product are used or offered
    monthly_users: int | None = None  # the product's monthly active users
    group_monthly_users: int | None = None  # all products of licensee and affiliates
    annual_revenue: int | None = None  # USD, licensee and affiliates
    distribution: str = "none"  # none | hosted | unmodified | modified
    purposes: tuple[str, ...] = ()  # categories of the purposes taxonomy
    purpose_text: str | None = None  # a free description: never decides
    modality: str | None = None  # text | vision | audio | multimodal; None: not known
    modality_source: str | None = None  # where the modality came from
    train_on_outputs: bool = False
    derivative_name: str | None = None

    def __post_init__(self) -> None:
        if self.use not in USES:
            raise UsageError(f"use must be one of {', '.join(USES)}, not {self.use!r}")
        if self.distribution not in DISTRIBUTIONS:
            raise UsageError(
                f"distribution must be one of {', '.join(DISTRIBUTIONS)}, not {self.distribution!r}"
            )
        if self.modality is not None and self.modality not in MODALITIES:
            raise UsageError(
                f"modality must be one of {', '.join(MODALITIES)}, not {self.modality!r}"
            )
        for value, what in (
            (self.monthly_users, "monthly users"),
            (self.group_monthly_users, "group monthly users"),
            (self.annual_revenue, "annual revenue"),
        ):
            _count(value, what)
        country = self.licensee_country
        if country is not None:
            country = _region(country, "licensee country")
        market = tuple(dict.fromkeys(_region(m, "market") for m in self.market))
        for purpose in self.purposes:
            if purpose not in PURPOSES:
                raise UsageError(
                    f"unknown purpose {purpose!r}{did_you_mean(purpose, set(PURPOSES))}",
                    hint="`robinet license purposes` lists the taxonomy; describe anything "
                    "else with --purpose-text",
                )
        object.__setattr__(self, "licensee_country", country)
        object.__setattr__(self, "market", market)
        object.__setattr__(self, "purposes", tuple(dict.fromkeys(self.purposes)))
        if self.modality is not None and self.modality_source is None:
            object.__setattr__(self, "modality_source", "given")

    @property
    def group_users(self) -> int | None:
        """All products of the licensee and affiliates; the product's when not given."""
        return (
            self.group_monthly_users
            if self.group_monthly_users is not None
            else (self.monthly_users)
        )

    @property
    def commercial(self) -> bool:
        return self.use == "commercial"

    @property
    def copies(self) -> bool:
        """Copies of the weights reach others (modified or not)."""
        return self.distribution in ("unmodified", "modified")


def in_region(code: str, excluded: Iterable[str]) -> str | None:
    """The excluded region (`EU`, `GB`...) that `code` falls in, if any."""
    for ex in excluded:
        if (
            code == ex
            or code in REGION_GROUPS.get(ex, ())
            or (code in REGION_GROUPS and ex in REGION_GROUPS[code])
        ):
            return ex
    return None


_KEYS = {f.name for f in fields(UseContext)} | {"region", "redistribute", "purpose"}


def _list(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, Iterable):
        return tuple(str(v).strip() for v in value if str(v).strip())
    raise UsageError(f"{what} must be a list or a comma-separated string, not {value!r}")


def use_context(values: Mapping[str, Any] | None = None, **more: Any) -> UseContext:
    """A UseContext from plain keys (a policy file's `use:` block, CLI options, a form).

    Keys are the field names; `market` and `purposes` take lists or comma-separated strings;
    `region: CC` is a shorthand that sets `licensee_country` and `market` (each only when not
    given); `redistribute: true` means `distribution: modified`; `purpose` is `purposes`.
    None values count as not given. An unknown key is a UsageError (with a close match)."""
    data = {k: v for k, v in {**(values or {}), **more}.items() if v is not None}
    for key in data:
        if key not in _KEYS:
            raise UsageError(f"unknown use-context key {key!r}{did_you_mean(key, _KEYS)}")
    region = data.pop("region", None)
    if region is not None:
        data.setdefault("licensee_country", region)
        data.setdefault("market", region)
    if data.pop("redistribute", False) and data.get("distribution", "none") == "none":
        data["distribution"] = "modified"
    if "purpose" in data:
        data["purposes"] = (
            *_list(data.pop("purpose"), "purpose"),
            *_list(data.get("purposes"), ""),
        )
    data["market"] = _list(data.get("market"), "market")
    data["purposes"] = _list(data.get("purposes"), "purposes")
    return UseContext(**data)
