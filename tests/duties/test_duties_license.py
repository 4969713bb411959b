"""Which licenses of the knowledge base are "free and open-source" in the sense of the AI
Act's Art. 53(2), as the Commission's guidelines (paras. 78-84) read it."""

from __future__ import annotations

import pytest

from robinet.duties import check_license
from robinet.licenses import knowledge_base
from robinet.licenses.kb import TermKind

EXPECTED = {
    # para. 80: attribution and same terms are compatible
    "apache-2.0": True,
    "mit": True,
    "gpl-3.0": True,  # copyleft: "distribution ... under the same or comparable terms"
    "cc-by-4.0": True,
    "openmdw-1.0": True,
    # para. 83: "limitations to non-commercial or research-only use"
    "cc-by-nc-4.0": False,
    "cc-by-nc-nd-4.0": False,
    "tongyi-qianwen-research-2023": False,
    # para. 83: "usage restrictions triggered by user scale thresholds"
    "llama-3.1-license-2024": False,
    "qwen-2024": False,
    "moonshot-ai-modified-mit-2025": False,
    # para. 83: "requirements to obtain separate commercial licences for specific use cases"
    "stability-ai-community-2024": False,  # revenue cap
    "yi-community-2023-11-23": False,  # registration for commercial use
    # para. 80: use restrictions
    "bigscience-open-rail-m": False,
    "deepseek-la-1.0": False,
    "gemma-tou-2025-03-24": False,
    "tencent-hunyuan-community-2024": False,  # territory excluded, use restrictions
}


@pytest.mark.parametrize(("license_id", "expected"), sorted(EXPECTED.items()))
def test_licenses(license_id: str, expected: bool) -> None:
    check = check_license(license_id)
    assert check.license == license_id
    assert check.free_open_source is expected, check.why


def test_unknown_licenses_give_none() -> None:
    assert check_license(None).free_open_source is None
    assert check_license("no-such-license").free_open_source is None
    # SOML grants no commercial use in the knowledge base's terms, and is not OSI-approved
    assert check_license("soml-1.0").free_open_source is None


def test_every_entry_is_decided_without_error_and_consistently() -> None:
    for entry in knowledge_base().entries:
        check = check_license(entry.id)
        assert check.free_open_source in (True, False, None)
        assert check.why
        kinds = {t.kind for t in entry.terms}
        if kinds & {TermKind.NONCOMMERCIAL, TermKind.USER_THRESHOLD, TermKind.FIELD_OF_USE}:
            assert check.free_open_source is False, entry.id
        for reason in check.reasons:
            assert reason.quote  # the license's own words
            assert reason.provision is None or reason.provision.startswith("eu.guidelines.")


def test_disqualifying_reasons_name_the_clause() -> None:
    check = check_license("cc-by-nc-4.0")
    (reason,) = [r for r in check.reasons if not r.qualifies]
    assert reason.kind == "noncommercial"
    assert reason.clause == "1"
    assert "clause 1" in check.why
