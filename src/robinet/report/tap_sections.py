"""The tap sections of the report: the capability gap (overall, by region, Arena view),
openness by region and lab, license restrictiveness over time, Hub downloads and lineage
(from hub_sections), the signals timeline and the own-gap indicators apart.
Each builder is a pure function of the store and calls the same engines as the CLI."""

from __future__ import annotations

from collections import Counter
from typing import Any

import plotly.graph_objects as go

from robinet.jsonable import to_jsonable
from robinet.openness.engine import all_openness, mot_agreement, openness_by
from robinet.openness.restrictiveness import CHAINS, RESTRICTIVENESS_VERSION, license_chain
from robinet.openness.rubric import RUBRIC_VERSION
from robinet.report.hub_sections import built_on_section, downloads_section
from robinet.report.section import Section, SectionBuilder
from robinet.report.signal_sections import (
    ROW_PX,
    SIGNALS_SINCE,
    indicators_section,
    signals_height,
    signals_section,
)
from robinet.store import Store
from robinet.trends.alerts import gap, gap_json
from robinet.trends.series import trend

MIN_MEAN_BASE = 3  # a mean over fewer releases is not drawn
REGION_COLORS = {"US": "#264653", "CN": "#e76f51", "EU": "#2a9d8f", "other": "#8d99ae"}


# The flat rows `_flat_gap` makes, in table order (both gap sections show them).
GAP_COLUMNS = [
    "date",
    "region",
    "best_open",
    "best_open_organization",
    "best_open_score",
    "best_closed",
    "best_closed_score",
    "score_gap",
    "lag_months",
    "open_models",
    "floor",
]


def _flat_gap(points: list[dict[str, Any]], region: str) -> list[dict[str, Any]]:
    rows = []
    for p in points:
        o, c = p["best_open"] or {}, p["best_closed"] or {}
        rows.append(
            {
                "date": p["date"],
                "region": region,
                "best_open": o.get("name"),
                "best_open_organization": o.get("organization"),
                "best_open_score": o.get("score"),
                "best_closed": c.get("name"),
                "best_closed_score": c.get("score"),
                "score_gap": p["score_gap"],
                "lag_months": p["lag_months"],
                "open_models": p.get("open_models"),
                "floor": p.get("floor"),
            }
        )
    return rows


def gap_section(store: Store) -> Section:
    doc = to_jsonable(gap_json(gap(store, by_region=True)))
    rows = _flat_gap(doc["series"], "all")
    for region, pts in doc.get("by_region", {}).items():
        rows += _flat_gap(pts, region)
    fig = go.Figure()
    for region in ["all", *doc.get("by_region", {})]:
        mine = [r for r in rows if r["region"] == region and r["score_gap"] is not None]
        fig.add_trace(
            go.Scatter(
                x=[r["date"] for r in mine],
                y=[r["score_gap"] for r in mine],
                name="best open overall" if region == "all" else f"best open from {region}",
                mode="lines",
                line={
                    "width": 3 if region == "all" else 1.5,
                    "color": REGION_COLORS.get(region, "#000000"),
                },
                customdata=[
                    [r["best_open"], r["best_closed"], r["lag_months"], r["open_models"]]
                    for r in mine
                ],
                hovertemplate="%{x}: gap %{y:.1f}<br>open %{customdata[0]}<br>closed "
                "%{customdata[1]}<br>lag %{customdata[2]} months<br>n open = %{customdata[3]}"
                "<extra></extra>",
            )
        )
        floors = [r for r in mine if r["floor"]]
        if floors:
            fig.add_trace(
                go.Scatter(
                    x=[r["date"] for r in floors],
                    y=[r["score_gap"] for r in floors],
                    mode="markers",
                    name=f"floor ({'all' if region == 'all' else region}): a better model "
                    "of unknown access exists",
                    marker={
                        "symbol": "circle-open",
                        "size": 7,
                        "color": REGION_COLORS.get(region, "#000000"),
                    },
                    hoverinfo="skip",
                )
            )
    fig.update_layout(
        height=460,
        margin={"t": 60},
        title="Capability gap on the Epoch Capabilities Index, month by month",
        xaxis_title="month end",
        yaxis_title="ECI points (best closed - best open)",
    )
    summary = [
        f"{doc['models']} ECI models of known access; {doc['excluded_unknown_access']} of "
        "unknown access left out of both sides"
    ]
    if doc["series"]:
        last = doc["series"][-1]
        summary.append(
            f"{last['date']}: best open {last['best_open']['name']} trails "
            f"{last['best_closed']['name']} by {last['score_gap']} ECI points, "
            f"lag {last['lag_months']} months"
        )
    for region, pts in doc.get("by_region", {}).items():
        if pts:
            summary.append(
                f"{region}: gap {pts[-1]['score_gap']}, lag {pts[-1]['lag_months']} months"
            )
    return Section(
        key="capability_gap",
        title="The capability gap: best open-weight vs best closed model",
        description=(
            "Epoch Capabilities Index. At each month end, the best open-weight model released "
            "so far against the best closed one (api, hosted, unreleased); lag = months since "
            "the closed frontier first reached today's best open score (0 when it has not). "
            "By region: the best open model among one region's developers against the whole "
            "closed frontier; n (open_models) is the number of the region's open models scored "
            "so far. A scored model whose access field is blank takes its tier from the merged "
            "releases (its Hub repository counts as open weights); the rest are left out of "
            "both sides and counted. Open circles mark floors: a model of unknown access "
            "scores higher than the best open one, so the open side may be higher."
        ),
        rows=rows,
        columns=GAP_COLUMNS,
        figure=fig,
        summary=summary,
    )


def arena_gap_section(store: Store) -> Section:
    doc = to_jsonable(gap_json(gap(store, view="arena")))
    rows = _flat_gap(doc["series"], "all")
    fig = go.Figure(
        [
            go.Scatter(
                x=[r["date"] for r in rows],
                y=[r["best_open_score"] for r in rows],
                name="best open-weight",
                mode="lines",
                line={"color": "#2a9d8f"},
            ),
            go.Scatter(
                x=[r["date"] for r in rows],
                y=[r["best_closed_score"] for r in rows],
                name="best proprietary",
                mode="lines",
                line={"color": "#d62828"},
            ),
        ]
    )
    fig.update_layout(
        height=400,
        margin={"t": 60},
        title="Best open-weight vs best proprietary entry on each Chatbot Arena snapshot",
        xaxis_title="snapshot date",
        yaxis_title="Arena score (each snapshot's own scale)",
    )
    summary = [
        f"{len(rows)} Arena snapshots; {doc['excluded_unknown_access']} entries of "
        "unknown license left out"
    ]
    if rows:
        summary.append(
            f"{rows[-1]['date']}: gap {rows[-1]['score_gap']} points "
            f"({rows[-1]['best_open']} vs {rows[-1]['best_closed']})"
        )
    return Section(
        key="capability_gap_arena",
        title="The gap on Chatbot Arena (second view)",
        description=(
            "Each dated Arena snapshot on its own: best open-weight entry (by its license) vs "
            "best proprietary entry. Scores are on each snapshot's own scale."
        ),
        rows=rows,
        columns=GAP_COLUMNS,
        figure=fig,
        summary=summary,
    )


def openness_section(store: Store) -> Section:
    results = all_openness(store)
    by_region = openness_by(results, "region")
    by_lab = openness_by(results, "organization")
    top = sorted(by_lab, key=lambda r: (-r["releases"], r["organization"]))[:15]
    rows = [{"group_kind": "region", "group": r["region"], **_open_cols(r)} for r in by_region]
    rows += [{"group_kind": "lab", "group": r["organization"], **_open_cols(r)} for r in top]
    labels = [f"{r['group_kind']}: {r['group']}" for r in rows]
    # The range is what the evidence allows (unknowns counted closed .. open); the index is
    # drawn only where releases have one (coverage >= 0.5), never as a bar over thin evidence.
    fig = go.Figure(
        [
            go.Scatter(
                x=labels,
                y=[(r["mean_index_min"] + r["mean_index_max"]) / 2 for r in rows],
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [(r["mean_index_max"] - r["mean_index_min"]) / 2 for r in rows],
                    "arrayminus": [(r["mean_index_max"] - r["mean_index_min"]) / 2 for r in rows],
                    "color": "#8ab17d",
                    "thickness": 6,
                    "width": 0,
                },
                mode="markers",
                marker={"size": 1, "color": "#8ab17d"},
                name="possible range (unknowns closed .. open)",
                hoverinfo="skip",
            ),
            go.Scatter(
                x=[lab for lab, r in zip(labels, rows, strict=True) if r["indexed"]],
                y=[r["mean_index"] for r in rows if r["indexed"]],
                text=[f"n={r['indexed']}" for r in rows if r["indexed"]],
                name="mean index (releases with coverage >= 0.5)",
                mode="markers+text",
                textposition="top center",
                marker={"color": "#1d3557", "size": 10, "symbol": "diamond"},
            ),
            go.Scatter(
                x=labels,
                y=[r["mean_coverage"] for r in rows],
                name="coverage",
                mode="markers",
                marker={"color": "#e76f51", "size": 7, "symbol": "circle-open"},
            ),
        ]
    )
    fig.update_layout(
        height=460,
        margin={"t": 60},
        title="Openness index range, index where known, and evidence coverage, by region and lab",
        xaxis_title="group",
        yaxis={"title": "index / coverage (0-1)", "range": [0, 1.05]},
    )
    agree = mot_agreement(store)
    comp, ev = agree["components"], agree.get("store_evidence") or {}
    summary = [
        f"rubric {RUBRIC_VERSION}: {len(results)} releases scored",
        f"MOT agreement (rubric over each evaluation's components): {comp['agree']}/"
        f"{comp['decided']} = {comp['rate']}",
        f"MOT agreement (rubric over robinet's own evidence, {ev.get('matched')} matched "
        f"releases): {ev.get('agree')}/{ev.get('decided')} = {ev.get('rate')}",
        f"rank agreement with MOT classes (Spearman): {ev.get('spearman')} on "
        f"{ev.get('indexed')} releases with an index",
    ]
    return Section(
        key="openness",
        title="How open are open-weight releases? By region and lab",
        description=(
            f"Openness rubric {RUBRIC_VERSION} over Epoch AI releases with open weights: the "
            "range the evidence allows (unknowns counted closed .. open), the mean index over "
            "the releases whose evidence covers at least half the rubric (n shown; groups are "
            "ranked on those only), and coverage (unknown is not closed). MOF classes follow "
            "the Model Openness Tool's rules. The rubric's class is measured against the 273 "
            "MOT evaluations."
        ),
        rows=rows,
        columns=[
            "group_kind",
            "group",
            "releases",
            "indexed",
            "rank",
            "mean_index",
            "mean_index_min",
            "mean_index_max",
            "mean_coverage",
            "class_iii",
            "unclassified",
            "undecided",
        ],
        figure=fig,
        summary=summary,
    )


def _open_cols(r: dict[str, Any]) -> dict[str, Any]:
    classes: Counter[str] = Counter(r["mof_classes"])
    return {
        "releases": r["releases"],
        "indexed": r["indexed"],
        "rank": r["rank"],
        "mean_index": r["mean_index"],
        "mean_index_min": r["mean_index_min"],
        "mean_index_max": r["mean_index_max"],
        "mean_coverage": r["mean_coverage"],
        "class_iii": classes.get("Class III - Open Model", 0),
        "unclassified": classes.get("Unclassified", 0),
        "undecided": classes.get("undecided", 0),
    }


def restrictiveness_section(store: Store) -> Section:
    series = trend(store, "restrictiveness", "region").series
    rows = [{"kind": "half_year", **r} for r in series]
    fig = go.Figure()
    for region in sorted({r["group"] for r in series}):
        mine = [
            r
            for r in series
            if r["group"] == region
            and r["mean_restrictiveness"] is not None
            and r["scored"] >= MIN_MEAN_BASE
        ]
        if not mine:
            continue
        fig.add_trace(
            go.Scatter(
                x=[r["period"] for r in mine],
                y=[r["mean_restrictiveness"] for r in mine],
                name=region,
                mode="lines+markers+text",
                text=[f"n={r['scored']}" for r in mine],
                textposition="top center",
                line={"color": REGION_COLORS.get(region, "#000000")},
            )
        )
    chain_rows = []
    for chain, ids in CHAINS.items():
        for v in license_chain(ids):
            chain_rows.append({"kind": "license_version", "group": chain, **v})
    rows += chain_rows
    fig.update_layout(
        height=420,
        margin={"t": 60},
        title=f"Mean license restrictiveness of open-weight releases (n >= {MIN_MEAN_BASE})",
        xaxis={"categoryorder": "category ascending", "title": "half-year"},
        yaxis_title="mean restrictiveness (0-1)",
    )
    summary = [
        f"{chain}: "
        + " -> ".join(f"{v['license']} {v['score']}" for v in chain_rows if v["group"] == chain)
        for chain in CHAINS
    ]
    return Section(
        key="restrictiveness",
        title="License restrictiveness over time",
        description=(
            f"Rubric {RESTRICTIVENESS_VERSION}: each license version scored 0-1 from the "
            "license engine's terms (non-commercial, user thresholds, territory exclusions, "
            "field-of-use and output-use restrictions, naming duties...). Half-yearly mean over "
            "open-weight releases whose license is scored, by the developer's region (the chart "
            f"hides means over fewer than {MIN_MEAN_BASE} releases; the table keeps them); then "
            "the successive licenses of Llama, Qwen and DeepSeek models."
        ),
        rows=rows,
        columns=[
            "kind",
            "period",
            "group",
            "mean_restrictiveness",
            "scored",
            "unscored",
            "license",
            "score",
            "delta",
            "version",
        ],
        figure=fig,
        summary=summary,
    )


SECTIONS: list[SectionBuilder] = [
    gap_section,
    arena_gap_section,
    openness_section,
    restrictiveness_section,
    downloads_section,
    built_on_section,
    signals_section,
    indicators_section,
]


__all__ = ["ROW_PX", "SECTIONS", "SIGNALS_SINCE", "signals_height"]
