"""Openness over the store: one release's score, every release's, and the MOT agreement."""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from robinet.domain import slug
from robinet.errors import NotFoundError
from robinet.openness.evidence import (
    merge_dimensions,
    mot_dimensions,
    mot_for,
    release_dimensions,
    tier_license,
)
from robinet.openness.mof import CLASS_LABELS, mot_evaluations
from robinet.openness.rubric import RUBRIC_VERSION, OpennessScore, agreement, score
from robinet.store import Store

_RELEASE_COLUMNS = (
    "id, name, organization, region, date, tier, hf_id, license_raw, training_code, "
    "inference_code, link, sources"
)


_KEYS = ("id", "name", "organization", "region", "date", "tier", "hf_id")


@dataclass(frozen=True, slots=True)
class ReleaseOpenness:
    release: dict[str, Any]  # id, name, organization, region, date, tier, hf_id
    score: OpennessScore
    mot_file: str | None  # the MOT evaluation used, if any
    mot_class: int | None  # the class that evaluation implies


_HUB_COLUMNS = "hf_id, license, license_id, tags, downloads, source"
# Release fields whose provenance the openness evidence cites (release_facts columns).
_FIELDS = ("tier", "license_raw", "training_code", "inference_code", "link", "hf_id")


def _hub_row(store: Store, hf_id: str | None) -> dict[str, Any] | None:
    if not hf_id:
        return None
    rows = store.query(
        f"SELECT {_HUB_COLUMNS} FROM models WHERE lower(hf_id) = lower(?)",
        [hf_id],
    )
    return rows[0] if rows else None


def field_sources(
    store: Store, release_ids: Iterable[str] | None = None
) -> dict[str, dict[str, list[str]]]:
    """release id -> field -> the sources whose facts gave that field (release_facts)."""
    cols = ", ".join(
        f"list_sort(list_distinct(list(source) FILTER (WHERE {f} IS NOT NULL))) AS {f}"
        for f in _FIELDS
    )
    sql = f"SELECT release_id, {cols} FROM release_facts WHERE release_id IS NOT NULL"
    params: list[Any] = []
    ids = None if release_ids is None else sorted(set(release_ids))
    if ids is not None:
        if not ids:
            return {}
        sql += " AND list_contains(?, release_id)"
        params.append(ids)
    out: dict[str, dict[str, list[str]]] = {}
    for r in store.query(sql + " GROUP BY release_id", params):
        out[r["release_id"]] = {f: list(r[f] or []) for f in _FIELDS}
    return out


def release_key(text: str) -> str:
    """The normalized key releases are merged on: 'Llama 3.1 405B' -> 'llama-3-1-405b'."""
    return slug(text)


def find_release(store: Store, model: str) -> dict[str, Any] | None:
    """A release by id, Hub id or name (case-insensitive), else by the normalized key the
    merge uses (`robinet.domain.slug`); the most-sourced match wins."""
    rows = store.query(
        f"SELECT {_RELEASE_COLUMNS} FROM releases "
        "WHERE lower(id) = lower($m) OR lower(hf_id) = lower($m) OR lower(name) = lower($m) "
        "ORDER BY len(sources) DESC, date NULLS LAST, id LIMIT 1",
        {"m": model},
    )
    if rows:
        return rows[0]
    key = release_key(model)
    if not key:
        return None
    rows = store.query(
        f"SELECT {_RELEASE_COLUMNS} FROM releases "
        "WHERE id = $k OR starts_with(id, $k || '--') "
        "OR trim(regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g'), '-') = $k "
        "ORDER BY len(sources) DESC, date NULLS LAST, id LIMIT 1",
        {"k": key},
    )
    return rows[0] if rows else None


def near_releases(store: Store, model: str, n: int = 5) -> list[str]:
    """Release names whose normalized key is close to `model`'s (for a 'did you mean')."""
    key = release_key(model)
    names: dict[str, str] = {}
    for r in store.query("SELECT name, id FROM releases ORDER BY len(sources) DESC, id"):
        names.setdefault(release_key(r["name"]), r["name"])
    for ev in mot_evaluations():
        names.setdefault(release_key(ev.name), ev.name)
    close = difflib.get_close_matches(key, list(names), n=n, cutoff=0.75)
    if len(close) < n and len(key) >= 4:
        close += sorted(k for k in names if key in k and k not in close)[: n - len(close)]
    return [names[k] for k in close]


def _dimensions(
    row: Mapping[str, Any],
    hub: Mapping[str, Any] | None,
    fields: Mapping[str, Sequence[str]] | None,
    with_mot: bool = True,
) -> dict[str, Any]:
    """A release's dimensions: its own data, then its MOT evaluation, then what the access
    tier alone supports for the weights license."""
    ev = mot_for(row.get("name"), row.get("hf_id")) if with_mot else None
    return merge_dimensions(
        release_dimensions(row, hub, fields),
        mot_dimensions(ev) if ev else {},
        tier_license(row, fields),
    )


def score_release(store: Store, row: dict[str, Any]) -> ReleaseOpenness:
    hub = _hub_row(store, row.get("hf_id"))
    ev = mot_for(row.get("name"), row.get("hf_id"))
    fields = field_sources(store, [row["id"]]).get(row["id"]) if row.get("id") else None
    dims = _dimensions(row, hub, fields)
    return ReleaseOpenness(
        release={
            k: row.get(k) for k in ("id", "name", "organization", "region", "date", "tier", "hf_id")
        },
        score=score(row["name"], dims),
        mot_file=ev.file if ev else None,
        mot_class=ev.implied.mof_class if ev else None,
    )


def openness(store: Store, model: str) -> ReleaseOpenness:
    """The openness of one release (a release id or name, or a Hub id); MOT-only models too."""
    row = find_release(store, model)
    if row is not None:
        return score_release(store, row)
    ev = mot_for(model, model if "/" in model else None)
    if ev is None:
        close = near_releases(store, model)
        raise NotFoundError(
            f"no release or MOT evaluation named {model!r}",
            hint=f"did you mean: {'; '.join(close)}"
            if close
            else "pass a release name, a release id or a Hub id (owner/name)",
        )
    return ReleaseOpenness(
        release={
            "id": None,
            "name": ev.name,
            "organization": ev.producer,
            "region": None,
            "date": ev.date,
            "tier": None,
            "hf_id": ev.hf_id,
        },
        score=score(ev.name, mot_dimensions(ev)),
        mot_file=ev.file,
        mot_class=ev.implied.mof_class,
    )


def openness_json(result: ReleaseOpenness) -> dict[str, Any]:
    """The `robinet openness --json` document."""
    s = result.score
    return {
        "model": s.model,
        "release": result.release,
        "index": s.index,
        "index_min": s.index_min,
        "index_max": s.index_max,
        "coverage": s.coverage,
        "mof_class": s.mof_class,
        "mof_label": s.mof_label,
        "mot_evaluation": result.mot_file,
        "mot_implied_class": result.mot_class,
        "dimensions": {
            name: {"value": d.value, "evidence": d.evidence, "source": d.source}
            for name, d in s.dimensions.items()
        },
        "rubric_version": s.rubric_version,
    }


def all_openness(store: Store, *, epoch_only: bool = True) -> list[ReleaseOpenness]:
    """Scores of every dated release with a known tier (Epoch-sourced by default: the sources
    that list open and closed releases alike)."""
    where = "tier IS NOT NULL AND date IS NOT NULL"
    if epoch_only:
        where += " AND array_to_string(sources, ',') LIKE '%epoch%'"
    rows = store.query(f"SELECT {_RELEASE_COLUMNS} FROM releases WHERE {where} ORDER BY id")
    hub = {
        r["hf_id"].lower(): r
        for r in store.query(
            f"SELECT {_HUB_COLUMNS} FROM models WHERE lower(hf_id) IN "
            f"(SELECT lower(hf_id) FROM releases WHERE hf_id IS NOT NULL AND {where})"
        )
    }
    provenance = field_sources(store)
    out = []
    for row in rows:
        h = hub.get(str(row.get("hf_id") or "").lower())
        ev = mot_for(row.get("name"), row.get("hf_id"))
        dims = _dimensions(row, h, provenance.get(row["id"]))
        out.append(
            ReleaseOpenness(
                release={k: row.get(k) for k in _KEYS},
                score=score(row["name"], dims),
                mot_file=ev.file if ev else None,
                mot_class=ev.implied.mof_class if ev else None,
            )
        )
    return out


def openness_by(results: list[ReleaseOpenness], key: str) -> list[dict[str, Any]]:
    """Mean index, bounds, coverage and class counts of open-weight releases, by a release key."""
    groups: dict[str, list[OpennessScore]] = defaultdict(list)
    for r in results:
        if r.score.dimensions["weights"].value != "open":
            continue
        groups[str(r.release.get(key) or "unknown")].append(r.score)
    rows = []
    for group, scores in sorted(groups.items()):
        indexed = [s.index for s in scores if s.index is not None]
        classes = Counter(
            CLASS_LABELS[s.mof_class] if s.mof_class is not None else "undecided" for s in scores
        )
        rows.append(
            {
                key: group,
                "releases": len(scores),
                "mean_index": round(sum(indexed) / len(indexed), 3) if indexed else None,
                "mean_index_min": round(sum(s.index_min for s in scores) / len(scores), 3),
                "mean_index_max": round(sum(s.index_max for s in scores) / len(scores), 3),
                "mean_coverage": round(sum(s.coverage for s in scores) / len(scores), 3),
                "mof_classes": dict(sorted(classes.items())),
                "rubric_version": RUBRIC_VERSION,
            }
        )
    return rows


def mot_agreement(store: Store | None = None) -> dict[str, Any]:
    """Agreement of the rubric's class with the class MOT evaluations imply.

    `components`: the rubric over each evaluation's own components (all 273).
    `store_evidence`: for evaluations matched to a store release, the rubric over the store's
    evidence alone (Epoch AI tier, code access, license, paper) - what robinet knows at scale.
    """
    evs = mot_evaluations()
    first = agreement(evs)
    out: dict[str, Any] = {
        "rubric_version": RUBRIC_VERSION,
        "components": {
            "evaluations": first.evaluations,
            "decided": first.decided,
            "agree": first.agree,
            "rate": first.rate,
            "confusion": first.confusion,
        },
    }
    if store is None:
        return out
    matched = decided = agree = 0
    confusion: Counter[str] = Counter()
    for ev in evs:
        row = None
        if ev.hf_id:
            row = find_release(store, ev.hf_id)
        if row is None:
            row = _match_name(store, ev.name)
        if row is None:
            continue
        matched += 1
        hub = _hub_row(store, row.get("hf_id"))
        fields = field_sources(store, [row["id"]]).get(row["id"])
        got = score(ev.name, _dimensions(row, hub, fields, with_mot=False)).mof_class
        implied = ev.implied.mof_class
        confusion[f"{implied}->{got}"] += 1
        if got is not None:
            decided += 1
            agree += int(got == implied)
    out["store_evidence"] = {
        "evaluations": len(evs),
        "matched": matched,
        "decided": decided,
        "agree": agree,
        "rate": round(agree / decided, 4) if decided else None,
        "confusion": dict(sorted(confusion.items())),
    }
    return out


def _match_name(store: Store, name: str) -> dict[str, Any] | None:
    key = re.sub(r"[^a-z0-9]+", "", name.lower())
    rows = store.query(
        f"SELECT {_RELEASE_COLUMNS} FROM releases "
        "WHERE regexp_replace(lower(name), '[^a-z0-9]+', '', 'g') = ? "
        "ORDER BY len(sources) DESC, id LIMIT 1",
        [key],
    )
    return rows[0] if rows else None
