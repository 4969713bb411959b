"""The tap over the store: the capability gap (ECI, Arena) and the signal detectors run per lab,
plus curated events."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from robinet.domain import org_directory
from robinet.model import Release
from robinet.store import Store
from robinet.store.queries import trends as queries
from robinet.trends.catalog import bundled_events
from robinet.trends.data import (
    LicensedRelease,
    arena_snapshots,
    balanced_releases_by_lab,
    eci_points,
    licensed_open_releases,
)
from robinet.trends.gap import GapPoint, GapResult, ScorePoint, capability_gap, snapshot_gap
from robinet.trends.signals import (
    Alert,
    LabRelease,
    cadence_signals,
    flagship_signals,
    license_signals,
    merge_alerts,
    own_gap_signals,
    sort_alerts,
)


def gap(store: Store, *, by_region: bool = False, view: str = "eci") -> GapResult:
    """The capability gap from the ECI (default) or from the Arena snapshots."""
    if view == "arena":
        return snapshot_gap(arena_snapshots(store), benchmark="arena")
    return capability_gap(eci_points(store), benchmark="eci", by_region=by_region)


def _point_json(g: GapPoint) -> dict[str, Any]:
    def side(b: Any) -> dict[str, Any] | None:
        if b is None:
            return None
        return {
            "name": b.name,
            "organization": b.organization,
            "region": b.region,
            "score": round(b.score, 2),
            "date": b.date,
        }

    return {
        "date": g.date,
        "best_open": side(g.best_open),
        "best_closed": side(g.best_closed),
        "score_gap": None if g.score_gap is None else round(g.score_gap, 2),
        "lag_months": g.lag_months,
    }


def gap_json(result: GapResult) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "benchmark": result.benchmark,
        "series": [_point_json(p) for p in result.series],
        "models": result.models,
        "excluded_unknown_access": result.excluded_unknown_access,
    }
    if result.by_region:
        doc["by_region"] = {
            region: [_point_json(p) for p in pts] for region, pts in result.by_region.items()
        }
    return doc


@dataclass(frozen=True)
class TapData:
    """What the detectors read, fetched once for every lab they run over."""

    points: list[ScorePoint]  # ECI scores
    licensed: list[LicensedRelease]  # open releases with a license
    releases: Mapping[str, list[Release]]  # balanced releases by organization
    coverage: Mapping[str, dt.date]  # source -> last date it covers
    data_end: dt.date  # the release sources' coverage end


def tap_data(store: Store, labs: list[str] | None = None) -> TapData:
    """The detectors' inputs; balanced releases of `labs` only when given."""
    coverage = source_coverage(store)
    return TapData(
        points=eci_points(store),
        licensed=licensed_open_releases(store),
        releases=balanced_releases_by_lab(store, labs),
        coverage=coverage,
        data_end=_coverage_end(store, coverage),
    )


def lab_alerts(
    store: Store, org: str, *, data_end: dt.date | None = None, data: TapData | None = None
) -> list[Alert]:
    """Every detector over one lab, and the lab's catalog events (a detected and a curated
    event of the same kind on the same day are merged)."""
    data = data or tap_data(store, [org])
    scored = [(p.name, p.date, p.tier, p.score) for p in data.points if p.organization == org]
    rel = [
        LabRelease(r.name, r.date, r.tier, source=",".join(r.sources))
        for r in data.releases.get(org, [])
        if r.date is not None
    ]
    licensed = [
        LabRelease(r.name, r.date, r.tier, r.license, r.restrictiveness, r.source)
        for r in data.licensed
        if r.organization == org
    ]
    found = [
        *flagship_signals(org, scored),
        *own_gap_signals(org, scored),
        *cadence_signals(org, rel, data_end=data_end or data.data_end, coverage=data.coverage),
        *license_signals(org, licensed),
        *(e.alert() for e in bundled_events() if e.organization == org),
    ]
    return merge_alerts(found)


def source_coverage(store: Store) -> dict[str, dt.date]:
    """source name -> the last date its rows cover (`sources.date_max`)."""
    return queries.source_coverage(store)


def data_coverage_end(store: Store) -> dt.date:
    """The last date the release sources the cadence detector reads (Epoch AI's tables) cover,
    from the `sources` table; the newest release date when the table says nothing. Never
    today: the data does not speak past its end."""
    return _coverage_end(store, source_coverage(store))


def _coverage_end(store: Store, coverage: Mapping[str, dt.date]) -> dt.date:
    ends = [d for name, d in coverage.items() if queries.BALANCED_SOURCE in name]
    if ends:
        return max(ends)
    value = queries.latest_release_date(store)
    return value if isinstance(value, dt.date) else dt.date.min


def tracked_labs(store: Store) -> list[str]:
    """Labs watched by default: those with capability scores, those in the curated
    organization directory, and those with catalog events."""
    return sorted(
        queries.scored_organizations(store)
        | set(org_directory().entries)
        | {e.organization for e in bundled_events()}
    )


def alerts(store: Store, *, org: str | None = None, since: dt.date | None = None) -> list[Alert]:
    """Tap alerts of one lab, or of every lab that has data for a detector or an event."""
    orgs = [org] if org is not None else tracked_labs(store)
    data = tap_data(store, orgs)
    out: list[Alert] = []
    for o in orgs:
        out.extend(lab_alerts(store, o, data=data))
    if since is not None:
        out = [a for a in out if a.date >= since]
    return sort_alerts(out)


def alerts_json(items: list[Alert]) -> dict[str, Any]:
    return {
        "alerts": [
            {
                "organization": a.organization,
                "date": a.date,
                "direction": a.direction,
                "signal": a.signal,
                "evidence": a.evidence,
                "sources": list(a.sources),
            }
            for a in items
        ]
    }


def counts_by_direction(items: list[Alert]) -> dict[str, dict[str, int]]:
    """year -> direction -> count (for the report's timeline)."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: {"closing": 0, "opening": 0})
    for a in items:
        out[str(a.date.year)][a.direction] += 1
    return dict(sorted(out.items()))
