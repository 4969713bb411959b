"""The openness index: a versioned 0-1 rubric over dimensions, each open/partial/closed/unknown.

    index     = sum(weight * credit) / sum(weight) over the dimensions whose value is known,
                given only when coverage >= MIN_COVERAGE (0.5): no headline without evidence
    coverage  = sum(weight of known dimensions) / sum(all weights)
    index_min = the index if every unknown dimension were closed; index_max if open

credit: open 1, partial 0.5, closed 0. Unknown is not closed: it leaves the index and lowers the
coverage. The rubric's MOF class is derived from the dimensions alone (see `rubric_class`), so it
can be computed for releases that have no component-level evaluation and measured against the
class that full MOT evaluations imply (`agreement`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from robinet.openness.mof import (
    CLASS_LABELS,
    CLOSED,
    OPEN,
    PARTIAL,
    UNKNOWN,
    ComponentStatus,
    MotEvaluation,
    is_osi,
)

RUBRIC_VERSION = "openness-2.1"
# Below this coverage the evidence is too thin for a headline: `index` is None (the bounds stay).
MIN_COVERAGE = 0.5

CREDIT = {OPEN: 1.0, PARTIAL: 0.5, CLOSED: 0.0}

# name -> (weight, MOF components it summarizes, how they combine: all | best)
DIMENSIONS: dict[str, tuple[float, tuple[str, ...], str]] = {
    "weights": (2.0, ("Model parameters (Final)",), "weights"),
    "weights_license": (2.0, ("Model parameters (Final)",), "all"),
    "inference_code": (1.0, ("Model architecture", "Inference code"), "all"),
    "training_code": (1.0, ("Training code", "Data preprocessing code"), "all"),
    "training_data": (1.0, ("Datasets",), "all"),
    "data_documentation": (1.0, ("Data card",), "all"),
    "paper": (1.0, ("Technical report", "Research paper"), "best"),
    "model_card": (1.0, ("Model card",), "all"),
    "evaluation": (1.0, ("Evaluation code", "Evaluation data", "Evaluation results"), "all"),
}
ORDER = {OPEN: 2, PARTIAL: 1, CLOSED: 0}


@dataclass(frozen=True, slots=True)
class Dimension:
    value: str  # open | partial | closed | unknown
    evidence: str
    source: str
    osi: bool | None = None  # weights_license only: False when open but not OSI-approved


@dataclass(frozen=True, slots=True)
class OpennessScore:
    model: str
    index: float | None  # None when coverage < MIN_COVERAGE
    index_min: float
    index_max: float
    coverage: float
    mof_class: int | None  # None when the evidence cannot decide
    mof_label: str | None
    dimensions: dict[str, Dimension]
    rubric_version: str = RUBRIC_VERSION


def score(model: str, dimensions: Mapping[str, Dimension]) -> OpennessScore:
    """Index, bounds, coverage and rubric class of one release's dimension evidence."""
    dims = {
        name: dimensions.get(name) or Dimension(UNKNOWN, "no evidence", "") for name in DIMENSIONS
    }
    total = sum(w for w, _, _ in DIMENSIONS.values())
    known = sum(DIMENSIONS[n][0] for n, d in dims.items() if d.value != UNKNOWN)
    earned = sum(DIMENSIONS[n][0] * CREDIT.get(d.value, 0.0) for n, d in dims.items())
    unknown = total - known
    cls = rubric_class(dims)
    return OpennessScore(
        model=model,
        index=round(earned / known, 4) if known and known / total >= MIN_COVERAGE else None,
        index_min=round(earned / total, 4),
        index_max=round((earned + unknown) / total, 4),
        coverage=round(known / total, 4),
        mof_class=cls,
        mof_label=None if cls is None else CLASS_LABELS[cls],
        dimensions=dims,
    )


def rubric_class(dims: Mapping[str, Dimension]) -> int | None:
    """The MOF class the dimensions support: III an OSI license on the weights; II also code,
    evaluation and documentation open; I also training data open. Unknown dimensions never earn
    a class: the result is a floor, and None when even Class III is undecided."""

    def v(name: str) -> str:
        d = dims.get(name)
        if d is None:
            return UNKNOWN
        if name == "weights_license" and d.value == OPEN and d.osi is False:
            return PARTIAL  # an open data license on the weights: no conditional pass
        return d.value

    tiers = [
        (3, ["weights_license"]),
        (
            2,
            [
                "inference_code",
                "training_code",
                "evaluation",
                "model_card",
                "data_documentation",
                "paper",
            ],
        ),
        (1, ["training_data"]),
    ]
    earned = 0
    for level, names in tiers:
        values = [v(n) for n in names]
        if all(x == OPEN for x in values):
            earned = level
            continue
        if earned == 0 and UNKNOWN in values and not {CLOSED, PARTIAL} & set(values):
            return None  # even Class III is undecided
        break  # a class that is not met, or unknown: the class earned so far is a floor
    return earned


def _combine(statuses: list[ComponentStatus], how: str) -> str:
    values = [s.value for s in statuses]
    known = [x for x in values if x != UNKNOWN]
    if not known:
        return UNKNOWN
    if how == "best":
        return max(known, key=lambda x: ORDER[x])
    if all(x == OPEN for x in known):
        return OPEN
    if all(x == CLOSED for x in known):
        return CLOSED
    return PARTIAL


def dimensions_from_components(components: Mapping[str, ComponentStatus]) -> dict[str, Dimension]:
    """Summarize MOF component statuses (e.g. a MOT evaluation) into the rubric's dimensions."""
    out: dict[str, Dimension] = {}
    for name, (_, parts, how) in DIMENSIONS.items():
        statuses = [components[p] for p in parts if p in components]
        if not statuses:
            out[name] = Dimension(UNKNOWN, "no evidence", "")
            continue
        source = ", ".join(sorted({s.source for s in statuses if s.source}))
        evidence = "; ".join(f"{s.name}: {s.value} ({s.evidence})" for s in statuses)
        if how == "weights":  # availability of the weights, whatever their license
            w = statuses[0]
            value = UNKNOWN if w.value == UNKNOWN else (CLOSED if w.value == CLOSED else OPEN)
            out[name] = Dimension(value, f"{w.name}: {w.evidence}", source)
            continue
        value = _combine(statuses, how)
        if name == "weights_license" and value == OPEN and not is_osi(statuses[0].license):
            value = PARTIAL  # open data license on weights: MOF wants OSI for the conditional pass
            evidence += "; not OSI-approved"
        out[name] = Dimension(value, evidence, source)
    return out


def score_mot(evaluation: MotEvaluation) -> OpennessScore:
    return score(evaluation.name, dimensions_from_components(evaluation.components))


@dataclass(frozen=True, slots=True)
class Agreement:
    """How often the rubric's class equals the class MOT evaluations imply."""

    rubric_version: str
    evaluations: int
    decided: int  # evaluations where the rubric decided a class
    agree: int
    rate: float  # agree / decided
    confusion: dict[str, int]  # "implied->rubric" -> count
    disagreements: list[dict[str, object]]


def agreement(evaluations: Iterable[MotEvaluation]) -> Agreement:
    confusion: Counter[str] = Counter()
    disagreements: list[dict[str, object]] = []
    n = decided = agree = 0
    for ev in evaluations:
        n += 1
        implied = ev.implied.mof_class
        got = score_mot(ev).mof_class
        confusion[f"{implied}->{got}"] += 1
        if got is None:
            continue
        decided += 1
        if got == implied:
            agree += 1
        else:
            disagreements.append(
                {"model": ev.name, "file": ev.file, "implied": implied, "rubric": got}
            )
    return Agreement(
        rubric_version=RUBRIC_VERSION,
        evaluations=n,
        decided=decided,
        agree=agree,
        rate=round(agree / decided, 4) if decided else 0.0,
        confusion=dict(sorted(confusion.items())),
        disagreements=sorted(disagreements, key=lambda d: str(d["model"])),
    )
