"""Read-side library functions over the store: releases, organizations, sources.

The CLI, the report and the web views call these and only format what they return.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from robinet.domain import org_directory, slug
from robinet.errors import NotFoundError, UsageError
from robinet.model import Region, Release, Tier
from robinet.store.db import Store


def resolve_organization(store: Store, text: str) -> str:
    """An organization id from an id, a name, a source spelling or a Hub namespace."""
    key = text.strip().lower()
    candidates = [org_directory().resolve(text), org_directory().resolve_hf(text), slug(text)]
    for candidate in candidates:
        if store.scalar("SELECT 1 FROM organizations WHERE id = ?", [candidate]):
            return candidate
    row = store.scalar(
        """
        SELECT id FROM organizations
        WHERE lower(name) = ? OR list_contains(list_transform(aliases, lambda a: lower(a)), ?)
           OR list_contains(list_transform(hf_orgs, lambda a: lower(a)), ?)
        ORDER BY id LIMIT 1
        """,
        [key, key, key],
    )
    if row:
        return str(row)
    close = [
        r["id"]
        for r in store.query(
            "SELECT id FROM organizations WHERE id LIKE ? OR lower(name) LIKE ? "
            "ORDER BY id LIMIT 5",
            [f"%{slug(text)}%", f"%{key}%"],
        )
    ]
    raise NotFoundError(
        f"no organization matches {text!r}",
        hint=f"did you mean: {', '.join(close)}" if close else "list them with `robinet orgs`",
    )


@dataclass(frozen=True, slots=True)
class ListedRelease(Release):
    """A release as `robinet releases` lists it: its dated facts, each with the source that
    gave it (store/merge.py's precedence rule decided between the sources)."""

    announced: dt.date | None = None
    available: dt.date | None = None
    date_source: str | None = None
    announced_source: str | None = None
    available_source: str | None = None
    tier_source: str | None = None
    license_id: str | None = None
    license_source: str | None = None
    organization_source: str | None = None
    hf_ids: tuple[str, ...] = ()


def list_releases(
    store: Store,
    *,
    org: str | None = None,
    region: str | None = None,
    country: str | None = None,
    tier: str | None = None,
    since: dt.date | None = None,
    notable: bool | None = None,
) -> list[ListedRelease]:
    """Releases matching every filter given, oldest first (undated last)."""
    where: list[str] = []
    params: list[Any] = []
    if org:
        where.append("(r.organization = ? OR list_contains(r.organizations, ?))")
        org_id = resolve_organization(store, org)
        params += [org_id, org_id]
    if region:
        where.append("r.region = ?")
        params.append(_region(region))
    if country:
        where.append("list_contains(r.countries, ?)")
        params.append(iso_country(country))
    if tier:
        where.append("r.tier = ?")
        params.append(_tier(tier))
    if since:
        where.append("r.date >= ?")
        params.append(since)
    if notable is not None:
        where.append("r.notable = ?")
        params.append(notable)
    sql = f"""
        SELECT r.id, r.name, r.organization, o.name AS organization_name, r.organizations,
               r.countries, r.region, r.date, r.tier, r.hf_id, r.notable, r.sources,
               r.announced, r.available, r.date_source, r.announced_source,
               r.available_source, r.tier_source, r.license_id, r.license_source,
               r.organization_source, r.hf_ids
        FROM releases r LEFT JOIN organizations o ON o.id = r.organization
        {"WHERE " + " AND ".join(where) if where else ""}
        ORDER BY r.date NULLS LAST, r.id
    """
    return [
        ListedRelease(
            id=row["id"],
            name=row["name"],
            organization=row["organization"],
            organization_name=row["organization_name"],
            organizations=tuple(row["organizations"] or ()),
            countries=tuple(row["countries"] or ()),
            region=Region(row["region"]) if row["region"] else None,
            date=row["date"],
            tier=Tier(row["tier"]) if row["tier"] else None,
            hf_id=row["hf_id"],
            notable=bool(row["notable"]),
            sources=tuple(row["sources"] or ()),
            announced=row["announced"],
            available=row["available"],
            date_source=row["date_source"],
            announced_source=row["announced_source"],
            available_source=row["available_source"],
            tier_source=row["tier_source"],
            license_id=row["license_id"],
            license_source=row["license_source"],
            organization_source=row["organization_source"],
            hf_ids=tuple(row["hf_ids"] or ()),
        )
        for row in store.query(sql, params)
    ]


@dataclass(frozen=True, slots=True)
class OrganizationRow:
    """An organization with what the store holds about its releases."""

    id: str
    name: str
    country: str | None
    countries: tuple[str, ...]
    region: Region | None
    parent: str | None
    hf_orgs: tuple[str, ...]
    aliases: tuple[str, ...]
    releases: int
    open_weight_releases: int
    first_release: dt.date | None
    last_release: dt.date | None
    sources: tuple[str, ...]
    # Hub repos a source tracks that belong to no release (counted as its models), and how
    # many of them have open-weight terms by their license tag.
    hub_repos: int = 0
    open_weight_hub_repos: int = 0


def list_organizations(store: Store) -> list[OrganizationRow]:
    """Organizations with their release counts, most releases first."""
    rows = store.query(
        """
        SELECT o.id, o.name, o.country, o.countries, o.region, o.parent, o.hf_orgs, o.aliases,
               count(r.id) AS releases,
               count(r.id) FILTER (WHERE is_open_tier(r.tier)) AS open_weight_releases,
               min(r.date) AS first_release, max(r.date) AS last_release,
               string_split(o.source, ',') AS sources,
               coalesce(any_value(h.n), 0) AS hub_repos,
               coalesce(any_value(h.open), 0) AS open_weight_hub_repos
        FROM organizations o LEFT JOIN releases r ON r.organization = o.id
        LEFT JOIN (
            SELECT organization, count(*) AS n, count(*) FILTER (WHERE is_open_tier(tier)) AS open
            FROM release_facts WHERE release_id IS NULL GROUP BY organization
        ) h ON h.organization = o.id
        GROUP BY o.id, o.name, o.country, o.countries, o.region, o.parent, o.hf_orgs,
                 o.aliases, o.source
        ORDER BY releases DESC, o.id
        """
    )
    return [
        OrganizationRow(
            **{
                **row,
                "countries": tuple(row["countries"] or ()),
                "region": Region(row["region"]) if row["region"] else None,
                "hf_orgs": tuple(row["hf_orgs"] or ()),
                "aliases": tuple(row["aliases"] or ()),
                "releases": int(row["releases"]),
                "hub_repos": int(row["hub_repos"]),
                "open_weight_hub_repos": int(row["open_weight_hub_repos"]),
                "open_weight_releases": int(row["open_weight_releases"]),
                "sources": tuple(row["sources"] or ()),
            }
        )
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class SourceRow:
    """An imported source: where it came from, its license, what it gave and what it kept out."""

    name: str
    title: str
    origin: str
    version: str | None
    license: str
    attribution: str | None
    files: tuple[str, ...]
    retrieved_at: dt.datetime | None
    imported_at: dt.datetime | None
    rows_read: int
    rows_imported: int
    rows_rejected: int
    date_min: dt.date | None
    date_max: dt.date | None
    warning_count: int
    rows_without_release: int
    rows_undated: int


@dataclass(frozen=True, slots=True)
class WarningRow:
    """A row kept out at import, or a fact the precedence rule overruled, with its location."""

    source: str
    file: str | None
    row: int | None
    field: str | None
    message: str


def list_sources(store: Store) -> list[SourceRow]:
    """Every imported source with row counts, date range, license, and kept-out rows."""
    rows = store.query(
        """
        SELECT s.name, s.title, s.origin, s.version, s.license, s.attribution, s.files,
               s.retrieved_at, s.imported_at, s.rows_read, s.rows_imported, s.rows_rejected,
               s.date_min, s.date_max,
               (SELECT count(*) FROM import_warnings w WHERE w.source = s.name) AS warning_count,
               -- rows that gave no release (Hub repos counted as models of their organization)
               (SELECT count(*) FROM release_facts f
                WHERE f.source = s.name AND f.release_id IS NULL) AS rows_without_release,
               -- rows whose release has no date, or that have no release
               (SELECT count(*) FROM release_facts f LEFT JOIN releases r ON r.id = f.release_id
                WHERE f.source = s.name AND r.date IS NULL) AS rows_undated
        FROM sources s ORDER BY s.name
        """
    )
    return [
        SourceRow(
            **{
                **row,
                "files": tuple(row["files"] or ()),
                **{
                    key: int(row[key] or 0)
                    for key in (
                        "rows_read",
                        "rows_imported",
                        "rows_rejected",
                        "warning_count",
                        "rows_without_release",
                        "rows_undated",
                    )
                },
            }
        )
        for row in rows
    ]


def import_warnings(store: Store, source: str | None = None) -> list[WarningRow]:
    """Rows kept out at import, and (stage 'merge') facts the precedence rule overruled."""
    sql = "SELECT source, file, row, field, message FROM import_warnings"
    params: list[Any] = []
    if source:
        sql += " WHERE source = ?"
        params.append(source)
    return [WarningRow(**row) for row in store.query(sql + " ORDER BY source, file, row", params)]


def iso_country(text: str) -> str:
    """An ISO 3166-1 alpha-2 code, checked; raises UsageError for anything else."""
    import pycountry

    code = text.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise UsageError(
            f"{text!r} is not an ISO 3166-1 alpha-2 country code",
            hint="use a two-letter code such as CN, US, DE, FR, GB",
        )
    return code


def _region(text: str) -> str:
    for region in Region:
        if text.strip().lower() == region.value.lower():
            return region.value
    raise UsageError(
        f"unknown region {text!r}", hint=f"use one of {', '.join(r.value for r in Region)}"
    )


def _tier(text: str) -> str:
    try:
        return Tier(text.strip().lower()).value
    except ValueError:
        raise UsageError(
            f"unknown tier {text!r}", hint=f"use one of {', '.join(t.value for t in Tier)}"
        ) from None
