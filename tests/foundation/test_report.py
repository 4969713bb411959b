"""The report's numbers against the store they are computed from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from robinet.report import landscape
from robinet.store import Store

if TYPE_CHECKING:
    from tests.conftest import BuiltReport


def test_releases_by_region_and_tier_sum_to_the_store(
    real_store: Store, built_report: BuiltReport
) -> None:
    section = built_report.section("releases_by_region_and_tier")
    total = sum(r["releases"] for r in section.rows)
    assert total == real_store.scalar(
        "SELECT count(*) FROM releases WHERE date >= ? AND tier IS NOT NULL", [landscape.SINCE]
    )
    cn_2024_open = sum(
        r["releases"]
        for r in section.rows
        if r["region"] == "CN"
        and r["half_year"].startswith("2024")
        and r["access"] == "open-weight"
    )
    assert cn_2024_open == real_store.scalar(
        """SELECT count(*) FROM releases WHERE region = 'CN' AND year(date) = 2024
           AND tier LIKE 'open-%'"""
    )


def test_releases_section_says_how_many_hub_repos_have_no_release_or_date(
    real_store: Store, built_report: BuiltReport
) -> None:
    def count(where: str) -> int:
        return real_store.scalar(
            "SELECT count(*) FROM release_facts f LEFT JOIN releases r ON r.id = f.release_id "
            f"WHERE f.source = 'interconnects' AND {where}"
        )

    repos, loose, undated = count("true"), count("f.release_id IS NULL"), count("r.date IS NULL")
    text = built_report.section("releases_by_region_and_tier").description
    assert f"{loose:,} of the Hub repos Interconnects lists match no release" in text
    assert f"{undated:,} have no date" in text
    assert 0 < loose <= undated < repos


def test_open_share_is_open_over_notable(real_store: Store, built_report: BuiltReport) -> None:
    section = built_report.section("open_share_of_notable")
    for row in section.rows:
        assert 0 <= row["open_weight"] <= row["notable_releases"]
        assert abs(row["open_share"] - row["open_weight"] / row["notable_releases"]) < 1e-4
    us_2023 = next(r for r in section.rows if r["region"] == "US" and r["half_year"] == "2023-H1")
    assert us_2023["notable_releases"] == real_store.scalar(
        """SELECT count(*) FROM releases WHERE notable AND region = 'US' AND tier IS NOT NULL
           AND date BETWEEN '2023-01-01' AND '2023-06-30'"""
    )


def test_lab_timelines_place_the_landmarks(built_report: BuiltReport) -> None:
    rows = built_report.section("lab_timelines").rows
    found = {(r["release"], r["tier"]) for r in rows}
    assert ("DeepSeek-R1", "open-unrestricted") in found
    assert ("Llama 3.1-405B", "open-restricted") in found
    assert ("GPT-4o", "api") in found
    assert ("Llama 4 Behemoth (preview)", "unreleased") in found
    assert ("gpt-oss-120b", "open-unrestricted") in found
    assert {r["organization"] for r in rows} <= set(landscape.STORY_LABS)


def test_three_regimes_counts(real_store: Store, built_report: BuiltReport) -> None:
    rows = built_report.section("three_regimes").rows
    openai_open = sum(
        r["releases"]
        for r in rows
        if r["organization"] == "openai"
        and r["tier"].startswith("open-")
        and r["half_year"] == "2025-H2"
    )
    assert openai_open == real_store.scalar(
        """SELECT count(*) FROM releases WHERE organization = 'openai' AND tier LIKE 'open-%'
           AND date BETWEEN '2025-07-01' AND '2025-12-31'"""
    )
    assert openai_open >= 2  # gpt-oss-20b and gpt-oss-120b


def test_html_tables_show_the_rows(built_report: BuiltReport) -> None:
    page = built_report.html
    sources = built_report.section("sources")
    for row in sources.rows:
        assert row["name"] in page and row["license"] in page


def test_bundled_snapshot_is_up_to_date_with_the_sources(real_store: Store, tmp_path) -> None:
    """`robinet snapshot build` was run after the last change to the sources or importers."""
    from robinet.store.snapshot import load_bundled

    bundled = Store.open(tmp_path / "bundled.duckdb")
    load_bundled(bundled)
    for table in (
        "releases",
        "organizations",
        "release_facts",
        "capability_scores",
        "arena_entries",
        "models",
        "edges",
    ):
        assert bundled.count(table) == real_store.count(table), table
    fresh = real_store.query("SELECT id, name, date, tier, hf_id FROM releases ORDER BY id")
    assert bundled.query("SELECT id, name, date, tier, hf_id FROM releases ORDER BY id") == fresh
    bundled.close()


def test_a_new_store_is_seeded_from_the_bundle(tmp_path) -> None:
    import pyarrow.parquet as pq

    from robinet.store import open_store
    from robinet.store.snapshot import bundled_dir

    bundled = pq.read_metadata(bundled_dir() / "releases.parquet").num_rows
    with open_store(tmp_path / "new" / "robinet.duckdb") as store:
        assert store.count("releases") == bundled > 2000
        assert store.scalar("SELECT kind FROM snapshots ORDER BY id DESC LIMIT 1") == "bundled"


def test_findings_come_first_and_each_names_its_command(built_report: BuiltReport) -> None:
    keys = [s.key for s in built_report.report.sections]
    assert keys[0] == "findings"
    rows = built_report.section("findings").rows
    assert 5 <= len(rows) <= 8
    for r in rows:
        assert r["command"].startswith("robinet ") and any(ch.isdigit() for ch in r["finding"])


def test_findings_leader_counts_match_the_store(
    real_store: Store, built_report: BuiltReport
) -> None:
    (lead,) = [
        r for r in built_report.section("findings").rows if "published the most" in r["finding"]
    ]
    half = lead["numbers"]["half_year"]
    year, h = int(half[:4]), int(half[-1])
    counts = {
        r["region"]: r["n"]
        for r in real_store.query(
            "SELECT region, count(*) AS n FROM releases WHERE year(date) = ? "
            "AND (CASE WHEN month(date) <= 6 THEN 1 ELSE 2 END) = ? "
            "AND tier IN ('open-unrestricted', 'open-restricted', 'open-noncommercial') "
            "AND region IS NOT NULL GROUP BY region",
            [year, h],
        )
    }
    top = max(counts, key=lambda k: counts[k])
    assert lead["numbers"][top] == counts[top]
    # the half-year is the last one every Epoch table covers to its end
    end = min(
        r["date_max"]
        for r in real_store.query("SELECT date_max FROM sources WHERE name LIKE 'epoch%'")
    )
    assert (year, h) <= (end.year, 1 if end.month <= 6 else 2)


def test_every_chart_has_a_title_and_axis_labels(built_report: BuiltReport) -> None:
    for s in built_report.report.sections:
        if s.figure is None:
            continue
        layout = s.figure.layout
        assert layout.title.text, s.key
        assert layout.xaxis.title.text or s.key == "openness", s.key


def test_tier_colours_are_distinct() -> None:
    from robinet.report.landscape import TIER_COLORS

    assert len(set(TIER_COLORS.values())) == len(TIER_COLORS)


def test_sources_say_what_each_copy_is(real_store: Store, built_report: BuiltReport) -> None:
    rows = {r["name"]: r for r in built_report.section("sources").rows}
    origin = real_store.scalar("SELECT origin FROM sources WHERE name = 'epoch-all'")
    assert rows["epoch-all"]["copy"].startswith("a third-party copy of Epoch AI's data")
    assert origin in rows["epoch-all"]["copy"]


def test_built_on_counts_derivatives_per_root(real_store: Store, built_report: BuiltReport) -> None:
    rows = built_report.section("built_on").rows
    top = rows[0]
    expected = real_store.scalar(
        "SELECT count(DISTINCT model) FROM lineage_closure WHERE ancestor = ?", [top["root"]]
    )
    assert top["derivatives"] == expected
    assert sum(top[f"by_{r}"] for r in ("US", "CN", "EU", "other", "unknown")) == expected


def test_legacy_hub_ids_are_placed_by_the_curated_mapping() -> None:
    from robinet.report.hub_sections import legacy_ids, legacy_organization

    assert all(m.source.startswith("https://") for m in legacy_ids())
    bert, roberta, t5 = (
        legacy_organization(i) for i in ("bert-base-uncased", "roberta-base", "t5-base")
    )
    assert bert and t5 and roberta
    assert (bert.organization, t5.organization, roberta.organization) == (
        "google",
        "google",
        "meta",
    )
    assert legacy_organization("someone/bert-base-uncased") is None


def test_partial_half_years_follow_the_sources_coverage(real_store: Store) -> None:
    from robinet.report.findings import release_coverage

    cov = release_coverage(real_store)
    end = min(
        r["date_max"]
        for r in real_store.query("SELECT date_max FROM sources WHERE name LIKE 'epoch%'")
    )
    assert cov.covered_until == end
    assert cov.partial("2025-H1") and not cov.partial("2024-H2")
