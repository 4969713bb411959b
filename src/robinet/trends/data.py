"""Store queries the trend engines share: scored models, Arena snapshots, licensed releases."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from robinet.domain import slug
from robinet.model import OPEN_TIERS, Tier
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


# -- Arena access: a license label is not proof of open weights ----------------------------

_CLOSED_TIERS = {Tier.API.value, Tier.HOSTED.value, Tier.UNRELEASED.value}
OPEN_VALUES = frozenset(t.value for t in OPEN_TIERS)
_VARIANT_TOKENS = {"instruct", "chat", "it", "hf", "bf16", "fp8"}
_VERSION_TAIL = re.compile(
    r"-(\d{4}-\d{2}-\d{2}|\d{2}-\d{4}|\d{2}-\d{2}|\d{4}|\d{6}|exp|experimental|preview|latest)$"
)


def match_key(name: str) -> str:
    """An Arena model name or a release name folded to the merge's key (`slug`) without the
    variant words that do not change the access (instruct, chat, it, hf, bf16, fp8)."""
    return "-".join(t for t in slug(name).split("-") if t and t not in _VARIANT_TOKENS)


def family_key(name: str) -> str:
    """The match key without trailing dates and version stamps: 'Qwen-Max-0919' and
    'Qwen-Max-2025-01-25' are both 'qwen-max'."""
    key, prev = match_key(name), ""
    while key != prev:
        prev, key = key, _VERSION_TAIL.sub("", key)
    return key


@dataclass(frozen=True, slots=True)
class ArenaAccess:
    tier: str | None  # the access robinet accepts for the entry; None: unknown
    license_raw: str | None  # the open-weight label the tier rests on
    reason: str


def arena_access(
    labels: Iterable[tuple[str, str | None, str | None]],
    releases: Iterable[tuple[str, str | None, str | None]],
) -> dict[str, ArenaAccess]:
    """The access of each Arena model, judged over every snapshot that lists it.

    labels: (model, license_raw, tier from the license label) for each snapshot row.
    releases: (name, hf_id, tier) of the store's releases.

    An entry counts as open only if every label it carries is an open-weight license (a
    "N/A", "Other" or "Proprietary" label in any snapshot makes the open label doubtful), the
    matching release (same key as the merge), when there is one, is not api/hosted/unreleased,
    and, when Arena labels another version of the same family "Proprietary", a release with
    open weights (an open tier or a Hub id) confirms it.
    """
    per_model: dict[str, list[tuple[str | None, str | None]]] = defaultdict(list)
    for model, raw, tier in labels:
        per_model[model].append((raw, tier))
    rel: dict[str, list[tuple[str | None, bool]]] = defaultdict(list)
    for name, hf_id, tier in releases:
        keys = {match_key(name)}
        if hf_id:
            keys.add(match_key(hf_id.split("/")[-1]))
        for key in keys:
            rel[key].append((tier, bool(hf_id)))
    proprietary_families = {
        family_key(m)
        for m, rows in per_model.items()
        if any(t is not None and t not in OPEN_VALUES for _, t in rows)
    }
    out: dict[str, ArenaAccess] = {}
    for model, rows in per_model.items():
        matches = rel.get(match_key(model), [])
        closed = sorted({t for t, _ in matches if t in _CLOSED_TIERS})
        confirmed = any((t in OPEN_VALUES) or hub for t, hub in matches if t not in _CLOSED_TIERS)
        tiers = [t for _, t in rows]
        open_rows = [(raw, t) for raw, t in rows if t in OPEN_VALUES]
        label = Counter(raw for raw, _ in open_rows).most_common(1)[0][0] if open_rows else None
        tier = Counter(t for _, t in open_rows).most_common(1)[0][0] if open_rows else None
        if closed:
            out[model] = ArenaAccess(closed[0], None, f"the matching release is {closed[0]}")
        elif not open_rows:
            known = [t for t in tiers if t is not None]
            out[model] = ArenaAccess(
                known[0] if known and len(known) == len(tiers) else None,
                None,
                "Arena label" if known else "no license label",
            )
        elif len(open_rows) < len(rows) and not confirmed:
            out[model] = ArenaAccess(
                None, None, "Arena labels disagree across snapshots (open and not open)"
            )
        elif family_key(model) in proprietary_families and not confirmed:
            out[model] = ArenaAccess(
                None, None, "Arena labels another version of this family proprietary"
            )
        else:
            out[model] = ArenaAccess(tier, label, "open-weight license label")
    return out


def store_arena_access(store: Store) -> dict[str, ArenaAccess]:
    labels = [
        (r["model"], r["license_raw"], r["tier"])
        for r in store.query("SELECT model, license_raw, tier FROM arena_entries")
    ]
    releases = [
        (r["name"], r["hf_id"], r["tier"])
        for r in store.query("SELECT name, hf_id, tier FROM releases")
    ]
    return arena_access(labels, releases)


def arena_snapshots(store: Store) -> list[tuple[dt.date, list[ScorePoint]]]:
    """Each dated Arena snapshot's entries, with the access `arena_access` accepts (tier
    None when it is not known)."""
    access = store_arena_access(store)
    rows = store.query(
        "SELECT a.snapshot_date, a.model, a.organization, o.region, a.score "
        "FROM arena_entries a LEFT JOIN organizations o ON o.id = a.organization "
        "WHERE a.score IS NOT NULL ORDER BY a.snapshot_date, a.model"
    )
    snaps: dict[dt.date, list[ScorePoint]] = defaultdict(list)
    for r in rows:
        acc = access.get(r["model"])
        snaps[r["snapshot_date"]].append(
            ScorePoint(
                r["model"],
                r["organization"],
                r["region"],
                r["snapshot_date"],
                float(r["score"]),
                acc.tier if acc else None,
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
    access = store_arena_access(store)
    for r in store.query(
        "SELECT a.model AS name, a.organization, o.region, min(a.snapshot_date) AS date, "
        "NULL AS license_id, 'arena' AS source "
        "FROM arena_entries a LEFT JOIN organizations o ON o.id = a.organization "
        "GROUP BY a.model, a.organization, o.region"
    ):
        acc = access.get(r["name"])
        if acc is None or acc.tier not in OPEN_VALUES or acc.license_raw is None:
            continue  # not an open-weight entry (or a doubtful one)
        rows.append({**r, "tier": acc.tier, "license_raw": acc.license_raw})
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
