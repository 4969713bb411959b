"""The EU status of real releases: compute from the Epoch CSVs, licenses from robinet's
knowledge base. Each test quotes the provision that decides it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from tests.duties.epoch import facts_from_epoch

from robinet.duties import ModelFacts, assess
from robinet.errors import NotFoundError, UsageError
from robinet.jsonable import dump_json
from robinet.licenses import knowledge_base

GPAI_FROM = dt.date(2025, 8, 2)
LEGACY_DEADLINE = dt.date(2027, 8, 2)


def applies(result, duty_id: str) -> bool | None:
    return result.duty(duty_id).applies


def test_the_licenses_used_here_are_real_knowledge_base_ids() -> None:
    kb = knowledge_base()
    for license_id in (
        "llama-3.1-license-2024",
        "apache-2.0",
        "mit",
        "qwen-2024",
        "bigscience-open-rail-m",
        "cc-by-nc-4.0",
    ):
        assert license_id in kb


def test_llama_3_1_405b_is_presumed_to_present_systemic_risk() -> None:
    # Art. 51(2): "presumed to have high impact capabilities ... when the cumulative amount of
    # computation used for its training measured in floating point operations is greater
    # than 10²⁵." Epoch: 3.8e25 FLOP. License: the Llama 3.1 Community License.
    facts = facts_from_epoch("Llama 3.1-405B", license="llama-3.1-license-2024")
    assert facts.training_compute_flop == pytest.approx(3.8e25)
    result = assess(facts, "eu")
    assert (result.gpai, result.systemic_risk, result.open_source_exemption) == (
        True,
        True,
        False,
    )
    for duty_id in (
        "eu.art-53-1-a",
        "eu.art-53-1-b",
        "eu.art-53-1-c",
        "eu.art-53-1-d",
        "eu.art-54-1",  # Meta is established in the US, a third country
        "eu.art-52-1",
        "eu.art-55-1",
    ):
        assert applies(result, duty_id) is True, duty_id
    # Art. 111(3): "placed on the market before 2 August 2025 ... comply ... by 2 August 2027"
    # (published 2024-07-23)
    duty = result.duty("eu.art-55-1")
    assert duty.applies_from == GPAI_FROM
    assert duty.comply_by == LEGACY_DEADLINE
    assert "3.8e+25 FLOP" in result.findings[1].why


def test_llama_license_disqualifies_by_its_user_threshold_and_use_policy() -> None:
    # Guidelines para. 83: "usage restrictions triggered by user scale thresholds (e.g.
    # requiring additional licensing if monthly active users exceed a certain number)".
    result = assess(facts_from_epoch("Llama 3.1-405B", license="llama-3.1-license-2024"), "eu")
    check = result.license_check
    assert check is not None and check.free_open_source is False
    kinds = {r.kind: r.provision for r in check.reasons if not r.qualifies}
    assert kinds["user_threshold"] == "eu.guidelines.licence-user-threshold"
    assert kinds["acceptable_use"] == "eu.guidelines.licence-usage"
    assert "700,000,000 monthly active users" in check.why


def test_olmo_2_7b_under_apache_keeps_only_copyright_and_training_summary() -> None:
    # Art. 53(2): "The obligations set out in paragraph 1, points (a) and (b), shall not apply
    # to providers of AI models that are released under a free and open-source licence ...";
    # Art. 54(6) lifts the representative too. Epoch: 1.8e23 FLOP, above 10²³ (a GPAI
    # model), below 10²⁵. License: Apache-2.0, weights and code published by Ai2.
    facts = facts_from_epoch("OLMo 2 Furious 7B", license="apache-2.0")
    assert facts.training_compute_flop == pytest.approx(1.8e23)
    result = assess(facts, "eu")
    assert (result.gpai, result.systemic_risk, result.open_source_exemption) == (
        True,
        False,
        True,
    )
    assert applies(result, "eu.art-53-1-a") is False
    assert applies(result, "eu.art-53-1-b") is False
    assert applies(result, "eu.art-53-1-c") is True  # never lifted
    assert applies(result, "eu.art-53-1-d") is True  # never lifted
    assert applies(result, "eu.art-54-1") is False
    assert "Art. 54(6)" in result.duty("eu.art-54-1").why
    assert applies(result, "eu.art-55-1") is False


def test_llama_2_7b_is_under_the_indicative_criterion() -> None:
    # Guidelines para. 17: "its training compute is greater than 10²³ FLOP and it can
    # generate language". Epoch: Llama 2-7B, 8.4e22 FLOP.
    facts = facts_from_epoch("Llama 2-7B", license="llama-2-license-2023")
    assert facts.training_compute_flop == pytest.approx(8.4e22)
    result = assess(facts, "eu")
    assert result.gpai is False
    assert result.systemic_risk is False
    assert {d.applies for d in result.duties} == {False}
    assert "para. 20" in result.findings[0].why  # the criterion is indicative


def test_deepseek_r1_under_mit_is_exempt_even_from_a_chinese_provider() -> None:
    # Art. 54(6): "The obligation set out in this Article shall not apply to providers of
    # general-purpose AI models that are released under a free and open-source licence ...
    # unless the general-purpose AI models present systemic risks." Epoch: 5.17e24 FLOP.
    facts = facts_from_epoch("DeepSeek-R1", license="mit")
    assert facts.organization_country == "CN"
    result = assess(facts, "eu")
    assert (result.gpai, result.systemic_risk, result.open_source_exemption) == (
        True,
        False,
        True,
    )
    assert applies(result, "eu.art-54-1") is False
    assert "CN, a third country" in result.duty("eu.art-54-1").why


def test_qwen_2_5_72b_license_has_a_user_cap() -> None:
    # Guidelines para. 83: "usage restrictions triggered by user scale thresholds". The Qwen
    # license asks for a separate license above 100 million monthly active users.
    facts = facts_from_epoch("Qwen2.5-72B", license="qwen-2024")
    result = assess(facts, "eu")
    assert (result.gpai, result.systemic_risk, result.open_source_exemption) == (
        True,
        False,
        False,
    )
    assert applies(result, "eu.art-53-1-a") is True
    assert applies(result, "eu.art-54-1") is True  # Alibaba: established in CN


def test_bloom_under_openrail_m_has_use_restrictions() -> None:
    # Guidelines para. 80: "The licence should allow the model to be used without any
    # restrictions besides restrictions ensuring attribution and distribution ... under the
    # same or comparable terms." BLOOM-176B: BigScience OpenRAIL-M, 3.66e23 FLOP.
    facts = facts_from_epoch("BLOOM-176B", license="bigscience-open-rail-m")
    result = assess(facts, "eu")
    assert result.gpai is True
    assert result.open_source_exemption is False
    check = result.license_check
    assert check is not None
    assert [r.kind for r in check.reasons if not r.qualifies] == ["field_of_use"]
    assert "para. 84" in check.why  # the Commission's case-by-case allowance is named


def test_nvlm_d_72b_under_cc_by_nc_is_non_commercial() -> None:
    # Guidelines para. 83: "limitations to non-commercial or research-only use". NVLM-D 72B:
    # CC-BY-NC-4.0, 3.02e24 FLOP (Epoch, notable models; domains Vision, Language).
    facts = facts_from_epoch("NVLM-D 72B", license="cc-by-nc-4.0", file="notable_ai_models.csv")
    result = assess(facts, "eu")
    assert (result.gpai, result.open_source_exemption) == (True, False)
    check = result.license_check
    assert check is not None
    assert [r.provision for r in check.reasons if not r.qualifies] == [
        "eu.guidelines.licence-noncommercial"
    ]


def test_unknown_compute_gives_null_never_a_guess() -> None:
    # Art. 51(2) and the guidelines' criterion both turn on the training compute: Epoch has
    # none for Mixtral 8x22B, so robinet answers null rather than estimate it.
    facts = facts_from_epoch("Mixtral 8x22B", license="apache-2.0")
    assert facts.training_compute_flop is None
    result = assess(facts, "eu")
    assert (result.gpai, result.systemic_risk, result.open_source_exemption) == (None, None, None)
    assert result.compute_flop is None
    assert {d.applies for d in result.duties} == {None}
    assert "does not guess" in result.findings[0].why
    assert result.to_json()["gpai"] is None


def test_systemic_risk_defeats_the_exemption_whatever_the_license() -> None:
    # Art. 53(2): "This exception shall not apply to general-purpose AI models with systemic
    # risks." Mistral Large 2: 2.13e25 FLOP; its Mistral Research License is not in the
    # knowledge base, yet the answer is certain.
    facts = facts_from_epoch(
        "Mistral Large 2", license="mistral-research-license", file="notable_ai_models.csv"
    )
    result = assess(facts, "eu")
    assert result.license_check is not None and result.license_check.free_open_source is None
    assert (result.systemic_risk, result.open_source_exemption) == (True, False)
    # Art. 54(1) binds "providers established in third countries": Mistral AI is in France
    assert applies(result, "eu.art-54-1") is False
    assert "FR, a Member State" in result.duty("eu.art-54-1").why


def test_a_vision_model_does_not_meet_the_criterion() -> None:
    # Guidelines para. 17 counts models that "generate language ..., text-to-image or
    # text-to-video": ViT-22B (Epoch: Vision, 1.93e23 FLOP) generates none.
    result = assess(facts_from_epoch("ViT-22B", license="apache-2.0"), "eu")
    assert result.gpai is False


def test_a_speech_model_without_tasks_is_undecided() -> None:
    # Guidelines para. 20: a model trained "specifically for the task of transcribing speech
    # to text" is not one. Epoch gives Whisper v3 the domain Speech and no task.
    result = assess(facts_from_epoch("Whisper v3", license="mit"), "eu")
    assert result.gpai is None


def test_a_model_released_after_2_august_2025_has_no_transition() -> None:
    # Art. 113(b): Chapter V "shall apply from 2 August 2025"; Art. 111(3)'s delay is for
    # models placed on the market before. Olmo 3: 2025-11-20, 1.1e24 FLOP, Apache-2.0.
    facts = facts_from_epoch("Olmo 3", license="apache-2.0", file="large_scale_ai_models.csv")
    result = assess(facts, "eu")
    duty = result.duty("eu.art-53-1-c")
    assert duty.applies is True
    assert duty.applies_from == GPAI_FROM
    assert duty.comply_by is None


def test_a_deployer_of_llama_relies_on_the_providers_information() -> None:
    # Art. 53(1)(b): "make available information and documentation to providers of AI
    # systems who intend to integrate the general-purpose AI model into their AI systems".
    # Art. 3(4): a deployer uses "an AI system": Chapter V asks nothing of it as such.
    facts = facts_from_epoch("Llama 3.1-405B", license="llama-3.1-license-2024")
    result = assess(facts, "eu", role="deployer")
    assert result.role == "deployer"
    assert applies(result, "eu.deployer.no-model-duties") is False
    assert applies(result, "eu.deployer.downstream-information") is True
    # Guidelines para. 63: "greater than a third of the training compute of the original model"
    becoming = result.duty("eu.deployer.becoming-provider")
    assert becoming.applies is None
    assert "1.27e+25 FLOP" in becoming.why
    deep_fakes = result.duty("eu.art-50-4")
    assert deep_fakes.applies is None
    assert deep_fakes.applies_from == dt.date(2026, 8, 2)


def test_a_deployer_of_an_exempt_model_reads_its_public_usage_information() -> None:
    # Art. 53(2) lifts point (b) for the provider: nothing is owed downstream beyond the
    # public "information on model usage".
    result = assess(facts_from_epoch("OLMo 2 Furious 7B", license="apache-2.0"), "eu", "deployer")
    info = result.duty("eu.deployer.downstream-information")
    assert info.applies is False
    assert "Art. 53(2)" in info.why


def test_established_in_the_union_or_not() -> None:
    base = facts_from_epoch("OLMo 2 Furious 7B", license="llama-3.1-license-2024")
    cases = {"DE": False, "GB": True, "CH": True, "NO": None}
    for country, expected in cases.items():
        facts = dataclasses.replace(base, organization_country=country)
        assert applies(assess(facts, "eu"), "eu.art-54-1") is expected, country
    by_region = dataclasses.replace(base, organization_country=None, organization_region="EU")
    assert applies(assess(by_region, "eu"), "eu.art-54-1") is None


def test_json_shape_and_disclaimer() -> None:
    result = assess(facts_from_epoch("Llama 3.1-405B", license="llama-3.1-license-2024"), "eu")
    data = json.loads(dump_json(result.to_json()))
    for key in (
        "model",
        "jurisdiction",
        "gpai",
        "systemic_risk",
        "open_source_exemption",
        "compute_flop",
        "duties",
        "disclaimer",
    ):
        assert key in data
    assert data["model"] == "Llama 3.1-405B"
    assert data["jurisdiction"] == "eu"
    assert data["count"] == len(data["duties"])
    assert "not legal advice" in data["disclaimer"]
    duty = data["duties"][0]
    assert set(duty) >= {"id", "article", "applies", "why", "quote", "source", "applies_from"}
    assert duty["applies_from"] == "2025-08-02"
    assert duty["source"].startswith("https://eur-lex.europa.eu/")
    assert data["license_check"]["license"] == "llama-3.1-license-2024"
    assert data["facts"]["license"] == "llama-3.1-license-2024"


def test_bad_arguments() -> None:
    facts = ModelFacts(name="x")
    with pytest.raises(UsageError):
        assess(facts, "eu", role="importer")
    with pytest.raises(NotFoundError):
        assess(facts, "us")
