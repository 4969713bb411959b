"""The tap over the store: the capability gap (ECI, Arena) and the signal detectors run per lab,
plus curated events; the own-gap indicators apart."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from robinet.domain import org_directory
from robinet.errors import NotFoundError
from robinet.model import Release
from robinet.store import Store
from robinet.store.queries import trends as queries
from robinet.trends.catalog import Event, bundled_events
from robinet.trends.data import (
    LicensedRelease,
    arena_snapshots,
    balanced_releases_by_lab,
    eci_points,
    licensed_open_releases,
)
from robinet.trends.gap import GapPoint, GapResult, ScorePoint, capability_gap, snapshot_gap
from robinet.trends.indicators import own_gap_indicators
from robinet.trends.signals import (
    Alert,
    Compared,
    LabRelease,
    cadence_signals,
    flagship_signals,
    license_signals,
    merge_alerts,
    same_model,
    sort_alerts,
)

INDEX_SOURCE = "epoch-eci"  # the capability index the flagship detector reads


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
        "open_models": g.open_models,
        "closed_models": g.closed_models,
        "floor": g.floor,
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


def _license_owner(license_id: str | None) -> set[str]:
    """The organizations that wrote a model license (its knowledge-base publisher, resolved
    through the organization directory); empty for a generic license (Apache-2.0, MIT...)."""
    if not license_id:
        return set()
    from robinet.licenses import knowledge_base

    try:
        entry = knowledge_base().get(license_id)
    except NotFoundError:
        return set()
    if entry.category != "model":
        return set()
    directory = org_directory()
    return {directory.resolve(part) for part in entry.publisher.split("/") if part.strip()}


def inherited_license(org: str, r: LicensedRelease) -> bool:
    """A license that is not the lab's choice: the release is built on another lab's model
    (its base model's primary developer is someone else), or its license is a model license
    another lab wrote (a fine-tune of Llama carries Meta's Llama license)."""
    if r.base_organization and r.base_organization != org:
        return True
    owners = _license_owner(r.license)
    if not owners:
        return False
    parent = org_directory().entries.get(org)
    mine = {org} | ({parent.parent} if parent and parent.parent else set())
    return not (owners & mine)


def _scored(data: TapData, org: str) -> list[tuple[str, dt.date, str | None, float]]:
    return [(p.name, p.date, p.tier, p.score) for p in data.points if p.organization == org]


def _curated(event: Event, releases: list[Release], licensed: list[LicensedRelease]) -> Alert:
    """A catalog event as an alert, its models looked up among the lab's releases."""
    from robinet.trends.data import name_key

    by_key = {name_key(r.name): r for r in releases}
    lic = {name_key(r.name): r.license for r in licensed}
    compared = []
    for m in event.models:
        r = by_key.get(name_key(m))
        compared.append(
            Compared(
                m,
                r.date if r else None,
                None if r is None or r.tier is None else r.tier.value,
                lic.get(name_key(m)),
            )
        )
    return replace(event.alert(), compared=tuple(compared))


def lab_alerts(
    store: Store, org: str, *, data_end: dt.date | None = None, data: TapData | None = None
) -> list[Alert]:
    """Every detector over one lab (its releases as primary developer), and the lab's catalog
    events (a detected and a curated event of the same kind on the same day are merged)."""
    data = data or tap_data(store, [org])
    releases = data.releases.get(org, [])
    rel = [
        LabRelease(
            r.name, r.date, None if r.tier is None else r.tier.value, source=",".join(r.sources)
        )
        for r in releases
        if r.date is not None
    ]
    mine = [r for r in data.licensed if r.organization == org]
    licensed = [
        LabRelease(
            r.name,
            r.date,
            r.tier,
            r.license,
            r.restrictiveness,
            r.source,
            inherited=inherited_license(org, r),
        )
        for r in mine
    ]
    open_flags = {
        p.name: True for p in data.points if p.organization == org and p.weights_published
    }
    from robinet.trends.data import name_key

    lab_points = [p for p in data.points if p.organization == org]
    scored_keys = {name_key(p.name) for p in lab_points}
    unscored = [
        LabRelease(r.name, r.date, r.tier.value, source=",".join(r.sources))
        for r in releases
        if r.notable
        and INDEX_SOURCE in r.sources  # a notable model the index lists, without a score
        and r.date
        and r.tier
        and name_key(r.name) not in scored_keys
        and not any(p.date == r.date and same_model(p.name, r.name) for p in lab_points)
    ]
    found = [
        *flagship_signals(
            org,
            _scored(data, org),
            data_end=data.coverage.get(INDEX_SOURCE),
            open_flags=open_flags,
            unscored=unscored,
        ),
        *cadence_signals(org, rel, data_end=data_end or data.data_end, coverage=data.coverage),
        *license_signals(org, licensed),
        *(_curated(e, releases, mine) for e in bundled_events() if e.organization == org),
    ]
    return merge_alerts(found)


def lab_indicators(store: Store, org: str, *, data: TapData | None = None) -> list[Alert]:
    """The lab's own-gap indicators: its best open model trailing (or catching) its own best
    closed model. Indicators, not decisions: never counted as closing or opening."""
    data = data or tap_data(store, [org])
    return sort_alerts(own_gap_indicators(org, _scored(data, org)))


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
    """Tap signals of one lab, or of every lab that has data for a detector or an event."""
    orgs = [org] if org is not None else tracked_labs(store)
    data = tap_data(store, orgs)
    out: list[Alert] = []
    for o in orgs:
        out.extend(lab_alerts(store, o, data=data))
    if since is not None:
        out = [a for a in out if a.date >= since]
    return sort_alerts(out)


def indicators(
    store: Store, *, org: str | None = None, since: dt.date | None = None
) -> list[Alert]:
    """Own-gap indicators of one lab or of every tracked lab (apart from the signals)."""
    orgs = [org] if org is not None else tracked_labs(store)
    data = tap_data(store, orgs)
    out = [a for o in orgs for a in lab_indicators(store, o, data=data)]
    if since is not None:
        out = [a for a in out if a.date >= since]
    return sort_alerts(out)


def alert_json(a: Alert) -> dict[str, Any]:
    return {
        "organization": a.organization,
        "date": a.date,
        "direction": a.direction,
        "signal": a.signal,
        "evidence": a.evidence,
        "sources": list(a.sources),
        "compared": [
            {"name": c.name, "date": c.date, "tier": c.tier, "license": c.license}
            for c in a.compared
        ],
        "coverage": None if a.window is None else {"start": a.window[0], "end": a.window[1]},
        "confidence": a.confidence,
    }


def alerts_json(items: list[Alert], indicators: list[Alert] | None = None) -> dict[str, Any]:
    """`{"alerts": [...]}`, and `"indicators": [...]` (kept apart) when given."""
    doc: dict[str, Any] = {"alerts": [alert_json(a) for a in items]}
    if indicators is not None:
        doc["indicators"] = [alert_json(a) for a in indicators]
    return doc


def counts_by_direction(items: list[Alert]) -> dict[str, dict[str, int]]:
    """year -> direction -> count (for the report's timeline)."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: {"closing": 0, "opening": 0})
    for a in items:
        out[str(a.date.year)][a.direction] += 1
    return dict(sorted(out.items()))
