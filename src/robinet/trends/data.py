"""What the trend engines share over the store's typed rows (robinet.store.queries.trends):
scored models, Arena access and snapshots, licensed releases, the balanced release table."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from robinet.domain import slug
from robinet.model import OPEN_TIERS, Release, Tier
from robinet.openness.restrictiveness import license_id_of, license_restrictiveness
from robinet.store import Store
from robinet.store.queries import trends as queries
from robinet.store.queries.trends import BALANCED_SOURCE, ReleaseLicense
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

ARENA_SOURCE = "arena"  # the source of the licensed releases first seen on the Arena board


def eci_points(store: Store) -> list[ScorePoint]:
    """Epoch Capabilities Index scores with a date (one point per model version). A blank
    access field takes the tier the merged releases give (by name key); a release with a Hub
    repository and no tier counts as published weights."""
    return [
        ScorePoint(
            p.name,
            p.organization,
            p.region,
            p.date,
            p.score,
            p.tier,
            weights_published=p.tier is None and p.hub_repo is not None,
        )
        for p in queries.capability_scores(store, "eci")
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
    labels = [(a.model, a.license_raw, a.tier) for a in queries.arena_labels(store)]
    releases = [(r.name, r.hf_id, r.tier) for r in queries.release_access(store)]
    return arena_access(labels, releases)


def arena_snapshots(store: Store) -> list[tuple[dt.date, list[ScorePoint]]]:
    """Each dated Arena snapshot's entries, with the access `arena_access` accepts (tier
    None when it is not known)."""
    access = store_arena_access(store)
    snaps: dict[dt.date, list[ScorePoint]] = defaultdict(list)
    for e in queries.arena_scores(store):
        acc = access.get(e.model)
        snaps[e.snapshot_date].append(
            ScorePoint(
                e.model,
                e.organization,
                e.region,
                e.snapshot_date,
                e.score,
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
    base_model: str | None = None
    base_organization: str | None = None


def licensed_open_releases(store: Store) -> list[LicensedRelease]:
    """Open-weight releases with a license string: releases (license_raw or license_refs),
    then models first seen in Arena snapshots that no release already covers."""
    candidates = list(queries.open_release_licenses(store))
    access = store_arena_access(store)
    for e in queries.arena_first_seen(store):
        acc = access.get(e.model)
        if acc is None or acc.tier not in OPEN_VALUES or acc.license_raw is None:
            continue  # not an open-weight entry (or a doubtful one)
        candidates.append(
            ReleaseLicense(
                name=e.model,
                organization=e.organization,
                region=e.region,
                date=e.date,
                tier=Tier(acc.tier),
                license_raw=acc.license_raw,
                license_id=None,
                source=ARENA_SOURCE,
            )
        )
    dated: dict[str, dt.date] = {}  # name key -> the first date of a release of that key
    for name, day in queries.first_release_dates(store).items():
        key = name_key(name)
        dated[key] = min(day, dated.get(key, day))
    first_snapshot = queries.first_arena_snapshot(store)
    seen: set[str] = set()
    out = []
    for r in sorted(candidates, key=lambda r: (r.source == ARENA_SOURCE, r.date, r.name)):
        key = name_key(r.name)
        if key in seen:
            continue
        date = r.date
        if r.source == ARENA_SOURCE:
            if key in dated:  # the release date, when a release of that name is known
                date = dated[key]
            elif date == first_snapshot:  # on the board before the data starts: date unknown
                continue
        seen.add(key)
        lid = (
            r.license_id
            or license_id_of(r.license_raw)
            or ARENA_LICENSES.get(r.license_raw.strip().lower())
        )
        res = license_restrictiveness(lid) if lid else None
        out.append(
            LicensedRelease(
                name=r.name,
                organization=r.organization,
                region=r.region,
                date=date,
                tier=r.tier,
                license_raw=r.license_raw,
                license=lid,
                restrictiveness=None if res is None else res.score,
                source=r.source,
                base_model=r.base_model,
                base_organization=r.base_organization,
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


def balanced_releases(store: Store) -> list[Release]:
    """Dated releases from the balanced sources (Epoch AI), tier possibly unknown."""
    return queries.dated_releases_from(store, BALANCED_SOURCE)


def balanced_releases_by_lab(
    store: Store, labs: list[str] | None = None
) -> dict[str, list[Release]]:
    """`balanced_releases` under their primary developer (co-authors are not credited)."""
    return queries.dated_releases_by_lab(store, BALANCED_SOURCE, labs)
