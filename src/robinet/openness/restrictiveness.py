"""License restrictiveness: a 0-1 score per license version, from the license engine's terms.

Each kind of restricting term adds its weight once (two field-of-use terms count once);
0 = no restriction beyond notices (MIT, Apache-2.0), 1 = every kind of restriction the rubric
knows. Permissions and the notices every open license asks for cost nothing; a product notice
("Built with X") counts as a naming duty. The weights are the rubric
(`RESTRICTIVENESS_VERSION`), printed with each score so a score can be recomputed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from robinet.errors import RobinetError

RESTRICTIVENESS_VERSION = "restrictiveness-1.0"

# term kind -> (weight, group). A group counts once, at its largest weight.
WEIGHTS: dict[str, tuple[float, str]] = {
    "noncommercial": (0.35, "commercial"),
    "commercial_use": (0.35, "commercial"),  # only when params say it is not allowed
    "user_threshold": (0.15, "scale"),
    "territory": (0.15, "territory"),
    "field_of_use": (0.10, "use"),
    "acceptable_use": (0.10, "use"),
    "output_training": (0.10, "outputs"),  # only when outputs may not train other models
    "naming": (0.05, "naming"),
    "derivatives": (0.05, "derivatives"),
    "redistribution": (0.03, "redistribution"),
    "termination": (0.02, "termination"),
    "attribution": (0.05, "naming"),  # only product notices ("Built with X") count
}


class TermLike(Protocol):
    kind: Any
    clause: str
    summary: str
    params: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Restrictiveness:
    license: str
    score: float
    parts: list[dict[str, Any]]  # the terms that count: kind, weight, clause, summary
    version: str = RESTRICTIVENESS_VERSION


def _factor(kind: str, params: Mapping[str, Any]) -> float:
    """How much of its weight a term costs: 0 for permissions and standard notices, 0.5 for a
    conditional restriction, 1 for a restriction."""
    if kind == "commercial_use":
        return 1.0 if params.get("allowed") is False or params.get("effect") else 0.0
    if kind == "output_training":
        if params.get("allowed") is False:
            return 1.0
        return 0.5 if params.get("condition") else 0.0
    if kind == "territory":
        return 1.0 if params.get("excluded") else 0.0
    if kind == "derivatives":
        restricts = (
            params.get("same_license")
            or params.get("pass_through_use_restrictions")
            or params.get("carries")
        )
        return 1.0 if restricts else 0.0
    if kind == "redistribution":  # copyleft duties; a copy of the license is standard
        return (
            1.0
            if params.get("source_required") or params.get("network_use_is_distribution")
            else 0.0
        )
    if kind == "termination":
        return 1.0 if params.get("at_will") or params.get("on_breach") else 0.0
    if kind == "attribution":  # "Built with X" on products is a naming duty
        return 1.0 if params.get("trigger") in {"product", "threshold", "derivative"} else 0.0
    return 1.0 if kind in WEIGHTS else 0.0


def restrictiveness(license_id: str, terms: Iterable[TermLike]) -> Restrictiveness:
    """Score one license version from its terms."""
    best: dict[str, tuple[float, dict[str, Any]]] = {}
    for term in terms:
        kind = str(getattr(term.kind, "value", term.kind))
        params = dict(term.params or {})
        if kind not in WEIGHTS or not (factor := _factor(kind, params)):
            continue
        weight, group = WEIGHTS[kind]
        weight *= factor
        part = {"kind": kind, "weight": weight, "clause": term.clause, "summary": term.summary}
        if group not in best or weight > best[group][0]:
            best[group] = (weight, part)
    parts = sorted((p for _, p in best.values()), key=lambda p: (-p["weight"], p["kind"]))
    return Restrictiveness(
        license=license_id,
        score=round(min(1.0, sum(w for w, _ in best.values())), 4),
        parts=parts,
    )


# -- through the license engine's knowledge base ------------------------------------------


def _kb() -> Any | None:
    try:
        from robinet.licenses import kb
    except ImportError:  # pragma: no cover - the license engine ships with robinet
        return None
    try:
        return kb.knowledge_base()
    except RobinetError:
        return None


@cache
def _lookup() -> dict[str, str]:
    """Lowercased license spellings (id, SPDX, Hub ids, names) -> knowledge-base id."""
    base = _kb()
    out: dict[str, str] = {}
    if base is None:
        return out
    for entry in base.entries:
        for key in (entry.id, entry.spdx, *entry.hub_ids, *entry.license_names):
            if key:
                out.setdefault(str(key).strip().lower(), entry.id)
    return out


def license_id_of(raw: str | None) -> str | None:
    """The knowledge-base id for a raw license string (Hub tag, SPDX id, name), if known."""
    if not raw:
        return None
    key = str(raw).strip().lower().removeprefix("license:")
    if key in _lookup():
        return _lookup()[key]
    return _resolved(key)


@cache
def _resolved(key: str) -> str | None:
    """The license engine's resolver, as a Hub tag and then as a license name."""
    try:
        from robinet.licenses.resolve import resolve
    except ImportError:  # pragma: no cover
        return None
    try:
        for found in (resolve(license=key), resolve(license_name=key)):
            if found.license_id:
                return str(found.license_id)
    except RobinetError:
        return None
    return None


@cache
def license_restrictiveness(license_id: str) -> Restrictiveness | None:
    """The score of a knowledge-base license with the policies it incorporates; None when the
    knowledge base lacks it or has no terms for it."""
    base = _kb()
    if base is None or license_id not in base:
        return None
    entry = base.get(license_id)
    if not entry.terms:  # not curated yet: unknown, not unrestricted
        return None
    terms = list(entry.terms)
    for policy in entry.incorporates:  # e.g. an acceptable-use policy the license binds
        if policy in base:
            terms.extend(base.get(policy).terms)
    return restrictiveness(license_id, terms)


def family_history(family: str) -> list[dict[str, Any]]:
    """Every version of one license family, by release date, with its score."""
    base = _kb()
    if base is None:
        return []
    rows = []
    for entry in base.entries:
        if entry.family != family:
            continue
        r = license_restrictiveness(entry.id)
        rows.append(
            {
                "license": entry.id,
                "name": entry.name,
                "release_date": entry.release_date,
                "predecessor": entry.predecessor,
                "successor": entry.successor,
                "score": None if r is None else r.score,
                "version": RESTRICTIVENESS_VERSION,
            }
        )
    return sorted(rows, key=lambda r: (str(r["release_date"] or ""), r["license"]))


# Successive licenses of the same models, as the issue tracks them.
CHAINS: dict[str, tuple[str, ...]] = {
    "llama": (
        "llama-2-license-2023",
        "llama-3-license-2024",
        "llama-3.1-license-2024",
        "llama-3.2-license-2024",
        "llama-3.3-license-2024",
        "llama-4-cla-2025",
    ),
    "qwen": ("tongyi-qianwen-2023", "qwen-2024", "apache-2.0"),
    "deepseek": ("deepseek-la-1.0", "mit"),
}


def license_chain(ids: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    """Each license of a sequence with its score and the change from the previous one."""
    rows: list[dict[str, Any]] = []
    prev: float | None = None
    for lid in ids:
        r = license_restrictiveness(lid)
        value = None if r is None else r.score
        rows.append(
            {
                "license": lid,
                "score": value,
                "delta": None if value is None or prev is None else round(value - prev, 4),
                "version": RESTRICTIVENESS_VERSION,
            }
        )
        prev = value if value is not None else prev
    return rows
