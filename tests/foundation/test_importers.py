"""The importers on the real rows copied into data/sources, checked against the CSVs."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
from tests.conftest import SOURCES

from robinet.sources.arena import ArenaSource, tier_from_arena_license
from robinet.sources.catalog import catalog_files, load_entries
from robinet.sources.catalog import default_path as catalog_path
from robinet.sources.epoch import NOTABLE, EpochSource
from robinet.store import Store
from robinet.store.ingest import ingest
from robinet.store.pipeline import build_all

EPOCH_FILES = {  # in the priority order the merge uses
    "large_scale_ai_models.csv": ("Model", "Publication date", "Country (of organization)"),
    "notable_ai_models.csv": ("Model", "Publication date", "Country (from Organization)"),
    "all_ai_models.csv": ("Model", "Publication date", "Country (from Organization)"),
    "epoch_capabilities_index.csv": ("Model name", "Release date", "Country"),
}


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def test_chinese_open_weight_releases_of_2024_match_the_csvs(real_store: Store) -> None:
    # Independently of the importer: the first file (by priority) to name a model decides.
    decided: dict[str, bool] = {}
    for file, (name_col, date_col, country_col) in EPOCH_FILES.items():
        with (SOURCES / "epoch" / file).open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                key = _key(row[name_col])
                if key and key not in decided:
                    decided[key] = (
                        row[date_col].startswith("2024")
                        and "China" in row[country_col]
                        and row["Model accessibility"].startswith("Open weights")
                    )
    # A name the curated catalog gives as an alias of a release is that release.
    alias = {
        _key(a): _key(e["name"])
        for path in catalog_files(catalog_path())
        for e in load_entries(path)
        for a in e.get("aliases", [])
    }
    expected = {alias.get(k, k) for k, v in decided.items() if v}
    rows = real_store.query(
        """SELECT name, sources FROM releases WHERE year(coalesce(announced, available)) = 2024
           AND list_contains(countries, 'CN') AND tier LIKE 'open-%'"""
    )
    found = {_key(r["name"]): r["sources"] for r in rows}
    assert expected <= set(found)
    # Any other is a release the curated catalog dates (Epoch AI lists it otherwise, or not).
    assert all("catalog" in found[k] for k in set(found) - expected), set(found) - expected
    assert len(expected) > 50


def test_notable_row_count_matches_the_csv(real_store: Store) -> None:
    with (SOURCES / "epoch" / "notable_ai_models.csv").open(newline="", encoding="utf-8") as h:
        named = sum(1 for row in csv.DictReader(h) if row["Model"].strip())
    assert (
        real_store.scalar("SELECT count(*) FROM release_facts WHERE source = 'epoch-notable'")
        == named
    )


@pytest.mark.parametrize(
    ("release", "date", "countries", "tier", "org"),
    [
        ("deepseek-r1", dt.date(2025, 1, 20), ["CN"], "open-unrestricted", "deepseek"),
        ("llama-3-1-405b", dt.date(2024, 7, 23), ["US"], "open-restricted", "meta"),
        ("gpt-4o", dt.date(2024, 5, 13), ["US"], "api", "openai"),
        ("llama-4-behemoth-preview", dt.date(2025, 4, 5), ["US"], "unreleased", "meta"),
        ("gpt-oss-120b", dt.date(2025, 8, 5), ["US"], "open-unrestricted", "openai"),
        # Baidu open-sourced ERNIE 4.5 on 2025-06-30 (the catalog; Epoch AI has 06-29)
        ("ernie-4-5-300b-a47b", dt.date(2025, 6, 30), ["CN"], "open-unrestricted", "baidu"),
    ],
)
def test_landmark_releases(real_store, release, date, countries, tier, org) -> None:
    row = real_store.query("SELECT * FROM releases WHERE id = ?", [release])[0]
    assert (row["date"], row["countries"], row["tier"], row["organization"]) == (
        date,
        countries,
        tier,
        org,
    )


def test_same_release_in_several_sources_is_one_release(real_store: Store) -> None:
    row = real_store.query("SELECT * FROM releases WHERE id = 'deepseek-r1'")[0]
    listed = ["epoch-large-scale", "epoch-notable", "epoch-all", "epoch-eci", "interconnects"]
    assert [s for s in row["sources"] if s != "catalog"] == listed  # and the catalog, if curated
    assert row["hf_id"] == "deepseek-ai/DeepSeek-R1"
    dupes = real_store.query("SELECT id, count(*) n FROM releases GROUP BY id HAVING n > 1")
    assert dupes == []


def test_same_name_from_unrelated_labs_stays_apart(memory_store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "epoch"
    folder.mkdir()
    header = (SOURCES / "epoch" / "notable_ai_models.csv").open().readline()
    cols = next(csv.reader([header]))
    with (folder / "notable_ai_models.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, cols)
        writer.writeheader()
        writer.writerow({"Model": "Transformer", "Organization": "Google Brain"})
        writer.writerow({"Model": "Transformer", "Organization": "Some Startup"})
    ingest(memory_store, EpochSource(NOTABLE).read(tmp_path))
    ids = sorted(r["id"] for r in memory_store.query("SELECT id FROM releases"))
    assert ids == ["transformer", "transformer--some-startup"]


def test_alibaba_is_one_organization_across_sources(real_store: Store) -> None:
    org = real_store.query("SELECT * FROM organizations WHERE id = 'alibaba'")[0]
    assert {"Qwen", "Alibaba-NLP"} <= set(org["hf_orgs"])
    assert org["country"] == "CN" and org["region"] == "CN"
    sources = set(org["source"].split(","))
    assert {"epoch-notable", "interconnects", "arena"} <= sources
    assert (
        real_store.scalar(
            "SELECT count(*) FROM releases WHERE hf_id LIKE 'Qwen/%' AND organization != 'alibaba'"
        )
        == 0
    )


def test_bad_rows_are_kept_out_with_file_and_row(memory_store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "epoch"
    folder.mkdir()
    cols = next(csv.reader([(SOURCES / "epoch" / "notable_ai_models.csv").open().readline()]))
    with (folder / "notable_ai_models.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, cols)
        writer.writeheader()
        writer.writerow({"Model": "Good", "Publication date": "2024-02-03"})
        writer.writerow({"Model": "Bad date", "Publication date": "2024-13-45"})
        writer.writerow({"Model": "", "Publication date": "2024-01-01"})
        writer.writerow({"Model": "Odd access", "Model accessibility": "Leaked"})
        writer.writerow({"Model": "Odd number", "Parameters": "lots"})
    result = ingest(memory_store, EpochSource(NOTABLE).read(tmp_path))
    assert result.rows_read == 5 and result.rows_rejected == 3
    warnings = memory_store.query(
        "SELECT file, row, field, message FROM import_warnings ORDER BY row"
    )
    assert [(w["row"], w["field"]) for w in warnings] == [
        (2, None),
        (3, None),
        (4, None),
        (5, "Parameters"),
    ]
    assert all(w["file"] == "epoch/notable_ai_models.csv" for w in warnings)
    assert memory_store.scalar("SELECT rows_rejected FROM sources") == 3
    names = {r["name"] for r in memory_store.query("SELECT name FROM releases")}
    assert names == {"Good", "Odd number"}


def test_import_is_transactional(memory_store: Store, monkeypatch) -> None:
    build_all(memory_store, SOURCES)
    before = {t: memory_store.count(t) for t in ("releases", "release_facts", "sources")}
    import robinet.store.merge as merge

    def fail(store: Store) -> None:
        raise RuntimeError("injected failure after the rows were written")

    monkeypatch.setattr(merge, "rebuild_derived", fail)
    with pytest.raises(RuntimeError, match="injected"):
        ingest(memory_store, EpochSource(NOTABLE).read(SOURCES))
    after = {t: memory_store.count(t) for t in ("releases", "release_facts", "sources")}
    assert after == before


def test_arena_snapshots_are_dated_and_tiered(real_store: Store) -> None:
    n_files = len(list((SOURCES / "arena" / "lmsys_snapshots").glob("*.csv")))
    assert real_store.scalar("SELECT count(DISTINCT snapshot_date) FROM arena_entries") == n_files
    assert tier_from_arena_license("Proprietary").value == "api"
    assert tier_from_arena_license("Llama 3.1 Community").value == "open-restricted"
    assert tier_from_arena_license("CC-BY-NC-4.0").value == "open-noncommercial"
    assert tier_from_arena_license("Other") is None
    # Every row of every snapshot is there (the arena_elo column of the oldest file included).
    total = 0
    for path in (SOURCES / "arena" / "lmsys_snapshots").glob("*.csv"):
        with path.open(newline="") as handle:
            total += sum(1 for _ in csv.DictReader(handle))
    assert real_store.count("arena_entries") == total
    meta = real_store.query(
        "SELECT DISTINCT organization FROM arena_entries WHERE organization_raw = 'Meta'"
    )
    assert meta == [{"organization": "meta"}]
    assert ArenaSource.info.license == "MPL-2.0"
