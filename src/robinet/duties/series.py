"""Domestic chips over time: for each half-year and region, how many releases have known
training hardware and how many of those were trained on at least one chip of a vendor from
their own region (Chinese labs on Huawei Ascend, US labs on NVIDIA or Google TPUs...).

A release counts as `known` when at least one of its chips has a known vendor, and as
`domestic` when at least one of them is domestic (`hardware.is_domestic`): a model trained on
NVIDIA A800 and Ascend 910B is domestic for CN. `domestic_share` is domestic / known (None when
nothing is known). Releases without a date or a region cannot be placed in the series; the
coverage says how many, and how many have no usable hardware at all.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from robinet.duties.hardware import UNKNOWN, Chip, is_domestic
from robinet.errors import InputDataError
from robinet.jsonable import to_jsonable


@dataclass(frozen=True, slots=True)
class HardwareRow:
    """One release and the chips it was trained on (empty when the sources do not say)."""

    release: str
    organization: str | None
    region: str | None
    date: dt.date | None
    chips: tuple[Chip, ...]


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    period: str  # "2024-H1"
    region: str
    releases: int
    known: int
    unknown: int
    domestic: int | None  # None for a region that has no "domestic" (robinet's "other")
    domestic_share: float | None


@dataclass(frozen=True, slots=True)
class Coverage:
    releases: int
    known: int  # with at least one chip of a known vendor
    unknown: int  # no hardware recorded, or only chips of unknown vendors
    undated: int  # kept out of the series: no date
    no_region: int  # kept out of the series: no region
    unknown_share: float | None


@dataclass(frozen=True, slots=True)
class HardwareSeries:
    points: tuple[SeriesPoint, ...]
    coverage: Coverage

    def to_json(self) -> dict[str, Any]:
        return {
            "series": to_jsonable(self.points),
            "count": len(self.points),
            "coverage": to_jsonable(self.coverage),
        }


def period_of(date: dt.date) -> str:
    """The half-year label of a date: 2024-03-01 -> "2024-H1", 2024-07-01 -> "2024-H2"."""
    return f"{date.year}-H{1 if date.month <= 6 else 2}"


def _row(value: HardwareRow | tuple[Any, ...], index: int) -> HardwareRow:
    if isinstance(value, HardwareRow):
        return value
    try:
        return HardwareRow(*value)
    except TypeError:
        raise InputDataError(
            f"expected (release, organization, region, date, chips), got {value!r}", row=index
        ) from None


def _known(chips: tuple[Chip, ...]) -> tuple[Chip, ...]:
    return tuple(c for c in chips if c.vendor != UNKNOWN)


def hardware_series(rows: Iterable[HardwareRow | tuple[Any, ...]]) -> HardwareSeries:
    """Half-yearly counts by region over (release, organization, region, date, chips) rows,
    ordered by period then region, and the coverage of the hardware data."""
    cells: dict[tuple[str, str], list[HardwareRow]] = defaultdict(list)
    total = known = undated = no_region = 0
    for index, value in enumerate(rows):
        row = _row(value, index)
        total += 1
        if _known(row.chips):
            known += 1
        if row.date is None:
            undated += 1
            continue
        if not row.region:
            no_region += 1
            continue
        cells[(period_of(row.date), str(row.region))].append(row)
    points = []
    for (period, region), members in sorted(cells.items()):
        with_hardware = [r for r in members if _known(r.chips)]
        verdicts = [[is_domestic(c, region) for c in _known(r.chips)] for r in with_hardware]
        undefined = any(v is None for chips in verdicts for v in chips)
        domestic = None if undefined else sum(1 for chips in verdicts if any(chips))
        share = domestic / len(with_hardware) if domestic is not None and with_hardware else None
        points.append(
            SeriesPoint(
                period=period,
                region=region,
                releases=len(members),
                known=len(with_hardware),
                unknown=len(members) - len(with_hardware),
                domestic=domestic,
                domestic_share=share,
            )
        )
    coverage = Coverage(
        releases=total,
        known=known,
        unknown=total - known,
        undated=undated,
        no_region=no_region,
        unknown_share=(total - known) / total if total else None,
    )
    return HardwareSeries(tuple(points), coverage)
