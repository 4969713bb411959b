"""The report's signals sections: the tap signals since 2023 (a labelled marker per decision,
a row for every focus lab) and the own-gap indicators, kept apart from the signals."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import plotly.graph_objects as go

from robinet.jsonable import to_jsonable
from robinet.report.findings import FOCUS_LABS
from robinet.report.section import Section
from robinet.store import Store
from robinet.trends.alerts import alerts, alerts_json, indicators

SYMBOLS = {"closing": "triangle-down", "opening": "triangle-up"}
DIRECTION_COLORS = {"closing": "#d62828", "opening": "#2a9d8f"}
SIGNALS_SINCE = dt.date(2023, 1, 1)
ROW_PX = 28  # height of one lab's row in the signals chart, so every lab keeps its label


def signals_height(labs: int) -> int:
    return max(400, ROW_PX * labs + 120)


SHORT = {
    "flagship_closed": "flagship closed",
    "flagship_opened": "flagship open",
    "first_open_release": "first open",
    "first_closed_release": "first closed",
    "open_releases_stopped": "open stopped",
    "open_releases_resumed": "open resumed",
    "license_tightened": "license tighter",
    "license_loosened": "license looser",
    "territory_exclusion": "territory excl.",
}


def _alert_rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = to_jsonable(items)
    for r in rows:
        r["sources"] = ", ".join(r["sources"])
        r["compared"] = "; ".join(
            f"{c['name']} ({c['date'] or '?'}, {c['tier'] or '?'}"
            + (f", {c['license']}" if c["license"] else "")
            + ")"
            for c in r["compared"]
        )
        cov = r.pop("coverage")
        r["coverage"] = f"{cov['start']} to {cov['end']}" if cov else None
    return rows


def signals_section(store: Store) -> Section:
    items = alerts_json([a for a in alerts(store) if a.date >= SIGNALS_SINCE])["alerts"]
    rows = _alert_rows(items)
    fig = go.Figure()
    for direction, color in DIRECTION_COLORS.items():
        mine = [r for r in rows if r["direction"] == direction]
        fig.add_trace(
            go.Scatter(
                x=[r["date"] for r in mine],
                y=[r["organization"] for r in mine],
                mode="markers+text",
                name=direction,
                marker={"color": color, "size": 11, "symbol": SYMBOLS[direction]},
                text=[SHORT.get(r["signal"], r["signal"]) for r in mine],
                textposition="top center",
                textfont={"size": 9},
                customdata=[[r["signal"], r["evidence"], r["confidence"]] for r in mine],
                hovertemplate="%{x} %{y}<br>%{customdata[0]} (%{customdata[2]})<br>"
                "%{customdata[1]}<extra></extra>",
            )
        )
    labs = sorted({*FOCUS_LABS, *(r["organization"] for r in rows)}, reverse=True)
    fig.add_trace(  # one invisible point per lab keeps a row for every focus lab
        go.Scatter(
            x=[SIGNALS_SINCE] * len(labs),
            y=labs,
            mode="markers",
            marker={"opacity": 0},
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.update_layout(
        height=signals_height(len(labs)),
        margin={"t": 60, "l": 140},
        title=f"Tap signals since {SIGNALS_SINCE.year}: decisions that close or open the tap",
        xaxis_title="date of the decision",
        yaxis={
            "title": "lab (primary developer)",
            "type": "category",
            "tickmode": "array",
            "tickvals": labs,
            "ticktext": labs,
            "categoryorder": "array",
            "categoryarray": labs,
            "dtick": 1,
            "automargin": True,
        },
    )
    counts = Counter(r["direction"] for r in rows)
    kinds = Counter(r["signal"] for r in rows)
    return Section(
        key="tap_signals",
        title="Tap signals: which labs are closing or opening",
        description=(
            f"Decisions since {SIGNALS_SINCE.isoformat()} (all dates: robinet alerts), each "
            "credited to the release's primary developer (co-authors never): a flagship kept "
            "closed after open predecessors (or the reverse); a first open-weight release "
            "after closed ones (or the reverse); a year without open releases and its end; a "
            "family's next license more or less restrictive, when the lab chose it (a license "
            "inherited from another lab's base model is not); plus curated events with the "
            "labs' own announcements. No detected signal falls in the last three months of "
            "its sources' coverage. Each names the releases compared, the coverage window it "
            "rests on, its sources and a confidence. Every focus lab has a row, with or "
            "without signals. Indicators (open models trailing the lab's own closed model) "
            "are in the next section, not counted here."
        ),
        rows=rows,
        columns=[
            "date",
            "organization",
            "direction",
            "signal",
            "confidence",
            "evidence",
            "compared",
            "coverage",
            "sources",
        ],
        figure=fig,
        summary=[
            f"{counts.get('closing', 0)} closing and {counts.get('opening', 0)} opening signals "
            f"since {SIGNALS_SINCE.year}: "
            + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        ],
    )


def indicators_section(store: Store) -> Section:
    rows = _alert_rows(alerts_json(indicators(store, since=SIGNALS_SINCE))["alerts"])
    return Section(
        key="tap_indicators",
        title="Indicators: open models trailing the lab's own closed model",
        description=(
            "The margin between a lab's best closed and best open ECI score grew (trailing) or "
            "shrank (catching) by 3+ points while the closed model leads. An indicator of two "
            "tracks, not a decision to close: reported apart from the signals."
        ),
        rows=rows,
        columns=["date", "organization", "signal", "evidence", "compared", "sources"],
        summary=[f"{len(rows)} own-gap indicators since {SIGNALS_SINCE.year}"],
    )
