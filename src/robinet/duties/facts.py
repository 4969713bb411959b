"""The store's facts about a release -> the `ModelFacts` the duties engine reads.

`release_facts(store, model)` finds a release (a release id or name, or a Hub id) and gives
its `ModelFacts` with the provenance of the license; `facts_of(row)` converts one
`DutyFactsRow` of `robinet.store.queries.duties`. The rules, one per fact:

- **training compute**: the merged release's (Epoch AI "Training compute (FLOP)"), with the
  table that gave it as `compute_source` ("Epoch AI, large_scale_ai_models.csv"); never
  estimated. Unknown -> None, and the engine answers None where it needs it.
- **domains, tasks**: Epoch AI's "Domain" and "Task", split on commas.
- **license**: the first of these that gives a knowledge-base id: the release's
  `license_id` (the merge's, `robinet.store.merge`); the release's own license string; its
  `license_refs` rows; the Hub row of its Hub repository (the id resolved at import, else its
  tag and license name through `license_id_of`); the Hub rows of that
  repository's variants (same owner, a name containing the repository's name as whole words:
  `Meta-Llama-3.1-405B-Instruct` for `Llama-3.1-405B`) when they all resolve to one id. Variants
  that disagree leave the license unknown; "other" and "unknown" tags name no license.
- **weights public**: the access tier publishes weights (an open tier) -> True; an API,
  hosted or unreleased tier -> False; no tier -> None.
- **architecture public**: an open tier -> True, since published weights ship with the
  configuration and code that load them, which describe the architecture; unless the
  evidence says otherwise: Epoch AI's "Inference code accessibility" = "Unreleased" makes it
  None (the weights may come without code to run them). Any other tier -> None: robinet holds
  no evidence about closed architectures.
- **released**: the release's date (first publication), a proxy for placing on the market.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from robinet.duties.hardware import Chip, normalize_hardware
from robinet.duties.model import DutiesResult, ModelFacts
from robinet.duties.series import HardwareRow, HardwareSeries, hardware_series
from robinet.errors import NotFoundError
from robinet.jsonable import to_jsonable
from robinet.model import OPEN_TIERS
from robinet.openness.restrictiveness import license_id_of
from robinet.store.db import Store
from robinet.store.queries import duties as queries
from robinet.store.queries.duties import DutyFactsRow, HubLicense

_OPEN = {t.value for t in OPEN_TIERS}
_NO_LICENSE = {"other", "unknown", ""}
_SOURCE_NAMES = {"epoch": "Epoch AI", "interconnects": "Interconnects"}


@dataclass(frozen=True, slots=True)
class ReleaseFacts:
    """A release's ModelFacts, with the release it came from and where its license came from."""

    id: str
    hf_id: str | None
    tier: str | None
    facts: ModelFacts
    license_source: str | None  # "release", "license_refs: SOURCE", "hub: OWNER/NAME"...


def split_words(text: str | None) -> tuple[str, ...]:
    """Epoch AI's comma-joined lists ("Language,Vision") as a tuple, blanks dropped."""
    return tuple(w.strip() for w in (text or "").split(",") if w.strip())


def compute_source(source: str | None, file: str | None) -> str | None:
    """'epoch-large-scale', 'epoch/large_scale_ai_models.csv' ->
    'Epoch AI, large_scale_ai_models.csv'."""
    if source is None:
        return None
    prefix = source.split("-", 1)[0]
    who = _SOURCE_NAMES.get(prefix, source)
    return f"{who}, {PurePosixPath(file).name}" if file else who


def _hub_id(hub: HubLicense) -> str | None:
    if hub.license_id:
        return hub.license_id
    for raw in (hub.license_name, hub.license):
        if raw and raw.strip().lower() not in _NO_LICENSE:
            found = license_id_of(raw)
            if found:
                return found
    return None


def license_of(row: DutyFactsRow) -> tuple[str | None, str | None]:
    """(knowledge-base id, where it came from) of a release's license; (None, None) unknown."""
    if row.license_id:
        return row.license_id, f"release: {row.license_source}" if row.license_source else "release"
    if row.license_raw and (found := license_id_of(row.license_raw)):
        return found, "release"
    for ref in row.license_refs:
        found = ref.license_id or license_id_of(ref.license_raw)
        if found:
            return found, f"license_refs: {ref.source}"
    exact = [h for h in row.hub_licenses if h.exact]
    for hub in exact:
        if found := _hub_id(hub):
            return found, f"hub: {hub.hf_id}"
    variants = {h.hf_id: lid for h in row.hub_licenses if not h.exact if (lid := _hub_id(h))}
    if len(set(variants.values())) == 1:
        first = sorted(variants)[0]
        return variants[first], f"hub variants: {', '.join(sorted(variants))}"
    return None, None


def _architecture_public(row: DutyFactsRow) -> bool | None:
    if row.tier not in _OPEN:
        return None
    if (row.inference_code or "").strip().lower() == "unreleased":
        return None
    return True


def facts_of(row: DutyFactsRow) -> ReleaseFacts:
    """One store row -> the release's ModelFacts (the rules in the module docstring)."""
    license_id, license_source = license_of(row)
    weights = None if row.tier is None else row.tier in _OPEN
    facts = ModelFacts(
        name=row.name,
        organization=row.organization_name or row.organization,
        organization_country=row.organization_country,
        organization_region=row.region,
        training_compute_flop=row.training_compute,
        compute_source=compute_source(row.compute_source, row.compute_file)
        if row.training_compute is not None
        else None,
        domains=split_words(row.domain),
        tasks=split_words(row.task),
        license=license_id,
        weights_public=weights,
        architecture_public=_architecture_public(row),
        released=row.date,
    )
    return ReleaseFacts(row.id, row.hf_id, row.tier, facts, license_source)


def facts_by_id(store: Store, ids: list[str]) -> dict[str, ReleaseFacts]:
    """release id -> its facts (ids the store lacks are left out), in one query."""
    return {rid: facts_of(row) for rid, row in queries.duty_facts(store, ids).items()}


def release_facts(store: Store, model: str) -> ReleaseFacts:
    """The facts of the release `model` names (an id, a name or a Hub id; the release lookup of
    `robinet.store.queries.openness.find_release`). Raises NotFoundError with close matches."""
    from robinet.store.queries.openness import find_release

    found = find_release(store, model)
    release_id = found.release.id if found is not None else None
    got = facts_by_id(store, [release_id]) if release_id else {}
    if release_id is None or release_id not in got:
        raise unknown_release(store, model)
    return got[release_id]


def unknown_release(store: Store, model: str) -> NotFoundError:
    """The error for a name no release has, with the closest release names as a hint."""
    import difflib

    from robinet.domain import slug
    from robinet.store.queries.openness import release_names

    names: dict[str, str] = {}
    for name, _ in release_names(store):
        names.setdefault(slug(name), name)
    key = slug(model)
    close = difflib.get_close_matches(key, list(names), n=5, cutoff=0.75)
    if len(close) < 5 and len(key) >= 4:
        close += sorted(k for k in names if key in k and k not in close)[: 5 - len(close)]
    hint = (
        f"did you mean: {'; '.join(names[k] for k in close)}"
        if close
        else "pass a release name or id (`robinet releases`), or a Hub id (owner/name)"
    )
    return NotFoundError(f"no release named {model!r} in the store", hint=hint)


# -- the whole of one question: a release's duties ------------------------------------------


@dataclass(frozen=True, slots=True)
class ReleaseDuties:
    """The duties for one release of the store, and the release they were computed for."""

    release: ReleaseFacts
    result: DutiesResult

    def to_json(self) -> dict[str, Any]:
        """`DutiesResult.to_json()` with the release (`id`, `hf_id`, `tier`) and
        `license_source` (where the license id came from; None when unknown)."""
        doc = self.result.to_json()
        doc["release"] = {
            "id": self.release.id,
            "hf_id": self.release.hf_id,
            "tier": self.release.tier,
        }
        doc["license_source"] = self.release.license_source
        return doc


def release_duties(
    store: Store,
    model: str,
    jurisdiction: str,
    role: str = "provider",
    public_service: bool = False,
    *,
    public_opinion: bool | None = None,
) -> ReleaseDuties:
    """`assess` over the facts the store holds for the release `model` names."""
    from robinet.duties.engine import assess

    found = release_facts(store, model)
    result = assess(found.facts, jurisdiction, role, public_service, public_opinion=public_opinion)
    return ReleaseDuties(found, result)


# -- the chips behind the releases ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReleaseHardware:
    """A release an Epoch AI models table lists, and the chips it was trained on."""

    id: str
    name: str
    organization: str | None
    region: str | None
    date: dt.date | None
    chips: tuple[Chip, ...]
    source: str | None  # the source whose row named the hardware


@dataclass(frozen=True, slots=True)
class HardwareOverview:
    """Every release with its chips (`releases`), and the domestic-chip series over them."""

    releases: tuple[ReleaseHardware, ...]
    series: HardwareSeries

    def with_hardware(self) -> list[ReleaseHardware]:
        return [r for r in self.releases if r.chips]

    def to_json(self) -> dict[str, Any]:
        """`releases` (those with recorded hardware: name, organization, region, date,
        hardware [{vendor, chip, quantity, source}]), `count`, `series`, `coverage`."""
        listed = [
            {
                "id": r.id,
                "name": r.name,
                "organization": r.organization,
                "region": r.region,
                "date": r.date,
                "hardware": [
                    {"vendor": c.vendor, "chip": c.chip, "quantity": c.quantity, "source": r.source}
                    for c in r.chips
                ],
            }
            for r in self.with_hardware()
        ]
        series = self.series.to_json()
        return {
            "releases": to_jsonable(listed),
            "count": len(listed),
            "series": series["series"],
            "coverage": series["coverage"],
        }


def hardware_overview(store: Store) -> HardwareOverview:
    """The training hardware of every release an Epoch AI models table lists (the tables that
    have the column), normalized (`normalize_hardware`), and `hardware_series` over them: a
    release no source gives hardware for counts as unknown, never as not domestic."""
    releases = tuple(
        ReleaseHardware(
            id=row.id,
            name=row.name,
            organization=row.organization,
            region=row.region,
            date=row.date,
            chips=normalize_hardware(row.training_hardware, row.hardware_quantity),
            source=row.source,
        )
        for row in queries.hardware_rows(store)
    )
    rows = [HardwareRow(r.name, r.organization, r.region, r.date, r.chips) for r in releases]
    return HardwareOverview(releases, hardware_series(rows))
