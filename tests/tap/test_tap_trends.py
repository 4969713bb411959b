"""Restrictiveness from terms, the half-yearly series, the lab story and the report sections."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go
import pytest

from robinet.cli.common import dump_json
from robinet.errors import NotFoundError, UsageError
from robinet.model import Region, Release, Tier
from robinet.openness.restrictiveness import (
    CHAINS,
    RESTRICTIVENESS_VERSION,
    family_history,
    license_chain,
    license_restrictiveness,
    restrictiveness,
)
from robinet.report.tap_sections import SECTIONS
from robinet.trends.data import name_key
from robinet.trends.lab import lab_story
from robinet.trends.series import half_year, open_share_series, releases_series, trend

if TYPE_CHECKING:
    from tests.conftest import BuiltReport

D = dt.date


@dataclass
class T:
    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    clause: str = "1"
    summary: str = "s"


def test_restrictiveness_of_built_terms() -> None:
    permissive = restrictiveness(
        "p",
        [
            T("commercial_use", {"allowed": True}),
            T("attribution"),
            T("derivatives", {"same_license": False}),
        ],
    )
    assert permissive.score == 0 and permissive.parts == []
    nc = restrictiveness("nc", [T("noncommercial")])
    assert nc.score == 0.35 and nc.version == RESTRICTIVENESS_VERSION
    community = restrictiveness(
        "c",
        [
            T("user_threshold", {"monthly_active_users": 700_000_000}),
            T("naming", {"prefix": "Llama"}),
            T("field_of_use", {"prohibited": ["military"]}),
            T("acceptable_use", {"policy": "aup"}),  # same group as field_of_use: counts once
            T("output_training", {"allowed": True, "condition": "prefix"}),  # conditional: half
        ],
    )
    assert community.score == pytest.approx(0.15 + 0.05 + 0.10 + 0.05)
    assert community.parts[0]["kind"] == "user_threshold"
    eu = restrictiveness(
        "eu", [*[T(k) for k in ("noncommercial",)], T("territory", {"excluded": ["EU"]})]
    )
    assert eu.score == 0.5
    assert restrictiveness("x", [T("territory", {"excluded": []})]).score == 0


def test_successive_license_versions_compare() -> None:
    def s(lid: str) -> float:
        r = license_restrictiveness(lid)
        assert r is not None, lid
        return r.score

    assert s("mit") == s("apache-2.0") == 0
    assert s("deepseek-la-1.0") > s("mit")  # DeepSeek License -> MIT loosens
    assert s("qwen-2024") > s("apache-2.0")  # Qwen license -> Apache-2.0 loosens
    assert s("llama-3.2-license-2024") > s("llama-3.1-license-2024")  # EU exclusion in the AUP
    assert s("cc-by-nc-4.0") > s("cc-by-4.0")
    assert license_restrictiveness("no-such-license") is None
    chains = {name: license_chain(ids) for name, ids in CHAINS.items()}
    llama = [r["delta"] for r in chains["llama"]]
    assert llama[1] > 0 and llama[2] < 0 and llama[3] > 0  # 2->3 up, 3->3.1 down, 3.1->3.2 up
    assert chains["qwen"][-1]["delta"] < 0 and chains["qwen"][-1]["score"] == 0
    assert chains["deepseek"][-1]["delta"] < 0
    history = family_history("llama")
    assert [h["license"] for h in history][:2] == ["llama-license-2023", "llama-2-license-2023"]


def test_downloads_share_on_a_hand_made_store(memory_store) -> None:
    memory_store.con.execute(
        "INSERT INTO organizations (id, name, region, source) VALUES "
        "('a', 'A', 'CN', 't'), ('b', 'B', 'US', 't')"
    )
    memory_store.con.execute(
        "INSERT INTO models (hf_id, organization, created_at, downloads, source) VALUES "
        "('a/x', 'a', '2024-02-01', 300, 't'), ('b/y', 'b', '2024-03-01', 100, 't'), "
        "('c/z', NULL, '2024-09-01', 50, 't')"
    )
    rows = trend(memory_store, "downloads_share", "region").series
    assert {(r["period"], r["group"]): r["share"] for r in rows} == {
        ("2024-H1", "CN"): 0.75,
        ("2024-H1", "US"): 0.25,
        ("2024-H2", "unknown"): 1.0,
    }
    assert {r["period"]: r["unknown_region_share"] for r in rows} == {"2024-H1": 0, "2024-H2": 1}


def test_downloads_share_maps_authors_through_the_organizations_table(memory_store) -> None:
    memory_store.con.execute(
        "INSERT INTO organizations (id, name, region, hf_orgs, source) VALUES "
        "('zhipu', 'Zhipu', 'CN', ['THUDM'], 't'), ('naver', 'NAVER', 'other', [], 't'), "
        "('nowhere', 'Nowhere', NULL, [], 't')"
    )
    memory_store.con.execute(
        "INSERT INTO models (hf_id, author, organization, created_at, downloads, source) VALUES "
        "('THUDM/glm', 'THUDM', NULL, '2024-02-01', 100, 't'), "  # a Hub org of the table
        "('naver/x', 'naver', NULL, '2024-02-01', 100, 't'), "  # a namespace equal to an id
        "('nowhere/y', 'nowhere', NULL, '2024-02-01', 100, 't'), "  # mapped, no region
        "('someone/z', 'someone', NULL, '2024-02-01', 700, 't')"  # not mapped: unknown
    )
    t = trend(memory_store, "downloads_share", "region")
    assert {r["group"]: r["share"] for r in t.series} == {"CN": 0.1, "other": 0.1, "unknown": 0.8}
    assert t.caveats["unknown_region_share"] == 0.8
    assert t.caveats["unmapped_author_share"] == 0.7
    by_org = {r["group"] for r in trend(memory_store, "downloads_share", "org").series}
    assert by_org == {"zhipu", "naver", "nowhere", "someone"}


def test_real_downloads_share_reports_its_unknown_share(real_store) -> None:
    from pathlib import Path

    t = trend(real_store, "downloads_share", "region")
    share = t.caveats["unknown_region_share"]
    assert 0 < share < 1 and t.caveats["unmapped_author_share"] <= share
    assert all(0 <= r["unknown_region_share"] <= 1 for r in t.series)
    # Labs of the organizations directory keep their region (bert-base-* is Google's, US).
    assert any(r["group"] == "US" and r["downloads"] > 1_000_000 for r in t.series)
    docs = (Path(__file__).resolve().parents[2] / "docs" / "tap.md").read_text()
    assert f"{share:.1%} of the {t.caveats['downloads'] // 1_000_000}" in docs, "update docs"


def test_docs_quote_the_measured_restrictiveness_chains() -> None:
    from pathlib import Path

    docs = " ".join((Path(__file__).resolve().parents[2] / "docs" / "tap.md").read_text().split())
    chains = {name: [r["score"] for r in license_chain(ids)] for name, ids in CHAINS.items()}
    llama = " -> ".join(f"{x:.2f}" for x in chains["llama"])
    quoted = "Llama 2 {} -> Llama 3 {} -> 3.1 {} -> 3.2 {}".format(
        *(f"{x:.2f}" for x in chains["llama"][:4])
    )
    assert quoted in docs, llama
    qwen = "Tongyi Qianwen {:.2f} -> Qwen license {:.2f} -> Apache-2.0 {:g}".format(*chains["qwen"])
    assert qwen in docs
    assert "DeepSeek License {:.2f} -> MIT {:g}".format(*chains["deepseek"]) in docs


def test_half_years_and_series_on_hand_rows() -> None:
    assert half_year(D(2024, 6, 30)) == "2024-H1" and half_year(D(2024, 7, 1)) == "2024-H2"

    def release(day: dt.date, tier: Tier | None, region: Region) -> Release:
        return Release(f"r{day}", "r", "lab", (), region, day, tier)

    rows = [
        release(D(2024, 1, 5), Tier.OPEN_UNRESTRICTED, Region.CN),
        release(D(2024, 2, 5), Tier.API, Region.US),
        release(D(2024, 3, 5), None, Region.US),
        release(D(2024, 8, 5), Tier.OPEN_RESTRICTED, Region.US),
    ]
    share = open_share_series(rows, None)
    assert share[0] == {
        "period": "2024-H1",
        "group": "all",
        "open": 1,
        "known": 2,
        "unknown": 1,
        "open_share": 0.5,
    }
    by_region = {(r["period"], r["group"]): r for r in open_share_series(rows, "region")}
    assert by_region[("2024-H1", "US")]["open_share"] == 0.0
    counts = releases_series(rows, None)
    assert counts[0]["total"] == 3 and counts[0]["unknown"] == 1 and counts[0]["api"] == 1


def test_trend_rejects_unknown_metric_and_grouping(real_store) -> None:
    with pytest.raises(UsageError):
        trend(real_store, "vibes")
    with pytest.raises(UsageError):
        trend(real_store, "releases", "planet")


@pytest.mark.parametrize("metric", ["releases", "open_share", "restrictiveness", "downloads_share"])
def test_real_trends(real_store, metric: str) -> None:
    t = trend(real_store, metric, "region")
    assert t.method.startswith(metric)
    json.loads(dump_json(t.series))
    if metric == "open_share":
        assert all(r["open_share"] is None or 0 <= r["open_share"] <= 1 for r in t.series)
        assert any(r["group"] == "CN" for r in t.series)
    if metric == "restrictiveness":
        scored = [r for r in t.series if r["mean_restrictiveness"] is not None]
        assert scored and all(0 <= r["mean_restrictiveness"] <= 1 for r in scored)


def test_name_key_matches_across_sources() -> None:
    assert name_key("Meta-Llama-3.1-405B-Instruct-bf16") == name_key("Llama 3.1-405B")
    assert name_key("Llama-3-70b-Instruct") == name_key("Llama 3-70B")


def test_lab_story(real_store) -> None:
    doc = lab_story(real_store, "DeepSeek")
    assert doc["organization"]["id"] == "deepseek"
    assert {
        "releases_by_tier",
        "open_share",
        "licenses",
        "openness",
        "alerts",
        "rubric_version",
        "restrictiveness_version",
    } <= set(doc)
    assert doc["openness"]["summary"]["releases"] > 5
    assert any(lic["license"] == "mit" for lic in doc["licenses"])
    with pytest.raises(NotFoundError):
        lab_story(real_store, "no-such-lab-anywhere")


def test_report_sections(built_report: BuiltReport) -> None:
    keys = [s.key for s in built_report.report.sections]
    tap_keys = [
        "capability_gap",
        "capability_gap_arena",
        "openness",
        "restrictiveness",
        "downloads_share",
        "built_on",
        "tap_signals",
    ]
    # The tap sections, in this order, after the landscape ones and before the sources.
    assert [k for k in keys if k in tap_keys] == tap_keys
    assert keys.index("capability_gap") > keys.index("three_regimes")
    assert keys[-1] == "sources"
    assert [build.__name__ for build in SECTIONS] == [
        "gap_section",
        "arena_gap_section",
        "openness_section",
        "restrictiveness_section",
        "downloads_section",
        "built_on_section",
        "signals_section",
        "indicators_section",
    ]
    for key in tap_keys:
        section = built_report.section(key)
        assert section.rows and section.summary
        assert isinstance(section.figure, go.Figure)
        json.loads(dump_json(section.rows))
        for row in section.rows[:5]:
            assert set(row) <= set(section.columns)
        assert built_report.json["sections"][key]["rows"] == json.loads(dump_json(section.rows))


def test_report_downloads_section_states_the_unknown_share(
    real_store, built_report: BuiltReport
) -> None:
    section = built_report.section("downloads_share")
    assert "unknown region" in section.summary[0]
    # Oracle: the 2024-09 sample's downloads whose author is no organization's Hub namespace.
    total = real_store.scalar("SELECT sum(downloads) FROM models WHERE source = 'hf-top-models'")
    mapped = real_store.scalar(
        "SELECT sum(m.downloads) FROM models m JOIN organizations o ON o.region IS NOT NULL "
        "AND (o.id = m.organization OR list_contains("
        "list_transform(o.hf_orgs, lambda x: lower(x)), lower(m.author))) "
        "WHERE m.source = 'hf-top-models'"
    )
    rows = [r for r in section.rows if r["source"] == "hf-top-models"]
    known = sum(r["downloads"] for r in rows if r["region"] != "unknown")
    assert sum(r["downloads"] for r in rows) == total
    assert abs(known - mapped) / total < 0.01
    unknown = next(r["share"] for r in rows if r["region"] == "unknown")
    assert (
        section.summary[0] == f"2024-09 top-models sample: {unknown:.1%} of downloads by "
        "authors of unknown region"
    )


def test_report_signals_chart_labels_every_lab(built_report: BuiltReport) -> None:
    from robinet.report.findings import FOCUS_LABS
    from robinet.report.tap_sections import ROW_PX

    section = built_report.section("tap_signals")
    labs = {r["organization"] for r in section.rows} | set(FOCUS_LABS)
    layout = section.figure.layout
    assert layout.height >= ROW_PX * len(labs)
    assert layout.yaxis.tickmode == "array" and set(layout.yaxis.tickvals) == labs
    assert all(str(r["date"]) >= "2023-01-01" for r in section.rows)
    assert layout.title.text and layout.xaxis.title.text
    assert list(layout.yaxis.ticktext) == list(layout.yaxis.tickvals)
    assert layout.yaxis.dtick == 1
