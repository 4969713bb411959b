"""The knowledge base: schema, coverage, and every quote verified against its reference text."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from robinet.errors import KnowledgeBaseError, NotFoundError
from robinet.licenses import KnowledgeBase, TermKind, knowledge_base, load_knowledge_base
from robinet.licenses.normalize import phrase

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "licenses"
KB_DIR = Path(__file__).resolve().parents[2] / "src" / "robinet" / "licenses" / "kb"

ALL_IDS = tuple(e.id for e in knowledge_base().entries if e.terms_known)
# Known by name only (no text, terms unknown): `resolve` names them, `check` answers unknown.
NAME_ONLY = tuple(e.id for e in knowledge_base().entries if not e.terms_known)

# The vendor texts of ../shared/data/licenses/vendor, by the entry that ships each one.
VENDOR_ENTRIES = {
    "llama-3-license-2024",
    "llama-2-aup-2023",
    "llama-3-aup-2024",
    "llama-3.1-aup-2024",
    "llama-3.2-aup-2024",
    "llama-3.3-aup-2024",
    "tongyi-qianwen-research-2023",
    "tencent-hunyuan-community-2024",
    "chatglm3-6b-license-2023",
    "yi-license-2023-11-04",
    "yi-community-2023-11-23",
    "stability-ai-nc-research-2023-11-28",
    "stability-sdxl-0.9-research",
    "creativeml-openrail-pp-m-2023",
    "stability-ai-nc-community-2024-03-18",
    "stability-svd-nc-community-2023-11-21",
}

# Main model licenses whose terms were authored clause by clause: they must say what the
# verdicts need.
MAIN = {
    "llama-2-license-2023": {
        "commercial_use",
        "user_threshold",
        "output_training",
        "acceptable_use",
    },
    "llama-3-license-2024": {"user_threshold", "attribution", "naming", "output_training"},
    "llama-3.1-license-2024": {"user_threshold", "attribution", "naming", "derivatives"},
    "llama-3.2-license-2024": {"user_threshold", "attribution", "naming", "acceptable_use"},
    "llama-3.3-license-2024": {"user_threshold", "attribution", "naming", "acceptable_use"},
    "llama-4-cla-2025": {"user_threshold", "attribution", "naming", "acceptable_use"},
    "deepseek-la-1.0": {"commercial_use", "field_of_use", "derivatives"},
    "qwen-2024": {"user_threshold", "attribution", "redistribution"},
    "tongyi-qianwen-2023": {"user_threshold", "output_training"},
    "tongyi-qianwen-research-2023": {"noncommercial", "output_training"},
    "tencent-hunyuan-community-2024": {"territory", "user_threshold", "field_of_use"},
    "gemma-tou-2024-04-01": {"acceptable_use", "derivatives", "redistribution"},
    "moonshot-ai-modified-mit-2025": {"attribution", "user_threshold"},
    "mit": {"commercial_use", "redistribution"},
    "apache-2.0": {"commercial_use", "redistribution"},
    "cc-by-nc-4.0": {"noncommercial", "attribution"},
}


def test_loads_every_entry(kb: KnowledgeBase) -> None:
    assert len(kb) == len(list(KB_DIR.glob("*.yaml"))) >= 80
    assert kb.ids() == tuple(sorted(kb.ids()))
    assert kb.get("mit").spdx == "MIT"
    with pytest.raises(NotFoundError):
        kb.get("no-such-license")


@pytest.mark.parametrize("license_id", ALL_IDS)
def test_every_quote_occurs_in_the_reference_text(kb: KnowledgeBase, license_id: str) -> None:
    entry = kb.get(license_id)
    text = f" {phrase(entry.text())} "
    assert entry.terms, f"{license_id} has no terms"
    for term in entry.terms:
        assert f" {phrase(term.quote)} " in text, f"{license_id} {term.clause}: {term.quote!r}"
        assert term.quote.strip() == term.quote and len(term.quote) <= 400


@pytest.mark.parametrize("license_id", ALL_IDS)
def test_entry_metadata_is_consistent(kb: KnowledgeBase, license_id: str) -> None:
    entry = kb.get(license_id)
    for other in (entry.predecessor, entry.successor, *entry.incorporates):
        assert other is None or other in kb, other
    if entry.successor:
        assert kb.get(entry.successor).predecessor in (entry.id, None)
    if entry.scancode_key:
        assert entry.scancode_key == entry.id
    assert entry.text().strip()
    assert entry.source


@pytest.mark.parametrize("license_id", NAME_ONLY)
def test_name_only_entries_resolve_and_answer_unknown(kb: KnowledgeBase, license_id: str) -> None:
    """The documented exception to "every entry has terms and a text": licenses robinet knows
    by name and URL only. `resolve` names them (so a card is not "unresolved"), and `check`
    answers `unknown` (never allow) because nobody has read their terms."""
    from robinet.licenses import check, resolve
    from robinet.model import Decision

    entry = kb.get(license_id)
    assert not entry.terms and entry.text_file is None and entry.source.startswith("name and")
    spellings = [*entry.license_names, *entry.license_links]
    assert spellings
    found = (
        resolve(license="other", license_name=spellings[0])
        if entry.license_names
        else (resolve(license="other", license_link=spellings[0]))
    )
    assert license_id == found.license_id or license_id in found.candidates
    assert check(license_id).decision == Decision.UNKNOWN


def test_every_scancode_ai_model_license_is_covered(kb: KnowledgeBase) -> None:
    rows = (FIXTURES / "ai_model_licenses_index.tsv").read_text("utf-8").splitlines()
    keys = [r.split("\t")[0] for r in rows if r.strip()]
    assert len(keys) == 52
    assert not [k for k in keys if k not in kb]


def test_every_vendor_text_is_covered(kb: KnowledgeBase) -> None:
    assert set(kb.ids()) >= VENDOR_ENTRIES
    for lid in VENDOR_ENTRIES:
        assert kb.get(lid).source.startswith("vendor: ")


def test_the_30_most_common_hub_tags_are_covered(kb: KnowledgeBase) -> None:
    from robinet.licenses import resolve
    from robinet.licenses.resolve import NOT_ONE_LICENSE

    counts: Counter[str] = Counter()
    with open(FIXTURES / "hub_license_tags.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            counts.update(row["license_tags"].split())
    top = counts.most_common(30)
    assert top[0] == ("apache-2.0", 3007)
    for tag, _ in top:
        res = resolve(license=tag)
        if tag in NOT_ONE_LICENSE:
            assert res.license_id is None and res.reason
        else:
            assert res.license_id in kb, (tag, res)


@pytest.mark.parametrize("license_id", sorted(MAIN))
def test_main_licenses_have_the_terms_verdicts_need(kb: KnowledgeBase, license_id: str) -> None:
    kinds = {t.kind.value for t in kb.get(license_id).terms}
    assert MAIN[license_id] <= kinds


# The params table of docs/licenses.md ("Terms"), copied by hand, plus the two limits of an
# attribution with trigger `threshold` (Moonshot's modified MIT) that the table omits: an
# oracle apart from the parameter models of params.py.
DOCUMENTED_PARAMS = {
    "commercial_use": {"allowed", "condition", "condition_kind", "effect", "annual_revenue_usd"},
    "noncommercial": {"allowed_uses"},
    "user_threshold": {
        *("monthly_active_users", "monthly_revenue_usd", "annual_revenue_usd"),
        *("effect", "commercial_only", "counts", "on_release_date", "measured", "scope"),
    },
    "territory": {"excluded", "modalities", "binds", "exempt"},
    "field_of_use": {"prohibitions", "prohibited"},
    "acceptable_use": {"policy", "policy_name"},
    "output_training": {"allowed", "scope", "exception", "condition"},
    "attribution": {
        *("notice", "notice_exact", "trigger"),
        *("monthly_active_users", "monthly_revenue_usd"),
    },
    "naming": {"prefix", "endorsement_forbidden"},
    "derivatives": {
        "same_license",
        "pass_through_use_restrictions",
        "carries",
        "share_adaptations",
    },
    "redistribution": {
        *("copy_of_license", "mark_modifications", "notice_file", "carry_notices"),
        *("source_required", "network_use_is_distribution", "applies_to"),
    },
    "termination": {"on_breach", "on_litigation", "at_will"},
}


def test_term_params_have_their_documented_shape(kb: KnowledgeBase) -> None:
    assert set(DOCUMENTED_PARAMS) == {k.value for k in TermKind}
    for entry in kb.entries:
        for t in entry.terms:
            p = t.params
            where = f"{entry.id} {t.clause} {t.kind.value}"
            assert set(p) <= DOCUMENTED_PARAMS[t.kind.value], (where, sorted(p))
            if t.kind == TermKind.USER_THRESHOLD:
                limits = {"monthly_active_users", "monthly_revenue_usd", "annual_revenue_usd"}
                assert set(p) & limits, where
                assert all(type(p[k]) is int and p[k] > 0 for k in set(p) & limits), where
                assert p["effect"], where
            if t.kind == TermKind.TERRITORY:
                assert p["excluded"] and isinstance(p.get("modalities", []), list)
            if t.kind == TermKind.DERIVATIVES:
                assert isinstance(p["same_license"], bool)
                assert isinstance(p["pass_through_use_restrictions"], bool)
            if t.kind == TermKind.NAMING and "prefix" in p:
                assert p["prefix"]
            if t.kind in (TermKind.OUTPUT_TRAINING, TermKind.COMMERCIAL_USE):
                assert isinstance(p.get("allowed"), bool)
            if t.kind == TermKind.NONCOMMERCIAL:
                assert "commercial" not in p["allowed_uses"]


def test_the_schema_declares_exactly_the_documented_params() -> None:
    from robinet.licenses.params import PARAMS

    declared = {kind.value: set(model.model_fields) for kind, model in PARAMS.items()}
    assert declared == DOCUMENTED_PARAMS


def test_llama_facts(kb: KnowledgeBase) -> None:
    l31 = kb.get("llama-3.1-license-2024")
    (threshold,) = l31.terms_of("user_threshold")
    assert threshold.params["monthly_active_users"] == 700_000_000
    assert l31.terms_of("naming")[0].params == {"prefix": "Llama"}
    assert l31.terms_of("attribution")[0].params["notice"] == "Built with Llama"
    eu = kb.get("llama-3.2-aup-2024").terms_of("territory")[0].params
    assert eu["excluded"] == ["EU"] and "multimodal" in eu["modalities"]
    assert not kb.get("llama-3.1-aup-2024").terms_of("territory")
    assert kb.get("tencent-hunyuan-3d-2.0-cla").terms_of("territory")[0].params["excluded"] == [
        "EU",
        "GB",
        "KR",
    ]
    assert str(kb.get("llama-3.1-license-2024").release_date) == "2024-07-23"


# ---- broken entries ---------------------------------------------------------------------------


def _copy_kb(tmp_path: Path, ids: list[str]) -> Path:
    for lid in ids:
        shutil.copy(KB_DIR / f"{lid}.yaml", tmp_path / f"{lid}.yaml")
    return tmp_path


def test_missing_field_names_file_and_field(tmp_path: Path) -> None:
    d = _copy_kb(tmp_path, ["mit", "apache-2.0"])
    data = yaml.safe_load((d / "mit.yaml").read_text())
    del data["publisher"]
    (d / "mit.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(KnowledgeBaseError) as err:
        load_knowledge_base(d)
    assert "mit.yaml" in str(err.value) and "publisher" in str(err.value)
    assert err.value.exit_code == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id: [unclosed", "not valid YAML"),
        ("- just\n- a list\n", "not a mapping"),
        ("", "not a mapping"),
    ],
)
def test_broken_yaml_is_rejected_with_its_file(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "bad.yaml").write_text(content)
    with pytest.raises(KnowledgeBaseError, match=message) as err:
        load_knowledge_base(tmp_path)
    assert "bad.yaml" in str(err.value)


def test_bad_term_kind_and_id_mismatch(tmp_path: Path) -> None:
    d = _copy_kb(tmp_path, ["mit"])
    data = yaml.safe_load((d / "mit.yaml").read_text())
    data["terms"][0]["kind"] = "free_lunch"
    (d / "mit.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(KnowledgeBaseError, match=r"terms\.0\.kind"):
        load_knowledge_base(d)
    data["terms"][0]["kind"] = "commercial_use"
    (d / "other.yaml").write_text(yaml.safe_dump(data))
    (d / "mit.yaml").unlink()
    with pytest.raises(KnowledgeBaseError, match="differs from the file name"):
        load_knowledge_base(d)


def test_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="no license entries"):
        load_knowledge_base(tmp_path)
