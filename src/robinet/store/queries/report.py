"""Reads for the report's landscape sections: releases counted per half-year, region, access
tier and lab, and the store's last snapshot.

Each function returns frozen dataclasses whose fields are the columns of a report table. The
half-year label, the open tier and the access group are the macros of `robinet.store.macros`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from robinet.store.db import Store


@dataclass(frozen=True, slots=True)
class AccessCount:
    """Dated releases of known tier in one half-year, region and access group."""

    half_year: str
    region: str  # 'unknown' when the organization's region is not known
    access: str  # open-weight, api/hosted, unreleased (`access_group`)
    releases: int


def releases_by_access(store: Store, since: dt.date) -> list[AccessCount]:
    """Releases dated on or after `since` with a known tier, by half-year, region and access."""
    rows = store.con.execute(
        """
        SELECT half_year(date) AS half, coalesce(region, 'unknown') AS region,
               access_group(tier) AS access, count(*)
        FROM releases
        WHERE date >= ? AND tier IS NOT NULL
        GROUP BY ALL ORDER BY half, region, access
        """,
        [since],
    ).fetchall()
    return [AccessCount(*row) for row in rows]


def releases_without_date_or_tier(store: Store) -> int:
    row = store.con.execute(
        "SELECT count(*) FROM releases WHERE date IS NULL OR tier IS NULL"
    ).fetchone()
    return int(row[0]) if row else 0


@dataclass(frozen=True, slots=True)
class NotableShare:
    """Notable releases of known tier in one half-year and region, and how many are open."""

    half_year: str
    region: str
    notable_releases: int
    open_weight: int
    open_share: float  # open_weight / notable_releases, 4 decimals


def notable_open_share(store: Store, since: dt.date) -> list[NotableShare]:
    rows = store.con.execute(
        """
        SELECT half_year(date) AS half, coalesce(region, 'unknown') AS region, count(*),
               count(*) FILTER (WHERE is_open_tier(tier)),
               round(count(*) FILTER (WHERE is_open_tier(tier)) / count(*), 4)
        FROM releases
        WHERE notable AND date >= ? AND tier IS NOT NULL
        GROUP BY ALL ORDER BY half, region
        """,
        [since],
    ).fetchall()
    return [NotableShare(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class TimelineRelease:
    """One dated release of known tier of a lab, with the lab's name."""

    organization: str
    organization_name: str
    release: str
    date: dt.date
    tier: str
    hf_id: str | None


def lab_releases(store: Store, labs: list[str], since: dt.date) -> list[TimelineRelease]:
    """The releases of `labs` (primary organization) since `since`, by lab, date and name."""
    rows = store.con.execute(
        """
        SELECT r.organization, o.name, r.name, r.date, r.tier, r.hf_id
        FROM releases r JOIN organizations o ON o.id = r.organization
        WHERE list_contains(?, r.organization) AND r.date >= ? AND r.tier IS NOT NULL
        ORDER BY r.organization, r.date, r.name
        """,
        [labs, since],
    ).fetchall()
    return [TimelineRelease(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class TierCount:
    """One organization's releases of one tier in one half-year, and their names."""

    organization: str
    half_year: str
    tier: str
    releases: int
    names: str  # '; '-joined, by date then name


def tier_counts(store: Store, organizations: list[str], since: dt.date) -> list[TierCount]:
    rows = store.con.execute(
        """
        SELECT organization, half_year(date) AS half, tier, count(*),
               string_agg(name, '; ' ORDER BY date, name)
        FROM releases
        WHERE list_contains(?, organization) AND date >= ? AND tier IS NOT NULL
        GROUP BY ALL ORDER BY organization, half, tier
        """,
        [organizations, since],
    ).fetchall()
    return [TierCount(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    id: int
    created_at: dt.datetime
    kind: str  # import, bundled, sync
    source: str | None


def last_snapshot(store: Store) -> SnapshotInfo | None:
    row: Any = store.con.execute(
        "SELECT id, created_at, kind, source FROM snapshots ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return None if row is None else SnapshotInfo(*row)


@dataclass(frozen=True, slots=True)
class RootDerivatives:
    """Hub models derived (at any depth) from one lineage root, by the derivative's region."""

    root: str  # Hub id of a model with no known parent
    root_organization: str | None
    root_region: str | None
    derivative_region: str  # 'unknown' when the derivative's author maps to no region
    derivatives: int


_HUB_ORG = (
    "WITH hf AS (SELECT lower(h) AS h, min(id) AS id FROM "
    "(SELECT unnest(hf_orgs) AS h, id FROM organizations) GROUP BY lower(h)), "
    "owner AS (SELECT m.hf_id, coalesce(m.organization, hf.id, o2.id) AS org "
    "FROM models m LEFT JOIN hf ON hf.h = lower(coalesce(m.author, split_part(m.hf_id, '/', 1))) "
    "LEFT JOIN organizations o2 ON hf.id IS NULL AND o2.id = name_slug(m.author)) "
)


def lineage_roots(store: Store) -> list[RootDerivatives]:
    """Every lineage root (an ancestor in `lineage_closure` that has no ancestor itself) with
    the number of its derivatives per derivative region; organizations from the Hub namespace
    (models.organization, organizations.hf_orgs), regions from the organizations table."""
    rows = store.con.execute(
        _HUB_ORG
        + """
        , roots AS (SELECT DISTINCT ancestor AS root FROM lineage_closure c
                    WHERE NOT EXISTS (SELECT 1 FROM lineage_closure p WHERE p.model = c.ancestor))
        SELECT r.root, ro.org, orr.region, coalesce(od.region, 'unknown'),
               count(DISTINCT c.model)
        FROM roots r JOIN lineage_closure c ON c.ancestor = r.root
        LEFT JOIN owner ro ON ro.hf_id = r.root
        LEFT JOIN organizations orr ON orr.id = ro.org
        LEFT JOIN owner d ON d.hf_id = c.model
        LEFT JOIN organizations od ON od.id = d.org
        GROUP BY ALL ORDER BY r.root, 4
        """
    ).fetchall()
    return [RootDerivatives(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class SampleDownloads:
    """A Hub model of one sample (source) with the organization its author maps to."""

    hf_id: str
    author: str | None
    organization: str | None  # None: the author maps to no organization
    downloads: int


def sample_downloads(store: Store, source: str) -> list[SampleDownloads]:
    """The Hub models one source (e.g. 'hf-top-models', the 2024-09 sample) holds, with their
    downloads and the organization their namespace maps to (never guessed)."""
    rows = store.con.execute(
        _HUB_ORG + "SELECT m.hf_id, m.author, owner.org, coalesce(m.downloads, 0) FROM models m "
        "JOIN owner ON owner.hf_id = m.hf_id WHERE m.source = ? ORDER BY m.hf_id",
        [source],
    ).fetchall()
    return [SampleDownloads(*row) for row in rows]


def organization_regions(store: Store) -> dict[str, str | None]:
    """Organization id -> region."""
    rows = store.con.execute("SELECT id, region FROM organizations").fetchall()
    return {oid: region for oid, region in rows}


def organization_names(store: Store) -> dict[str, str]:
    """Organization id -> display name."""
    rows = store.con.execute("SELECT id, name FROM organizations").fetchall()
    return {oid: name for oid, name in rows}
