"""One lab's story: releases by tier over time, its licenses, the openness of its releases and
its tap signals."""

from __future__ import annotations

from collections import Counter
from typing import Any

from robinet.errors import NotFoundError
from robinet.openness.engine import openness_by, organization_openness
from robinet.openness.restrictiveness import RESTRICTIVENESS_VERSION, license_restrictiveness
from robinet.store import Store
from robinet.store.queries.landscape import resolve_organization
from robinet.store.queries.trends import organization
from robinet.trends.alerts import alerts_json, lab_alerts, lab_indicators, tap_data
from robinet.trends.series import open_share_series, releases_series


def resolve_org(store: Store, org: str) -> dict[str, Any]:
    """An organization by id, name, alias, Hub namespace or normalized key (the store's own
    resolver, which suggests near matches when nothing matches): id, name, country, region."""
    oid = resolve_organization(store, org)
    found = organization(store, oid)
    if found is None:  # pragma: no cover - resolve_organization only returns ids it found
        raise NotFoundError(f"no organization {org!r}")
    region = None if found.region is None else found.region.value
    return {"id": found.id, "name": found.name, "country": found.country, "region": region}


def lab_story(store: Store, org: str) -> dict[str, Any]:
    """The `robinet lab ORG --json` document."""
    info = resolve_org(store, org)
    oid = info["id"]
    data = tap_data(store, [oid])
    rel = data.releases.get(oid, [])
    licensed = [r for r in data.licensed if r.organization == oid]
    lic_counts = Counter((r.license or r.license_raw) for r in licensed)
    licenses = []
    for key, n in sorted(lic_counts.items(), key=lambda kv: (-kv[1], kv[0])):
        first = min(r.date for r in licensed if (r.license or r.license_raw) == key)
        res = license_restrictiveness(key)
        licenses.append(
            {
                "license": key,
                "releases": n,
                "first_seen": first,
                "restrictiveness": None if res is None else res.score,
            }
        )
    scored = organization_openness(store, oid)
    openness_rows = [
        {
            "release": s.release["name"],
            "date": s.release["date"],
            "tier": s.release["tier"],
            "index": s.score.index,
            "coverage": s.score.coverage,
            "mof_class": s.score.mof_class,
        }
        for s in scored
    ]
    summary = openness_by(scored, "organization")
    return {
        "organization": info,
        "releases_by_tier": [
            {k: v for k, v in row.items() if k != "group"} for row in releases_series(rel, None)
        ],
        "open_share": [
            {k: v for k, v in row.items() if k != "group"} for row in open_share_series(rel, None)
        ],
        "licenses": licenses,
        "restrictiveness_version": RESTRICTIVENESS_VERSION,
        "openness": {"summary": summary[0] if summary else None, "releases": openness_rows},
        "rubric_version": scored[0].score.rubric_version if scored else None,
        **alerts_json(lab_alerts(store, oid, data=data), lab_indicators(store, oid, data=data)),
    }
