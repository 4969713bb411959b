"""Openness evidence from the store: one release's dimensions, each with its source and words.

Layers, the earlier winning (`merge_dimensions`):

1. the release's own data: Epoch AI's access tier, code accessibility, link and its
   training-dataset, accessibility-notes and reference fields (`robinet.openness.epoch_fields`);
   the curated catalog's license; the Hub row of its Hub id (license tag through the license
   engine, `arxiv:` and `dataset:` tags, card metadata); a fetched model card
   (`robinet.openness.card`). A Hub repo that is no release has the same layers from its own
   rows (its weights: the repo itself);
2. its own MOT evaluation (components released, with their licenses);
3. its family's evidence, for the dimensions that hold for the whole release
   (`robinet.openness.family`), saying which release it comes from (for a Hub repo, first the
   release that lists it among its Hub repos);
4. what the access tier alone supports for the weights license (at most partial).

What no source covers stays unknown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache

from robinet.model import OPEN_TIERS, Tier
from robinet.openness import epoch_fields
from robinet.openness.card import card_dimensions, license_from_facts
from robinet.openness.licensing import (
    license_in_prose,
    license_openness,
    resolve_license,
)
from robinet.openness.mof import (
    CLOSED,
    OPEN,
    PARTIAL,
    UNKNOWN,
    MotEvaluation,
    is_osi,
    license_status,
    mot_evaluations,
)
from robinet.openness.rubric import Dimension, dimensions_from_components
from robinet.store.queries.openness import EvidenceFact, HubFacts, ReleaseFacts

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
    facts: Sequence[EvidenceFact] = (),
) -> dict[str, Dimension]:
    """Dimensions from a release, its Hub row and the quoted facts of its source rows.

    `fields` maps a release field (tier, license_raw, training_code, inference_code, link) to
    the sources that gave it (`release_facts`), so each dimension cites only those. The
    weights license comes from a license (see `license_dimension`), never from the access
    tier: see `tier_license`.
    """
    dims: dict[str, Dimension] = {}
    tier = Tier(row.tier) if row.tier else None
    if row.id is None and row.hf_id:  # a Hub repo: the weights are the repo's own
        src = _cite(row, fields, "hf_id") if row.sources else _hub_source(hub) if hub else "hub"
        dims["weights"] = Dimension(OPEN, f"weights on the Hub as {row.hf_id}", src)
    elif tier is not None:
        value = OPEN if tier in OPEN_TIERS else CLOSED
        dims["weights"] = Dimension(value, f"access tier {tier.value}", _cite(row, fields, "tier"))
    elif row.hf_id:
        src = _cite(row, fields, "hf_id")
        dims["weights"] = Dimension(OPEN, f"weights on the Hub as {row.hf_id}", src)
    elif hub:
        dims["weights"] = Dimension(OPEN, f"weights on the Hub as {hub.hf_id}", _hub_source(hub))

    lic = license_dimension(row, hub, fields, facts)
    if lic is not None:
        dims["weights_license"] = lic

    for dim, raw in (("training_code", row.training_code), ("inference_code", row.inference_code)):
        if raw and raw.strip().lower() in _CODE:
            dims[dim] = Dimension(
                _CODE[raw.strip().lower()], f"Epoch AI: {raw}", _cite(row, fields, dim)
            )
        elif (noted := epoch_fields.code(dim, facts)) is not None:
            dims[dim] = noted

    paper = _paper(row, hub, fields, facts)
    if paper is not None:
        dims["paper"] = paper
    data = _training_data(hub, facts)
    if data is not None:
        dims["training_data"] = data
    if hub is not None:
        for dim_name, card_dim in card_dimensions(hub, dims.get("weights_license")).items():
            dims.setdefault(dim_name, card_dim)
    return dims


def _paper(
    row: ReleaseFacts,
    hub: HubFacts | None,
    fields: FieldSources | None,
    facts: Sequence[EvidenceFact],
) -> Dimension | None:
    found = epoch_fields.paper(row.link, facts, _cite(row, fields, "link"))
    if found is not None:
        return found
    tags = list(hub.tags) if hub else []
    where = next((t for t in tags if t.startswith("arxiv:")), None)
    if hub and where:
        return Dimension(
            PARTIAL,
            f"public paper ({where}, Hub tag); its license is not known to be open",
            _hub_source(hub),
        )
    return None


def _training_data(hub: HubFacts | None, facts: Sequence[EvidenceFact]) -> Dimension | None:
    tags = list(hub.tags) if hub else []
    datasets = [t.removeprefix("dataset:") for t in tags if t.startswith("dataset:")]
    if hub and datasets:
        return Dimension(
            PARTIAL,
            f"datasets on the Hub, named by the card: {', '.join(datasets[:5])}",
            _hub_source(hub),
        )
    return epoch_fields.training_data(facts)


def _from_license_id(lid: str | None, how: str, source: str) -> Dimension | None:
    found = license_openness(lid) if lid else None
    if found is None:
        return None
    return Dimension(
        found.value,
        f"{how}: {found.name} ({found.license_id}); {found.evidence}",
        source,
        found.osi,
    )


def license_dimension(
    row: ReleaseFacts,
    hub: HubFacts | None,
    fields: FieldSources | None = None,
    facts: Sequence[EvidenceFact] = (),
) -> Dimension | None:
    """The weights license from a license, judged by the license engine's terms: the Hub tag
    (as the license engine resolved it), a fetched LICENSE file or card field, the release's
    license (the curated catalog's, else the Hub tag the merge took), the license named in
    Epoch AI's accessibility notes, the release's own license string; else, for a license the
    knowledge base lacks, open only if it is OSI-approved or an open data license."""
    if hub is not None:
        raw = hub.license if hub.license and hub.license.lower() not in _NOT_A_LICENSE else None
        lid = hub.license_id or (resolve_license(raw) if raw else None)
        found = _from_license_id(lid, f"Hub license tag {raw or lid}", _hub_source(hub))
        if found is not None:
            return found
        fetched = license_from_facts(hub)
        if fetched is not None:
            return fetched
    if row.license_id:
        where = row.license_source or _cite(row, fields, "license_id")
        found = _from_license_id(row.license_id, f"license {row.license_id} ({where})", where)
        if found is not None:
            return found
    for fact in facts:
        if fact.field == "accessibility_notes" and fact.value:
            named = license_in_prose(fact.value)
            if named is not None:
                found = _from_license_id(
                    named[0], f"Epoch AI notes name {named[1]!r}", epoch_fields.fact_source(fact)
                )
                if found is not None:
                    return found
    raws: list[tuple[str, str]] = []
    if hub is not None and hub.license and hub.license.lower() not in _NOT_A_LICENSE:
        raws.append((hub.license.removeprefix("license:"), _hub_source(hub)))
    if row.license_raw and row.license_raw.lower() not in _NOT_A_LICENSE:
        lid = resolve_license(name=row.license_raw)
        found = _from_license_id(
            lid, f"license {row.license_raw!r}", _cite(row, fields, "license_raw")
        )
        if found is not None:
            return found
        raws.append((row.license_raw, _cite(row, fields, "license_raw")))
    if not raws:
        return None
    lic, src = raws[0]
    if is_osi(lic):
        return Dimension(OPEN, f"license {lic} (OSI-approved)", src, True)
    value, _ = license_status(lic, ("data",))
    if value == OPEN:
        return Dimension(OPEN, f"license {lic} (an open data license)", src, False)
    return Dimension(
        PARTIAL, f"license {lic} (not in the knowledge base; not an open license)", src, False
    )


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
            False,
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
    """An evaluation's components as dimensions; the weights license judged by the license
    engine's terms when the evaluation names a license the knowledge base knows."""
    dims = dimensions_from_components(ev.components)
    weights = ev.components.get("Model parameters (Final)")
    if weights is not None and weights.license:
        raw = weights.license
        found = _from_license_id(
            resolve_license(raw) or resolve_license(name=raw),
            f"MOT: final weights under {raw!r}",
            f"mot:{ev.file}",
        )
        if found is not None and weights.value != CLOSED:
            dims["weights_license"] = found
    return dims
