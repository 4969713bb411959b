"""The knowledge-base schema: each kind of broken entry fails the load, naming file and key.

Each case takes a shipped entry, breaks one thing the way an editor could (a misspelled key,
a quoted number, a quote that is not in the text...), writes it to tmp_path and loads that
directory. The expected field path is computed from the YAML itself, not from the loader.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from robinet.errors import KnowledgeBaseError
from robinet.licenses import KnowledgeBase, UseCase, check, knowledge_base, load_knowledge_base
from robinet.licenses.kb import KB_DIR
from robinet.licenses.params import PARAMS
from robinet.model import Decision

SRC = Path(__file__).resolve().parents[2] / "src" / "robinet"


def _data(license_id: str) -> dict[str, Any]:
    return yaml.safe_load((KB_DIR / f"{license_id}.yaml").read_text("utf-8"))


def _term(data: dict[str, Any], kind: str) -> int:
    """Position of the first term of `kind` in the entry, read from the YAML."""
    return [t["kind"] for t in data["terms"]].index(kind)


def _write(directory: Path, data: dict[str, Any]) -> Path:
    path = directory / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _load_error(directory: Path) -> KnowledgeBaseError:
    with pytest.raises(KnowledgeBaseError) as err:
        load_knowledge_base(directory)
    assert err.value.exit_code == 3 and err.value.code == "knowledge_base"
    return err.value


def test_every_shipped_entry_passes_the_schema() -> None:
    from_yaml = load_knowledge_base(KB_DIR)
    assert len(from_yaml) == len(list(KB_DIR.glob("*.yaml"))) >= 80
    assert from_yaml.entries == knowledge_base().entries


def test_the_misspelled_threshold_key_of_the_issue_fails_the_load(tmp_path: Path) -> None:
    """Llama 3.1, section 2: "is greater than 700 million monthly active users in the
    preceding calendar month, you must request a license from Meta". With the key misspelled
    the threshold vanished and an 800M-user product was allowed; now the load fails."""
    data = _data("llama-3.1-license-2024")
    i = _term(data, "user_threshold")
    params = data["terms"][i]["params"]
    params["monthly_active_user"] = params.pop("monthly_active_users")
    path = _write(tmp_path, data)
    err = _load_error(tmp_path)
    assert err.file == str(path) and err.field == f"terms.{i}.params.monthly_active_user"
    assert "llama-3.1-license-2024.yaml" in str(err) and "'monthly_active_user'" in str(err)
    assert "did you mean 'monthly_active_users'" in str(err)


def test_the_correct_threshold_key_denies_above_700_million(tmp_path: Path) -> None:
    # the same entry written the same way, spelled right: 800M > 700M is denied
    for path in KB_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path)
    _write(tmp_path, _data("llama-3.1-license-2024"))
    kb = load_knowledge_base(tmp_path)
    verdict = check("llama-3.1-license-2024", UseCase(monthly_users=800_000_000), kb=kb)
    assert verdict.decision == Decision.DENY
    assert verdict.reasons[0].clause == "2" and "700 million" in verdict.reasons[0].quote


Mutation = Callable[[dict[str, Any]], str]  # breaks the entry, returns the field it broke


def _param(kind: str, key: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> str:
        i = _term(data, kind)
        data["terms"][i]["params"][key] = value
        return f"terms.{i}.params.{key}"

    return mutate


def _drop_param(kind: str, key: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> str:
        i = _term(data, kind)
        del data["terms"][i]["params"][key]
        return f"terms.{i}.params.{key}"

    return mutate


def _set(key: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> str:
        data[key] = value
        return key

    return mutate


def _term_key(kind: str, key: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> str:
        i = _term(data, kind)
        data["terms"][i][key] = value
        return f"terms.{i}.{key}"

    return mutate


def _threshold_without_limit(data: dict[str, Any]) -> str:
    i = _term(data, "user_threshold")
    data["terms"][i]["params"] = {"effect": "separate license required"}
    return f"terms.{i}.params"


CASES: dict[str, tuple[str, Mutation, str]] = {
    # unknown or misspelled keys, at each level
    "unknown entry key": ("mit", _set("publisher_url", "https://x"), "unknown key"),
    "unknown term key": (
        "mit",
        _term_key("commercial_use", "clauses", "1"),
        "unknown key 'clauses' (did you mean 'clause'?",
    ),
    "misspelled purpose key": (
        "deepseek-la-1.0",
        _param("field_of_use", "prohibit", ["military"]),
        "did you mean 'prohibited'",
    ),
    # wrong types: strict, nothing is converted
    "quoted number": (
        "llama-3.1-license-2024",
        _param("user_threshold", "monthly_active_users", "700000000"),
        "valid integer, not the str '700000000'",
    ),
    "float threshold": (
        "llama-3.1-license-2024",
        _param("user_threshold", "monthly_active_users", 7e8),
        "valid integer",
    ),
    "bool threshold": (
        "qwen-2024",
        _param("user_threshold", "monthly_active_users", True),
        "valid integer",
    ),
    "negative threshold": (
        "qwen-2024",
        _param("user_threshold", "monthly_active_users", -1),
        "greater than 0",
    ),
    "string for a bool": (
        "deepseek-la-1.0",
        _param("derivatives", "pass_through_use_restrictions", "true"),
        "valid boolean",
    ),
    "int for a bool": ("mit", _param("commercial_use", "allowed", 1), "valid boolean"),
    "quoted date": ("llama-3.1-license-2024", _set("release_date", "2024-07-23"), "unquoted"),
    "number for a version": ("llama-3.1-license-2024", _set("version", 3.1), "valid string"),
    # required parameters
    "threshold without effect": (
        "qwen-2024",
        _drop_param("user_threshold", "effect"),
        "Field required",
    ),
    "threshold without a limit": ("qwen-2024", _threshold_without_limit, "needs monthly_active"),
    "commercial use without allowed": (
        "mit",
        _drop_param("commercial_use", "allowed"),
        "Field required",
    ),
    # words outside the shared vocabulary
    "misspelled purpose category": (
        "deepseek-la-1.0",
        _param("field_of_use", "prohibited", ["militray"]),
        "did you mean 'military'",
    ),
    "misspelled modality": (
        "llama-3.2-aup-2024",
        _param("territory", "modalities", ["multimodel"]),
        "did you mean 'multimodal'",
    ),
    "region alias": (
        "tencent-hunyuan-3d-2.0-cla",
        _param("territory", "excluded", ["EU", "UK", "KR"]),
        "'GB'",
    ),
    "lower-case region": (
        "tencent-hunyuan-community-2024",
        _param("territory", "excluded", ["eu"]),
        "not an upper-case ISO 3166-1",
    ),
    "misspelled trigger": (
        "llama-3.1-license-2024",
        _param("attribution", "trigger", "prodcut"),
        "did you mean 'product'",
    ),
    "commercial among non-commercial uses": (
        "cc-by-nc-4.0",
        _param("noncommercial", "allowed_uses", ["research", "commercial"]),
        "unknown use 'commercial'",
    ),
    # ids used twice
    "hub id listed twice": (
        "llama-3.1-license-2024",
        _set("hub_ids", ["llama3.1", "Llama3.1"]),
        "listed twice",
    ),
    "incorporated policy listed twice": (
        "llama-3.1-license-2024",
        _set("incorporates", ["llama-3.1-aup-2024", "llama-3.1-aup-2024"]),
        "listed twice",
    ),
    # quotes
    "quote not in the text": (
        "llama-3.1-license-2024",
        _term_key(
            "user_threshold",
            "quote",
            "is greater than 800 million monthly active users in the preceding calendar month",
        ),
        "quote not found in the reference text",
    ),
    "padded quote": (
        "mit",
        _term_key("commercial_use", "quote", " Permission is hereby granted"),
        "white space",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_entry_fails_the_load_naming_file_and_key(tmp_path: Path, case: str) -> None:
    license_id, mutate, message = CASES[case]
    data = _data(license_id)
    field = mutate(data)
    path = _write(tmp_path, data)
    err = _load_error(tmp_path)
    assert err.file == str(path), case
    assert err.field == field, (case, err.field)
    assert message in str(err), (case, str(err))
    assert f"{license_id}.yaml" in str(err) and f"field {field!r}" in str(err)


def test_a_key_given_twice_fails_instead_of_keeping_the_last(tmp_path: Path) -> None:
    """YAML keeps the last of two equal keys: a second, wrong threshold would win silently."""
    source = (KB_DIR / "llama-3.1-license-2024.yaml").read_text("utf-8")
    line = "    monthly_active_users: 700000000\n"
    assert source.count(line) == 1
    broken = source.replace(line, line + "    monthly_active_users: 7000000000\n")
    (tmp_path / "llama-3.1-license-2024.yaml").write_text(broken, "utf-8")
    i = _term(_data("llama-3.1-license-2024"), "user_threshold")
    err = _load_error(tmp_path)
    assert err.field == f"terms.{i}.params.monthly_active_users"
    assert "given twice" in str(err) and "llama-3.1-license-2024.yaml" in str(err)

    (tmp_path / "llama-3.1-license-2024.yaml").write_text(source + "id: mit\n", "utf-8")
    err = _load_error(tmp_path)
    assert err.field == "id" and "given twice" in str(err)


def test_two_entries_with_one_id(tmp_path: Path) -> None:
    # in a directory the file name is the id, so a second entry with the id cannot hide
    data = _data("mit")
    (tmp_path / "mit.yaml").write_text(yaml.safe_dump(data), "utf-8")
    (tmp_path / "mit-copy.yaml").write_text(yaml.safe_dump(data), "utf-8")
    err = _load_error(tmp_path)
    assert err.file == str(tmp_path / "mit-copy.yaml") and err.field == "id"
    # and a knowledge base put together from entries refuses a repeated id
    mit = knowledge_base().get("mit")
    with pytest.raises(KnowledgeBaseError, match="duplicate license ids: mit"):
        KnowledgeBase((mit, knowledge_base().get("apache-2.0"), mit))


def test_an_unknown_term_kind(tmp_path: Path) -> None:
    data = _data("mit")
    data["terms"][0]["kind"] = "free_lunch"
    _write(tmp_path, data)
    err = _load_error(tmp_path)
    assert err.field == "terms.0.kind" and "mit.yaml" in str(err)
    assert "'user_threshold'" in str(err)  # the message lists the known kinds


def _refs(tmp_path: Path, license_id: str, *others: str) -> dict[str, Any]:
    for other in others:
        shutil.copy(KB_DIR / f"{other}.yaml", tmp_path)
    return _data(license_id)


def test_references_must_name_entries(tmp_path: Path) -> None:
    data = _refs(tmp_path, "llama-3.1-license-2024", "llama-3-license-2024")
    data["successor"] = None
    data["incorporates"] = ["llama-3.1-aup-2042"]  # a typo: the policy's terms would vanish
    i = _term(data, "acceptable_use")
    data["terms"][i]["params"]["policy"] = "llama-3.1-aup-2042"
    _write(tmp_path, data)
    # (llama-3 names its own neighbours: drop them, this test is about the 3.1 entry)
    llama3 = _data("llama-3-license-2024")
    llama3.update(predecessor=None, incorporates=[])
    llama3["terms"] = [t for t in llama3["terms"] if t["kind"] != "acceptable_use"]
    _write(tmp_path, llama3)
    err = _load_error(tmp_path)
    assert err.field == "incorporates.0" and "llama-3.1-license-2024.yaml" in str(err)
    assert "'llama-3.1-aup-2042' is not an entry" in str(err)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("successor", "mit-2", "is not an entry"),
        ("predecessor", "mit", "cannot name itself"),
        ("incorporates", ["apache-2.0"], "is a license, not a policy"),
    ],
)
def test_reference_kinds(tmp_path: Path, field: str, value: Any, message: str) -> None:
    data = _refs(tmp_path, "mit", "apache-2.0")
    data[field] = value
    _write(tmp_path, data)
    err = _load_error(tmp_path)
    assert err.field in (field, f"{field}.0") and message in str(err) and "mit.yaml" in str(err)


def test_an_acceptable_use_term_names_an_incorporated_policy(tmp_path: Path) -> None:
    data = _refs(tmp_path, "gemma-tou-2024-04-01", "gemma-pup-2024-02-21", "gemma-tou-2025-03-24")
    data["incorporates"] = []  # verdicts would then skip the policy's prohibitions
    _write(tmp_path, data)
    successor = _data("gemma-tou-2025-03-24")
    successor["incorporates"] = []
    successor["terms"] = [t for t in successor["terms"] if t["kind"] != "acceptable_use"]
    _write(tmp_path, successor)
    err = _load_error(tmp_path)
    i = _term(data, "acceptable_use")
    assert err.field == f"terms.{i}.params.policy" and "not in `incorporates`" in str(err)


def test_every_parameter_the_code_reads_is_declared() -> None:
    """The other side of a misspelling: code reading `params.get("monthly_active_user")`
    would see None for every entry. Each key read from a term's params must be declared by
    a parameter model."""
    declared = {name for model in PARAMS.values() for name in model.model_fields}
    # verdicts.py and rules.py name a term's params `p`, foss.py both; the others call them `params`
    reads = {
        SRC / "licenses" / "verdicts.py": r"\bp(?:\.get\(|\[)[\"'](\w+)[\"']",
        SRC / "licenses" / "rules.py": r"\bp(?:\.get\(|\[)[\"'](\w+)[\"']",
        SRC / "licenses" / "lineage_terms.py": r"\bparams(?:\.get\(|\[)[\"'](\w+)[\"']",
        SRC / "openness" / "restrictiveness.py": r"\bparams(?:\.get\(|\[)[\"'](\w+)[\"']",
        SRC / "duties" / "foss.py": r"\b(?:p|params)(?:\.get\(|\[)[\"'](\w+)[\"']",
    }
    read: set[str] = set()
    for path, pattern in reads.items():
        read |= set(re.findall(pattern, path.read_text("utf-8")))
    read |= {"same_license", "pass_through_use_restrictions"}  # lineage's DERIVATIVE_MODES
    assert len(read) >= 20  # the scan finds the reads (rules.py alone reads over 20)
    assert read <= declared, sorted(read - declared)
