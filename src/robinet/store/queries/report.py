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
