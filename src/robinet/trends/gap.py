"""The capability gap: best open-weight vs best closed model over time.

At each date d of the series:
    best_open(d)   = the highest-scoring open-weight model released on or before d
    best_closed(d) = the highest-scoring closed model (api, hosted, unreleased) on or before d
    score_gap      = best_closed.score - best_open.score
    lag_months     = d - t, in months of 30.44 days, where t is the first date a closed model
                     reached best_open.score; 0 when no closed model has reached it yet.
Models whose access is unknown are left out of both sides, and counted; a model whose tier no
source gives but whose weights are on the Hub counts as open. The series runs to the last date
of the index (unknown-access models included in that range). `by region` keeps the closed
frontier whole and takes the best open model among one region's developers; each regional
point carries `open_models` (n) and `floor` (the region's best-scoring model to date is of
unknown access, so its best open score may be higher than shown).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from robinet.model import OPEN_TIERS, Tier

DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True, slots=True)
class ScorePoint:
    name: str
    organization: str | None
    region: str | None
    date: dt.date
    score: float
    tier: str | None  # None: access unknown
    weights_published: bool = False  # a Hub repository holds its weights (tier unknown)

    @property
    def is_open(self) -> bool | None:
        if self.tier is None:
            return True if self.weights_published else None
        return Tier(self.tier) in OPEN_TIERS


@dataclass(frozen=True, slots=True)
class Best:
    name: str
    organization: str | None
    region: str | None
    score: float
    date: dt.date


@dataclass(frozen=True, slots=True)
class GapPoint:
    date: dt.date
    best_open: Best | None
    best_closed: Best | None
    score_gap: float | None
    lag_months: float | None
    open_models: int = 0  # open models released on or before the date (n of the open side)
    closed_models: int = 0
    floor: bool = False  # a better model of unknown access exists: the open best is a floor


@dataclass(frozen=True, slots=True)
class GapResult:
    benchmark: str
    series: list[GapPoint]
    by_region: dict[str, list[GapPoint]] = field(default_factory=dict)
    models: int = 0  # points used (known access)
    excluded_unknown_access: int = 0
    excluded_names: list[str] = field(default_factory=list)


def months_between(earlier: dt.date, later: dt.date) -> float:
    return round((later - earlier).days / DAYS_PER_MONTH, 1)


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of every month from start's month to end's month."""
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
        out.append(dt.date(ny, nm, 1) - dt.timedelta(days=1))
        y, m = ny, nm
    return out


def _best(points: Sequence[ScorePoint]) -> Best | None:
    if not points:
        return None
    # Highest score; ties go to the earliest, then by name, so the result is deterministic.
    p = min(points, key=lambda p: (-p.score, p.date, p.name))
    return Best(p.name, p.organization, p.region, p.score, p.date)


def gap_series(
    open_points: Sequence[ScorePoint],
    closed_points: Sequence[ScorePoint],
    dates: Iterable[dt.date],
    unknown_points: Sequence[ScorePoint] = (),
) -> list[GapPoint]:
    """The gap at each date (pure; the open and closed inputs hold points of known access;
    `unknown_points`, of unknown access, only mark a point whose open best is a floor)."""
    closed_sorted = sorted(closed_points, key=lambda p: (p.date, -p.score))
    out: list[GapPoint] = []
    for d in sorted(set(dates)):
        mine = [p for p in open_points if p.date <= d]
        theirs = [p for p in closed_sorted if p.date <= d]
        o = _best(mine)
        c = _best(theirs)
        if o is None and c is None:
            continue
        floor = o is not None and any(p.date <= d and p.score > o.score for p in unknown_points)
        gap = None if o is None or c is None else round(c.score - o.score, 4)
        lag: float | None = None
        if o is not None:
            reached = next((p for p in closed_sorted if p.date <= d and p.score >= o.score), None)
            lag = 0.0 if reached is None else months_between(reached.date, d)
        out.append(GapPoint(d, o, c, gap, lag, len(mine), len(theirs), floor))
    return out


def capability_gap(
    points: Iterable[ScorePoint],
    *,
    benchmark: str,
    dates: Iterable[dt.date] | None = None,
    by_region: bool = False,
) -> GapResult:
    """Split points by access, leave unknown access out (counted), and build the series.

    Default dates: every month end from the first month where both sides have a model to the
    last date of the index (every point's date, unknown access included).
    """
    known: list[ScorePoint] = []
    unknown: list[ScorePoint] = []
    for p in points:
        (unknown if p.is_open is None else known).append(p)
    opens = [p for p in known if p.is_open]
    closed = [p for p in known if not p.is_open]
    if dates is None:
        if opens and closed:
            start = max(min(p.date for p in opens), min(p.date for p in closed))
            end = max(p.date for p in [*known, *unknown])
            grid = month_ends(start, end)
        else:
            grid = []
    else:
        grid = sorted(set(dates))
    regions: dict[str, list[GapPoint]] = {}
    if by_region:
        for region in sorted({p.region for p in opens if p.region}):
            mine = [p for p in opens if p.region == region]
            hidden = [p for p in unknown if p.region == region]
            regions[region] = [g for g in gap_series(mine, closed, grid, hidden) if g.best_open]
    return GapResult(
        benchmark=benchmark,
        series=gap_series(opens, closed, grid, unknown),
        by_region=regions,
        models=len(known),
        excluded_unknown_access=len(unknown),
        excluded_names=sorted(p.name for p in unknown),
    )


def snapshot_gap(
    snapshots: Iterable[tuple[dt.date, Sequence[ScorePoint]]], *, benchmark: str
) -> GapResult:
    """The gap on dated leaderboard snapshots (Arena): each snapshot is judged on its own
    scores; the lag looks back through earlier snapshots for the first one whose best closed
    score reached today's best open score."""
    series: list[GapPoint] = []
    closed_history: list[tuple[dt.date, float]] = []
    used = unknown = 0
    names: set[str] = set()
    for day, pts in sorted(snapshots, key=lambda s: s[0]):
        known = [p for p in pts if p.is_open is not None]
        unknown += len(pts) - len(known)
        names |= {p.name for p in pts if p.is_open is None}
        used += len(known)
        o = _best([p for p in known if p.is_open])
        c = _best([p for p in known if not p.is_open])
        if c is not None:
            closed_history.append((day, c.score))
        if o is None and c is None:
            continue
        gap = None if o is None or c is None else round(c.score - o.score, 4)
        lag: float | None = None
        if o is not None:
            reached = next((d for d, s in closed_history if s >= o.score), None)
            lag = 0.0 if reached is None else months_between(reached, day)
        series.append(GapPoint(day, o, c, gap, lag))
    return GapResult(
        benchmark=benchmark,
        series=series,
        models=used,
        excluded_unknown_access=unknown,
        excluded_names=sorted(names),
    )
