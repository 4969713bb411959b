"""The one adapter from a policy's use context to the license engine's use objects.

A policy file describes the product (`use`, `licensee_country`, `market`, `monthly_users`,
`group_monthly_users`, `annual_revenue`, `distribution`, `purposes`, `modality`,
`train_on_outputs`). The engine's use object (`lineage_terms.make_use`) is built here and
nowhere else in `robinet.audit`. When the engine takes the whole context (`native()`: its use
object accepts `licensee_country`), the context passes through unchanged, as one use object.
The committed `UseCase` asks a narrower question (one `region`, one `purpose` text,
`redistribute` yes or no); for it the context is mapped (`_legacy`):

- `use`, `monthly_users`, `modality`, `train_on_outputs`: the same option;
- `licensee_country`, `market`: one use object per region (the licensee's country and each
  market); the strictest verdict of them decides;
- `group_monthly_users`: `monthly_users`, the larger of the two (licenses count affiliates');
- `distribution`: `redistribute`, true for `unmodified` and `modified`;
- `purposes`: `purpose`, the words joined (the engine matches words to categories);
- `annual_revenue`: not evaluated, listed in `not_evaluated` and reported as a warning.

A key outside the context vocabulary raises `InputDataError` naming it; a value the engine
refuses raises `InputDataError` naming its key.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from robinet.errors import InputDataError, UsageError
from robinet.licenses import lineage_terms

CONTEXT_KEYS = (
    "use",
    "licensee_country",
    "market",
    "monthly_users",
    "group_monthly_users",
    "annual_revenue",
    "distribution",
    "purposes",
    "modality",
    "train_on_outputs",
)
DISTRIBUTIONS = ("none", "hosted", "unmodified", "modified")
NOT_EVALUATED = ("annual_revenue",)  # today's engine asks no question about these
# A model's own modality can only make the license question stricter (territory exclusions
# bind multimodal models): the more binding of the product's and the model's wins.
_MODALITY_RANK = {"text": 0, "audio": 1, "vision": 2, "multimodal": 3}


@dataclass(frozen=True, slots=True)
class UseContext:
    """What the adapter made of a context: the use objects to check (one per region, the
    strictest verdict decides), the regions in that order, and the keys not evaluated."""

    uses: tuple[Any, ...]
    regions: tuple[str | None, ...]
    not_evaluated: tuple[str, ...]


def _field(key: str) -> str:
    return f"context.{key}"


def _try(key: str, **options: Any) -> Any:
    """Build a use object from `options`; a refusal names the context key behind it."""
    try:
        return lineage_terms.make_use(**options)
    except (UsageError, TypeError, ValueError) as exc:
        raise InputDataError(str(exc), field=_field(key)) from None


def stricter_modality(product: str | None, model: str | None) -> str | None:
    """The more binding of the product's modality and the model's own (None: unknown)."""
    known = [m for m in (product, model) if m is not None]
    if not known:
        return None
    return max(known, key=lambda m: _MODALITY_RANK.get(m, 0))


@functools.cache
def native() -> bool:
    """Whether the engine's use object takes the whole context (`licensee_country`,
    `market`, `distribution`... as keys): then the context passes through as it is."""
    try:
        lineage_terms.make_use(licensee_country=None)
    except TypeError:
        return False
    return True


def use_context(context: Mapping[str, Any], *, model_modality: str | None = None) -> UseContext:
    """The engine's use objects for a policy's `context` (see the module's table)."""
    for key in context:
        if key not in CONTEXT_KEYS:
            raise InputDataError(
                f"unknown use-context key {key!r} (known: {', '.join(CONTEXT_KEYS)})",
                field=_field(str(key)),
            )
    given = {k: v for k, v in context.items() if v is not None and v != [] and v != ()}
    modality = stricter_modality(given.get("modality"), model_modality)
    if native():
        for key, value in given.items():  # each value alone, so that a refusal names its key
            _try(key, **{key: value})
        if modality is not None:
            given["modality"] = modality
        return UseContext(uses=(_try("context", **given),), regions=(None,), not_evaluated=())
    return _legacy(given, modality)


def _legacy(context: dict[str, Any], modality: str | None) -> UseContext:
    """Today's committed `UseCase`: one region, one purpose text, `redistribute`."""
    options: dict[str, Any] = {}
    if context.get("use") is not None:
        _try("use", use=context["use"])
        options["use"] = context["use"]
    users = [context.get(k) for k in ("monthly_users", "group_monthly_users")]
    for key, value in zip(("monthly_users", "group_monthly_users"), users, strict=True):
        if value is not None:
            _try(key, monthly_users=value)
    if any(u is not None for u in users):
        options["monthly_users"] = max(u for u in users if u is not None)
    distribution = context.get("distribution")
    if distribution is not None:
        if distribution not in DISTRIBUTIONS:
            raise InputDataError(
                f"distribution must be one of {', '.join(DISTRIBUTIONS)}, not {distribution!r}",
                field=_field("distribution"),
            )
        options["redistribute"] = distribution in ("unmodified", "modified")
    purposes = context.get("purposes") or ()
    if isinstance(purposes, str):
        purposes = (purposes,)
    if purposes:
        options["purpose"] = ", ".join(str(p) for p in purposes)
    if context.get("train_on_outputs") is not None:
        options["train_on_outputs"] = bool(context["train_on_outputs"])
    if modality is not None:
        options["modality"] = _try("modality", modality=modality).modality
    regions = _regions(context)
    uses = tuple(_try("context", **options, region=r) for r in regions)
    evaluated = tuple(k for k in NOT_EVALUATED if context.get(k) is not None)
    return UseContext(uses=uses, regions=regions, not_evaluated=evaluated)


def _regions(context: Mapping[str, Any]) -> tuple[str | None, ...]:
    market = context.get("market") or ()
    if isinstance(market, str):
        market = (market,)
    found: list[str] = []
    for key, values in (
        ("licensee_country", [context.get("licensee_country")]),
        ("market", market),
    ):
        for value in values:
            if value is None:
                continue
            region = str(value).upper()
            _try(key, region=region)
            if region not in found:
                found.append(region)
    return tuple(found) or (None,)
