"""Release facts through the merge's rules: dated facts, tiers from licenses, families of Hub
repos, primary developers, the curated catalog and `robinet sync epoch`.

The oracles are read here from the repo's copies of the sources (data/sources) and the
catalog YAML, independently of the importers."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from tests.conftest import SOURCES
from typer.testing import CliRunner

from robinet.cli import app
from robinet.sources.catalog import CatalogSource, catalog_files, default_path, load_entries
from robinet.store import Store
from robinet.store.release_rules import dated_key, family_key, tier_from_license, variant_keys

runner = CliRunner()


def _csv(name: str) -> list[dict[str, str]]:
    with (SOURCES / name).open(newline="", encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return list(csv.DictReader(lines))


def _epoch_date(file: str, model: str, column: str = "Publication date") -> dt.date:
    name_col = "Model name" if "capabilities" in file else "Model"
    dates = [r[column] for r in _csv(f"epoch/{file}") if r[name_col] == model and r[column]]
    return min(dt.date.fromisoformat(d) for d in dates)


def _correction(hf_id: str) -> dt.date:
    rows = _csv("interconnects/release_date_corrections.csv")
    return dt.date.fromisoformat(
        next(r for r in rows if r["model_id"] == hf_id)["actual_release_date"]
    )


def _entries() -> list[dict]:
    return [e for path in catalog_files(default_path()) for e in load_entries(path)]


def _catalog(name: str) -> dict:
    return next(e for e in _entries() if e["name"] == name)


def _release(store: Store, where: str, params: list) -> dict:
    rows = store.query(f"SELECT * FROM releases WHERE {where}", params)
    assert len(rows) == 1, rows
    return rows[0]


# -- dates: availability stands for the release, the announcement is kept apart ---------------
def test_weights_released_later_than_the_announcement(real_store: Store) -> None:
    grok = _release(real_store, "id = 'grok-1'", [])
    assert grok["announced"] == _epoch_date("notable_ai_models.csv", "Grok-1")  # 2023-11-04
    assert grok["available"] == _catalog("Grok-1")["available"] == dt.date(2024, 3, 17)
    assert (grok["date"], grok["date_source"]) == (grok["available"], "catalog")


def test_api_availability_dates_the_release(real_store: Store) -> None:
    o3 = _release(real_store, "id = 'o3'", [])
    assert o3["announced"] == _epoch_date("large_scale_ai_models.csv", "o3")  # 2024-12-20
    eci = _epoch_date("epoch_capabilities_index.csv", "o3", "Release date")
    assert o3["date"] == o3["available"] == eci == dt.date(2025, 4, 16)
    assert o3["tier"] == "api"


def test_capabilities_index_release_date_is_availability(real_store: Store) -> None:
    # No catalog entry: the rule alone (ECI 'Release date' -> available) dates GPT-2 1.5B.
    gpt2 = _release(real_store, "id = 'gpt-2-1-5b'", [])
    assert gpt2["announced"] == _epoch_date("notable_ai_models.csv", "GPT-2 (1.5B)")
    assert gpt2["date"] == _epoch_date(
        "epoch_capabilities_index.csv", "GPT-2 (1.5B)", "Release date"
    )
    assert gpt2["date"].month == 11 and gpt2["date_source"] == "epoch-eci"


@pytest.mark.parametrize(
    ("release", "hf_id"),
    [("deepseek-v3", "deepseek-ai/DeepSeek-V3"), ("glm-4-5", "zai-org/GLM-4.5")],
)
def test_a_source_with_the_right_date_wins(real_store: Store, release: str, hf_id: str) -> None:
    row = _release(real_store, "id = ?", [release])
    assert (row["date"], row["date_source"]) == (_correction(hf_id), "interconnects")
    assert row["announced"] != row["date"]  # Epoch's (paper) date is kept as the announcement


def test_a_date_before_the_base_model_is_no_release_date(real_store: Store) -> None:
    base = _epoch_date("large_scale_ai_models.csv", "Llama 3.1-70B")
    epoch_date = _epoch_date("all_ai_models.csv", "Llama-3.1-Nemotron-70B-Instruct")
    assert epoch_date < base  # the source row's date precedes Llama 3.1 itself
    row = _release(real_store, "id = 'llama-3-1-nemotron-70b-instruct'", [])
    assert row["date"] is None or row["date"] >= base
    warned = real_store.query(
        "SELECT source, file, row, field FROM import_warnings WHERE stage = 'merge' "
        "AND message LIKE 'Llama-3.1-Nemotron-70B-Instruct:%precedes its base model%'"
    )
    assert warned and warned[0]["source"] == "epoch-all" and warned[0]["field"] == "announced"


def test_disagreements_beyond_a_week_are_warnings_with_their_location(real_store: Store) -> None:
    rows = real_store.query(
        "SELECT source, file, row, field, message FROM import_warnings "
        "WHERE stage = 'merge' AND field IN ('announced', 'available')"
    )
    assert rows
    assert all(r["source"] and r["file"] and r["row"] and r["field"] for r in rows)
    assert any("GLM-4.5" in r["message"] for r in rows) or any("days" in r["message"] for r in rows)


# -- tiers from the weights' license -----------------------------------------------------------
def test_tier_follows_the_license_terms() -> None:
    assert str(tier_from_license("mit")) == "open-unrestricted"
    assert str(tier_from_license("apache-2.0")) == "open-unrestricted"
    assert str(tier_from_license("qwen-2024")) == "open-restricted"  # 100M-user threshold
    assert str(tier_from_license("tongyi-qianwen-2023")) == "open-restricted"
    assert str(tier_from_license("llama-3.1-license-2024")) == "open-restricted"
    assert str(tier_from_license("cc-by-nc-4.0")) == "open-noncommercial"
    assert tier_from_license("glm-4-license-2024") is None  # terms unknown: no decision


@pytest.mark.parametrize(
    ("release", "tier", "license_id"),
    [
        ("qwen2-72b", "open-restricted", "tongyi-qianwen-2023"),
        ("qwen2-5-72b", "open-restricted", "qwen-2024"),
        ("phi-4-mini", "open-unrestricted", "mit"),
    ],
)
def test_license_overrules_access_labels(real_store, release, tier, license_id) -> None:
    row = _release(real_store, "id = ?", [release])
    assert (row["tier"], row["license_id"]) == (tier, license_id)
    assert row["tier_source"] == f"license {license_id} (catalog)"
    labels = {r["Model accessibility"] for r in _csv("epoch/all_ai_models.csv")
              if r["Model"] == row["name"]}  # fmt: skip
    assert labels and labels != {tier}  # Epoch's label said otherwise


def test_a_derivative_carries_its_bases_pass_through_restrictions(real_store: Store) -> None:
    row = _release(real_store, "id = 'deepseek-r1-distill-llama-70b'", [])
    assert row["license_id"] == "mit"  # its own terms
    assert row["tier"] == "open-restricted"  # Llama 3.3's use restrictions pass through
    assert row["tier_source"].startswith("license llama-3.3-license-2024 (base ")


# -- duplicates and families --------------------------------------------------------------------
def test_a_release_named_by_its_month_is_its_dated_repo(real_store: Store) -> None:
    assert dated_key("DeepSeek-V3 (Mar 2025)") == dated_key("DeepSeek-V3-0324")
    assert dated_key("Qwen3-235B-A22B-Instruct-2507") == "qwen3-235b-a22b-instruct@07"
    holders = real_store.query(
        "SELECT id, sources FROM releases WHERE list_contains(hf_ids, ?)",
        ["deepseek-ai/DeepSeek-V3-0324"],
    )
    assert len(holders) == 1 and "epoch-large-scale" in holders[0]["sources"]
    assert not real_store.query("SELECT id FROM releases WHERE id = 'deepseek-v3-0324'")


def test_catalog_aliases_merge_duplicates(real_store: Store) -> None:
    names = {r["Model"] for r in _csv("epoch/notable_ai_models.csv")} | {
        r["Model"] for r in _csv("epoch/large_scale_ai_models.csv")
    }
    assert {"Llama 3.3", "Llama 3.3 70B"} <= names  # two spellings in Epoch's tables
    rows = real_store.query(
        "SELECT DISTINCT release_id FROM release_facts WHERE name IN ('Llama 3.3', 'Llama 3.3 70B')"
    )
    assert len(rows) == 1


def test_variant_rules() -> None:
    assert variant_keys("Qwen2.5-72B-Instruct-AWQ") == ["qwen2-5-72b-instruct", "qwen2-5-72b"]
    assert variant_keys("GLM-4.5-Air-FP8") == ["glm-4-5-air"]
    assert family_key("Qwen3-235B-A22B-Instruct") == "qwen3"
    assert family_key("Mixtral-8x7B-Instruct") == "mixtral"


def test_hub_repos_are_variants_of_their_release(real_store: Store) -> None:
    listed = {r["modelId"] for r in _csv("interconnects/models.csv")}
    assert "Qwen/Qwen2.5-72B-Instruct" in listed
    rows = real_store.query(
        "SELECT f.hf_id, r.id, r.date FROM release_facts f JOIN releases r ON r.id = f.release_id "
        "WHERE f.source = 'interconnects' AND f.hf_id LIKE 'Qwen/Qwen2.5-72B-Instruct%'"
    )
    assert rows and {(r["id"], r["date"]) for r in rows} == {("qwen2-5-72b", dt.date(2024, 9, 19))}


def test_repos_without_a_release_are_models_of_their_organization(real_store: Store) -> None:
    listed = len(_csv("interconnects/models.csv")) + len(_csv("interconnects/extra_models.csv"))
    loose = real_store.scalar(
        "SELECT count(*) FROM release_facts WHERE source = 'interconnects' AND release_id IS NULL"
    )
    assert 0 < loose < listed
    # None of them is a release; every undated repo is counted by `robinet sources`.
    from robinet.store.queries.landscape import list_organizations, list_sources

    source = next(s for s in list_sources(real_store) if s.name == "interconnects")
    assert source.rows_without_release == loose
    assert source.rows_undated >= loose
    assert sum(o.hub_repos for o in list_organizations(real_store)) == loose


# -- provenance and the primary developer ------------------------------------------------------
def test_every_field_names_its_source(real_store: Store) -> None:
    missing = real_store.scalar(
        "SELECT count(*) FROM releases WHERE (date IS NOT NULL AND date_source IS NULL) "
        "OR (tier IS NOT NULL AND tier_source IS NULL) "
        "OR (organization IS NOT NULL AND organization_source IS NULL) "
        "OR (license_id IS NOT NULL AND license_source IS NULL)"
    )
    assert missing == 0


def _eci_versions(model: str) -> dict[str, dt.date]:
    rows = _csv("epoch/epoch_capabilities_index.csv")
    return {
        r["Model version"]: dt.date.fromisoformat(r["Release date"])
        for r in rows
        if r["Model name"] == model and r["Release date"]
    }


@pytest.mark.parametrize(
    ("model", "preview", "general"),
    [
        # a preview model with weights of its own, then the final release three months on
        ("QwQ-32B", "QwQ-32B-Preview", "QwQ-32B"),
        # an experiment in the API in December 2024, generally available in February 2025
        ("Gemini 2.0 Flash", "gemini-exp-1206", "gemini-2.0-flash-001"),
    ],
)
def test_a_preview_version_announces_the_model_it_does_not_release_it(
    model: str, preview: str, general: str
) -> None:
    from robinet.sources.epoch import ECI, EpochSource

    versions = _eci_versions(model)
    assert versions[preview] < versions[general]
    batch = EpochSource(ECI).read(SOURCES)
    (fact,) = [f for f in batch.rows["release_facts"] if f["name"] == model]
    assert fact["available"] == fact["date"] == versions[general]
    assert fact["announced"] == versions[preview]


def test_a_date_after_the_weights_were_on_the_hub_dates_a_later_version(real_store) -> None:
    # The ECI dates 'qwen2.5-14b-instruct' 2025-02-26; the Hub sample of 2024-09 shows the repo
    # last changed on 2024-09-19, the day Epoch's model table publishes Qwen2.5-14B.
    hub = {r["modelId"]: r["lastModified"][:10] for r in _csv("hf-top-models/hf_models.csv")}
    seen = dt.date.fromisoformat(hub["Qwen/Qwen2.5-14B-Instruct"])
    eci = _epoch_date("epoch_capabilities_index.csv", "Qwen2.5-14B", "Release date")
    published = _epoch_date("large_scale_ai_models.csv", "Qwen2.5-14B")
    assert (eci - seen).days > 7 and published <= seen
    release = _release(real_store, "id = 'qwen2-5-14b'", [])
    assert release["date"] == published and release["date_source"] != "epoch-eci"
    warnings = real_store.query(
        "SELECT message FROM import_warnings WHERE stage = 'merge' AND source = 'epoch-eci' "
        "AND message LIKE 'Qwen2.5-14B: available%'"
    )
    assert warnings and "Qwen/Qwen2.5-14B-Instruct was on the Hub by 2024-09-19" in str(warnings)


def test_the_hub_namespace_owner_is_the_primary_developer(real_store: Store) -> None:
    rows = real_store.query(
        "SELECT id, organization, organizations FROM releases WHERE hf_id LIKE 'deepseek-ai/%'"
    )
    assert rows and all(r["organization"] == "deepseek" for r in rows)
    assert all(r["organizations"][0] == r["organization"] for r in rows)


# -- the catalog as a source ----------------------------------------------------------------------
def test_every_catalog_fact_has_a_source_url() -> None:
    entries = _entries()
    assert entries
    for entry in entries:
        assert str(entry["url"]).startswith("https://"), entry["name"]
        assert all(str(u).startswith("https://") for u in entry.get("urls", {}).values())


def test_a_bad_catalog_entry_is_kept_out_with_its_row(tmp_path: Path) -> None:
    path = tmp_path / "releases.yaml"
    path.write_text(
        "- {name: Good, organization: meta, available: 2024-01-02, license: mit,"
        " url: 'https://example.org/a'}\n"
        "- {name: No URL, organization: meta, available: 2024-01-02, license: mit}\n"
        "- {name: Odd, organization: meta, available: 2024-01-02, license: not-a-license,"
        " url: 'https://example.org/b'}\n",
        encoding="utf-8",
    )
    batch = CatalogSource(path).read(SOURCES)
    assert [f["name"] for f in batch.rows["release_facts"]] == ["Good"]
    assert [(w.row, w.field) for w in batch.warnings] == [(2, None), (3, None)]
    assert "url" in batch.warnings[0].message and "not-a-license" in batch.warnings[1].message


# -- robinet sync epoch ---------------------------------------------------------------------------
def test_sync_epoch_from_a_recorded_file(tmp_path: Path) -> None:
    rows = [r for r in _csv("epoch/large_scale_ai_models.csv") if r["Model"] in ("Grok-1", "o3")]
    recorded = tmp_path / "large_scale_ai_models.csv"
    with recorded.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    db = tmp_path / "s.duckdb"
    result = runner.invoke(
        app, ["sync", "epoch", "--from", str(recorded), "--db", str(db), "--json"]
    )
    assert result.exit_code == 0, result.output
    with Store.open(db, read_only=True) as store:
        assert store.scalar(
            "SELECT count(*) FROM release_facts WHERE source = 'epoch-large-scale'"
        ) == len(rows)
        origin = store.scalar("SELECT origin FROM sources WHERE name = 'epoch-large-scale'")
        assert origin == str(recorded)


def test_sync_epoch_online_fails_fast_naming_the_url(tmp_path: Path, monkeypatch) -> None:
    from robinet.sources import epoch_sync

    url = "http://127.0.0.1:9/notable_ai_models.csv"  # a closed local port: no network
    monkeypatch.setattr(epoch_sync, "EPOCH_URLS", {"epoch-notable": url})
    result = runner.invoke(app, ["sync", "epoch", "--db", str(tmp_path / "o.duckdb")])
    assert result.exit_code == 3
    assert url in result.output


def test_docs_quote_the_measured_catalog_and_release_counts(real_store: Store) -> None:
    docs = " ".join(
        (Path(__file__).resolve().parents[2] / "docs" / "landscape.md").read_text().split()
    )
    entries = _entries()
    per_lab = Counter(entry["organization"] for entry in entries)
    assert f"holds {len(entries)} releases of {len(per_lab)} labs" in docs
    assert f"DeepSeek {per_lab['deepseek']}, Alibaba {per_lab['alibaba']}" in docs
    counts = real_store.query(
        "SELECT count(*) AS n,"
        " count(*) FILTER (WHERE date IS NOT NULL AND tier IS NOT NULL) AS both,"
        " count(*) FILTER (WHERE 'catalog' = ANY(sources) AND len(sources) > 1) AS joined,"
        " count(*) FILTER (WHERE sources = ['catalog']) AS alone FROM releases"
    )[0]
    assert f"{counts['n']:,} releases, {counts['both']:,} with both a date and a tier" in docs
    assert f"{counts['joined']} entries joined releases" in docs
    assert f"{counts['alone']} are known to the catalog alone" in docs
