"""Derived tables: one release per publication, one organization per lab.

`release_facts` keeps one row per source row. Rows whose names normalize to the same key and
whose organizations overlap describe the same release; each field of the release is taken from
the most authoritative source that has it (SOURCE_PRIORITY). Organizations get their country
from the sources: the most common country of the releases it published alone (Epoch AI), else
the region Interconnects gives its Hub namespaces.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from robinet.domain import org_directory, region_of
from robinet.store.db import Store

# Newest, most curated first: large-scale runs to Dec 2025, notable/all stop in Mar 2025.
SOURCE_PRIORITY = ["epoch-large-scale", "epoch-notable", "epoch-all", "epoch-eci", "interconnects"]
_MERGED_FIELDS = [
    "name", "organization", "countries", "date", "tier", "hf_id", "domain", "parameters",
    "training_compute", "base_model", "frontier", "license_raw", "training_code",
    "inference_code", "link",
]  # fmt: skip


def _rank(source: str) -> int:
    return SOURCE_PRIORITY.index(source) if source in SOURCE_PRIORITY else len(SOURCE_PRIORITY)


def _cluster(facts: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Split facts sharing a name key into groups whose organizations overlap."""
    facts = sorted(facts, key=lambda f: (_rank(f["source"]), f["file"] or "", f["row"] or 0))
    groups: list[tuple[set[str], list[dict[str, Any]]]] = []
    for fact in facts:
        orgs = set(fact["organizations"] or [])
        home = next((g for g in groups if not orgs or not g[0] or g[0] & orgs), None)
        if home is None:
            groups.append((set(orgs), [fact]))
        else:
            home[0].update(orgs)
            home[1].append(fact)
    return [members for _, members in groups]


def _merge(release_id: str, facts: list[dict[str, Any]]) -> dict[str, Any]:
    release: dict[str, Any] = {"id": release_id}
    for field in _MERGED_FIELDS:
        release[field] = next(
            (f[field] for f in facts if f[field] is not None and f[field] != []), None
        )
    orgs: list[str] = []
    for fact in facts:
        orgs.extend(o for o in fact["organizations"] or [] if o not in orgs)
    release["organizations"] = orgs
    release["countries"] = release["countries"] or []
    release["notable"] = any(f["notable"] for f in facts)
    release["sources"] = sorted({f["source"] for f in facts}, key=_rank)
    return release


def rebuild_releases(store: Store) -> None:
    facts = store.query("SELECT * FROM release_facts")
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for fact in facts:
        by_key[fact["name_key"]].append(fact)
    releases: list[dict[str, Any]] = []
    for key, group in by_key.items():
        for index, members in enumerate(_cluster(group)):
            head = members[0]
            release_id = key if index == 0 else f"{key}--{head['organization'] or index}"
            for fact in members:
                fact["release_id"] = release_id
            releases.append(_merge(release_id, members))
    from robinet.store.ingest import insert_rows

    store.con.execute("DELETE FROM release_facts")
    insert_rows(store, "release_facts", facts)
    store.con.execute("DELETE FROM releases")
    insert_rows(store, "releases", releases)


def rebuild_organizations(store: Store) -> None:
    directory = org_directory()
    facts = store.query(
        "SELECT organizations, organization_raw, countries, org_countries, source "
        "FROM release_facts"
    )
    sole_countries: dict[str, Counter[str]] = defaultdict(Counter)
    paired_countries: dict[str, Counter[str]] = defaultdict(Counter)
    all_countries: dict[str, set[str]] = defaultdict(set)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    contributors: dict[str, set[str]] = defaultdict(set)
    for fact in facts:
        orgs = fact["organizations"] or []
        countries = fact["countries"] or []
        raw_parts = [p.strip() for p in (fact["organization_raw"] or "").split(",") if p.strip()]
        for org, code in zip(orgs, fact["org_countries"] or [None] * len(orgs), strict=False):
            contributors[org].add(fact["source"])
            if code:
                paired_countries[org][code] += 1
        if len(orgs) == 1:
            all_countries[orgs[0]].update(countries)
            if len(countries) == 1:
                sole_countries[orgs[0]][countries[0]] += 1
            if len(raw_parts) == 1:
                spellings[orgs[0]][raw_parts[0]] += 1
    for row in store.query("SELECT organization, organization_raw, source FROM arena_entries"):
        if row["organization"]:
            contributors[row["organization"]].add(row["source"])
            spellings[row["organization"]][row["organization_raw"]] += 1
    hub_regions: dict[str, Counter[str]] = defaultdict(Counter)
    hub_orgs: dict[str, set[str]] = defaultdict(set)
    for row in store.query("SELECT hf_org, organization, region, source FROM org_regions"):
        hub_orgs[row["organization"]].add(row["hf_org"])
        contributors[row["organization"]].add(row["source"])
        if row["region"]:
            hub_regions[row["organization"]][row["region"]] += 1
    rows = []
    for org in sorted(contributors):
        alias = directory.entries.get(org)
        # Its own releases first; failing that, the country Epoch pairs with it on joint ones.
        votes = sole_countries[org] or paired_countries[org]
        country = votes.most_common(1)[0][0] if votes else None
        region = region_of(country)
        region_value = region.value if region else None
        if region_value is None and hub_regions[org]:
            region_value = hub_regions[org].most_common(1)[0][0]
        name = (
            alias.name
            if alias
            else (spellings[org].most_common(1)[0][0] if spellings[org] else org)
        )
        rows.append(
            {
                "id": org,
                "name": name,
                "country": country,
                "countries": sorted(all_countries[org]),
                "region": region_value,
                "parent": alias.parent if alias else None,
                "hf_orgs": sorted(set(alias.hf_orgs if alias else ()) | hub_orgs[org]),
                "aliases": sorted(set(spellings[org]) | set(alias.aliases if alias else ())),
                "source": ",".join(sorted(contributors[org], key=_rank)),
                "source_file": None,
                "retrieved_at": None,
            }
        )
    from robinet.store.ingest import insert_rows

    store.con.execute("DELETE FROM organizations")
    insert_rows(store, "organizations", rows)


def rebuild_derived(store: Store) -> None:
    """Recompute releases and organizations, then the fields that point at them."""
    rebuild_releases(store)
    rebuild_organizations(store)
    # A release's region is its (first) organization's; failing that, its countries'.
    store.con.execute(
        """
        UPDATE releases SET region = o.region
        FROM organizations o WHERE o.id = releases.organization
        """
    )
    # Releases no source gives countries for (Hub models listed by Interconnects) take their
    # organization's.
    store.con.execute(
        """
        UPDATE releases SET countries = [o.country]
        FROM organizations o
        WHERE o.id = releases.organization AND o.country IS NOT NULL
          AND (releases.countries IS NULL OR len(releases.countries) = 0)
        """
    )
    for row in store.query("SELECT id, countries FROM releases WHERE region IS NULL"):
        regions = {region_of(c) for c in row["countries"] or []}
        if len(regions) == 1:
            (region,) = regions
            if region is not None:
                store.con.execute(
                    "UPDATE releases SET region = ? WHERE id = ?", [region.value, row["id"]]
                )
    # Hub models of a known organization's namespaces belong to it.
    store.con.execute(
        """
        UPDATE models SET organization = m.id
        FROM (SELECT id, lower(unnest(hf_orgs)) AS namespace FROM organizations) m
        WHERE lower(models.author) = m.namespace
        """
    )
    store.con.execute(
        """
        UPDATE capability_scores SET release_id = f.release_id, region = r.region
        FROM release_facts f JOIN releases r ON r.id = f.release_id
        WHERE f.source = capability_scores.source AND f.name = capability_scores.name
          AND f.organization IS NOT DISTINCT FROM capability_scores.organization
        """
    )
    store.con.execute(
        """
        UPDATE capability_scores SET region = o.region
        FROM organizations o
        WHERE capability_scores.region IS NULL AND o.id = capability_scores.organization
        """
    )
