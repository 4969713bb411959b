"""Reads for the trend engines (robinet.trends): capability scores, Arena snapshots, releases
with their licenses, Hub downloads, source coverage.

Every function returns frozen dataclasses (or plain dates and names); the engines compute over
them. Parameters are bound; the open tier and the name slug are the macros of
`robinet.store.macros`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from robinet.errors import StoreError
from robinet.model import Organization, Region, Release, Tier
from robinet.store.db import Store

# Releases from the sources whose names contain this (every Epoch AI table) list open and
# closed models alike: shares are computed on them.
BALANCED_SOURCE = "epoch"
# A release one of whose sources' names contains the bound marker (e.g. BALANCED_SOURCE).
FROM_SOURCE = "array_to_string(sources, ',') LIKE '%' || ? || '%'"


_TIERS = {t.value: t for t in Tier}  # a dict lookup: Tier(value) costs more on 60k rows
_REGIONS = {r.value: r for r in Region}


def as_tier(value: str | None) -> Tier | None:
    """The Tier of a stored value; a value that is no tier is a damaged store."""
    if value is None:
        return None
    try:
        return _TIERS[value]
    except KeyError:
        raise StoreError(
            f"the store holds {value!r} as an access tier, which is none of {', '.join(_TIERS)}"
        ) from None


def as_region(value: str | None) -> Region | None:
    """The Region of a stored value; a value that is no region is a damaged store."""
    if value is None:
        return None
    try:
        return _REGIONS[value]
    except KeyError:
        raise StoreError(
            f"the store holds {value!r} as a region, which is none of {', '.join(_REGIONS)}"
        ) from None


def _rows(store: Store, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    return store.con.execute(sql, params or []).fetchall()


@dataclass(frozen=True, slots=True)
class CapabilityScore:
    """One model version's score on a capability benchmark (capability_scores).

    `tier` is the benchmark's own access field; when it is blank, the merged release's tier
    (matched by release id, else by name key) stands in, and `tier_source` says which gave it.
    `hub_repo` is the matched release's Hub repository: published weights even when no source
    names the tier (the Interconnects tracker lists open models only)."""

    name: str  # the release name when known, else the benchmark's model version
    model_version: str
    organization: str | None
    region: str | None
    date: dt.date
    score: float
    tier: Tier | None  # None: access unknown
    tier_source: str | None = None  # 'index', 'releases', or None when unknown
    hub_repo: str | None = None


def capability_scores(store: Store, benchmark: str = "eci") -> list[CapabilityScore]:
    """Dated scores of one benchmark (default: the Epoch Capabilities Index), oldest first;
    a blank access field takes the merged release's tier (by release id, else name key)."""
    rows = _rows(
        store,
        "SELECT coalesce(s.name, s.model_version), s.model_version, s.organization, s.region, "
        "s.date, s.score, s.tier, coalesce(r.tier, r2.tier), coalesce(r.hf_id, r2.hf_id) "
        "FROM capability_scores s "
        "LEFT JOIN releases r ON r.id = s.release_id "
        "LEFT JOIN releases r2 ON s.release_id IS NULL "
        "AND r2.id = name_slug(coalesce(s.name, s.model_version)) "
        "WHERE s.benchmark = ? AND s.score IS NOT NULL AND s.date IS NOT NULL "
        "ORDER BY s.date, s.model_version",
        [benchmark],
    )
    out = []
    for name, version, org, region, date, score, tier, rel_tier, hub in rows:
        source = "index" if tier is not None else ("releases" if rel_tier is not None else None)
        out.append(
            CapabilityScore(
                name,
                version,
                org,
                region,
                date,
                float(score),
                as_tier(tier if tier is not None else rel_tier),
                source,
                hub,
            )
        )
    return out


def scored_organizations(store: Store) -> set[str]:
    """Organizations with at least one capability score."""
    rows = _rows(
        store,
        "SELECT DISTINCT organization FROM capability_scores WHERE organization IS NOT NULL",
    )
    return {org for (org,) in rows}


@dataclass(frozen=True, slots=True)
class ArenaLabel:
    """One Arena snapshot row's license label and the tier the importer read from it."""

    model: str
    license_raw: str | None
    tier: Tier | None


def arena_labels(store: Store) -> list[ArenaLabel]:
    # Oldest snapshot first: where labels tie, the earliest wins (not the scan order).
    rows = _rows(
        store,
        "SELECT model, license_raw, tier FROM arena_entries ORDER BY snapshot_date, file, row",
    )
    return [ArenaLabel(model, raw, as_tier(tier)) for model, raw, tier in rows]


@dataclass(frozen=True, slots=True)
class ReleaseAccess:
    """What a release says about access: its name, Hub id and tier."""

    name: str
    hf_id: str | None
    tier: Tier | None


def release_access(store: Store) -> list[ReleaseAccess]:
    rows = _rows(store, "SELECT name, hf_id, tier FROM releases")
    return [ReleaseAccess(name, hf_id, as_tier(tier)) for name, hf_id, tier in rows]


@dataclass(frozen=True, slots=True)
class ArenaScore:
    """One scored entry of a dated Arena snapshot, with its organization's region."""

    snapshot_date: dt.date
    model: str
    organization: str | None
    region: str | None
    score: float


def arena_scores(store: Store) -> list[ArenaScore]:
    """Scored Arena entries, by snapshot date then model."""
    rows = _rows(
        store,
        "SELECT a.snapshot_date, a.model, a.organization, o.region, a.score "
        "FROM arena_entries a LEFT JOIN organizations o ON o.id = a.organization "
        "WHERE a.score IS NOT NULL ORDER BY a.snapshot_date, a.model",
    )
    return [
        ArenaScore(day, model, org, region, float(score)) for day, model, org, region, score in rows
    ]


@dataclass(frozen=True, slots=True)
class ArenaFirstSeen:
    """An Arena model and the first snapshot that lists it."""

    model: str
    organization: str | None
    region: str | None
    date: dt.date


def arena_first_seen(store: Store) -> list[ArenaFirstSeen]:
    rows = _rows(
        store,
        "SELECT a.model, a.organization, o.region, min(a.snapshot_date) "
        "FROM arena_entries a LEFT JOIN organizations o ON o.id = a.organization "
        "GROUP BY a.model, a.organization, o.region "
        "ORDER BY a.model, a.organization NULLS LAST, o.region NULLS LAST",
    )
    return [ArenaFirstSeen(*row) for row in rows]


def first_arena_snapshot(store: Store) -> dt.date | None:
    row = store.con.execute("SELECT min(snapshot_date) FROM arena_entries").fetchone()
    return None if row is None else row[0]


@dataclass(frozen=True, slots=True)
class ReleaseLicense:
    """A dated open-weight release with a license string (its own, or a license_refs row)."""

    name: str
    organization: str | None
    region: str | None
    date: dt.date
    tier: Tier
    license_raw: str
    license_id: str | None  # knowledge-base id, when license_refs resolved one
    source: str  # the release's sources, comma-joined
    base_model: str | None = None  # the model it was built from, when a source says
    base_organization: str | None = None  # that base model's primary developer, when known


def open_release_licenses(store: Store) -> list[ReleaseLicense]:
    """Dated open-weight releases with their license string: the release's own, else its
    license_refs row (a resolved one first, when it has several), oldest first."""
    rows = _rows(
        store,
        "WITH lr AS (SELECT subject, license_raw, license_id FROM license_refs "
        "WHERE subject_kind = 'release' QUALIFY row_number() OVER "
        "(PARTITION BY subject ORDER BY license_id NULLS LAST, license_raw) = 1) "
        "SELECT r.name, r.organization, r.region, r.date, r.tier, "
        "coalesce(r.license_raw, lr.license_id, lr.license_raw), lr.license_id, "
        "array_to_string(r.sources, ','), r.base_model, "
        "(SELECT min(b.organization) FROM releases b "
        "WHERE b.id = name_slug(r.base_model)) "
        "FROM releases r LEFT JOIN lr ON lr.subject = r.id "
        "WHERE r.date IS NOT NULL AND is_open_tier(r.tier) "
        "AND coalesce(r.license_raw, lr.license_raw) IS NOT NULL "
        "ORDER BY r.date, r.name, r.id",
    )
    return [
        ReleaseLicense(name, org, region, date, _TIERS[tier], raw, lid, source, base, base_org)
        for name, org, region, date, tier, raw, lid, source, base, base_org in rows
    ]


def first_release_dates(store: Store) -> dict[str, dt.date]:
    """Release name -> the first date a release of that name was published."""
    rows = _rows(store, "SELECT name, min(date) FROM releases WHERE date IS NOT NULL GROUP BY name")
    return {name: date for name, date in rows}


def latest_release_date(store: Store) -> dt.date | None:
    row = store.con.execute("SELECT max(date) FROM releases").fetchone()
    return None if row is None else row[0]


_RELEASE_COLUMNS = "id, name, organization, countries, region, date, tier, hf_id, sources"
_DATED_FROM = f"date IS NOT NULL AND {FROM_SOURCE}"


def _release(row: tuple[Any, ...]) -> Release:
    rid, name, org, countries, region, date, tier, hf_id, sources = row
    return Release(
        id=rid,
        name=name,
        organization=org,
        countries=tuple(countries or ()),
        region=as_region(region),
        date=date,
        tier=as_tier(tier),
        hf_id=hf_id,
        sources=tuple(sources or ()),
    )


def dated_releases_from(store: Store, source: str) -> list[Release]:
    """Dated releases one of whose sources' names contains `source`, oldest first; tier
    possibly unknown."""
    rows = _rows(
        store,
        f"SELECT {_RELEASE_COLUMNS} FROM releases WHERE {_DATED_FROM} ORDER BY date, id",
        [source],
    )
    return [_release(row) for row in rows]


def dated_releases_by_lab(
    store: Store, source: str, labs: list[str] | None = None
) -> dict[str, list[Release]]:
    """The releases of `dated_releases_from` under their primary developer (the `organization`
    column: the first organization, or the Hub namespace's owner), oldest first; only `labs`
    when given. Co-authors are listed on each release (`organizations`), never credited with
    it: a release is one lab's decision."""
    rows = _rows(
        store,
        f"SELECT {_RELEASE_COLUMNS}, organizations, coalesce(notable, false) "
        f"FROM releases WHERE {_DATED_FROM} "
        "AND organization IS NOT NULL AND (? IS NULL OR list_contains(?, organization)) "
        "ORDER BY organization, date, id",
        [source, labs, labs],
    )
    out: dict[str, list[Release]] = {}
    for *release, coauthors, notable in rows:
        r = _release(tuple(release))
        r = replace(r, organizations=tuple(coauthors or ()), notable=bool(notable))
        assert r.organization is not None
        out.setdefault(r.organization, []).append(r)
    return out


@dataclass(frozen=True, slots=True)
class HubDownloads:
    """A Hub model's downloads with the organization and region its author maps to."""

    created_at: dt.datetime | None
    downloads: int | None
    mapped: str | None  # the organization the author maps to; None: no organization
    organization: str | None  # that organization, else the Hub author
    region: str | None


def hub_downloads(store: Store) -> list[HubDownloads]:
    """Hub models with the organization and region their author maps to (never guessed):
    `models.organization`, else an organization listing the author among its Hub namespaces,
    else the organization whose id is the author's slug."""
    rows = _rows(
        store,
        "WITH hf AS (SELECT lower(h) AS h, min(id) AS id FROM "
        "(SELECT unnest(hf_orgs) AS h, id FROM organizations) GROUP BY lower(h)) "
        "SELECT m.created_at, m.downloads, "
        "coalesce(m.organization, hf.id, o2.id), "
        "coalesce(m.organization, hf.id, o2.id, m.author), "
        "coalesce(o.region, o3.region, o2.region) "
        "FROM models m "
        "LEFT JOIN organizations o ON o.id = m.organization "
        "LEFT JOIN hf ON m.organization IS NULL AND hf.h = lower(m.author) "
        "LEFT JOIN organizations o3 ON o3.id = hf.id "
        "LEFT JOIN organizations o2 ON m.organization IS NULL AND hf.id IS NULL "
        "AND o2.id = name_slug(m.author)",
    )
    return [HubDownloads(*row) for row in rows]


def source_coverage(store: Store) -> dict[str, dt.date]:
    """Source name -> the last date its rows cover (`sources.date_max`)."""
    rows = _rows(store, "SELECT name, date_max FROM sources WHERE date_max IS NOT NULL")
    return {name: date for name, date in rows}


@dataclass(frozen=True, slots=True)
class SourceWindow:
    """The dates a source's rows cover, its title and where its copy came from."""

    name: str
    title: str
    origin: str
    version: str | None
    retrieved_at: dt.datetime | None
    date_min: dt.date | None
    date_max: dt.date | None


def source_windows(store: Store) -> dict[str, SourceWindow]:
    """Source name -> its coverage window and provenance (the `sources` table)."""
    rows = _rows(
        store,
        "SELECT name, title, origin, version, retrieved_at, date_min, date_max FROM sources "
        "ORDER BY name",
    )
    return {row[0]: SourceWindow(*row) for row in rows}


def organization(store: Store, org_id: str) -> Organization | None:
    """One organization by id."""
    row = store.con.execute(
        "SELECT id, name, country, region, countries, parent, hf_orgs, aliases "
        "FROM organizations WHERE id = ?",
        [org_id],
    ).fetchone()
    if row is None:
        return None
    oid, name, country, region, countries, parent, hf_orgs, aliases = row
    return Organization(
        id=oid,
        name=name,
        country=country,
        region=as_region(region),
        countries=tuple(countries or ()),
        parent=parent,
        hf_orgs=tuple(hf_orgs or ()),
        aliases=tuple(aliases or ()),
    )
