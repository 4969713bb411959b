"""Epoch AI's model tables (notable, all, large-scale) and its Capabilities Index (ECI).

Rows become `release_facts` (one per model row); ECI rows also become `capability_scores`, one
per evaluated model version. The model tables' "Training dataset", "Accessibility notes" and
"Reference" fields also become quoted `openness_evidence` rows of their `release_facts` row
(the openness rubric's evidence). Epoch AI data is CC-BY-4.0: attribute Epoch AI.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from robinet.domain import (
    EPOCH_ACCESS_TIERS,
    UnknownCountry,
    country_code,
    org_directory,
    slug,
)
from robinet.sources.base import Batch, SourceInfo, csv_rows, provenance

EPOCH_LICENSE = "CC-BY-4.0"
EPOCH_ATTRIBUTION = "Epoch AI, 'Data on AI Models', https://epoch.ai/data/ai-models (CC-BY-4.0)"
COPIED = dt.datetime(2026, 11, 29)

_HF_MODEL_LINK = re.compile(
    r"huggingface\.co/(?!datasets/|spaces/|papers/|blog/|docs/|collections/)"
    r"([A-Za-z0-9][\w.-]*/[\w.-]+)"
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class EpochTable:
    """Column names of one Epoch table (they differ between the published CSVs)."""

    info: SourceInfo
    name_col: str
    date_col: str
    country_col: str
    notable: bool  # every row of the table is a notable model
    dated_by_release: bool = False  # the date column is a release (availability) date


def _info(name: str, title: str, origin: str, commit: str, file: str) -> SourceInfo:
    return SourceInfo(
        name=name,
        title=title,
        origin=origin,
        version=commit,
        license=EPOCH_LICENSE,
        attribution=EPOCH_ATTRIBUTION,
        files=(f"epoch/{file}",),
        retrieved_at=COPIED,
    )


NOTABLE = EpochTable(
    _info(
        "epoch-notable",
        "Epoch AI notable AI models (to March 2025)",
        "https://github.com/VinodGeorge24/AI_Benchmark",
        "dc876ede5a4d5c2c87a185f5d1e17305acf848b9",
        "notable_ai_models.csv",
    ),
    name_col="Model",
    date_col="Publication date",
    country_col="Country (from Organization)",
    notable=True,
)
ALL = EpochTable(
    _info(
        "epoch-all",
        "Epoch AI all AI models (to March 2025)",
        "https://github.com/simsharmaa/INFSCI1520",
        "291adcd7bd58959d3db6382d8d2e07e96dc32b54",
        "all_ai_models.csv",
    ),
    name_col="Model",
    date_col="Publication date",
    country_col="Country (from Organization)",
    notable=False,
)
LARGE_SCALE = EpochTable(
    _info(
        "epoch-large-scale",
        "Epoch AI large-scale AI models (to December 2025)",
        "https://github.com/rauletorresc/llmfit",
        "a652be31dd0cbe36f89572de7022e2a145fb3788",
        "large_scale_ai_models.csv",
    ),
    name_col="Model",
    date_col="Publication date",
    country_col="Country (of organization)",
    notable=False,
)
ECI = EpochTable(
    _info(
        "epoch-eci",
        "Epoch Capabilities Index (to April 2026)",
        "https://github.com/peterhurford/metr_graph",
        "dde102f52788969e5e4c75bd75151786f50e541f",
        "epoch_capabilities_index.csv",
    ),
    name_col="Model name",
    date_col="Release date",
    country_col="Country",
    notable=False,
    dated_by_release=True,
)


class EpochSource:
    """One Epoch table. `info` replaces the table's own provenance for a copy read from
    elsewhere (`robinet sync epoch`: Epoch's published CSV, or a file given)."""

    def __init__(self, table: EpochTable, info: SourceInfo | None = None) -> None:
        self.table = table
        self.info = info or table.info

    def read(self, sources_dir: Path) -> Batch:
        return self.read_path(sources_dir / self.table.info.files[0])

    def read_path(self, path: Path) -> Batch:
        """The batch of the table's CSV at `path` (rows named by `info.files[0]`)."""
        batch = Batch(self.info)
        file = self.info.files[0]
        eci_first: dict[tuple[str | None, str], dict[str, Any]] = {}
        version_dates: dict[tuple[str | None, str], list[tuple[bool, dt.date | None]]]
        version_dates = defaultdict(list)
        for number, raw in csv_rows(path):
            batch.rows_read += 1
            fact = self._fact(batch, file, number, raw)
            if fact is None:
                continue
            if self.table.dated_by_release:  # the Capabilities Index: one row per version
                batch.add("capability_scores", self._score(batch, file, number, raw, fact))
                # One release per model name, first row kept; its versions date it below.
                key = (fact["organization"], fact["name_key"])
                eci_first.setdefault(key, fact)
                version_dates[key].append((_prerelease(raw.get("Model version")), fact["date"]))
            else:
                batch.add("release_facts", fact)
                for evidence in _evidence(fact, raw):
                    batch.add("openness_evidence", evidence)
        for key, fact in eci_first.items():
            batch.add("release_facts", {**fact, **_version_dates(version_dates[key])})
        return batch

    def _fact(self, batch: Batch, file: str, number: int, raw: dict[str, str]) -> dict | None:
        t = self.table
        name = (raw.get(t.name_col) or "").strip()
        if not name:
            batch.warn(file, number, f"no model name in {t.name_col!r}; row kept out", None)
            return None
        date_text = (raw.get(t.date_col) or "").strip()
        date = None
        if date_text:
            if not _DATE.fullmatch(date_text):
                batch.warn(file, number, f"unreadable date {date_text!r}; row kept out")
                return None
            try:
                date = dt.date.fromisoformat(date_text)
            except ValueError:
                batch.warn(file, number, f"impossible date {date_text!r}; row kept out")
                return None
        access = (raw.get("Model accessibility") or "").strip()
        tier = EPOCH_ACCESS_TIERS.get(access) if access else None
        if access and tier is None:
            batch.warn(file, number, f"unknown model accessibility {access!r}; row kept out")
            return None
        directory = org_directory()
        org_raw = (raw.get("Organization") or "").strip()
        orgs = directory.split(org_raw) if org_raw else ()
        countries: set[str] = set()
        codes: list[str | None] = []
        for part in (raw.get(t.country_col) or "").split(","):
            try:
                code = country_code(part)
            except UnknownCountry:
                batch.warn(file, number, f"unknown country {part!r} left out", t.country_col)
                code = None
            codes.append(code)
            if code:
                countries.add(code)
        # Epoch repeats the country once per organization, in the same order: pair them up.
        parts = [p for p in org_raw.split(",") if p.strip()]
        org_country: dict[str, str | None] = {}
        if len(parts) == len(codes):
            for part, code in zip(parts, codes, strict=True):
                org_country.setdefault(directory.resolve(part), code)
        link = (raw.get("Link") or "").strip() or None
        hf_match = _HF_MODEL_LINK.search(link or "")
        return {
            "release_id": None,
            "name_key": slug(name),
            "name": name,
            "organization": orgs[0] if orgs else None,
            "organizations": list(orgs),
            "organization_raw": org_raw or None,
            "countries": sorted(countries),
            "org_countries": [org_country.get(o) for o in orgs],
            "date": date,
            # The model tables' "Publication date" is the paper or announcement; the Capabilities
            # Index's "Release date" is when the evaluated version could be used.
            "announced": None if t.dated_by_release else date,
            "available": date if t.dated_by_release else None,
            "tier": tier.value if tier else None,
            "tier_raw": access or None,
            "hf_id": hf_match.group(1).rstrip(".") if hf_match else None,
            "domain": (raw.get("Domain") or "").strip() or None,
            "parameters": _number(batch, file, number, raw, "Parameters"),
            "training_compute": _number(batch, file, number, raw, "Training compute (FLOP)"),
            "base_model": (raw.get("Base model") or "").strip() or None,
            "notable": t.notable or bool((raw.get("Notability criteria") or "").strip()),
            "frontier": _truthy(raw.get("Frontier model")),
            "license_raw": None,
            "training_code": (raw.get("Training code accessibility") or "").strip() or None,
            "inference_code": (raw.get("Inference code accessibility") or "").strip() or None,
            "training_hardware": (raw.get("Training hardware") or "").strip() or None,
            "hardware_quantity": _number(batch, file, number, raw, "Hardware quantity"),
            "task": (raw.get("Task") or "").strip() or None,
            "link": link.split()[0] if link else None,
            **provenance(self.info, file, number),
        }

    def _score(
        self, batch: Batch, file: str, number: int, raw: dict[str, str], fact: dict
    ) -> dict[str, Any]:
        return {
            "benchmark": "eci",
            "model_version": raw["Model version"].strip(),
            "name": fact["name"],
            "release_id": None,
            "organization": fact["organization"],
            "countries": fact["countries"],
            "region": None,
            "date": fact["date"],
            "tier": fact["tier"],
            "score": _number(batch, file, number, raw, "ECI Score"),
            **provenance(self.info, file, number),
        }


# A version named a preview, an experiment, an alpha or a beta was usable before the model was
# generally available ('QwQ-32B-Preview', 'gemini-2.5-pro-exp-03-25'): it announces the model.
_PRERELEASE = re.compile(
    r"(?:^|[-_ .(])(?:preview|exp|experimental|alpha|beta)(?:$|[-_ .)\d])", re.IGNORECASE
)


def _prerelease(version: str | None) -> bool:
    return bool(version and _PRERELEASE.search(version))


def _version_dates(versions: list[tuple[bool, dt.date | None]]) -> dict[str, dt.date | None]:
    """A model's dates from its evaluated versions: `available` the first generally available
    version's release date, `announced` the first pre-release's when it came earlier."""
    general = min((d for pre, d in versions if d and not pre), default=None)
    early = min((d for pre, d in versions if d and pre), default=None)
    announced = early if early and (general is None or early < general) else None
    return {"available": general, "announced": announced, "date": general or announced}


# Epoch fields kept as quoted openness evidence (robinet.openness.epoch_fields reads them).
EVIDENCE_FIELDS = {
    "training_dataset": "Training dataset",
    "accessibility_notes": "Accessibility notes",
    "reference": "Reference",
}
_URL = re.compile(r"https?://\S+")
QUOTE_LIMIT = 1000  # characters of a field kept as its quote


def _evidence(fact: dict[str, Any], raw: dict[str, str]) -> list[dict[str, Any]]:
    """`openness_evidence` rows of one model row: its training-dataset, accessibility-notes and
    reference fields, verbatim, with the row's provenance (joined to its `release_facts` row
    on source, file and row). The URL is the row's Link for the reference, the first URL the
    notes give for the notes."""
    rows = []
    for field, column in EVIDENCE_FIELDS.items():
        value = (raw.get(column) or "").strip()
        if not value:
            continue
        url = fact["link"] if field == "reference" else None
        if field == "accessibility_notes" and (found := _URL.search(value)):
            url = found.group(0).rstrip(".,;)")
        rows.append(
            {
                "subject": fact["name"],
                "subject_kind": "release_fact",
                "field": field,
                "value": value,
                "quote": value[:QUOTE_LIMIT],
                "url": url,
                **{k: fact[k] for k in ("source", "file", "row", "retrieved_at")},
            }
        )
    return rows


def _number(batch: Batch, file: str, number: int, raw: dict[str, str], col: str) -> float | None:
    text = (raw.get(col) or "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        batch.warn(file, number, f"not a number: {text!r}; field left empty", col)
        return None


def _truthy(text: str | None) -> bool | None:
    if text is None or not text.strip():
        return None
    return text.strip().lower() in {"true", "yes", "1", "checked"}


SOURCES = [EpochSource(t) for t in (LARGE_SCALE, NOTABLE, ALL, ECI)]
