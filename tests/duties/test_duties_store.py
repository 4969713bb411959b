"""The duties of real releases, from the store built from data/sources: the facts the store
gives the engine, and the EU and CN answers over them. Oracles: the Epoch AI rows and the Hub
sample's license tags, read here with csv."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from pathlib import Path

import pytest
from tests.duties.epoch import EPOCH, epoch_row

from robinet.duties.facts import ReleaseFacts, release_duties, release_facts
from robinet.errors import NotFoundError, UsageError
from robinet.store import Store

HUB = EPOCH.parent / "hf-top-models" / "hf_models.csv"
LARGE = "large_scale_ai_models.csv"  # the first source of a release's compute


@functools.cache
def hub_license_tag(hf_id: str) -> str | None:
    """The `license:` tag of a Hub repository in the Hub sample."""
    with Path(HUB).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["modelId"] == hf_id:
                found = re.search(r"'license:([^']+)'", row["tags"])
                return found.group(1) if found else None
    return None


def _compute(name: str, file: str = LARGE) -> float:
    return float(epoch_row(name, file)["Training compute (FLOP)"])


def _facts(store: Store, name: str) -> ReleaseFacts:
    return release_facts(store, name)


def test_over_1e25_with_a_user_cap_license_is_systemic_risk_and_not_exempt(
    real_store: Store,
) -> None:
    compute = _compute("Llama 3.1-405B")
    assert compute > 1e25
    assert hub_license_tag("meta-llama/Meta-Llama-3.1-405B") == "llama3.1"
    got = release_duties(real_store, "Llama 3.1-405B", "EU")
    assert got.result.compute_flop == compute
    assert got.release.facts.license == "llama-3.1-license-2024"
    assert got.result.compute_source == f"Epoch AI, {LARGE}"
    assert (got.result.gpai, got.result.systemic_risk) == (True, True)
    assert got.result.open_source_exemption is False
    assert got.result.license_check is not None
    kinds = {r.kind for r in got.result.license_check.reasons if not r.qualifies}
    assert "user_threshold" in kinds  # Llama's 700M monthly-user cap
    assert got.result.duty("eu.art-55-1").applies is True
    assert got.result.duty("eu.art-52-1").applies is True
    # Meta is established in the US: an authorised representative, not lifted
    assert got.release.facts.organization_country == "US"
    assert got.result.duty("eu.art-54-1").applies is True


def test_under_1e25_with_apache_is_exempt_from_documentation(real_store: Store) -> None:
    compute = _compute("Qwen2.5-14B")
    assert 1e23 < compute < 1e25
    assert hub_license_tag("Qwen/Qwen2.5-14B") == "apache-2.0"
    got = release_duties(real_store, "Qwen2.5-14B", "eu")
    facts = got.release.facts
    assert facts.training_compute_flop == compute
    assert (facts.license, facts.weights_public, facts.architecture_public) == (
        "apache-2.0",
        True,
        True,
    )
    # the curated catalog's license (vendor's card) or the Hub repo's tag: both apache-2.0
    source = got.release.license_source or ""
    assert "Qwen/Qwen2.5-14B" in source or source.endswith("catalog"), source
    assert (got.result.gpai, got.result.systemic_risk) == (True, False)
    assert got.result.open_source_exemption is True
    assert got.result.duty("eu.art-53-1-a").applies is False  # lifted
    assert got.result.duty("eu.art-53-1-c").applies is True  # never lifted
    assert got.result.duty("eu.art-55-1").applies is False


def test_mit_license_under_the_gpai_threshold(real_store: Store) -> None:
    compute = _compute("ruGPT-3.5 13B", "all_ai_models.csv")
    assert 1e23 < compute < 1e25
    got = release_duties(real_store, "ruGPT-3.5 13B", "eu")
    assert got.release.facts.license == "mit" == hub_license_tag(got.release.hf_id or "")
    assert got.result.open_source_exemption is True


def test_use_restrictions_defeat_the_exemption_under_1e25(real_store: Store) -> None:
    compute = _compute("Gemma 2 27B")
    assert compute < 1e25
    assert hub_license_tag("google/gemma-2-27b") == "gemma"
    got = release_duties(real_store, "Gemma 2 27B", "eu")
    assert got.release.facts.license == "gemma-tou-2024-04-01"
    assert got.result.systemic_risk is False
    assert got.result.open_source_exemption is False
    assert got.result.duty("eu.art-53-1-a").applies is True


def test_non_commercial_terms_defeat_the_exemption(real_store: Store) -> None:
    row = epoch_row("Weblab-10B")
    assert hub_license_tag("matsuo-lab/weblab-10b") == "cc-by-nc-4.0"
    got = release_duties(real_store, "Weblab-10B", "eu")
    assert got.result.compute_flop == float(row["Training compute (FLOP)"])
    assert got.release.facts.license == "cc-by-nc-4.0"
    assert got.result.license_check is not None
    assert got.result.license_check.free_open_source is False
    assert "noncommercial" in {r.kind for r in got.result.license_check.reasons}
    assert got.result.open_source_exemption is False
    assert got.result.gpai is (float(row["Training compute (FLOP)"]) > 1e23)


def test_unknown_compute_gives_null(real_store: Store) -> None:
    # every Epoch row of Mistral 7B leaves the training compute blank
    for file in ("all_ai_models.csv", LARGE):
        assert epoch_row("Mistral 7B", file)["Training compute (FLOP)"] == ""
    got = release_duties(real_store, "Mistral 7B", "eu")
    assert got.result.compute_flop is None
    assert got.result.compute_source is None
    assert (got.result.gpai, got.result.systemic_risk) == (None, None)
    assert got.result.duty("eu.art-53-1-a").applies is None
    doc = got.to_json()
    assert doc["compute_flop"] is None and doc["gpai"] is None


def test_the_facts_follow_the_epoch_row(real_store: Store) -> None:
    row = epoch_row("DeepSeek-V3", LARGE)
    facts = _facts(real_store, "DeepSeek-V3").facts
    # the merge prefers the date the weights became available to the paper's (Epoch's)
    assert facts.released is not None
    published = dt.date.fromisoformat(row["Publication date"])
    assert abs((facts.released - published).days) <= 7
    assert facts.domains == tuple(d.strip() for d in row["Domain"].split(","))
    assert facts.tasks == tuple(t.strip() for t in row["Task"].split(","))
    assert facts.organization_country == "CN"
    # Epoch: "Open weights (restricted use)" is an open tier: weights public
    assert row["Model accessibility"].startswith("Open weights")
    assert facts.weights_public is True


def test_a_closed_release_has_no_public_weights(real_store: Store) -> None:
    row = epoch_row("GPT-4")
    assert row["Model accessibility"] == "API access"
    got = release_duties(real_store, "GPT-4", "eu")
    assert got.release.facts.weights_public is False
    assert got.release.facts.architecture_public is None
    assert got.result.open_source_exemption is False


def test_a_hub_id_finds_its_release(real_store: Store) -> None:
    by_hub = _facts(real_store, "Qwen/Qwen2.5-14B")
    assert by_hub.id == _facts(real_store, "Qwen2.5-14B").id


def test_cn_public_service_and_private_deployment(real_store: Store) -> None:
    public = release_duties(real_store, "DeepSeek-V3", "CN", "deployer", public_service=True).result
    assert public.duty("cn.genai.art-4").applies is True
    assert public.duty("cn.genai.art-12").applies is True
    assert public.duty("cn.genai.art-17").applies is None  # public-opinion attributes unknown
    assert (public.gpai, public.systemic_risk, public.open_source_exemption) == (None,) * 3
    filed = release_duties(
        real_store, "DeepSeek-V3", "cn", "deployer", True, public_opinion=True
    ).result
    assert filed.duty("cn.genai.art-17").applies is True
    private = release_duties(real_store, "DeepSeek-V3", "cn", "deployer").result
    assert all(d.applies is False for d in private.duties)
    assert "第二条" in " ".join(d.article for d in private.duties) or private.findings


def test_unknown_release_has_close_matches(real_store: Store) -> None:
    with pytest.raises(NotFoundError) as caught:
        release_facts(real_store, "Lama 3.1-405B")
    assert caught.value.hint and "Llama 3.1-405B" in caught.value.hint


def test_unknown_jurisdiction_and_role(real_store: Store) -> None:
    with pytest.raises(NotFoundError):
        release_duties(real_store, "DeepSeek-V3", "US")
    with pytest.raises(UsageError):
        release_duties(real_store, "DeepSeek-V3", "eu", role="user")


def test_report_section_assesses_the_focus_flagships_with_the_disclaimer(
    real_store: Store,
) -> None:
    from robinet.report.duties_section import duties_section
    from robinet.report.findings import FOCUS_LABS

    section = duties_section(real_store)
    assert [r["organization"] for r in section.rows] == FOCUS_LABS
    assert "not legal advice" in section.description
    meta = next(r for r in section.rows if r["organization"] == "meta")
    assert meta["compute_flop"] is not None
    assert meta["systemic_risk"] is (meta["compute_flop"] > 1e25)
