"""`robinet license ...`: JSON output, exit codes, batches with bad inputs."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from robinet.cli import app
from robinet.licenses import knowledge_base

runner = CliRunner()


def run(*args: str, input: str | bytes | None = None) -> tuple[int, str]:
    result = runner.invoke(app, ["license", *args], input=input)
    return result.exit_code, result.stdout


def test_identify_batch_with_bad_inputs(tmp_path: Path) -> None:
    good = tmp_path / "LICENSE"
    good.write_text(knowledge_base().get("llama-3.3-license-2024").text())
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "weights.bin"
    binary.write_bytes(b"\x00\x01\x02" * 1000)
    code, out = run(
        "identify", str(good), str(empty), str(binary), str(tmp_path / "nope"), "--json"
    )
    assert code == 3  # the batch completes, and the unreadable inputs are not silent
    doc = json.loads(out)
    docs = doc["results"]
    assert doc["count"] == 4 and doc["unreadable"] == 3
    assert [d["license"] for d in docs] == ["llama-3.3-license-2024", None, None, None]
    assert docs[0]["scancode_key"] == "llama-3.3-license-2024"
    assert docs[0]["spdx"] == "LicenseRef-scancode-llama-3.3-license-2024"
    assert docs[0]["confidence"] >= 0.9 and docs[0]["evidence"]
    assert [d["error"] is None for d in docs] == [True, False, False, False]
    assert out == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_identify_stdin_and_all_bad_exit_code(tmp_path: Path) -> None:
    code, out = run("identify", "--json", input=knowledge_base().get("qwen-2024").text())
    assert code == 0 and json.loads(out)["results"][0]["license"] == "qwen-2024"
    empty = tmp_path / "empty"
    empty.write_text("")
    code, _ = run("identify", str(empty))
    assert code == 3
    code, out = run("identify", "-", input="Llama 3.1 Community License")
    assert code == 0 and "llama-3.1-license-2024" in out
    good = tmp_path / "good.txt"
    good.write_text(knowledge_base().get("mit").text())
    code, out = run("identify", "--json", str(good), str(empty), str(tmp_path / "missing"))
    docs = json.loads(out)["results"]
    assert code == 3  # one unreadable input is enough for CI to notice
    assert [d["license"] for d in docs] == ["mit", None, None]
    assert [d["error"] is None for d in docs] == [True, False, False]


def test_identify_two_licenses_json() -> None:
    kb = knowledge_base()
    _, out = run(
        "identify", "--json", input=kb.get("mit").text() + kb.get("gemma-tou-2024-04-01").text()
    )
    (doc,) = json.loads(out)["results"]
    assert [m["license"] for m in doc["matches"]] == ["gemma-tou-2024-04-01", "mit"]


def test_resolve() -> None:
    code, out = run("resolve", "other", "--license-name", "deepseek", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["license"] == "deepseek-la-1.0" and doc["source"] == "license_name"
    code, out = run("resolve", "unknown")
    assert code == 0 and "null" in out


def test_check_exit_codes() -> None:
    code, out = run("check", "llama-3.1-license-2024", "--monthly-users", "800000000", "--json")
    assert code == 1
    doc = json.loads(out)
    assert doc["verdict"]["decision"] == "deny"
    assert doc["verdict"]["reasons"][0]["clause"] == "2"
    code, out = run(
        "check", "llama-3.1-license-2024", "--region", "DE", "--monthly-users", "5000000",
        "--distribution", "hosted",
    )  # fmt: skip
    assert code == 0 and "conditional" in out and "Built with Llama" in out
    code, _ = run("check", "mit")
    assert code == 0
    code, _ = run("check", "no-such-license")
    assert code == 2
    code, _ = run("check", "mit", "--use", "evil")
    assert code == 2
    code, _ = run("check", "deepseek-la-1.0", "--purpose", "military")
    assert code == 1
    # --purpose takes categories of the taxonomy; words go to --purpose-text, which never decides
    code, out = run("check", "deepseek-la-1.0", "--purpose", "military drones", "--json")
    assert code == 2 and json.loads(out)["error"]["code"] == "usage"
    code, out = run("check", "deepseek-la-1.0", "--purpose-text", "military drones", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["verdict"]["decision"] == "conditional"
    assert "military" in {p["category"] for p in doc["verdict"]["to_confirm"]}


def test_unknown_exits_1_unless_allowed() -> None:
    # MNPL is known by name only: a CI gate must not pass it
    code, out = run("check", "mistral-non-production-license-2024", "--json")
    assert code == 1 and json.loads(out)["verdict"]["decision"] == "unknown"
    code, _ = run("check", "mistral-non-production-license-2024", "--allow-unknown")
    assert code == 0


def test_check_accepts_hub_tags_and_spdx_ids_and_suggests() -> None:
    code, out = run("check", "llama3.1", "--json")
    assert code == 0 and json.loads(out)["license"] == "llama-3.1-license-2024"
    code, out = run("check", "Apache-2.0", "--json")
    assert code == 0 and json.loads(out)["license"] == "apache-2.0"
    code, out = run("check", "llama-3.1-licence-2024", "--json")
    error = json.loads(out)["error"]
    assert code == 2 and error["code"] == "not_found"
    assert "did you mean 'llama-3.1-license-2024'" in error["hint"]


def test_purposes_lists_the_taxonomy() -> None:
    code, out = run("purposes", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["count"] == len(doc["purposes"]) >= 18
    by_id = {p["id"]: p for p in doc["purposes"]}
    assert "deepseek-la-1.0" in by_id["military"]["prohibited_by"]
    assert "llama-3.1-aup-2024" in by_id["medical-advice"]["qualified_by"]  # "unlicensed"
    code, out = run("purposes")
    assert code == 0 and "biometric-identification" in out


def test_show_list_compare() -> None:
    code, out = run("show", "qwen-2024", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["id"] == "qwen-2024" and doc["terms"] and "text_file" not in doc
    code, out = run("show", "qwen-2024")
    assert code == 0 and "100 million" in out
    code, out = run("list", "--json")
    doc = json.loads(out)
    ids = [d["id"] for d in doc["licenses"]]
    assert ids == sorted(ids) and len(ids) == doc["count"] == len(knowledge_base())
    code, out = run("list", "--category", "policy", "--json")
    assert {d["category"] for d in json.loads(out)["licenses"]} == {"policy"}
    classic = [
        "deepseek-la-1.0",
        "mit",
        "llama-3.1-license-2024",
        "qwen-2024",
        "tencent-hunyuan-community-2024",
    ]
    code, out = run("compare", *classic, "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["licenses"] == classic
    assert "700 million" in doc["rows"]["user_threshold"]["llama-3.1-license-2024"]
    assert doc["rows"]["user_threshold"]["mit"] == ""
    assert "European Union" in doc["rows"]["territory"]["tencent-hunyuan-community-2024"]
    code, out = run("compare", *classic)
    assert code == 0 and "territory" in out
    code, _ = run("compare", "mit", "nope")
    assert code == 2
