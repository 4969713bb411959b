"""Openness evidence from the store: one release's dimensions, from Epoch AI, the Hub and MOT.

Each dimension says where its value comes from. A release's own data decides weights, the
weights license, training and inference code and the paper; a MOT evaluation of the same model
(matched by Hub id or name) fills the dimensions the store knows nothing about. What no source
covers stays unknown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

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

# Epoch AI's code accessibility values.
_CODE = {
    "open source": OPEN,
    "open (non-commercial)": PARTIAL,
    "open (restricted use)": PARTIAL,
    "open access (non-commercial)": PARTIAL,
    "open access (restricted use)": PARTIAL,
    "unreleased": CLOSED,
}
_TIER_LICENSE = {
    Tier.OPEN_UNRESTRICTED: OPEN,
    Tier.OPEN_RESTRICTED: PARTIAL,
    Tier.OPEN_NONCOMMERCIAL: PARTIAL,
    Tier.API: CLOSED,
    Tier.HOSTED: CLOSED,
    Tier.UNRELEASED: CLOSED,
}


def _sources(row: Mapping[str, Any]) -> str:
    return ", ".join(row.get("sources") or []) or "store"


def release_dimensions(
    row: Mapping[str, Any], hub: Mapping[str, Any] | None = None
) -> dict[str, Dimension]:
    """Dimensions from a `releases` row (and its Hub `models` row when there is one)."""
    src = _sources(row)
    dims: dict[str, Dimension] = {}
    tier = Tier(row["tier"]) if row.get("tier") else None
    if tier is not None:
        value = OPEN if tier in OPEN_TIERS else CLOSED
        dims["weights"] = Dimension(value, f"access tier {tier.value}", src)
    elif row.get("hf_id") or hub:
        dims["weights"] = Dimension(OPEN, f"weights on the Hub as {row.get('hf_id')}", src)

    license_raw = (hub or {}).get("license") or row.get("license_raw")
    if license_raw and is_osi(str(license_raw).removeprefix("license:")):
        dims["weights_license"] = Dimension(OPEN, f"license {license_raw} (OSI-approved)", src)
    elif license_raw and str(license_raw).lower() not in {"unknown", "other"}:
        dims["weights_license"] = Dimension(
            PARTIAL, f"license {license_raw} (not an OSI-approved license)", src
        )
    elif tier is not None:
        dims["weights_license"] = Dimension(
            _TIER_LICENSE[tier], f"access tier {tier.value} (license text not resolved)", src
        )

    for dim, column in (("training_code", "training_code"), ("inference_code", "inference_code")):
        raw = row.get(column)
        if raw and str(raw).strip().lower() in _CODE:
            dims[dim] = Dimension(_CODE[str(raw).strip().lower()], f"Epoch AI: {raw}", src)

    link = str(row.get("link") or "")
    tags = [str(t) for t in (hub or {}).get("tags") or []]
    if "arxiv.org" in link or any(t.startswith("arxiv:") for t in tags):
        where = link if "arxiv.org" in link else next(t for t in tags if t.startswith("arxiv:"))
        dims["paper"] = Dimension(
            PARTIAL, f"public paper ({where}); its license is not known to be open", src
        )
    datasets = [t.removeprefix("dataset:") for t in tags if t.startswith("dataset:")]
    if datasets:
        dims["training_data"] = Dimension(
            PARTIAL, f"datasets named on the Hub: {', '.join(datasets[:5])}", "hub"
        )
    return dims


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
