"""Half-yearly series of domestic training hardware by region, by hand and on the real
Epoch rows."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from robinet.domain import country_codes, region_of
from robinet.duties.hardware import normalize_hardware
from robinet.duties.series import HardwareRow, hardware_series, period_of
from robinet.errors import InputDataError

EPOCH = Path(__file__).resolve().parents[2] / "data" / "sources" / "epoch"


def row(name: str, region: str | None, date: str | None, hardware: str) -> HardwareRow:
    return HardwareRow(
        release=name,
        organization=None,
        region=region,
        date=dt.date.fromisoformat(date) if date else None,
        chips=normalize_hardware(hardware),
    )


def test_period_labels() -> None:
    assert period_of(dt.date(2024, 6, 30)) == "2024-H1"
    assert period_of(dt.date(2024, 7, 1)) == "2024-H2"


def test_counts_by_hand() -> None:
    series = hardware_series(
        [
            row("a", "CN", "2025-03-03", "Huawei Ascend 910B"),
            row("b", "CN", "2025-05-28", "NVIDIA H800 SXM5"),
            row("c", "CN", "2025-04-10", ""),  # unknown hardware
            row("d", "CN", "2024-06-15", "NVIDIA A800 PCIe,Ascend (昇腾) 910B"),  # mixed: domestic
            row("e", "US", "2025-02-01", "NVIDIA H100 SXM5 80GB"),
            row("f", "US", None, "Google TPU v5p"),  # undated
            row("g", None, "2025-01-01", "NVIDIA H100"),  # no region
            ("h", None, "other", dt.date(2025, 1, 2), normalize_hardware("NVIDIA A100")),
        ]
    )
    points = {(p.period, p.region): p for p in series.points}
    cn = points[("2025-H1", "CN")]
    assert (cn.releases, cn.known, cn.unknown, cn.domestic) == (3, 2, 1, 1)
    assert cn.domestic_share == 0.5
    assert points[("2024-H1", "CN")].domestic == 1
    us = points[("2025-H1", "US")]
    assert (us.known, us.domestic, us.domestic_share) == (1, 1, 1.0)
    other = points[("2025-H1", "other")]
    assert (other.known, other.domestic, other.domestic_share) == (1, None, None)
    assert [(p.period, p.region) for p in series.points] == sorted(points)
    cov = series.coverage
    assert (cov.releases, cov.known, cov.unknown, cov.undated, cov.no_region) == (8, 7, 1, 1, 1)
    assert cov.unknown_share == 1 / 8
    data = series.to_json()
    assert data["count"] == len(data["series"])
    assert set(data["series"][0]) >= {"period", "region", "known", "domestic", "domestic_share"}


def test_a_malformed_row_is_reported() -> None:
    with pytest.raises(InputDataError, match="row 1"):
        hardware_series([row("a", "CN", "2025-03-03", "Huawei Ascend 910B"), ("b", "CN")])


def test_real_rows() -> None:
    rows = []
    with (EPOCH / "large_scale_ai_models.csv").open(encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            codes = country_codes(r.get("Country (of organization)") or "")
            region = region_of(codes[0]) if len(codes) == 1 else None
            date = r.get("Publication date") or ""
            rows.append(
                HardwareRow(
                    release=r["Model"],
                    organization=r.get("Organization") or None,
                    region=region.value if region else None,
                    date=dt.date.fromisoformat(date) if date else None,
                    chips=normalize_hardware(r.get("Training hardware")),
                )
            )
    series = hardware_series(rows)
    cov = series.coverage
    assert cov.releases == len(rows) == 485
    assert cov.known + cov.unknown == cov.releases
    assert 0 < cov.known < cov.releases  # Epoch leaves many hardware fields empty
    for p in series.points:
        assert p.known + p.unknown == p.releases
        assert p.domestic is None or p.domestic <= p.known
    # Huawei's Pangu Ultra (2025-04-10) and iFlytek's Spark-X1 (2025-03-03), on Ascend 910B
    cn = next(p for p in series.points if (p.period, p.region) == ("2025-H1", "CN"))
    assert cn.domestic is not None and cn.domestic >= 2
