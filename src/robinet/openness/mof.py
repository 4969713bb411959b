"""The Model Openness Framework (MOF 1.0): its components, the class they earn, MOT evaluations.

A component is `open` when it is included under a license open for its content type (code: an
OSI-approved license; data and documents: an open data or open content license), `partial` when
it is included without a license or under a license that is not open, `closed` when it is not
included, and `unknown` when no evidence says either way.

`mof_class` applies the rules of the Model Openness Tool (lfai/model_openness_tool,
ModelEvaluator): class N is earned when every required component of classes N..III is open;
Class III is also earned on a "conditional pass" when the final model parameters carry an
OSI-approved license. Unknown components never earn a class.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from robinet.errors import InputDataError

MOF_VERSION = "1.0"

OPEN, PARTIAL, CLOSED, UNKNOWN = "open", "partial", "closed", "unknown"
VALUES = (OPEN, PARTIAL, CLOSED, UNKNOWN)

CLASS_LABELS = {
    1: "Class I - Open Science",
    2: "Class II - Open Tooling",
    3: "Class III - Open Model",
    0: "Unclassified",
}


@dataclass(frozen=True, slots=True)
class Component:
    id: int
    name: str
    mof_class: int  # the class that requires (or lists) it: 1, 2 or 3
    required: bool
    content_types: tuple[str, ...]  # license types valid for it: code, data, document


# MOF 1.0 components as the MOT configures them (web/modules/mof/config/install/mof.settings.yml).
COMPONENTS: tuple[Component, ...] = (
    Component(9, "Model architecture", 3, True, ("code",)),
    Component(10, "Model parameters (Final)", 3, True, ("data", "code")),
    Component(12, "Evaluation results", 3, True, ("document", "code")),
    Component(13, "Model card", 3, True, ("document", "code")),
    Component(14, "Data card", 3, True, ("document", "code")),
    Component(11, "Technical report", 3, True, ("document", "code")),
    Component(20, "Sample model outputs", 3, False, ("data", "code", "document")),
    Component(7, "Training code", 2, True, ("code",)),
    Component(8, "Inference code", 2, True, ("code",)),
    Component(18, "Evaluation code", 2, True, ("code",)),
    Component(19, "Evaluation data", 2, True, ("data",)),
    Component(22, "Supporting libraries and tools", 2, False, ("code",)),
    Component(15, "Datasets", 1, True, ("data", "code", "document")),
    Component(16, "Data preprocessing code", 1, True, ("code",)),
    Component(24, "Model parameters (Intermediate)", 1, True, ("data",)),
    Component(17, "Model metadata", 1, False, ("data",)),
    Component(21, "Research paper", 1, True, ("document",)),
)
BY_NAME = {c.name: c for c in COMPONENTS}
WEIGHTS = "Model parameters (Final)"


@dataclass(frozen=True, slots=True)
class ComponentStatus:
    name: str
    value: str  # open | partial | closed | unknown
    license: str | None
    evidence: str
    source: str


@dataclass(frozen=True, slots=True)
class MofResult:
    mof_class: int  # 0 = unclassified
    label: str
    conditional: bool  # Class III earned through the open weights license alone
    missing: dict[int, list[str]]  # class -> required components not open


# -- licenses ---------------------------------------------------------------------------------


def _data_dir() -> Path:
    return Path(str(files("robinet") / "data" / "mot"))


@cache
def open_licenses() -> dict[str, frozenset[str]]:
    """License ids open for each content type (see data/mot/ATTRIBUTION.md)."""
    raw = json.loads((_data_dir() / "open_licenses.json").read_text())
    extra = frozenset(raw["extra_open_content"])
    return {
        "code": frozenset(raw["code"]),
        "data": frozenset(raw["data"]) | extra,
        "document": frozenset(raw["document"]) | extra,
    }


_NOT_INCLUDED = re.compile(r"component\s+(component\s+)?not\s+include", re.I)
_NO_LICENSE = {"unlicensed", "license not specified", "undisclosed", "other license", ""}
_CLOSED_WORDS = {"proprietary"}
# Spellings met in real evaluations -> SPDX ids.
_ALIASES = {
    "apache 2.0": "Apache-2.0",
    "apache-2": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "apache-2.0 license": "Apache-2.0",
    "apache2": "Apache-2.0",
    "mit license": "MIT",
    "bsd-3": "BSD-3-Clause",
    "bsd 3-clause": "BSD-3-Clause",
    "bsd-2": "BSD-2-Clause",
    "cc by-sa 4.0": "CC-BY-SA-4.0",
    "cc by 4.0": "CC-BY-4.0",
    "cc-by 4.0": "CC-BY-4.0",
    "creative commons attribution 4.0": "CC-BY-4.0",
    "cc0": "CC0-1.0",
}


def normalize_license(raw: str | None) -> str | None:
    """A license string as evaluators wrote it -> an SPDX id where one is recognizable."""
    if raw is None:
        return None
    text = str(raw).strip()
    key = text.lower()
    if key in _ALIASES:
        return _ALIASES[key]
    for ids in open_licenses().values():
        for lid in ids:
            if lid.lower() == key:
                return lid
    return text


def license_status(raw: str | None, content_types: Iterable[str]) -> tuple[str, str]:
    """(value, why) of a component included under license `raw`."""
    if raw is not None and _NOT_INCLUDED.search(str(raw)):
        return CLOSED, f"marked {raw!r}"
    if raw is None or str(raw).strip().lower() in _NO_LICENSE:
        return PARTIAL, "included without a stated license" if not raw else f"license {raw!r}"
    if str(raw).strip().lower() in _CLOSED_WORDS:
        return CLOSED, f"license {raw!r}"
    lid = normalize_license(raw)
    table = open_licenses()
    for kind in content_types:
        if lid in table[kind]:
            return OPEN, f"{lid} is an open {kind} license"
    return PARTIAL, f"included under {raw!r}, not an open license for this component"


def is_osi(raw: str | None) -> bool:
    return normalize_license(raw) in open_licenses()["code"]


# -- class ------------------------------------------------------------------------------------


def mof_class(components: Mapping[str, ComponentStatus]) -> MofResult:
    """The MOF class earned by these component statuses (the MOT's rules)."""
    missing: dict[int, list[str]] = {}
    for level in (3, 2, 1):
        needed = [c.name for c in COMPONENTS if c.required and c.mof_class >= level]
        missing[level] = sorted(
            n for n in needed if components.get(n) is None or components[n].value != OPEN
        )
    weights = components.get(WEIGHTS)
    conditional = bool(weights and weights.value == OPEN and is_osi(weights.license))
    earned = 0
    for level in (1, 2, 3):
        if not missing[level]:
            earned = level
            break
    if earned == 0 and conditional:
        earned = 3
    return MofResult(
        mof_class=earned,
        label=CLASS_LABELS[earned],
        conditional=conditional and bool(missing[3]),
        missing=missing,
    )


# -- MOT evaluations --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MotEvaluation:
    name: str
    producer: str
    date: str | None
    hf_id: str | None
    file: str
    components: dict[str, ComponentStatus]

    @property
    def implied(self) -> MofResult:
        """The class the evaluation implies under the MOF rules."""
        return mof_class(self.components)


_HF = re.compile(r"huggingface\.co/([^/\s]+/[^/\s?#]+)")


def parse_mot(data: Mapping[str, Any], file: str) -> MotEvaluation:
    """One MOT evaluation (YAML mapping) -> component statuses; bad shapes name the file."""
    release = data.get("release") if isinstance(data, Mapping) else None
    if not isinstance(release, Mapping) or not release.get("name"):
        raise InputDataError("not a MOT evaluation: no release name", file=file, field="release")
    globals_ = release.get("license") or {}
    if not isinstance(globals_, Mapping):
        raise InputDataError("release.license must be a mapping", file=file, field="license")

    def global_license(kind: str) -> str | None:
        entry = globals_.get(kind) or {}
        name = entry.get("name") if isinstance(entry, Mapping) else None
        return str(name).strip() or None if name else None

    source = f"mot:{Path(file).name}"
    listed: dict[str, Mapping[str, Any]] = {}
    for i, comp in enumerate(release.get("components") or []):
        if not isinstance(comp, Mapping) or "name" not in comp:
            raise InputDataError("component without a name", file=file, row=i)
        listed[str(comp["name"])] = comp
    statuses: dict[str, ComponentStatus] = {}
    for c in COMPONENTS:
        comp = listed.get(c.name)
        if comp is None:
            statuses[c.name] = ComponentStatus(c.name, CLOSED, None, "not included", source)
            continue
        raw = comp.get("license")
        how = "component license"
        if raw is None:  # inherits the global license of its type, else the distribution's
            raw = global_license(c.content_types[0]) or global_license("distribution")
            how = "inherited global license"
        value, why = license_status(raw, c.content_types)
        statuses[c.name] = ComponentStatus(
            c.name, value, None if raw is None else str(raw), f"{why} ({how})", source
        )
    hf = _HF.search(str(release.get("huggingface") or ""))
    return MotEvaluation(
        name=str(release["name"]),
        producer=str(release.get("producer") or ""),
        date=str(release["date"]) if release.get("date") else None,
        hf_id=hf.group(1) if hf else None,
        file=Path(file).name,
        components=statuses,
    )


# libyaml's safe loader when PyYAML has it (same documents, a tenth of the time: the 273 files
# take a second with the pure-Python one); the pure-Python safe loader otherwise.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def mot_evaluations() -> tuple[MotEvaluation, ...]:
    """The 273 bundled MOT evaluations, parsed."""
    out = []
    for path in sorted((_data_dir() / "models").glob("*.yml")):
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
        except yaml.YAMLError as exc:
            raise InputDataError(f"invalid YAML: {exc}", file=str(path)) from exc
        out.append(parse_mot(data, str(path)))
    return tuple(out)
