"""The hardware section of the report: the share of releases trained on chips from their
own region (Chinese labs on Huawei Ascend, US labs on NVIDIA or Google TPUs...), half-year by
half-year, with n per point and the coverage of the hardware data stated plainly; the same
numbers as `robinet hardware --by region`."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from robinet.duties.facts import hardware_overview
from robinet.report.section import Section
from robinet.store import Store

REGION_COLORS = {"US": "#264653", "CN": "#e76f51", "EU": "#2a9d8f"}
MIN_KNOWN = 3  # a share over fewer releases of known hardware is not drawn
COLUMNS = ["period", "region", "releases", "known", "unknown", "domestic", "domestic_share"]


def hardware_section(store: Store) -> Section:
    doc = hardware_overview(store).to_json()
    rows: list[dict[str, Any]] = list(doc["series"])
    cov = doc["coverage"]
    fig = go.Figure()
    for region, color in REGION_COLORS.items():
        mine = [
            p
            for p in rows
            if p["region"] == region and p["domestic_share"] is not None and p["known"] >= MIN_KNOWN
        ]
        if not mine:
            continue
        fig.add_trace(
            go.Scatter(
                x=[p["period"] for p in mine],
                y=[p["domestic_share"] for p in mine],
                name=region,
                mode="lines+markers+text",
                text=[f"n={p['known']}" for p in mine],
                textposition="top center",
                line={"color": color},
                hovertemplate="%{x}: %{y:.0%} domestic<br>%{text} of known hardware"
                "<extra>" + region + "</extra>",
            )
        )
    fig.update_layout(
        height=420,
        margin={"t": 60},
        title="Share of releases trained on chips from their own region "
        f"(n = releases of known hardware, n >= {MIN_KNOWN})",
        xaxis={"categoryorder": "category ascending", "title": "half-year"},
        yaxis={"title": "domestic share of releases of known hardware", "range": [0, 1.1]},
    )
    share = cov["unknown_share"]
    coverage = (
        f"{cov['known']} of {cov['releases']} releases listed by Epoch AI's models tables have "
        f"known training hardware; {cov['unknown']}"
        + (f" ({share:.0%})" if share is not None else "")
        + " have none recorded (or only chips of unknown vendors) and count as unknown, not as "
        f"not domestic; {cov['undated']} undated and {cov['no_region']} without a region are "
        "left out of the series."
    )
    return Section(
        key="training_hardware",
        title="Domestic chips: the hardware behind the models",
        description=(
            'Epoch AI\'s "Training hardware" normalized to vendor and chip '
            "(`robinet.duties.hardware`); a release is domestic when one of its chips comes "
            "from a vendor headquartered in its developer's region (a model on A800 and Ascend "
            "910B counts for CN). Half-yearly share of domestic releases among those of known "
            f"hardware, by region; the chart hides shares over fewer than {MIN_KNOWN} releases, "
            "the table keeps them; the 'other' bucket has no domestic vendor. Coverage: " + coverage
        ),
        rows=rows,
        columns=COLUMNS,
        figure=fig,
        summary=[coverage],
    )
