"""Half-yearly trend series: releases by tier, open-weight share, license restrictiveness,
and share of Hub downloads, overall or by region or organization.

- releases: count of dated releases per tier (Epoch AI releases: they list open and closed
  models alike; releases of unknown tier are counted as `unknown`).
- open_share: open-weight releases / releases of known tier; `unknown` counted beside it.
- restrictiveness: mean restrictiveness of open-weight releases whose license the knowledge
  base scores (releases' licenses, then models first seen in Arena snapshots); `scored` and
  `unscored` say how many.
- downloads_share: each group's share of the Hub downloads of models created in the period
  (models table). A Hub author counts for an organization through `models.organization` (the
  merge maps Hub namespaces from organizations.hf_orgs) or the organizations table (a Hub
  namespace listed in hf_orgs, or equal to an organization id); its region is that
  organization's. Other authors have no region and count as `unknown`, which holds most
  downloads: `unknown_region_share` says how much, per period and overall.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from robinet.domain import half_year
from robinet.errors import UsageError
from robinet.model import OPEN_TIERS, Tier
from robinet.openness.restrictiveness import RESTRICTIVENESS_VERSION
from robinet.store import Store
from robinet.store.queries.trends import HubDownloads, hub_downloads
from robinet.trends.data import LicensedRelease, balanced_releases, licensed_open_releases

METRICS = ("releases", "open_share", "restrictiveness", "downloads_share")
GROUPINGS = (None, "region", "org")


class Grouped(Protocol):
    """A record a series can group by region or organization."""

    @property
    def region(self) -> str | None: ...

    @property
    def organization(self) -> str | None: ...


class DatedRelease(Grouped, Protocol):
    """A release as the release series read it (e.g. `robinet.model.Release`)."""

    @property
    def date(self) -> dt.date | None: ...

    @property
    def tier(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Trend:
    metric: str
    by: str | None
    series: list[dict[str, Any]]  # one row per (period, group)
    method: str
    caveats: dict[str, Any] = field(default_factory=dict)  # e.g. the unknown-region share


def _group(row: Grouped, by: str | None) -> str:
    if by is None:
        return "all"
    value = row.region if by == "region" else row.organization
    return str(value) if value else "unknown"


def releases_series(rows: Iterable[DatedRelease], by: str | None) -> list[dict[str, Any]]:
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        if r.date is None:  # an undated release belongs to no period
            continue
        counts[(half_year(r.date), _group(r, by))][r.tier or "unknown"] += 1
    out = []
    for (period, group), tiers in sorted(counts.items()):
        row: dict[str, Any] = {"period": period, "group": group, "total": sum(tiers.values())}
        row.update({t.value: tiers.get(t.value, 0) for t in Tier})
        row["unknown"] = tiers.get("unknown", 0)
        out.append(row)
    return out


def open_share_series(rows: Iterable[DatedRelease], by: str | None) -> list[dict[str, Any]]:
    acc: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])  # open, known, unknown
    for r in rows:
        if r.date is None:  # an undated release belongs to no period
            continue
        cell = acc[(half_year(r.date), _group(r, by))]
        if not r.tier:
            cell[2] += 1
            continue
        cell[1] += 1
        cell[0] += int(Tier(r.tier) in OPEN_TIERS)
    return [
        {
            "period": p,
            "group": g,
            "open": o,
            "known": k,
            "unknown": u,
            "open_share": round(o / k, 4) if k else None,
        }
        for (p, g), (o, k, u) in sorted(acc.items())
    ]


def restrictiveness_series(
    records: Iterable[LicensedRelease], by: str | None
) -> list[dict[str, Any]]:
    acc: dict[tuple[str, str], list[float]] = defaultdict(list)
    unscored: dict[tuple[str, str], int] = defaultdict(int)
    for r in records:
        key = (half_year(r.date), _group(r, by))
        if r.restrictiveness is None:
            unscored[key] += 1
        else:
            acc[key].append(r.restrictiveness)
    out = []
    for key in sorted(set(acc) | set(unscored)):
        vals = acc.get(key, [])
        out.append(
            {
                "period": key[0],
                "group": key[1],
                "mean_restrictiveness": round(sum(vals) / len(vals), 4) if vals else None,
                "scored": len(vals),
                "unscored": unscored.get(key, 0),
                "version": RESTRICTIVENESS_VERSION,
            }
        )
    return out


def downloads_share_series(rows: Iterable[HubDownloads], by: str | None) -> list[dict[str, Any]]:
    """Shares within each period; every row also carries its period's `unknown_region_share`
    (downloads of unknown region)."""
    group_by = by or "region"
    acc: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    unknown: dict[str, int] = defaultdict(int)
    for r in rows:
        if r.created_at is None or not r.downloads:
            continue
        period = half_year(r.created_at)
        acc[period][_group(r, group_by)] += int(r.downloads)
        if not r.region:
            unknown[period] += int(r.downloads)
    out = []
    for period, groups in sorted(acc.items()):
        total = sum(groups.values())
        for group, n in sorted(groups.items()):
            out.append(
                {
                    "period": period,
                    "group": group,
                    "downloads": n,
                    "share": round(n / total, 4) if total else None,
                    "unknown_region_share": round(unknown[period] / total, 4) if total else None,
                }
            )
    return out


def downloads_caveats(rows: Iterable[HubDownloads]) -> dict[str, Any]:
    """The share of downloads whose author maps to no organization, or to none with a region."""
    total = unmapped = unknown = 0
    for r in rows:
        if r.created_at is None or not r.downloads:
            continue
        n = int(r.downloads)
        total += n
        unmapped += n * (not r.mapped)
        unknown += n * (not r.region)
    return {
        "downloads": total,
        "unknown_region_share": round(unknown / total, 4) if total else None,
        "unmapped_author_share": round(unmapped / total, 4) if total else None,
        "note": "most Hub downloads belong to authors robinet cannot place in a region; "
        "shares by region describe the mapped remainder, not the whole Hub",
    }


def trend(store: Store, metric: str = "releases", by: str | None = None) -> Trend:
    """One half-yearly series from the store."""
    if metric not in METRICS:
        raise UsageError(f"unknown metric {metric!r}", hint=f"use one of {', '.join(METRICS)}")
    if by not in GROUPINGS:
        raise UsageError(f"cannot group by {by!r}", hint="use region or org")
    caveats: dict[str, Any] = {}
    if metric == "releases":
        series = releases_series(balanced_releases(store), by)
    elif metric == "open_share":
        series = open_share_series(balanced_releases(store), by)
    elif metric == "restrictiveness":
        series = restrictiveness_series(licensed_open_releases(store), by)
    else:
        rows = hub_downloads(store)
        series = downloads_share_series(rows, by)
        caveats = downloads_caveats(rows)
    doc = (__doc__ or "").split("\n\n")[1]
    method = next(
        (
            " ".join(line.strip() for line in part.splitlines())
            for part in doc.split("- ")[1:]
            if part.startswith(metric)
        ),
        "",
    )
    return Trend(metric=metric, by=by, series=series, method=method.strip(), caveats=caveats)
