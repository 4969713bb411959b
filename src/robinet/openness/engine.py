"""Openness over the store: one release's score, every release's, and the MOT agreement."""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass
from enum import Enum
from functools import cache
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
from robinet.openness.family import family_index, family_key, inherit
from robinet.openness.mof import CLASS_LABELS, MotEvaluation, mot_evaluations
from robinet.openness.rubric import (
    RUBRIC_VERSION,
    Dimension,
    OpennessScore,
    agreement,
    score,
)
from robinet.store import Store
from robinet.store.queries import openness as queries
from robinet.store.queries.openness import HubFacts, ReleaseEvidence, ReleaseFacts, ReleaseLookup

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


# A release's family members: (evidence, their own MOT evaluation) of each.
Family = tuple[ReleaseEvidence, ...]


def _own(evidence: ReleaseEvidence) -> dict[str, Dimension]:
    row = evidence.release
    return release_dimensions(row, evidence.hub, evidence.field_sources, evidence.facts)


def _family_mot(row: ReleaseFacts, family: Family) -> list[MotEvaluation]:
    """MOT evaluations of the release's family: its members' own, then those whose name is a
    variant of the release's (e.g. `Llama-3-70B-Instruct` for `Llama 3-70B`)."""
    out = [ev for m in family if (ev := mot_for(m.release.name, m.release.hf_id))]
    out += [ev for ev in _mot_families().get(family_key(row.name), ()) if ev not in out]
    return out


@cache
def _mot_families() -> dict[str, tuple[MotEvaluation, ...]]:
    index: dict[str, list[MotEvaluation]] = defaultdict(list)
    for ev in mot_evaluations():
        index[family_key(ev.name)].append(ev)
    return {k: tuple(v) for k, v in index.items()}


def _dimensions(
    evidence: ReleaseEvidence, family: Family = (), with_mot: bool = True
) -> dict[str, Dimension]:
    """A release's dimensions: its own data, its MOT evaluation, its family's evidence for what
    holds for the whole release, then what the access tier alone supports for the weights
    license."""
    row, fields = evidence.release, evidence.field_sources
    ev = mot_for(row.name, row.hf_id) if with_mot else None
    own = merge_dimensions(_own(evidence), mot_dimensions(ev) if ev else {})
    layers: list[dict[str, Dimension]] = [own]
    for member in family:
        theirs = merge_dimensions(_own(member), tier_license(member.release, member.field_sources))
        mine = member.release.id is not None and member.release.id == evidence.variant_of
        relation = "its release" if mine else "family release"
        layers.append(inherit(own, member.release.name, theirs, relation))
    if with_mot:
        for fam in _family_mot(row, family):
            if fam is not ev:
                layers.append(inherit(own, f"{fam.name} (MOT)", mot_dimensions(fam)))
    layers.append(tier_license(row, fields))
    return merge_dimensions(*layers)


def _plain(value: Any) -> Any:
    """An enum member's value (tier, region): the release dict is a JSON document's part."""
    return value.value if isinstance(value, Enum) else value


def score_release(evidence: ReleaseEvidence, family: Family = ()) -> ReleaseOpenness:
    """The openness of one release from its evidence, its family's and the MOT evaluations."""
    row = evidence.release
    ev = mot_for(row.name, row.hf_id)
    return ReleaseOpenness(
        release={key: _plain(getattr(row, key)) for key in _KEYS},
        score=score(row.name, _dimensions(evidence, family)),
        mot_file=ev.file if ev else None,
        mot_class=ev.implied.mof_class if ev else None,
    )


def subject_key(evidence: ReleaseEvidence) -> str:
    """The key of `families`: a release's id, or 'hub:<hf_id>' for a Hub repo that is none."""
    row = evidence.release
    return row.id or f"hub:{(row.hf_id or row.name).lower()}"


def families(store: Store, evidences: list[ReleaseEvidence]) -> dict[str, Family]:
    """`subject_key` -> the evidence of its family members (same organization, same name once
    the variant words are dropped; for a Hub repo, first the release that lists it among its
    Hub repos), in two queries however many releases."""
    names = queries.release_family_names(store)
    index = family_index((n.id, n.name, n.organization) for n in names)
    wanted: dict[str, list[str]] = {}
    for ev in evidences:
        row = ev.release
        members = [ev.variant_of] if ev.variant_of else []
        if row.organization:
            members += index.get((row.organization, family_key(row.name)), [])
        members = list(dict.fromkeys(m for m in members if m != row.id))
        if members:
            wanted[subject_key(ev)] = members
    have = {ev.release.id: ev for ev in evidences if ev.release.id}
    missing = sorted({m for ms in wanted.values() for m in ms} - set(have))
    have.update(queries.releases_by_id(store, missing))
    return {key: tuple(have[m] for m in ms if m in have) for key, ms in wanted.items()}


def _score_all(store: Store, evidences: list[ReleaseEvidence]) -> list[ReleaseOpenness]:
    fams = families(store, evidences)
    return [score_release(ev, fams.get(subject_key(ev), ())) for ev in evidences]


def hub_openness(hub: HubFacts) -> ReleaseOpenness:
    """A Hub model the store knows only from the Hub (a dump row or a fetched card)."""
    row = ReleaseFacts(id=None, name=hub.hf_id, hf_id=hub.hf_id)
    evidence = ReleaseEvidence(row, hub, None)
    ev = mot_for(hub.hf_id.rsplit("/", 1)[-1], hub.hf_id)
    dims = _dimensions(evidence)
    return ReleaseOpenness(
        release={
            "id": None,
            "name": hub.hf_id,
            "organization": None,
            "region": None,
            "date": None,
            "tier": None,
            "hf_id": hub.hf_id,
        },
        score=score(hub.hf_id, dims),
        mot_file=ev.file if ev else None,
        mot_class=ev.implied.mof_class if ev else None,
    )


def unknown_model_error(store: Store, model: str) -> NotFoundError:
    """The error for a model the store does not know, saying how to fetch it."""
    close = near_releases(store, model)
    if "/" in model:
        owner = model.split("/", 1)[0]
        hint = (
            f"fetch its card while online (`robinet openness {model}` without HF_HUB_OFFLINE), "
            f"or import its author's models: `robinet sync hub --author {owner}`"
        )
        if close:
            hint += f"; or did you mean: {'; '.join(close)}"
        return NotFoundError(f"the model {model!r} is unknown to the store", hint=hint)
    return NotFoundError(
        f"no release or MOT evaluation named {model!r}",
        hint=f"did you mean: {'; '.join(close)}"
        if close
        else "pass a release name, a release id or a Hub id (owner/name)",
    )


def openness(store: Store, model: str) -> ReleaseOpenness:
    """The openness of one release (a release id or name, or a Hub id), of a Hub repo that is
    no release (scored from its own rows and its release's), of a Hub model the store knows
    from the Hub only, or of a model only the MOT evaluated. Never fetches: see
    `robinet.openness.live.openness_or_fetch`."""
    found = queries.find_release(store, model)
    if found is not None:
        return _score_all(store, [found])[0]
    if "/" in model:
        hub = queries.hub_model(store, model)
        if hub is not None:
            return hub_openness(hub)
    ev = mot_for(model, model if "/" in model else None)
    if ev is None:
        raise unknown_model_error(store, model)
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
    return _score_all(store, queries.scored_releases(store, balanced_only=epoch_only))


def organization_openness(store: Store, org: str) -> list[ReleaseOpenness]:
    """Scores of one organization's dated releases of known tier, oldest first."""
    return _score_all(store, queries.organization_releases(store, org))


def openness_by(results: list[ReleaseOpenness], key: str) -> list[dict[str, Any]]:
    """Index, bounds, coverage and class counts of open-weight releases, by a release key.

    `mean_index` is the mean over the releases that have an index (coverage >= 0.5), counted
    in `indexed`; `mean_index_min`/`mean_index_max` cover every release (unknowns counted
    closed/open). `rank` orders the groups by `mean_index`, only among groups with at least
    one indexed release (None for the others): a group is never ranked on releases without
    an index."""
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
                "indexed": len(indexed),
                "mean_index": round(sum(indexed) / len(indexed), 3) if indexed else None,
                "mean_index_min": round(sum(s.index_min for s in scores) / len(scores), 3),
                "mean_index_max": round(sum(s.index_max for s in scores) / len(scores), 3),
                "mean_coverage": round(sum(s.coverage for s in scores) / len(scores), 3),
                "mof_classes": dict(sorted(classes.items())),
                "rank": None,
                "rubric_version": RUBRIC_VERSION,
            }
        )

    def order(row: dict[str, Any]) -> tuple[float, int, str]:
        return (-row["mean_index"], -row["indexed"], str(row[key]))

    ranked = sorted((r for r in rows if r["mean_index"] is not None), key=order)
    for position, row in enumerate(ranked, start=1):
        row["rank"] = position
    return rows


# MOT classes as an order of openness: Class I (most open) > II > III > unclassified.
MOT_ORDER = {1: 3, 2: 2, 3: 1, 0: 0}


def _ranks(values: list[float]) -> list[float]:
    """Average ranks (ties share the mean of their positions)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: list[float], ys: list[float]) -> float | None:
    """Spearman's rank correlation (Pearson's over average ranks); None when undefined."""
    if len(xs) < 3:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return round(cov / (vx * vy) ** 0.5, 4) if vx and vy else None


def mot_agreement(store: Store | None = None) -> dict[str, Any]:
    """Agreement of the rubric with the class MOT evaluations imply.

    `components`: the rubric over each evaluation's own components (all 273).
    `store_evidence`: for evaluations matched to a store release (or to a Hub repo the store
    knows, scored from its own rows and its release's: see `queries.match_releases`), the
    rubric over the store's evidence alone, no MOT evaluation used (Epoch AI, the catalog, the
    Hub, the release's family): the
    class it decides, and the rank agreement (`spearman`) of its index with the MOT class on
    the releases that have an index (`indexed`).
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
    fams = families(store, list(found.values()))
    matched = decided = agree = 0
    confusion: Counter[str] = Counter()
    coverage: list[float] = []
    pairs: list[tuple[float, float]] = []
    for i, ev in enumerate(evs):
        evidence = found.get(i)
        if evidence is None:
            continue
        matched += 1
        family = fams.get(subject_key(evidence), ())
        result = score(ev.name, _dimensions(evidence, family, with_mot=False))
        got, implied = result.mof_class, ev.implied.mof_class
        confusion[f"{implied}->{got}"] += 1
        coverage.append(result.coverage)
        if result.index is not None:
            pairs.append((result.index, float(MOT_ORDER[implied])))
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
        "mean_coverage": round(sum(coverage) / len(coverage), 4) if coverage else None,
        "indexed": len(pairs),
        "spearman": spearman([p[0] for p in pairs], [p[1] for p in pairs]),
    }
    return out
