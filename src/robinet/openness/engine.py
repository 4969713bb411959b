"""Openness over the store: one release's score, every release's, and the MOT agreement."""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass
from enum import Enum
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
from robinet.store.queries import openness as queries
from robinet.store.queries.openness import ReleaseEvidence, ReleaseLookup

_KEYS = ("id", "name", "organization", "region", "date", "tier", "hf_id")


@dataclass(frozen=True, slots=True)
class ReleaseOpenness:
    release: dict[str, Any]  # id, name, organization, region, date, tier, hf_id
    score: OpennessScore
    mot_file: str | None  # the MOT evaluation used, if any
    mot_class: int | None  # the class that evaluation implies


def release_key(text: str) -> str:
    """The normalized key releases are merged on: 'Llama 3.1 405B' -> 'llama-3-1-405b'."""
    return slug(text)


def near_releases(store: Store, model: str, n: int = 5) -> list[str]:
    """Release names whose normalized key is close to `model`'s (for a 'did you mean')."""
    key = release_key(model)
    names: dict[str, str] = {}
    for name, _ in queries.release_names(store):
        names.setdefault(release_key(name), name)
    for ev in mot_evaluations():
        names.setdefault(release_key(ev.name), ev.name)
    close = difflib.get_close_matches(key, list(names), n=n, cutoff=0.75)
    if len(close) < n and len(key) >= 4:
        close += sorted(k for k in names if key in k and k not in close)[: n - len(close)]
    return [names[k] for k in close]


def _dimensions(evidence: ReleaseEvidence, with_mot: bool = True) -> dict[str, Any]:
    """A release's dimensions: its own data, then its MOT evaluation, then what the access
    tier alone supports for the weights license."""
    row, fields = evidence.release, evidence.field_sources
    ev = mot_for(row.name, row.hf_id) if with_mot else None
    return merge_dimensions(
        release_dimensions(row, evidence.hub, fields),
        mot_dimensions(ev) if ev else {},
        tier_license(row, fields),
    )


def _plain(value: Any) -> Any:
    """An enum member's value (tier, region): the release dict is a JSON document's part."""
    return value.value if isinstance(value, Enum) else value


def score_release(evidence: ReleaseEvidence) -> ReleaseOpenness:
    """The openness of one release from its evidence (and its MOT evaluation, if any)."""
    row = evidence.release
    ev = mot_for(row.name, row.hf_id)
    return ReleaseOpenness(
        release={key: _plain(getattr(row, key)) for key in _KEYS},
        score=score(row.name, _dimensions(evidence)),
        mot_file=ev.file if ev else None,
        mot_class=ev.implied.mof_class if ev else None,
    )


def openness(store: Store, model: str) -> ReleaseOpenness:
    """The openness of one release (a release id or name, or a Hub id); MOT-only models too."""
    found = queries.find_release(store, model)
    if found is not None:
        return score_release(found)
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
    return [score_release(ev) for ev in queries.scored_releases(store, balanced_only=epoch_only)]


def organization_openness(store: Store, org: str) -> list[ReleaseOpenness]:
    """Scores of one organization's dated releases of known tier, oldest first."""
    return [score_release(ev) for ev in queries.organization_releases(store, org)]


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
    # Each evaluation looks its release up by Hub id, then by name; one query for all 273.
    found = queries.match_releases(
        store,
        [ReleaseLookup(i, text=ev.hf_id or None, name=ev.name) for i, ev in enumerate(evs)],
    )
    matched = decided = agree = 0
    confusion: Counter[str] = Counter()
    for i, ev in enumerate(evs):
        evidence = found.get(i)
        if evidence is None:
            continue
        matched += 1
        got = score(ev.name, _dimensions(evidence, with_mot=False)).mof_class
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
