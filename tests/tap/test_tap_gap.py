"""The capability gap on hand-made series and on the real Epoch Capabilities Index."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from robinet.trends.alerts import gap, gap_json
from robinet.trends.gap import (
    Best,
    ScorePoint,
    capability_gap,
    month_ends,
    months_between,
    snapshot_gap,
)

D = dt.date


def p(name: str, date: dt.date, score: float, tier: str | None, region: str = "US") -> ScorePoint:
    return ScorePoint(name, name.split("-")[0], region, date, score, tier)


def _name(best: Best | None) -> str | None:
    return None if best is None else best.name


SERIES = [
    p("closedA-1", D(2024, 1, 10), 100, "api"),
    p("openA-1", D(2024, 2, 5), 90, "open-unrestricted", "CN"),
    p("closedA-2", D(2024, 4, 1), 110, "api"),
    p("openB-1", D(2024, 6, 15), 105, "open-restricted", "EU"),
    p("mystery-1", D(2024, 5, 1), 200, None),  # unknown access: out of both sides, counted
]


def test_gap_and_lag_on_a_hand_made_series() -> None:
    result = capability_gap(
        SERIES,
        benchmark="test",
        dates=[D(2024, 1, 31), D(2024, 3, 1), D(2024, 4, 30), D(2024, 6, 30)],
    )
    by_date = {g.date: g for g in result.series}
    jan = by_date[D(2024, 1, 31)]
    assert jan.best_open is None and _name(jan.best_closed) == "closedA-1"
    assert jan.score_gap is None and jan.lag_months is None
    mar = by_date[D(2024, 3, 1)]
    assert _name(mar.best_open) == "openA-1" and mar.score_gap == 10
    # closed reached 90 on 2024-01-10: 51 days before 2024-03-01
    assert mar.lag_months == months_between(D(2024, 1, 10), D(2024, 3, 1)) == 1.7
    apr = by_date[D(2024, 4, 30)]
    assert _name(apr.best_closed) == "closedA-2" and apr.score_gap == 20
    jun = by_date[D(2024, 6, 30)]
    assert _name(jun.best_open) == "openB-1" and jun.score_gap == 5
    # 105 was first reached by closedA-2 on 2024-04-01
    assert jun.lag_months == months_between(D(2024, 4, 1), D(2024, 6, 30))
    assert result.excluded_unknown_access == 1 and result.excluded_names == ["mystery-1"]
    assert result.models == 4


def test_open_ahead_of_the_closed_frontier_has_zero_lag_and_negative_gap() -> None:
    pts = [p("c", D(2024, 1, 1), 100, "api"), p("o", D(2024, 2, 1), 120, "open-unrestricted")]
    (g,) = capability_gap(pts, benchmark="t", dates=[D(2024, 3, 1)]).series
    assert g.score_gap == -20 and g.lag_months == 0.0


def test_unreleased_and_hosted_count_as_closed() -> None:
    pts = [
        p("c", D(2024, 1, 1), 100, "unreleased"),
        p("h", D(2024, 1, 2), 101, "hosted"),
        p("o", D(2024, 2, 1), 90, "open-noncommercial"),
    ]
    (g,) = capability_gap(pts, benchmark="t", dates=[D(2024, 3, 1)]).series
    assert _name(g.best_closed) == "h" and g.score_gap == 11


def test_by_region_keeps_the_whole_closed_frontier() -> None:
    result = capability_gap(SERIES, benchmark="t", dates=[D(2024, 6, 30)], by_region=True)
    assert set(result.by_region) == {"CN", "EU"}
    (cn,) = result.by_region["CN"]
    assert _name(cn.best_open) == "openA-1" and _name(cn.best_closed) == "closedA-2"
    assert cn.score_gap == 20


def test_default_grid_is_month_ends_from_when_both_sides_exist() -> None:
    result = capability_gap(SERIES, benchmark="t")
    assert result.series[0].date == D(2024, 2, 29)
    assert result.series[-1].date == D(2024, 6, 30)
    assert month_ends(D(2023, 12, 5), D(2024, 2, 1)) == [
        D(2023, 12, 31),
        D(2024, 1, 31),
        D(2024, 2, 29),
    ]


def test_snapshot_gap_looks_back_through_earlier_snapshots() -> None:
    jan, apr = D(2024, 1, 1), D(2024, 4, 1)
    snaps = [
        (jan, [p("c1", jan, 1200, "api"), p("o1", jan, 1100, "open-unrestricted")]),
        (
            apr,
            [
                p("c2", apr, 1250, "api"),
                p("o2", apr, 1190, "open-unrestricted"),
                p("x", apr, 1300, None),
            ],
        ),
    ]
    result = snapshot_gap(snaps, benchmark="arena")
    first, second = result.series
    assert first.score_gap == 100 and first.lag_months == 0.0
    assert second.score_gap == 60
    assert second.lag_months == months_between(D(2024, 1, 1), D(2024, 4, 1))
    assert result.excluded_unknown_access == 1


def test_real_eci_gap(real_store) -> None:
    doc = gap_json(gap(real_store, by_region=True))
    # Unknown access: blank in the index and in the merged release (matched by id), with no
    # Hub repository either.
    unknown = real_store.scalar(
        "SELECT count(*) FROM capability_scores s LEFT JOIN releases r ON r.id = s.release_id "
        "WHERE s.benchmark = 'eci' AND s.score IS NOT NULL AND s.date IS NOT NULL "
        "AND s.tier IS NULL AND r.tier IS NULL AND r.hf_id IS NULL"
    )
    assert doc["excluded_unknown_access"] == unknown > 0
    series = doc["series"]
    assert len(series) >= 24
    # The series runs to the index's last month, unknown-access models included.
    last_day = real_store.scalar(
        "SELECT max(date) FROM capability_scores WHERE benchmark = 'eci' AND score IS NOT NULL"
    )
    assert (series[-1]["date"].year, series[-1]["date"].month) == (last_day.year, last_day.month)
    for point in series:
        assert set(point) == {
            "date",
            "best_open",
            "best_closed",
            "score_gap",
            "lag_months",
            "open_models",
            "closed_models",
            "floor",
        }
        for side in ("best_open", "best_closed"):
            if point[side]:
                assert {"name", "organization", "region", "score"} <= set(point[side])
    # The best open model never gets worse over time, nor does the closed frontier.
    opens = [pt["best_open"]["score"] for pt in series if pt["best_open"]]
    closed = [pt["best_closed"]["score"] for pt in series if pt["best_closed"]]
    assert opens == sorted(opens) and closed == sorted(closed)
    # On the real index the closed frontier leads at the end, and the lag is months, not years.
    last = series[-1]
    assert last["score_gap"] > 0
    assert 0 < last["lag_months"] < 24
    assert {"US", "CN"} <= set(doc["by_region"])


def test_real_arena_gap(real_store) -> None:
    doc = gap_json(gap(real_store, view="arena"))
    assert len(doc["series"]) == real_store.scalar(
        "SELECT count(DISTINCT snapshot_date) FROM arena_entries"
    )
    assert all(pt["score_gap"] is not None for pt in doc["series"])
    best_open = {pt["best_open"]["name"] for pt in doc["series"]}
    # An LMArena-only experimental variant (labels "Llama" and "N/A") and an API model
    # labelled "Qwen" are not open weights.
    assert "Llama-4-Maverick-03-26-Experimental" not in best_open
    assert "Qwen-Max-0919" not in best_open


def test_arena_access_on_built_labels() -> None:
    from robinet.trends.data import arena_access, family_key, match_key

    assert match_key("Qwen2.5-72B-Instruct") == match_key("Qwen2.5 72B") == "qwen2-5-72b"
    assert family_key("Qwen-Max-0919") == family_key("Qwen-Max-2025-01-25") == "qwen-max"
    assert family_key("Llama-4-Maverick-03-26-Experimental") == "llama-4-maverick"
    labels = [
        ("Open-7B", "Apache 2.0", "open-unrestricted"),
        ("Lab-Max-0428", "Proprietary", "api"),
        ("Lab-Max-0919", "Lab", "open-restricted"),  # a family Arena calls proprietary
        ("Exp-03-26-Experimental", "Llama", "open-restricted"),
        ("Exp-03-26-Experimental", "N/A", None),  # labels disagree across snapshots
        ("Hosted-Chat", "MIT", "open-unrestricted"),  # the release says api
        ("Other-1", "Other", None),
        ("Lab-Max-0101", "Lab", "open-restricted"),  # same family, but released on the Hub
    ]
    releases = [
        ("Hosted", None, "api"),
        ("Lab-Max-0101-Instruct", "lab/Lab-Max-0101-Instruct", None),
        ("Open 7B", None, "open-unrestricted"),
    ]
    acc = arena_access(labels, releases)
    assert (acc["Open-7B"].tier, acc["Open-7B"].license_raw) == ("open-unrestricted", "Apache 2.0")
    assert acc["Lab-Max-0428"].tier == "api"
    assert acc["Lab-Max-0919"].tier is None
    assert acc["Exp-03-26-Experimental"].tier is None
    assert acc["Hosted-Chat"].tier == "api"
    assert acc["Other-1"].tier is None
    assert acc["Lab-Max-0101"].tier == "open-restricted"


TIERS = ["open-unrestricted", "open-restricted", "api", "hosted", "unreleased", None]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(min_value=D(2023, 1, 1), max_value=D(2025, 12, 31)),
            st.floats(min_value=50, max_value=200, allow_nan=False),
            st.sampled_from(TIERS),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_gap_invariants(raw: list[tuple[dt.date, float, str | None]]) -> None:
    pts = [p(f"m{i}", d, s, t) for i, (d, s, t) in enumerate(raw)]
    result = capability_gap(pts, benchmark="prop")
    assert result.models + result.excluded_unknown_access == len(pts)
    prev_open = prev_closed = float("-inf")
    for g in result.series:
        if g.best_open:
            assert g.best_open.score >= prev_open and g.best_open.date <= g.date
            prev_open = g.best_open.score
            assert g.lag_months is not None and g.lag_months >= 0
        if g.best_closed:
            assert g.best_closed.score >= prev_closed
            prev_closed = g.best_closed.score
        if g.best_open and g.best_closed:
            assert g.score_gap == round(g.best_closed.score - g.best_open.score, 4)
            if g.score_gap < 0:
                assert g.lag_months == 0.0


def test_blank_index_access_takes_the_merged_releases_tier(real_store) -> None:
    """GLM-5 and DeepSeek-V3.2 have a blank access field in the index; the merged releases
    know their license or their Hub repositories (Interconnects lists open models only): they
    are open."""
    from robinet.trends.data import eci_points

    rows = real_store.query(
        "SELECT s.name, r.hf_id FROM capability_scores s JOIN releases r ON r.id = s.release_id "
        "WHERE s.benchmark = 'eci' AND s.tier IS NULL AND s.score IS NOT NULL "
        "AND (r.tier LIKE 'open-%' OR (r.tier IS NULL AND r.hf_id IS NOT NULL))"
    )
    names = {r["name"] for r in rows}
    assert {"GLM-5", "DeepSeek-V3.2"} <= names
    points = [p for p in eci_points(real_store) if p.name in names]
    assert points and all(p.is_open for p in points)


def test_regional_points_carry_n_and_floors() -> None:
    d = dt.date
    opens = [ScorePoint("o", "lab", "CN", d(2024, 1, 1), 100.0, "open-unrestricted")]
    closed = [ScorePoint("c", "x", "US", d(2024, 1, 1), 110.0, "api")]
    hidden = [ScorePoint("u", "lab", "CN", d(2024, 2, 1), 105.0, None)]
    result = capability_gap([*opens, *closed, *hidden], benchmark="t", by_region=True)
    cn = result.by_region["CN"]
    assert [(p.date.month, p.open_models, p.floor) for p in cn] == [(1, 1, False), (2, 1, True)]
