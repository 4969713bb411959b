"""One lab's story: releases by tier over time, its licenses, the openness of its releases and
its tap signals."""

from __future__ import annotations

from collections import Counter
from typing import Any

from robinet.errors import NotFoundError
from robinet.openness.engine import openness_by, score_release
from robinet.openness.restrictiveness import RESTRICTIVENESS_VERSION, license_restrictiveness
from robinet.store import Store
from robinet.store.queries.landscape import resolve_organization
from robinet.trends.alerts import alerts_json, lab_alerts
from robinet.trends.data import balanced_releases, licensed_open_releases
from robinet.trends.series import open_share_series, releases_series


def resolve_org(store: Store, org: str) -> dict[str, Any]:
    """An organization by id, name, alias, Hub namespace or normalized key (the store's own
    resolver, which suggests near matches when nothing matches)."""
    oid = resolve_organization(store, org)
    rows = store.query("SELECT id, name, country, region FROM organizations WHERE id = ?", [oid])
    if not rows:  # pragma: no cover - resolve_organization only returns ids it found
        raise NotFoundError(f"no organization {org!r}")
    return rows[0]


def lab_story(store: Store, org: str) -> dict[str, Any]:
    """The `robinet lab ORG --json` document."""
    info = resolve_org(store, org)
    oid = info["id"]
    rel = balanced_releases(store, oid)
    licensed = [r for r in licensed_open_releases(store) if r.organization == oid]
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
    scored = [
        score_release(store, r)
        for r in store.query(
            "SELECT id, name, organization, region, date, tier, hf_id, license_raw, "
            "training_code, inference_code, link, sources FROM releases "
            "WHERE organization = ? AND tier IS NOT NULL AND date IS NOT NULL ORDER BY date, id",
            [oid],
        )
    ]
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
        **alerts_json(lab_alerts(store, oid)),
    }
