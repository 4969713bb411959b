"""The report's first box: what the data say, in a few sentences computed from the same engines
as the sections below, each with its numbers and the command that reproduces it.

Also the report's notion of coverage: a half-year is *covered* when every source that gives
release tiers covers it to its end (`sources.date_max`); later half-years are *partial* and
are shaded in the charts (a half-year a source covers only in part looks like a collapse).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from robinet.domain import half_year
from robinet.report.section import Section
from robinet.store import Store
from robinet.store.queries import report as queries
from robinet.store.queries.trends import BALANCED_SOURCE, source_windows
from robinet.trends.alerts import alerts, gap
from robinet.trends.signals import Alert

FOCUS_LABS = [
    "deepseek", "alibaba", "tencent", "baidu", "moonshot", "zhipu", "meta", "openai", "google",
    "mistral", "xai", "microsoft", "nvidia", "ai2",
]  # fmt: skip
DECISION_WINDOW_DAYS = 365


@dataclass(frozen=True, slots=True)
class Coverage:
    """The dates the release sources cover: `covered_until` is the earliest end among the
    tiered release sources (every later half-year is partial), `data_end` the latest."""

    covered_until: dt.date
    data_end: dt.date

    def partial(self, period: str) -> bool:
        """A half-year ('2025-H1') that ends after `covered_until`."""
        year, half = int(period[:4]), period[-1]
        end = dt.date(year, 6, 30) if half == "1" else dt.date(year, 12, 31)
        return end > self.covered_until

    def last_covered_half(self) -> str:
        d = self.covered_until
        end_h1, end_h2 = dt.date(d.year, 6, 30), dt.date(d.year, 12, 31)
        if d >= end_h2:
            return f"{d.year}-H2"
        if d >= end_h1:
            return f"{d.year}-H1"
        return f"{d.year - 1}-H2"


def release_coverage(store: Store) -> Coverage:
    """Coverage of the sources that give release tiers (Epoch AI's tables)."""
    ends = [
        w.date_max
        for name, w in source_windows(store).items()
        if BALANCED_SOURCE in name and w.date_max is not None
    ]
    if not ends:
        today = dt.date.min
        return Coverage(today, today)
    return Coverage(min(ends), max(ends))


def partial_periods(periods: Iterable[str], coverage: Coverage) -> list[str]:
    return sorted(p for p in set(periods) if coverage.partial(p))


@dataclass(frozen=True, slots=True)
class Finding:
    text: str
    numbers: dict[str, Any]
    command: str


def _leader(store: Store, coverage: Coverage) -> Finding | None:
    half = coverage.last_covered_half()
    rows = [r for r in queries.releases_by_access(store, dt.date(2018, 1, 1))]
    counts = {
        r.region: r.releases for r in rows if r.half_year == half and r.access == "open-weight"
    }
    ranked = sorted(((n, reg) for reg, n in counts.items() if reg != "unknown"), reverse=True)
    if len(ranked) < 2:
        return None
    (n1, r1), (n2, r2) = ranked[0], ranked[1]
    return Finding(
        f"In {half}, the last half-year every release source covers to its end, developers "
        f"from {r1} published the most open-weight releases: {n1}, against {n2} from {r2} "
        f"({n1 / n2:.1f}x).",
        {"half_year": half, r1: n1, r2: n2, "covered_until": coverage.covered_until},
        "robinet report --json  # sections.releases_by_region_and_tier",
    )


def _frontier(store: Store) -> list[Finding]:
    result = gap(store, by_region=True)
    if not result.series:
        return []
    last = result.series[-1]
    out = []
    o, c = last.best_open, last.best_closed
    if o is not None and c is not None:
        floor = (
            " Models of unknown access score higher, so the open frontier shown is a floor."
            if last.floor
            else ""
        )
        out.append(
            Finding(
                f"On {last.date}, the open frontier is {o.name} ({o.organization}, {o.region}, "
                f"ECI {o.score:.1f}), {last.score_gap:.1f} points behind the best closed model "
                f"{c.name} ({c.score:.1f}): a lag of {last.lag_months} months, over "
                f"{last.open_models} open and {last.closed_models} closed scored models.{floor}",
                {
                    "date": last.date,
                    "best_open": o.name,
                    "best_closed": c.name,
                    "score_gap": last.score_gap,
                    "lag_months": last.lag_months,
                    "excluded_unknown_access": result.excluded_unknown_access,
                },
                "robinet gap --by region",
            )
        )
    regional = {
        reg: pts[-1] for reg, pts in result.by_region.items() if pts and reg in ("US", "CN")
    }
    if len(regional) == 2:
        us, cn = regional["US"], regional["CN"]
        if us.score_gap is not None and cn.score_gap is not None:
            out.append(
                Finding(
                    f"The best US open model ({us.best_open.name if us.best_open else '-'}) "
                    f"trails the closed frontier by {us.score_gap:.1f} points, the best Chinese "
                    f"one ({cn.best_open.name if cn.best_open else '-'}) by "
                    f"{cn.score_gap:.1f} (n = {us.open_models} US and {cn.open_models} CN open "
                    "models scored).",
                    {"US": us.score_gap, "CN": cn.score_gap},
                    "robinet gap --by region",
                )
            )
    return out


def _decisions(items: list[Alert], end: dt.date) -> Finding | None:
    since = end - dt.timedelta(days=DECISION_WINDOW_DAYS)
    recent = [a for a in items if a.date >= since]
    if not recent:
        return None
    closing = sorted({a.organization for a in recent if a.direction == "closing"})
    opening = sorted({a.organization for a in recent if a.direction == "opening"})
    return Finding(
        f"In the last 12 months of data ({since} to {end}), {len(closing)} labs took a closing "
        f"decision ({', '.join(closing) or 'none'}) and {len(opening)} an opening one "
        f"({', '.join(opening) or 'none'}).",
        {"since": since, "closing": closing, "opening": opening},
        f"robinet alerts --since {since}",
    )


def _roots(store: Store) -> Finding | None:
    rows = queries.lineage_roots(store)
    total = sum(r.derivatives for r in rows)
    if not total:
        return None
    by_region: dict[str | None, int] = defaultdict(int)
    cn_on: dict[str | None, int] = defaultdict(int)
    for r in rows:
        by_region[r.root_region] += r.derivatives
        if r.derivative_region == "CN":
            cn_on[r.root_region] += r.derivatives
    us, cn = by_region.get("US", 0), by_region.get("CN", 0)
    cn_total = sum(cn_on.values())
    return Finding(
        f"Of {total} Hub derivatives in the lineage graph, {us / total:.0%} are built on US "
        f"roots and {cn / total:.0%} on Chinese roots ({by_region.get(None, 0)} on roots of "
        f"unknown region); of the {cn_total} derivatives by Chinese developers, "
        f"{cn_on.get('CN', 0)} are built on Chinese roots and {cn_on.get('US', 0)} on US ones.",
        {"derivatives": total, "US_roots": us, "CN_roots": cn, "CN_derivatives": cn_total},
        "robinet report --json  # sections.built_on",
    )


def findings(store: Store) -> list[Finding]:
    coverage = release_coverage(store)
    items = [a for a in alerts(store) if a.date <= coverage.data_end]
    out: list[Finding | None] = [
        _leader(store, coverage),
        *_frontier(store),
        _decisions(items, coverage.data_end),
        _roots(store),
    ]
    return [f for f in out if f is not None]


def findings_section(store: Store) -> Section:
    found = findings(store)
    rows = [{"finding": f.text, "command": f.command, "numbers": f.numbers} for f in found]
    return Section(
        key="findings",
        title="Findings: is the tap of open AI still running?",
        description=(
            "Each sentence is computed from the store by the engines behind the sections "
            "below; the command beside it prints the numbers."
        ),
        rows=rows,
        columns=["finding", "command"],
        summary=[f.text for f in found],
    )


__all__ = [
    "FOCUS_LABS",
    "Coverage",
    "Finding",
    "findings",
    "findings_section",
    "half_year",
    "partial_periods",
    "release_coverage",
]
