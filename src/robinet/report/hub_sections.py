"""The report's Hub sections: "built on whose models" (derivatives per lineage root and region)
and Hub downloads by region in each Hub sample (the 2024-09 top-models sample first), with
legacy ids without a namespace placed through a small curated mapping."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import yaml

from robinet.errors import InputDataError
from robinet.report.section import Section
from robinet.store import Store
from robinet.store.queries import report as queries

REGIONS = ["US", "CN", "EU", "other", "unknown"]
REGION_COLORS = {
    "US": "#264653",
    "CN": "#e76f51",
    "EU": "#2a9d8f",
    "other": "#8d99ae",
    "unknown": "#d9d9d9",
}
TOP_ROOTS = 15
SAMPLES = {"hf-top-models": "2024-09 top-models sample", "hf-model-info": "2023-10 sample"}


@dataclass(frozen=True, slots=True)
class LegacyId:
    prefix: str
    organization: str
    source: str


def legacy_path() -> Path:
    return Path(str(files("robinet") / "data" / "catalog" / "hub_legacy.yaml"))


def load_legacy(path: Path) -> list[LegacyId]:
    """Read the legacy-id mapping; an entry without prefix, organization or an https source is
    rejected with its location."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        raise InputDataError(f"cannot read the legacy-id catalog: {exc}", file=str(path)) from exc
    out = []
    for i, item in enumerate(raw):
        for key in ("prefix", "organization", "source"):
            if not isinstance(item, dict) or not str(item.get(key) or "").strip():
                raise InputDataError(f"missing {key}", file=str(path), row=i, field=key)
        if not str(item["source"]).startswith("https://"):
            raise InputDataError("source must be an https URL", file=str(path), row=i)
        out.append(LegacyId(item["prefix"], item["organization"], item["source"]))
    return out


@cache
def legacy_ids() -> tuple[LegacyId, ...]:
    return tuple(load_legacy(legacy_path()))


def legacy_organization(hf_id: str) -> LegacyId | None:
    """The lab of a legacy Hub id (no namespace), when the curated mapping knows it."""
    if "/" in hf_id:
        return None
    return next((m for m in legacy_ids() if hf_id.startswith(m.prefix)), None)


def downloads_by_region(store: Store) -> list[dict[str, Any]]:
    """Per Hub sample and region: downloads, share, models; legacy ids mapped."""
    regions = queries.organization_regions(store)
    rows: list[dict[str, Any]] = []
    for source, label in SAMPLES.items():
        acc: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # downloads, models, legacy
        for m in queries.sample_downloads(store, source):
            org, legacy = m.organization, None
            if "/" not in m.hf_id:  # a legacy id: its listed author is the Hub's placeholder
                legacy = legacy_organization(m.hf_id)
                org = legacy.organization if legacy else None
            region = (regions.get(org) if org else None) or "unknown"
            cell = acc[region]
            cell[0] += m.downloads
            cell[1] += 1
            cell[2] += m.downloads if legacy else 0
        total = sum(c[0] for c in acc.values())
        for region in REGIONS:
            if region in acc:
                d, n, leg = acc[region]
                rows.append(
                    {
                        "sample": label,
                        "source": source,
                        "region": region,
                        "downloads": d,
                        "share": round(d / total, 4) if total else None,
                        "models": n,
                        "legacy_downloads": leg,
                    }
                )
    return rows


def downloads_section(store: Store) -> Section:
    rows = downloads_by_region(store)
    fig = go.Figure()
    for region in REGIONS:
        mine = [r for r in rows if r["region"] == region]
        if mine:
            fig.add_trace(
                go.Bar(
                    x=[r["sample"] for r in mine],
                    y=[r["share"] for r in mine],
                    name=region,
                    marker_color=REGION_COLORS[region],
                    text=[f"{r['share']:.0%} (n={r['models']})" for r in mine],
                    textposition="inside",
                )
            )
    fig.update_layout(
        barmode="stack",
        height=420,
        title="Share of Hub downloads by the developer's region, per Hub sample",
        xaxis_title="Hub sample",
        yaxis={"title": "share of the sample's downloads", "tickformat": ".0%", "range": [0, 1]},
    )
    unknown = {r["sample"]: r["share"] for r in rows if r["region"] == "unknown"}
    legacy = sum(r["legacy_downloads"] for r in rows)
    return Section(
        key="downloads_share",
        title="Hub downloads by the developer's region (mostly unknown)",
        description=(
            "Downloads of the models in each Hub sample (the 2024-09 sample of the 9,715 most "
            "downloaded models; the 2023-10 sample of 74,970 models, created to 2022-09), by "
            "the region of the organization their namespace maps to (models.organization, the "
            "organizations table). Legacy ids without a namespace (bert-base-uncased, t5-base, "
            "roberta-base) are placed by a curated mapping with the labs' own pages "
            f"(data/catalog/hub_legacy.yaml): {legacy:,} downloads. Authors that map to no "
            "organization are 'unknown'; no region is guessed. n = models."
        ),
        rows=rows,
        columns=["sample", "source", "region", "downloads", "share", "models", "legacy_downloads"],
        figure=fig,
        summary=[
            f"{s}: {v:.1%} of downloads by authors of unknown region" for s, v in unknown.items()
        ],
    )


def built_on_rows(store: Store) -> list[dict[str, Any]]:
    rows = queries.lineage_roots(store)
    names = queries.organization_names(store)
    per_root: dict[str, dict[str, Any]] = {}
    for r in rows:
        cell = per_root.setdefault(
            r.root,
            {
                "root": r.root,
                "root_organization": names.get(r.root_organization or "", r.root_organization),
                "root_region": r.root_region or "unknown",
                "derivatives": 0,
                **{f"by_{reg}": 0 for reg in REGIONS},
            },
        )
        cell["derivatives"] += r.derivatives
        cell[f"by_{r.derivative_region}"] += r.derivatives
    return sorted(per_root.values(), key=lambda c: (-c["derivatives"], c["root"]))


def built_on_section(store: Store) -> Section:
    rows = built_on_rows(store)
    top = rows[:TOP_ROOTS]
    fig = go.Figure()
    for region in REGIONS:
        fig.add_trace(
            go.Bar(
                y=[f"{r['root']} ({r['root_region']})" for r in top],
                x=[r[f"by_{region}"] for r in top],
                name=f"derivatives from {region}",
                orientation="h",
                marker_color=REGION_COLORS[region],
            )
        )
    fig.update_layout(
        barmode="stack",
        height=140 + 26 * len(top),
        title=f"Built on whose models: the {len(top)} roots with the most Hub derivatives",
        xaxis_title="derivatives (fine-tunes, adapters, quantizations, merges; any depth)",
        yaxis={"autorange": "reversed", "title": "root model (its developer's region)"},
        margin={"l": 320},
    )
    total = sum(r["derivatives"] for r in rows)
    by_root_region: dict[str, int] = defaultdict(int)
    for r in rows:
        by_root_region[r["root_region"]] += r["derivatives"]
    return Section(
        key="built_on",
        title="Built on whose models: derivatives per root and region",
        description=(
            "Lineage roots (Hub models with no known parent in the lineage closure) and the "
            "Hub models derived from them at any depth, split by the derivative developer's "
            "region; the root's region is its developer's. From the lineage tables "
            "(lineage_closure over edges) of the bundled Hub samples. Derivatives whose "
            "developer maps to no organization are 'unknown'."
        ),
        rows=rows,
        columns=[
            "root",
            "root_organization",
            "root_region",
            "derivatives",
            *[f"by_{reg}" for reg in REGIONS],
        ],
        figure=fig,
        summary=[
            f"{total} derivatives: "
            + ", ".join(f"{reg} roots {n}" for reg, n in sorted(by_root_region.items()))
        ],
    )
