"""Hub metadata -> knowledge-base ids, with the reason."""

from __future__ import annotations

import pytest

from robinet.licenses import resolve


@pytest.mark.parametrize(
    ("license", "name", "link", "expected"),
    [
        ("llama3.1", None, None, "llama-3.1-license-2024"),
        ("llama3", None, None, "llama-3-license-2024"),
        ("llama2", None, None, "llama-2-license-2023"),
        ("license:llama3.2", None, None, "llama-3.2-license-2024"),
        ("Apache-2.0", None, None, "apache-2.0"),
        ("MIT", None, None, "mit"),
        ("creativeml-openrail-m", None, None, "stable-diffusion-2022-08-22"),
        ("bigscience-bloom-rail-1.0", None, None, "bigscience-rail-1.0"),
        ("bigcode-openrail-m", None, None, "bigcode-open-rail-m-v1"),
        ("LicenseRef-scancode-qwen-2024", None, None, "qwen-2024"),
        ("other", "deepseek", None, "deepseek-la-1.0"),
        ("other", "deepseek-license", None, "deepseek-la-1.0"),
        ("other", "qwen", None, "qwen-2024"),
        ("other", "tongyi-qianwen", None, "tongyi-qianwen-2023"),
        ("other", "qwen-research", None, "qwen-research-license-2024"),
        ("other", "tencent-hunyuan-community", None, "tencent-hunyuan-community-2024"),
        ("other", "Tencent_Hunyuan_Community", None, "tencent-hunyuan-community-2024"),
        ("other", None, "https://ai.google.dev/gemma/terms", "gemma-tou-2024-04-01"),
        (None, None, "https://llama.meta.com/llama3_1/license/", "llama-3.1-license-2024"),
        (
            "other",
            None,
            "https://github.com/deepseek-ai/DeepSeek-V3/blob/main/LICENSE-MODEL",
            "deepseek-la-1.0",
        ),
        ("other", "modified-mit", None, "moonshot-ai-modified-mit-2025"),
    ],
)
def test_resolves(license: str | None, name: str | None, link: str | None, expected: str) -> None:
    res = resolve(license=license, license_name=name, license_link=link)
    assert res.license_id == expected, res
    assert res.reason and res.source


def test_tag_wins_over_name() -> None:
    res = resolve(license="llama3.1", license_name="qwen")
    assert res.license_id == "llama-3.1-license-2024" and res.source == "license"


def test_versionless_spellings_are_marked_inexact() -> None:
    res = resolve(license="gemma")
    assert res.license_id == "gemma-tou-2024-04-01" and res.exact
    res = resolve(license_name="gemma")
    assert res.license_id == "gemma-tou-2024-04-01" and not res.exact
    assert "gemma-tou-2025-03-24" in res.candidates


@pytest.mark.parametrize(
    "tag", ["other", "unknown", "cc", "gpl", "openrail", "deepfloyd-if-license"]
)
def test_tags_naming_no_single_license(tag: str) -> None:
    res = resolve(license=tag)
    assert res.license_id is None and res.reason


def test_nothing_and_unknown() -> None:
    assert resolve().license_id is None
    res = resolve(license="other", license_name="my-own-license", license_link="LICENSE")
    assert res.license_id is None
    assert "my-own-license" in res.reason and "identify" in res.reason
    assert resolve(license="wtfpl").license_id == "wtfpl-2.0"


def test_every_declared_spelling_resolves_to_its_entry() -> None:
    from robinet.licenses import knowledge_base

    kb = knowledge_base()
    for entry in kb.entries:
        for tag in entry.hub_ids:
            res = resolve(license=tag)
            assert res.license_id == entry.id or entry.id in res.candidates, (tag, res)
        for name in entry.license_names:
            res = resolve(license="other", license_name=name.upper().replace("-", "_"))
            assert res.license_id == entry.id or entry.id in res.candidates, (name, res)
        for link in entry.license_links:
            res = resolve(license="other", license_link=f"https://{link}/")
            assert res.license_id == entry.id or entry.id in res.candidates, (link, res)
        assert resolve(license=entry.id).license_id == entry.id
