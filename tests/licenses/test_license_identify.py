"""Version-exact identification: reference texts, their variants, notices, and abstention."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from robinet.licenses import KnowledgeBase, identify, knowledge_base

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "licenses"

ALL_IDS = tuple(e.id for e in knowledge_base().entries if e.terms_known)  # with a text
LLAMAS = [
    "llama-license-2023",
    "llama-2-license-2023",
    "llama-3-license-2024",
    "llama-3.1-license-2024",
    "llama-3.2-license-2024",
    "llama-3.3-license-2024",
    "llama-4-cla-2025",
]
# Near-identical pairs a scanner must tell apart.
PAIRS = [
    ("gemma-tou-2024-04-01", "gemma-tou-2025-03-24"),
    ("tongyi-qianwen-2023", "qwen-2024"),
    ("tongyi-qianwen-2023", "tongyi-qianwen-research-2023"),
    ("deepseek-la-1.0", "mit"),
    ("mit", "moonshot-ai-modified-mit-2025"),
    ("yi-license-2023-11-04", "yi-community-2023-11-23"),
    ("bigscience-open-rail-m2", "creativeml-openrail-pp-m-2023"),
    ("llama-3.1-aup-2024", "llama-3.2-aup-2024"),
]


def best(text: str) -> str | None:
    found = identify(text)
    return found[0].license if found else None


@pytest.mark.parametrize("license_id", ALL_IDS)
def test_every_reference_text_identifies_as_itself(kb: KnowledgeBase, license_id: str) -> None:
    (first, *_) = identify(kb.get(license_id).text())
    assert first.license == license_id
    assert first.confidence >= 0.9
    assert first.scancode_key == kb.get(license_id).scancode_key
    assert first.spdx == kb.get(license_id).spdx
    assert first.evidence


@pytest.mark.parametrize("license_id", LLAMAS)
def test_llama_versions_are_told_apart(kb: KnowledgeBase, license_id: str) -> None:
    text = kb.get(license_id).text()
    assert best(text) == license_id
    assert best(text[: len(text) // 2]) == license_id  # the first half still decides
    result = identify(text)[0]
    if license_id != "llama-license-2023":
        assert any("distinct from llama-" in e for e in result.evidence)


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_near_identical_pairs(kb: KnowledgeBase, a: str, b: str) -> None:
    assert best(kb.get(a).text()) == a
    assert best(kb.get(b).text()) == b


VARIANT_NAMES = ["markdown", "reflow", "crlf", "quotes", "truncated", "readme", "edited"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    license_id=st.sampled_from(ALL_IDS),
    variant=st.sampled_from(VARIANT_NAMES),
    seed=st.integers(0, 2**16),
)
def test_variants_identify_as_themselves(license_id: str, variant: str, seed: int) -> None:
    from variants import VARIANTS

    text = knowledge_base().get(license_id).text()
    found = identify(VARIANTS[variant](text, random.Random(seed)))
    assert found, (license_id, variant)
    assert found[0].license == license_id, (license_id, variant, found[0])


@settings(max_examples=30, deadline=None)
@given(
    license_id=st.sampled_from(ALL_IDS),
    steps=st.lists(st.sampled_from([*VARIANT_NAMES[:4], "readme"]), min_size=2, max_size=4),
)
def test_stacked_variants(license_id: str, steps: list[str]) -> None:
    from variants import VARIANTS

    text = knowledge_base().get(license_id).text()
    rng = random.Random(0)
    for step in steps:
        text = VARIANTS[step](text, rng)
    assert best(text) == license_id


@settings(max_examples=30, deadline=None)
@given(license_id=st.sampled_from(ALL_IDS), seed=st.integers(0, 2**16))
def test_tails_are_exact_or_abstain(license_id: str, seed: int) -> None:
    """A tail without the distinguishing passage may abstain, but never names another id."""
    from variants import tail

    found = identify(tail(knowledge_base().get(license_id).text(), random.Random(seed)))
    assert found
    top = found[0]
    assert top.license == license_id or (top.license is None and license_id in top.candidates)


def test_ambiguous_truncation_abstains(kb: KnowledgeBase) -> None:
    text = kb.get("gemma-tou-2025-03-24").text()
    found = identify(text[len(text) // 2 :])
    assert found[0].license is None
    assert found[0].candidates == ("gemma-tou-2024-04-01", "gemma-tou-2025-03-24")
    assert found[0].confidence < 0.5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Llama 3.1 is licensed under the Llama 3.1 Community License, "
            "Copyright \u00a9 Meta Platforms, Inc. All Rights Reserved.",
            "llama-3.1-license-2024",
        ),
        ("Llama 3.2 is licensed under the Llama 3.2 Community License.", "llama-3.2-license-2024"),
        (
            "Meta Llama 3 is licensed under the Meta Llama 3 Community License",
            "llama-3-license-2024",
        ),
        ("Llama 2 is licensed under the LLAMA 2 Community License", "llama-2-license-2023"),
        ("Licensed under the Apache License, Version 2.0 (the \u201cLicense\u201d);", "apache-2.0"),
        (
            "Qwen is licensed under the Qwen LICENSE AGREEMENT, Copyright (c) Alibaba Cloud.",
            "qwen-2024",
        ),
        (
            "Tongyi Qianwen is licensed under the Tongyi Qianwen LICENSE AGREEMENT",
            "tongyi-qianwen-2023",
        ),
        (
            "Tencent Hunyuan is licensed under the Tencent Hunyuan Community License Agreement",
            "tencent-hunyuan-community-2024",
        ),
        ("This model is released under CC BY-NC 4.0.", "cc-by-nc-4.0"),
    ],
)
def test_short_notices(text: str, expected: str) -> None:
    found = identify(text)
    assert [f.license for f in found] == [expected]
    assert found[0].method == "notice" and 0 < found[0].confidence < 0.9


def test_versionless_notice_abstains() -> None:
    found = identify("Gemma is provided under and subject to the Gemma Terms of Use.")
    assert found[0].license is None
    assert set(found[0].candidates) == {"gemma-tou-2024-04-01", "gemma-tou-2025-03-24"}


def test_two_licenses_in_one_text(kb: KnowledgeBase) -> None:
    text = (
        "# Code\n\n" + kb.get("mit").text() + "\n\n# Model\n\n" + kb.get("deepseek-la-1.0").text()
    )
    assert [f.license for f in identify(text)] == ["deepseek-la-1.0", "mit"]
    text = kb.get("llama-3.1-license-2024").text() + "\n" + kb.get("llama-3.1-aup-2024").text()
    assert [f.license for f in identify(text)] == ["llama-3.1-license-2024", "llama-3.1-aup-2024"]


def test_model_card_fixtures() -> None:
    card = (FIXTURES / "readme_llama31_finetune.md").read_text("utf-8")
    assert [f.license for f in identify(card)] == ["llama-3.1-license-2024"]
    card = (FIXTURES / "readme_deepseek_two_licenses.md").read_text("utf-8")
    assert {f.license for f in identify(card)} == {"mit", "deepseek-la-1.0"}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "This repository holds a tokenizer and a small chat model. " * 40,
        "Permission is granted to read this page.",
        "Copyright 2024 Example Corp. All rights reserved. No license is granted.",
    ],
)
def test_unknown_texts_give_no_license(text: str) -> None:
    assert identify(text) == []


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=3000))
def test_arbitrary_text_never_crashes(text: str) -> None:
    for found in identify(text):
        assert 0.0 <= found.confidence <= 1.0
        assert found.license is None or found.license in knowledge_base()


def test_foreign_license_text_is_not_forced_into_the_kb() -> None:
    gpl2_preamble = (
        "The licenses for most software are designed to take away your freedom to share and "
        "change it. By contrast, the GNU General Public License is intended to guarantee your "
        "freedom to share and change free software--to make sure the software is free for all "
        "its users. This General Public License applies to most of the Free Software "
        "Foundation's software and to any other program whose authors commit to using it."
    )
    assert all(f.license != "gpl-3.0" or f.method == "notice" for f in identify(gpl2_preamble))


def test_a_custom_knowledge_base(tmp_path: Path) -> None:
    """The index works on any knowledge base (here two entries, one without notices)."""
    import shutil

    import yaml

    from robinet.licenses import load_knowledge_base
    from robinet.licenses.identify import Index

    kb_dir = Path(__file__).resolve().parents[2] / "src" / "robinet" / "licenses" / "kb"
    for lid in ("mit", "qwen-2024"):
        shutil.copy(kb_dir / f"{lid}.yaml", tmp_path / f"{lid}.yaml")
    data = yaml.safe_load((tmp_path / "mit.yaml").read_text())
    data["notices"] = ["   "]
    (tmp_path / "mit.yaml").write_text(yaml.safe_dump(data))
    # references must resolve within a knowledge base: drop the one to an entry not copied
    qwen = yaml.safe_load((tmp_path / "qwen-2024.yaml").read_text())
    qwen["predecessor"] = None
    (tmp_path / "qwen-2024.yaml").write_text(yaml.safe_dump(qwen))
    custom = load_knowledge_base(tmp_path)
    index = Index(custom)
    text = knowledge_base().get("qwen-2024").text()
    assert [f.license for f in identify(text, index=index)] == ["qwen-2024"]
    assert identify("MIT License", index=index) == []


@pytest.mark.parametrize("variant", VARIANT_NAMES)
@pytest.mark.parametrize(
    "license_id",
    [*LLAMAS, "gemma-tou-2024-04-01", "gemma-tou-2025-03-24", "qwen-2024", "tongyi-qianwen-2023"],
)
def test_near_identical_versions_in_every_form(license_id: str, variant: str) -> None:
    from variants import VARIANTS

    text = knowledge_base().get(license_id).text()
    assert best(VARIANTS[variant](text, random.Random(7))) == license_id
