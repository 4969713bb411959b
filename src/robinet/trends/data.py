"""Store queries the trend engines share: scored models, Arena snapshots, licensed releases."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from robinet.openness.restrictiveness import license_id_of, license_restrictiveness
from robinet.store import Store
from robinet.trends.gap import ScorePoint

# Arena's license column spellings that name one knowledge-base license without doubt (the
# license engine's resolver handles Hub tags and SPDX ids; these are Arena's own words).
ARENA_LICENSES = {
    "llama 2 community": "llama-2-license-2023",
    "llama 3 community": "llama-3-license-2024",
    "llama 3.1 community": "llama-3.1-license-2024",
    "llama 3.1": "llama-3.1-license-2024",
    "llama 3.2": "llama-3.2-license-2024",
    "llama-3.3": "llama-3.3-license-2024",
    "llama 4": "llama-4-cla-2025",
    "qianwen license": "tongyi-qianwen-2023",
    "qwen": "qwen-2024",
    "deepseek": "deepseek-la-1.0",
    "deepseek license": "deepseek-la-1.0",
    "modified mit": "moonshot-ai-modified-mit-2025",
}

# Releases from these sources list open and closed models alike; shares are computed on them.
BALANCED_SOURCE = "epoch"


def eci_points(store: Store) -> list[ScorePoint]:
    """Epoch Capabilities Index scores with a date (one point per model version)."""
    rows = store.query(
        "SELECT coalesce(name, model_version) AS name, model_version, organization, region, "
        "date, score, tier FROM capability_scores "
        "WHERE benchmark = 'eci' AND score IS NOT NULL AND date IS NOT NULL "
        "ORDER BY date, model_version"
    )
    return [
        ScorePoint(
            name=r["model_version"] if r["name"] is None else r["name"],
            organization=r["organization"],
            region=r["region"],
            date=r["date"],
            score=float(r["score"]),
            tier=r["tier"],
        )
        for r in rows
    ]


def arena_snapshots(store: Store) -> list[tuple[dt.date, list[ScorePoint]]]:
    """Each dated Arena snapshot's entries (tier None when the license is not classified)."""
    rows = store.query(
        "SELECT a.snapshot_date, a.model, a.organization, o.region, a.score, a.tier "
        "FROM arena_entries a LEFT JOIN organizations o ON o.id = a.organization "
        "WHERE a.score IS NOT NULL ORDER BY a.snapshot_date, a.model"
    )
    snaps: dict[dt.date, list[ScorePoint]] = defaultdict(list)
    for r in rows:
        snaps[r["snapshot_date"]].append(
            ScorePoint(
                r["model"],
                r["organization"],
                r["region"],
                r["snapshot_date"],
                float(r["score"]),
                r["tier"],
            )
        )
    return sorted(snaps.items())


@dataclass(frozen=True, slots=True)
class LicensedRelease:
    name: str
    organization: str | None
    region: str | None
    date: dt.date
    tier: str | None
    license_raw: str
    license: str | None  # knowledge-base id
    restrictiveness: float | None
    source: str


def licensed_open_releases(store: Store) -> list[LicensedRelease]:
    """Open-weight releases with a license string: releases (license_raw or license_refs),
    then models first seen in Arena snapshots that no release already covers."""
    rows = store.query(
        "SELECT r.name, r.organization, r.region, r.date, r.tier, "
        "coalesce(r.license_raw, lr.license_id, lr.license_raw) AS license_raw, "
        "lr.license_id, array_to_string(r.sources, ',') AS source "
        "FROM releases r LEFT JOIN (SELECT subject, any_value(license_raw) AS license_raw, "
        "any_value(license_id) AS license_id FROM license_refs WHERE subject_kind = 'release' "
        "GROUP BY subject) lr ON lr.subject = r.id "
        "WHERE r.date IS NOT NULL AND r.tier LIKE 'open-%' "
        "AND coalesce(r.license_raw, lr.license_raw) IS NOT NULL"
    )
    rows += store.query(
        "SELECT a.model AS name, a.organization, o.region, min(a.snapshot_date) AS date, "
        "any_value(a.tier) AS tier, any_value(a.license_raw) AS license_raw, "
        "NULL AS license_id, 'arena' AS source "
        "FROM arena_entries a LEFT JOIN organizations o ON o.id = a.organization "
        "WHERE a.tier LIKE 'open-%' AND a.license_raw IS NOT NULL "
        "GROUP BY a.model, a.organization, o.region"
    )
    dated = {
        name_key(r["name"]): r["date"]
        for r in store.query(
            "SELECT name, min(date) AS date FROM releases WHERE date IS NOT NULL GROUP BY name"
        )
    }
    first_snapshot = store.scalar("SELECT min(snapshot_date) FROM arena_entries")
    seen: set[str] = set()
    out = []
    for r in sorted(rows, key=lambda r: (r["source"] == "arena", r["date"], r["name"])):
        key = name_key(r["name"])
        if key in seen:
            continue
        date = r["date"]
        if r["source"] == "arena":
            if key in dated:  # the release date, when a release of that name is known
                date = dated[key]
            elif date == first_snapshot:  # on the board before the data starts: date unknown
                continue
        seen.add(key)
        lid = (
            r.get("license_id")
            or license_id_of(r["license_raw"])
            or ARENA_LICENSES.get(str(r["license_raw"]).strip().lower())
        )
        res = license_restrictiveness(lid) if lid else None
        out.append(
            LicensedRelease(
                name=r["name"],
                organization=r["organization"],
                region=r["region"],
                date=date,
                tier=r["tier"],
                license_raw=r["license_raw"],
                license=lid,
                restrictiveness=None if res is None else res.score,
                source=r["source"],
            )
        )
    return sorted(out, key=lambda r: (r.date, r.name))


_SUFFIXES = ("bf16", "fp8", "instruct", "chat", "it", "hf", "preview")


def name_key(name: str) -> str:
    """A model name folded for matching across sources: 'Meta-Llama-3.1-405B-Instruct-bf16'
    and 'Llama 3.1-405B' both give 'llama31405b'."""
    key = "".join(ch for ch in name.lower() if ch.isalnum()).removeprefix("meta")
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix) + 3:
                key = key[: -len(suffix)]
                changed = True
    return key


def balanced_releases(store: Store, org: str | None = None) -> list[dict[str, Any]]:
    """Dated releases from the balanced sources (Epoch AI), tier possibly unknown."""
    sql = (
        "SELECT id, name, organization, region, date, tier, hf_id, "
        "array_to_string(sources, ',') AS source FROM releases "
        "WHERE date IS NOT NULL AND array_to_string(sources, ',') LIKE ?"
    )
    params: list[Any] = [f"%{BALANCED_SOURCE}%"]
    if org:
        sql += " AND (organization = ? OR list_contains(organizations, ?))"
        params += [org, org]
    return store.query(sql + " ORDER BY date, id", params)
