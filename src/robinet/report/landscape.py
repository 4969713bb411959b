"""The landscape sections of the report: releases by region and tier, open share, lab
timelines, the three regimes, and the sources. Each is a pure function of the store."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from robinet.report.findings import Coverage, partial_periods, release_coverage
from robinet.report.section import Section
from robinet.store import Store
from robinet.store.queries import report as queries
from robinet.store.queries.landscape import list_sources
from robinet.store.queries.trends import source_windows

SINCE = dt.date(2018, 1, 1)  # charts start here; older releases stay in the tables' sources
REGIONS = ["US", "CN", "EU", "other"]
GROUPS = ["open-weight", "api/hosted", "unreleased"]
GROUP_COLORS = {"open-weight": "#1a9850", "api/hosted": "#f28e2b", "unreleased": "#8d99ae"}
# One distinct hue per tier (open tiers green, blue, purple; closed ones orange, red, grey).
TIER_COLORS = {
    "open-unrestricted": "#1a9850",
    "open-restricted": "#4575b4",
    "open-noncommercial": "#984ea3",
    "api": "#f28e2b",
    "hosted": "#d62728",
    "unreleased": "#8d99ae",
}
PARTIAL_FILL = "rgba(120,120,120,0.15)"
# The labs at the heart of the story, in the order the timeline shows them.
STORY_LABS = [
    "deepseek", "alibaba", "tencent", "baidu", "moonshot", "zhipu", "ant-group",
    "meta", "openai", "google", "mistral",
]  # fmt: skip
REGIMES = ["deepseek", "meta", "openai"]
REGIMES_SINCE = dt.date(2020, 1, 1)
MIN_SHARE_BASE = 3


def shade_partial(fig: go.Figure, halves: list[str], coverage: Coverage, **where: Any) -> list[str]:
    """Shade the half-years the release sources cover only in part (category x axis)."""
    partial = partial_periods(halves, coverage)
    if partial:
        fig.add_vrect(
            x0=halves.index(partial[0]) - 0.5,
            x1=halves.index(partial[-1]) + 0.5,
            fillcolor=PARTIAL_FILL,
            line_width=0,
            layer="below",
            annotation_text="partial",
            annotation_position="top left",
            annotation_font_size=10,
            **where,
        )
    return partial


def releases_by_region_and_tier(store: Store) -> Section:
    rows = [asdict(r) for r in queries.releases_by_access(store, SINCE)]
    excluded = queries.releases_without_date_or_tier(store)
    regions = [r for r in REGIONS if any(row["region"] == r for row in rows)]
    fig = make_subplots(rows=1, cols=len(regions), shared_yaxes=True, subplot_titles=regions)
    halves = sorted({row["half_year"] for row in rows})
    for col, region in enumerate(regions, start=1):
        for group in GROUPS:
            counts = {
                row["half_year"]: row["releases"]
                for row in rows
                if row["region"] == region and row["access"] == group
            }
            fig.add_trace(
                go.Bar(
                    x=halves,
                    y=[counts.get(h, 0) for h in halves],
                    name=group,
                    marker_color=GROUP_COLORS[group],
                    legendgroup=group,
                    showlegend=col == 1,
                    hovertemplate="%{x}: n = %{y}<extra>" + group + "</extra>",
                ),
                row=1,
                col=col,
            )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=halves)
    shade_partial(fig, halves, release_coverage(store))  # every subplot
    fig.update_layout(
        barmode="stack",
        height=460,
        margin={"t": 80},
        title="Releases per half-year by access, for each developer region",
        yaxis_title="releases (n)",
    )
    fig.update_xaxes(title_text="half-year")
    totals = {g: sum(r["releases"] for r in rows if r["access"] == g) for g in GROUPS}
    hub = next((s for s in list_sources(store) if s.name == "interconnects"), None)
    repos = (
        f" {hub.rows_without_release:,} of the Hub repos Interconnects lists match no "
        "release and count as Hub models of their organization (robinet orgs), and "
        f"{hub.rows_undated:,} have no date."
        if hub and hub.rows_imported
        else ""
    )
    return Section(
        key="releases_by_region_and_tier",
        title="Releases per half-year, by region and access tier",
        description=(
            f"Dated releases since {SINCE.isoformat()} with a known access tier, counted per "
            "half-year and grouped as open-weight (open-unrestricted, open-restricted, "
            "open-noncommercial), api/hosted, or unreleased. Region is the releasing "
            "organization's (EU means Europe). Sources: Epoch AI model tables and "
            "Capabilities Index, robinet's curated catalog, Interconnects' Hub repos. "
            f"{excluded} releases without a date or tier are left out (mostly Hub models "
            f"listed by Interconnects, whose terms and dates the sources do not give).{repos} "
            "Shaded: half-years after "
            f"{release_coverage(store).covered_until}, which some release sources cover only "
            "in part: their low counts are the sources' end, not a collapse."
        ),
        rows=rows,
        columns=["half_year", "region", "access", "releases"],
        figure=fig,
        summary=[f"{g}: {n} releases since {SINCE.year}" for g, n in totals.items()],
    )


def open_share_of_notable(store: Store) -> Section:
    rows = [asdict(r) for r in queries.notable_open_share(store, SINCE)]
    fig = go.Figure()
    halves = sorted({r["half_year"] for r in rows})
    for region in REGIONS:
        # A share of one or two releases says little: the chart leaves a gap there (the line
        # is not drawn across it), the table keeps the row.
        by_half = {r["half_year"]: r for r in rows if r["region"] == region}
        if any(r["notable_releases"] >= MIN_SHARE_BASE for r in by_half.values()):
            series = [by_half.get(h) for h in halves]
            fig.add_trace(
                go.Scatter(
                    x=halves,
                    y=[
                        r["open_share"] if r and r["notable_releases"] >= MIN_SHARE_BASE else None
                        for r in series
                    ],
                    connectgaps=False,
                    customdata=[
                        [r["open_weight"], r["notable_releases"]] if r else [0, 0] for r in series
                    ],
                    hovertemplate="%{x}: %{y:.0%} (%{customdata[0]} of %{customdata[1]})",
                    mode="lines+markers+text",
                    text=[
                        f"n={r['notable_releases']}"
                        if r and r["notable_releases"] >= MIN_SHARE_BASE
                        else ""
                        for r in series
                    ],
                    textposition="top center",
                    textfont={"size": 9},
                    name=region,
                )
            )
    shade_partial(fig, halves, release_coverage(store))
    fig.update_layout(
        yaxis={"tickformat": ".0%", "range": [0, 1.1], "title": "share with open weights"},
        xaxis={
            "title": "half-year",
            "type": "category",
            "categoryorder": "array",
            "categoryarray": halves,
        },
        height=420,
        margin={"t": 60},
        title="Share of notable releases with open weights, by developer region",
    )
    last = {r["region"]: r for r in rows}
    return Section(
        key="open_share_of_notable",
        title="Share of notable releases with open weights, by region",
        description=(
            "Notable releases (Epoch AI's notable-models table, or a row with notability "
            "criteria) with a known access tier, per half-year and region: the share released "
            f"with open weights. The chart skips half-years with fewer than {MIN_SHARE_BASE} "
            "notable releases in a region (the table keeps them). Epoch's notable table stops "
            "in March 2025, so the last half-years rest on few releases; hover for the counts."
        ),
        rows=rows,
        columns=["half_year", "region", "notable_releases", "open_weight", "open_share"],
        figure=fig,
        summary=[
            f"{region} {row['half_year']}: {row['open_weight']}/{row['notable_releases']} open"
            for region, row in sorted(last.items())
        ],
    )


def lab_timelines(store: Store) -> Section:
    rows = [asdict(r) for r in queries.lab_releases(store, STORY_LABS, SINCE)]
    names = {r["organization"]: r["organization_name"] for r in rows}
    order = [names[lab] for lab in reversed(STORY_LABS) if lab in names]
    fig = go.Figure()
    for tier, color in TIER_COLORS.items():
        pts = [r for r in rows if r["tier"] == tier]
        if pts:
            fig.add_trace(
                go.Scatter(
                    x=[r["date"] for r in pts],
                    y=[r["organization_name"] for r in pts],
                    text=[r["release"] for r in pts],
                    hovertemplate="%{text}<br>%{x|%Y-%m-%d}",
                    mode="markers",
                    marker={"color": color, "size": 9, "line": {"width": 0.5, "color": "#333"}},
                    name=tier,
                )
            )
    fig.update_layout(
        height=140 + 40 * len(order),
        margin={"t": 60},
        title="Release timelines of the story's labs, coloured by access tier",
        xaxis_title="release date",
        yaxis={"categoryorder": "array", "categoryarray": order, "title": "lab"},
    )
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        counts.setdefault(r["organization_name"], {}).setdefault(r["tier"], 0)
        counts[r["organization_name"]][r["tier"]] += 1
    return Section(
        key="lab_timelines",
        title="Release timelines of the labs at the heart of the story",
        description=(
            "Every dated release with a known access tier since "
            f"{SINCE.isoformat()} of DeepSeek, Alibaba (Qwen), Tencent (Hunyuan), Baidu "
            "(ERNIE), Moonshot (Kimi), Zhipu (GLM), Ant Group (Ling), Meta (Llama), OpenAI, "
            "Google (Gemma/Gemini) and Mistral AI, coloured by tier. Sources: Epoch AI."
        ),
        rows=rows,
        columns=["organization_name", "release", "date", "tier", "hf_id"],
        figure=fig,
        summary=[
            f"{lab}: " + ", ".join(f"{n} {t}" for t, n in sorted(c.items()))
            for lab, c in counts.items()
        ],
    )


def three_regimes(store: Store) -> Section:
    rows = [asdict(r) for r in queries.tier_counts(store, REGIMES, REGIMES_SINCE)]
    titles = {"deepseek": "DeepSeek", "meta": "Meta (Llama)", "openai": "OpenAI"}
    fig = make_subplots(
        rows=1, cols=3, shared_yaxes=True, subplot_titles=[titles[o] for o in REGIMES]
    )
    halves = sorted({r["half_year"] for r in rows})
    for col, org in enumerate(REGIMES, start=1):
        for tier, color in TIER_COLORS.items():
            counts = {
                r["half_year"]: r["releases"]
                for r in rows
                if r["organization"] == org and r["tier"] == tier
            }
            if counts:
                fig.add_trace(
                    go.Bar(
                        x=halves,
                        y=[counts.get(h, 0) for h in halves],
                        name=tier,
                        marker_color=color,
                        legendgroup=tier,
                        showlegend=not any(t.name == tier for t in fig.data),
                    ),
                    row=1,
                    col=col,
                )
    fig.update_layout(
        barmode="stack",
        height=420,
        margin={"t": 80},
        title="Releases per half-year by access tier: DeepSeek, Meta, OpenAI",
        yaxis_title="releases (n)",
    )
    fig.update_xaxes(title_text="half-year")
    summary = []
    for org in REGIMES:
        by_tier: dict[str, int] = {}
        for r in rows:
            if r["organization"] == org:
                by_tier[r["tier"]] = by_tier.get(r["tier"], 0) + r["releases"]
        summary.append(
            f"{titles[org]}: " + ", ".join(f"{n} {t}" for t, n in sorted(by_tier.items()))
        )
    return Section(
        key="three_regimes",
        title="Three regimes: DeepSeek, Meta, OpenAI",
        description=(
            f"Releases per half-year since {REGIMES_SINCE.year} by access tier for the three "
            "regimes of the open-weight landscape: DeepSeek (open weights under permissive "
            "terms), Meta (open weights under a restrictive community license), OpenAI (a closed "
            "frontier, then open weights in 2025). Source: Epoch AI."
        ),
        rows=rows,
        columns=["organization", "half_year", "tier", "releases", "names"],
        figure=fig,
        summary=summary,
    )


# The publishers of the source tables and the Git hosts' owners that are theirs: a copy from
# any other owner is a third-party copy.
PUBLISHERS = {
    "epoch": ("Epoch AI", {"epoch-research", "epochai"}),
    "interconnects": ("Interconnects (ATOM Project)", {"interconnects-ai"}),
    "arena": ("LMArena (Chatbot Arena)", {"lmarena", "lm-sys"}),
    "hf-": ("the Hugging Face Hub's metadata", {"huggingface"}),
}


def copy_note(name: str, origin: str, version: str | None, retrieved: Any) -> str:
    """What a source's copy is: whose data, from which repository, as of when."""
    publisher, owners = next(
        (v for k, v in PUBLISHERS.items() if name.startswith(k)), (None, set())
    )
    host_owner = ""
    if "github.com/" in origin:
        host_owner = origin.split("github.com/", 1)[1].split("/", 1)[0].lower()
    when = retrieved.date().isoformat() if hasattr(retrieved, "date") else str(retrieved or "?")
    is_commit = (
        bool(version)
        and len(version or "") >= 10
        and all(ch in "0123456789abcdef" for ch in (version or "").lower())
    )
    commit = f", commit {version[:10]}" if is_commit and version else ""
    if publisher is None:
        return f"a copy from {origin}{commit}, as of {when}"
    if host_owner and host_owner in owners:
        return f"{publisher}'s own repository{commit}, as of {when}"
    return f"a third-party copy of {publisher}'s data ({origin}{commit}), as of {when}"


def data_sources(store: Store) -> Section:
    windows = source_windows(store)
    rows: list[dict[str, Any]] = [
        {
            "name": s.name,
            "copy": copy_note(
                s.name,
                s.origin,
                windows[s.name].version if s.name in windows else None,
                s.retrieved_at,
            ),
            "title": s.title,
            "origin": s.origin,
            "license": s.license,
            "date_min": s.date_min,
            "date_max": s.date_max,
            "rows_read": s.rows_read,
            "rows_imported": s.rows_imported,
            "rows_rejected": s.rows_rejected,
        }
        for s in list_sources(store)
    ]
    return Section(
        key="sources",
        title="Data sources",
        description=(
            "Every source in the store, with what the copy is (whose data, from which "
            "repository, as of when: most tables are third-party copies of the publishers' "
            "data, not the publishers' own releases), its license, the dates it covers, and "
            "the rows read, imported and kept out (see `robinet sources --warnings`)."
        ),
        rows=rows,
        columns=[
            "name",
            "copy",
            "title",
            "license",
            "date_min",
            "date_max",
            "rows_read",
            "rows_imported",
            "rows_rejected",
            "origin",
        ],
        summary=[f"{r['name']}: {r['rows_imported']} rows ({r['license']})" for r in rows],
    )


SECTIONS = [
    releases_by_region_and_tier,
    open_share_of_notable,
    lab_timelines,
    three_regimes,
]
CLOSING_SECTIONS = [data_sources]
