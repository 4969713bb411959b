"""Verdicts for the classic compliance questions, each reason citing clause and quote."""

from __future__ import annotations

import pytest

from robinet.errors import NotFoundError, UsageError
from robinet.licenses import KnowledgeBase, check, use_context
from robinet.licenses import UseContext as UseCase
from robinet.licenses.normalize import phrase
from robinet.model import Decision, Verdict


def assert_cited(verdict: Verdict, kb: KnowledgeBase) -> None:
    assert verdict.reasons
    for r in verdict.reasons:
        assert r.clause and r.explanation
        assert f" {phrase(r.quote)} " in f" {phrase(kb.get(r.license).text())} "


def test_llama31_above_700m_users_is_denied(kb: KnowledgeBase) -> None:
    v = check("llama-3.1-license-2024", UseCase(use="commercial", monthly_users=800_000_000))
    assert v.decision == Decision.DENY
    assert v.reasons[0].clause == "2" and "700 million" in v.reasons[0].quote
    assert_cited(v, kb)


def test_llama31_commercial_in_germany_5m_users_is_conditional(kb: KnowledgeBase) -> None:
    v = check(
        "llama-3.1-license-2024",
        use_context(monthly_users=5_000_000, region="DE", distribution="hosted"),
    )
    assert v.decision == Decision.CONDITIONAL
    assert "display 'Built with Llama'" in v.conditions
    assert any("llama-3.1-aup-2024" in c for c in v.conditions)
    assert_cited(v, kb)


def test_llama32_multimodal_in_the_eu(kb: KnowledgeBase) -> None:
    eu = check("llama-3.2-license-2024", use_context(region="FR", modality="multimodal"))
    assert eu.decision == Decision.DENY
    assert eu.reasons[0].license == "llama-3.2-aup-2024"
    text_only = check("llama-3.2-license-2024", use_context(region="FR", modality="text"))
    assert text_only.decision == Decision.CONDITIONAL
    us = check("llama-4-cla-2025", use_context(region="US", modality="multimodal"))
    assert us.decision == Decision.CONDITIONAL
    assert_cited(eu, kb)


def test_hunyuan_in_germany_is_denied(kb: KnowledgeBase) -> None:
    v = check("tencent-hunyuan-community-2024", use_context(region="DE", monthly_users=5_000_000))
    assert v.decision == Decision.DENY
    assert "European Union" in v.reasons[0].quote
    for cc in ("GB", "UK", "KR"):
        assert check("tencent-hunyuan-3d-2.0-cla", use_context(region=cc)).decision == Decision.DENY
    assert (
        check("tencent-hunyuan-community-2024", use_context(region="GB")).decision != Decision.DENY
    )
    assert_cited(v, kb)


def test_qwen_research_license_for_a_commercial_product(kb: KnowledgeBase) -> None:
    v = check("tongyi-qianwen-research-2023", UseCase(use="commercial"))
    assert v.decision == Decision.DENY
    assert any("NON-COMMERCIAL" in r.quote for r in v.reasons)
    assert check("tongyi-qianwen-research-2023", UseCase(use="research")).decision != Decision.DENY
    assert_cited(v, kb)


def test_training_another_model_on_llama2_outputs(kb: KnowledgeBase) -> None:
    v = check("llama-2-license-2023", UseCase(use="research", train_on_outputs=True))
    assert v.decision == Decision.DENY
    assert v.reasons[0].clause == "1.b.v"
    # Llama 3.1 allows it, with the name prefix when the model is distributed
    v31 = check("llama-3.1-license-2024", use_context(train_on_outputs=True, redistribute=True))
    assert v31.decision == Decision.CONDITIONAL
    assert any("'Llama'" in c for c in v31.conditions)
    assert_cited(v, kb)


def test_deepseek_for_military_use(kb: KnowledgeBase) -> None:
    v = check("deepseek-la-1.0", use_context(purposes="military"))
    assert v.decision == Decision.DENY
    assert v.reasons[0].quote == "For military use in any way"
    # the use restrictions bind every use: never a plain allow
    ok = check("deepseek-la-1.0", use_context(monthly_users=2_000_000_000, region="DE"))
    assert ok.decision == Decision.CONDITIONAL
    assert [o.kind for o in ok.obligations] == ["use-policy-compliance"]
    assert_cited(v, kb)


def test_permissive_and_noncommercial(kb: KnowledgeBase) -> None:
    assert check("mit", UseCase()).decision == Decision.ALLOW
    mit = check("mit", use_context(redistribute=True))
    assert mit.decision == Decision.CONDITIONAL
    assert check("cc-by-nc-4.0", UseCase()).decision == Decision.DENY
    assert check("cc-by-nc-4.0", UseCase(use="personal")).decision == Decision.ALLOW
    assert check("cc-by-nc-nd-4.0", use_context(use="research", redistribute=True)).decision == (
        Decision.DENY
    )


def test_naming_and_thresholds(kb: KnowledgeBase) -> None:
    bad = check(
        "llama-3.1-license-2024", use_context(redistribute=True, derivative_name="SuperChat-8B")
    )
    assert bad.decision == Decision.DENY
    good = check(
        "llama-3.1-license-2024", use_context(redistribute=True, derivative_name="Llama-Chat")
    )
    assert good.decision == Decision.CONDITIONAL
    qwen = check("qwen-2024", UseCase(monthly_users=150_000_000))
    assert qwen.decision == Decision.DENY
    assert check("qwen-2024", UseCase(use="research", monthly_users=150_000_000)).decision == (
        Decision.ALLOW
    )
    kimi = check(
        "moonshot-ai-modified-mit-2025", UseCase(monthly_users=200_000_000, distribution="hosted")
    )
    assert kimi.decision == Decision.CONDITIONAL
    assert any("Kimi K2" in c for c in kimi.conditions)
    small = UseCase(monthly_users=1000, annual_revenue=5_000_000, distribution="hosted")
    assert check("moonshot-ai-modified-mit-2025", small).decision == Decision.ALLOW


def test_purposes_are_a_taxonomy_not_words() -> None:
    with pytest.raises(UsageError, match="did you mean 'military'"):
        use_context(purposes="militray")
    described = check("deepseek-la-1.0", use_context(purpose_text="not for military use"))
    assert described.decision == Decision.CONDITIONAL  # free text never decides
    assert "military" in {p.category for p in described.to_confirm}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"use": "evil"},
        {"modality": "smell"},
        {"licensee_country": "Germany"},
        {"distribution": "shared"},
        {"monthly_users": -1},
    ],
)
def test_bad_use_cases(kwargs: dict[str, object]) -> None:
    with pytest.raises(UsageError):
        UseCase(**kwargs)  # type: ignore[arg-type]


def test_unknown_license() -> None:
    with pytest.raises(NotFoundError):
        check("no-such-license", UseCase())


@pytest.mark.parametrize("use", ["commercial", "research", "personal"])
def test_every_license_gets_a_verdict(kb: KnowledgeBase, use: str) -> None:
    for entry in kb.entries:
        v = check(entry.id, use_context(use=use, redistribute=True, train_on_outputs=True))
        assert v.decision in Decision
        if v.decision != Decision.ALLOW:
            assert v.reasons
