"""Openness evidence from the store: one release's dimensions, from Epoch AI, the Hub and MOT.

Each dimension says where its value comes from. A release's own data decides weights, the
weights license, training and inference code and the paper; a MOT evaluation of the same model
(matched by Hub id or name) fills the dimensions the store knows nothing about. What no source
covers stays unknown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache

from robinet.model import OPEN_TIERS, Tier
from robinet.openness.mof import (
    CLOSED,
    OPEN,
    PARTIAL,
    UNKNOWN,
    MotEvaluation,
    is_osi,
    mot_evaluations,
)
from robinet.openness.rubric import Dimension, dimensions_from_components
from robinet.store.queries.openness import HubFacts, ReleaseFacts

# Epoch AI's code accessibility values.
_CODE = {
    "open source": OPEN,
    "open (non-commercial)": PARTIAL,
    "open (restricted use)": PARTIAL,
    "open access (non-commercial)": PARTIAL,
    "open access (restricted use)": PARTIAL,
    "unreleased": CLOSED,
}
# What an access tier alone says about the license of the weights. A tier is not a license:
# restricted and non-commercial tiers cannot be under an OSI-approved license (partial), closed
# tiers license no weights (closed), and "open weights (unrestricted)" says the terms are
# permissive without naming them, so the value stays unknown until a license is known.
_TIER_LICENSE = {
    Tier.OPEN_UNRESTRICTED: UNKNOWN,
    Tier.OPEN_RESTRICTED: PARTIAL,
    Tier.OPEN_NONCOMMERCIAL: PARTIAL,
    Tier.API: CLOSED,
    Tier.HOSTED: CLOSED,
    Tier.UNRELEASED: CLOSED,
}
_NOT_A_LICENSE = {"unknown", "other", "none", "n/a", ""}

# The release fields each dimension is read from (see `field_sources`).
FieldSources = Mapping[str, Sequence[str]]


def _cite(row: ReleaseFacts, fields: FieldSources | None, field: str) -> str:
    """The sources that gave `field` for this release; all the release's sources when the
    per-field provenance is not known."""
    if fields is not None:
        return ", ".join(fields.get(field) or []) or "store"
    return ", ".join(row.sources) or "store"


def _hub_source(hub: HubFacts) -> str:
    return hub.source or "hub"


def release_dimensions(
    row: ReleaseFacts,
    hub: HubFacts | None = None,
    fields: FieldSources | None = None,
) -> dict[str, Dimension]:
    """Dimensions from a release (and its Hub `models` row when there is one).

    `fields` maps a release field (tier, license_raw, training_code, inference_code, link) to
    the sources that gave it (`release_facts`), so each dimension cites only those. The
    weights license comes from a license (the Hub tag as the license engine resolved it, or
    the release's own license string), never from the access tier: see `tier_license`.
    """
    dims: dict[str, Dimension] = {}
    tier = Tier(row.tier) if row.tier else None
    if tier is not None:
        value = OPEN if tier in OPEN_TIERS else CLOSED
        dims["weights"] = Dimension(value, f"access tier {tier.value}", _cite(row, fields, "tier"))
    elif row.hf_id:
        src = _cite(row, fields, "hf_id")
        dims["weights"] = Dimension(OPEN, f"weights on the Hub as {row.hf_id}", src)
    elif hub:
        dims["weights"] = Dimension(OPEN, f"weights on the Hub as {hub.hf_id}", _hub_source(hub))

    lic = _license_dimension(row, hub, fields)
    if lic is not None:
        dims["weights_license"] = lic

    for dim, raw in (("training_code", row.training_code), ("inference_code", row.inference_code)):
        if raw and raw.strip().lower() in _CODE:
            dims[dim] = Dimension(
                _CODE[raw.strip().lower()], f"Epoch AI: {raw}", _cite(row, fields, dim)
            )

    link = row.link or ""
    tags = list(hub.tags) if hub else []
    if "arxiv.org" in link:
        dims["paper"] = Dimension(
            PARTIAL,
            f"public paper ({link}); its license is not known to be open",
            _cite(row, fields, "link"),
        )
    elif hub and any(t.startswith("arxiv:") for t in tags):
        where = next(t for t in tags if t.startswith("arxiv:"))
        dims["paper"] = Dimension(
            PARTIAL,
            f"public paper ({where}); its license is not known to be open",
            _hub_source(hub),
        )
    datasets = [t.removeprefix("dataset:") for t in tags if t.startswith("dataset:")]
    if hub and datasets:
        dims["training_data"] = Dimension(
            PARTIAL, f"datasets named on the Hub: {', '.join(datasets[:5])}", _hub_source(hub)
        )
    return dims


def _license_dimension(
    row: ReleaseFacts, hub: HubFacts | None, fields: FieldSources | None
) -> Dimension | None:
    """The weights license from a license: the Hub tag (resolved by the license engine to a
    knowledge-base id when it can be), else the release's license string."""
    candidates: list[tuple[str, str]] = []
    if hub:
        for raw in (hub.license_id, hub.license):
            if raw and raw.lower() not in _NOT_A_LICENSE:
                candidates.append((raw.removeprefix("license:"), _hub_source(hub)))
                break
    raw = row.license_raw
    if raw and raw.lower() not in _NOT_A_LICENSE:
        candidates.append((raw, _cite(row, fields, "license_raw")))
    if not candidates:
        return None
    lic, src = candidates[0]
    if is_osi(lic):
        return Dimension(OPEN, f"license {lic} (OSI-approved)", src)
    return Dimension(PARTIAL, f"license {lic} (not an OSI-approved license)", src)


def tier_license(row: ReleaseFacts, fields: FieldSources | None = None) -> dict[str, Dimension]:
    """The weights-license dimension an access tier alone supports (the last resort, after the
    Hub, the release's license and a MOT evaluation): at most partial, never open."""
    tier = Tier(row.tier) if row.tier else None
    if tier is None:
        return {}
    value = _TIER_LICENSE[tier]
    if value == UNKNOWN:
        return {}
    why = (
        "no weights are published under any license"
        if value == CLOSED
        else "a restricted or non-commercial license cannot be OSI-approved"
    )
    return {
        "weights_license": Dimension(
            value,
            f"access tier {tier.value}: {why} (license text not resolved)",
            _cite(row, fields, "tier"),
        )
    }


def merge_dimensions(*layers: Mapping[str, Dimension]) -> dict[str, Dimension]:
    """Earlier layers win; a later layer only fills dimensions still unknown."""
    out: dict[str, Dimension] = {}
    for layer in layers:
        for name, dim in layer.items():
            if dim.value == UNKNOWN:
                continue
            out.setdefault(name, dim)
    return out


def _key(name: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "", name.lower())
    return re.sub(r"(instruct|chat|base|hf)$", "", text)


@cache
def _mot_index() -> tuple[dict[str, MotEvaluation], dict[str, MotEvaluation]]:
    by_hf: dict[str, MotEvaluation] = {}
    by_name: dict[str, MotEvaluation] = {}
    for ev in mot_evaluations():
        if ev.hf_id:
            by_hf.setdefault(ev.hf_id.lower(), ev)
        by_name.setdefault(_key(ev.name), ev)
    return by_hf, by_name


def mot_for(name: str | None, hf_id: str | None) -> MotEvaluation | None:
    """The MOT evaluation of a model, by Hub id first, then by normalized name."""
    by_hf, by_name = _mot_index()
    if hf_id and hf_id.lower() in by_hf:
        return by_hf[hf_id.lower()]
    if name:
        return by_name.get(_key(name))
    return None


def mot_dimensions(ev: MotEvaluation) -> dict[str, Dimension]:
    return dimensions_from_components(ev.components)
