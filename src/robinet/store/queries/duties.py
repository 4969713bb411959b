"""Reads for the duties engine (robinet.duties): the facts a release gives it, and the chips
its training used.

`duty_facts` gives, for many releases in one query, what `robinet.duties.facts` turns into a
`ModelFacts`: the merged release, its primary organization's name and country, the source row
that gave its training compute, and every license the store holds for it (the merge's
`license_id`, its own license string, its `license_refs` rows, and the Hub rows of its Hub
repository and of that repository's variants under the same owner). `hardware_rows` gives
the raw Epoch AI "Training hardware" and "Hardware quantity" of every release an Epoch AI
models table lists, with the source that gave them. `open_flagships` picks, per
organization, its open-weight release of largest known training compute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from robinet.store.db import Store
from robinet.store.merge import SOURCE_PRIORITY

# The Epoch AI tables that carry "Training hardware" (the capabilities index does not): the
# releases they list are the population the hardware series measures.
HARDWARE_SOURCES: tuple[str, ...] = ("epoch-large-scale", "epoch-notable", "epoch-all")


@dataclass(frozen=True, slots=True)
class HubLicense:
    """The license of one Hub repository of a release: its own (`exact`) or a variant's
    (same owner, a name that contains the release repository's name as whole words)."""

    hf_id: str
    license: str | None  # the raw Hub tag ("llama3.1", "other")
    license_name: str | None
    license_id: str | None  # knowledge-base id the license engine resolved at import
    exact: bool
    source: str | None


@dataclass(frozen=True, slots=True)
class LicenseRef:
    """A `license_refs` row about the release itself."""

    license_raw: str
    license_id: str | None
    source: str


@dataclass(frozen=True, slots=True)
class DutyFactsRow:
    """A release as the duties engine reads it: the merged fields and where they came from."""

    id: str
    name: str
    hf_id: str | None
    organization: str | None  # organization id
    organization_name: str | None
    organization_country: str | None  # ISO 3166-1 alpha-2 of the headquarters
    region: str | None
    date: dt.date | None
    tier: str | None
    domain: str | None  # Epoch's "Domain", comma-separated
    task: str | None  # Epoch's "Task", comma-separated
    training_compute: float | None
    compute_source: str | None  # the source whose row gave `training_compute`
    compute_file: str | None
    inference_code: str | None  # Epoch's "Inference code accessibility"
    license_raw: str | None
    license_id: str | None = None  # the merge's license (store/merge.py PRECEDENCE)
    license_source: str | None = None  # where the merge found it
    license_refs: tuple[LicenseRef, ...] = ()
    hub_licenses: tuple[HubLicense, ...] = ()  # the exact repository first
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HardwareFactsRow:
    """A release listed by an Epoch AI models table and its raw training hardware."""

    id: str
    name: str
    organization: str | None
    region: str | None
    date: dt.date | None
    training_hardware: str | None
    hardware_quantity: float | None
    source: str | None  # the source whose row gave `training_hardware`


_PRIORITY = "coalesce(list_position(?::VARCHAR[], f.source), 999)"

_DUTY_FACTS = f"""
WITH picked AS (
    SELECT unnest(?::VARCHAR[]) AS id
), compute AS (
    SELECT f.release_id, f.source, f.file FROM release_facts f
    WHERE f.release_id IN (SELECT id FROM picked) AND f.training_compute IS NOT NULL
    QUALIFY row_number() OVER (
        PARTITION BY f.release_id ORDER BY {_PRIORITY}, f.file, f.row) = 1
), refs AS (
    SELECT subject, list(struct_pack(license_raw := license_raw, license_id := license_id,
                                     source := source)
                         ORDER BY license_id NULLS LAST, license_raw, source) AS items
    FROM license_refs
    WHERE subject_kind = 'release' AND subject IN (SELECT id FROM picked)
    GROUP BY subject
), repo AS (
    SELECT r.id, lower(split_part(r.hf_id, '/', 1)) AS owner,
           lower(r.hf_id) AS hf, '-' || name_slug(split_part(r.hf_id, '/', 2)) || '-' AS words
    FROM releases r WHERE r.id IN (SELECT id FROM picked) AND r.hf_id LIKE '%/%'
), hub AS (
    SELECT p.id, list(struct_pack(hf_id := m.hf_id, license := m.license,
                                  license_name := m.license_name, license_id := m.license_id,
                                  exact := lower(m.hf_id) = p.hf, source := m.source)
                      ORDER BY lower(m.hf_id) = p.hf DESC, m.hf_id) AS items
    FROM repo p JOIN models m
      ON lower(split_part(m.hf_id, '/', 1)) = p.owner
     AND (lower(m.hf_id) = p.hf
          OR contains('-' || name_slug(split_part(m.hf_id, '/', 2)) || '-', p.words))
    GROUP BY p.id
)
SELECT r.id, r.name, r.hf_id, r.organization, o.name, o.country, r.region, r.date, r.tier,
       r.domain, r.task, r.training_compute, c.source, c.file, r.inference_code,
       r.license_raw, r.license_id, r.license_source, refs.items, hub.items, r.sources
FROM releases r
LEFT JOIN organizations o ON o.id = r.organization
LEFT JOIN compute c ON c.release_id = r.id
LEFT JOIN refs ON refs.subject = r.id
LEFT JOIN hub ON hub.id = r.id
WHERE r.id IN (SELECT id FROM picked)
ORDER BY r.id
"""


def _hub(items: Sequence[dict[str, Any]] | None) -> tuple[HubLicense, ...]:
    return tuple(
        HubLicense(
            i["hf_id"], i["license"], i["license_name"], i["license_id"], i["exact"], i["source"]
        )
        for i in items or ()
    )


def _refs(items: Sequence[dict[str, Any]] | None) -> tuple[LicenseRef, ...]:
    return tuple(LicenseRef(i["license_raw"], i["license_id"], i["source"]) for i in items or ())


def duty_facts(store: Store, ids: Sequence[str]) -> dict[str, DutyFactsRow]:
    """release id -> its facts, for the given ids (one query; unknown ids are left out)."""
    if not ids:
        return {}
    rows = store.con.execute(_DUTY_FACTS, [list(ids), list(SOURCE_PRIORITY)]).fetchall()
    out: dict[str, DutyFactsRow] = {}
    for row in rows:
        (rid, name, hf_id, org, org_name, country, region, date, tier, domain, task,
         compute, c_source, c_file, inference, lic, lic_id, lic_source, refs, hub,
         sources) = row  # fmt: skip
        out[rid] = DutyFactsRow(
            id=rid,
            name=name,
            hf_id=hf_id,
            organization=org,
            organization_name=org_name,
            organization_country=country,
            region=region,
            date=date,
            tier=tier,
            domain=domain,
            task=task,
            training_compute=None if compute is None else float(compute),
            compute_source=c_source,
            compute_file=c_file,
            inference_code=inference,
            license_raw=lic,
            license_id=lic_id,
            license_source=lic_source,
            license_refs=_refs(refs),
            hub_licenses=_hub(hub),
            sources=tuple(sources or ()),
        )
    return out


def open_flagships(store: Store, organizations: Sequence[str]) -> dict[str, str]:
    """organization id -> the id of its open-weight release with the largest known training
    compute (the latest, then the first id, on a tie); organizations with none are left out."""
    if not organizations:
        return {}
    rows = store.con.execute(
        "SELECT organization, id FROM releases "
        "WHERE organization IN (SELECT unnest(?::VARCHAR[])) AND is_open_tier(tier) "
        "AND training_compute IS NOT NULL "
        "QUALIFY row_number() OVER (PARTITION BY organization "
        "ORDER BY training_compute DESC, date DESC NULLS LAST, id) = 1",
        [list(organizations)],
    ).fetchall()
    return {org: rid for org, rid in rows}


def hardware_rows(store: Store) -> list[HardwareFactsRow]:
    """Every release an Epoch AI models table lists (HARDWARE_SOURCES), with its raw training
    hardware and quantity (None when no source gives them) and the source that gave the
    hardware, oldest first (undated last)."""
    rows = store.con.execute(
        f"""
        WITH hw AS (
            SELECT f.release_id, f.source FROM release_facts f
            WHERE f.training_hardware IS NOT NULL
            QUALIFY row_number() OVER (
                PARTITION BY f.release_id ORDER BY {_PRIORITY}, f.file, f.row) = 1
        )
        SELECT r.id, r.name, r.organization, r.region, r.date, r.training_hardware,
               r.hardware_quantity, hw.source
        FROM releases r LEFT JOIN hw ON hw.release_id = r.id
        WHERE len(list_intersect(r.sources, ?::VARCHAR[])) > 0
        ORDER BY r.date NULLS LAST, r.id
        """,
        [list(SOURCE_PRIORITY), list(HARDWARE_SOURCES)],
    ).fetchall()
    return [
        HardwareFactsRow(
            rid, name, org, region, date, hw, None if qty is None else float(qty), source
        )
        for rid, name, org, region, date, hw, qty, source in rows
    ]
