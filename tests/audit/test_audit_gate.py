"""The gate: decisions across the lineage, the policy's rules and exceptions, exit codes.

The expected decisions are read from the license texts, not from robinet: CC BY-NC 4.0 grants
non-commercial use only (§1, §2.a.1); Tencent Hunyuan's Territory excludes the EU (§1.l), and
the policy's market includes it; Llama 3.1 and Qwen allow commercial use on conditions below
700M / 100M monthly users (2M here); the dump's `mystery/Unknown-7B` declares `other` and
nothing else.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from robinet.audit import audit, collect, load_policy, parse_policy
from robinet.audit.context import use_context
from robinet.audit.judge import decision_of
from robinet.cli import app
from robinet.errors import InputDataError
from robinet.model import Verdict

runner = CliRunner()


def _by_model(result):  # type: ignore[no-untyped-def]
    return {m.model: m for m in result.models}


def test_models_file_mixing_hub_ids_a_url_and_a_local_folder(store, workspace: Path) -> None:
    policy = load_policy(workspace / "policy.yaml")
    specs = collect([], workspace / "models.txt")
    assert [(s.kind, s.location.line) for s in specs] == [
        ("hub", 2),
        ("hub", 3),
        ("hub", 5),
        ("local", 6),
        ("hub", 7),
    ]
    assert specs[1].id == "Qwen/Qwen2.5-7B-Instruct"  # the URL, /tree/main and comment dropped
    result = audit(store, specs, policy, today=dt.date(2026, 1, 1))
    got = _by_model(result)
    assert got["acme/Llama-3.1-SuperChat-8B"].decision == "conditional"
    assert got["acme/Llama-3.1-SuperChat-8B"].status == "pass"
    assert got["Qwen/Qwen2.5-7B-Instruct"].decision == "conditional"
    research = got["nclab/Research-7B"]
    assert (research.decision, research.status) == ("deny", "fail")
    assert research.deciding.license == "cc-by-nc-4.0"
    legacy = got["acme/legacy-model"]  # a fine-tune of the non-commercial model
    assert (legacy.decision, legacy.status) == ("deny", "waived")
    assert "exception-applied" in {f.rule for f in legacy.findings}
    local = got["./my-model"]
    rules = {f.rule for f in local.findings}
    assert "card-license-mismatch" in rules  # card apache-2.0, LICENSE file MIT
    # its base is Llama 3.1 in the store: the verdict comes through the lineage
    assert {u.license for u in local.licenses} >= {"apache-2.0", "mit", "llama-3.1-license-2024"}
    assert local.decision == "conditional"
    assert [n.id for n in local.lineage] == ["meta-llama/Llama-3.1-8B"]
    assert result.exit_code == 1  # nclab/Research-7B is denied


def test_obligations_are_one_checklist_for_the_product(store, workspace: Path) -> None:
    policy = load_policy(workspace / "policy.yaml")
    specs = collect(["acme/Llama-3.1-SuperChat-8B", "meta-llama/Llama-3.1-8B"], None)
    result = audit(store, specs, policy)
    keys = [(o.kind, o.text, o.license, o.clause) for o in result.obligations]
    assert len(keys) == len(set(keys))
    built = [o for o in result.obligations if "Built with Llama" in o.text]
    assert len(built) == 1  # both models need it: once on the checklist, naming both
    assert set(built[0].models) == {"acme/Llama-3.1-SuperChat-8B", "meta-llama/Llama-3.1-8B"}


def test_policy_rules(store) -> None:
    policy = parse_policy(
        {
            "context": {"use": "commercial", "market": ["EU"]},
            "deny_licenses": ["AGPL-3.0-only"],
            "deny_categories": ["non-commercial"],
        }
    )
    specs = collect(
        [
            "copyleft/Agpl-7B",
            "tencent/Hunyuan-Large",
            "nclab/Research-7B",
            "mystery/Unknown-7B",
            "nobody/not-there",
        ],
        None,
    )
    got = _by_model(audit(store, specs, policy))
    assert "denied-license" in {f.rule for f in got["copyleft/Agpl-7B"].findings}
    assert got["copyleft/Agpl-7B"].status == "fail"
    hunyuan = got["tencent/Hunyuan-Large"]
    assert hunyuan.decision == "deny" and hunyuan.deciding.license == (
        "tencent-hunyuan-community-2024"
    )
    assert "denied-category" in {f.rule for f in got["nclab/Research-7B"].findings}
    assert (got["mystery/Unknown-7B"].decision, got["mystery/Unknown-7B"].status) == (
        "unknown",
        "fail",
    )
    assert "model-not-found" in {f.rule for f in got["nobody/not-there"].findings}
    lenient = audit(
        store, collect(["mystery/Unknown-7B"], None), parse_policy({"allow_unknown": True})
    )
    assert lenient.models[0].status == "pass" and lenient.exit_code == 0


def test_an_expired_exception_fails_the_gate_and_says_so(store) -> None:
    policy = parse_policy(
        {
            "exceptions": [
                {"model": "acme/legacy-model", "reason": "agreement", "until": "2027-06-30"}
            ]
        }
    )
    specs = collect(["acme/legacy-model"], None)
    before = audit(store, specs, policy, today=dt.date(2027, 6, 30))
    assert before.models[0].status == "waived" and before.exit_code == 0
    after = audit(store, specs, policy, today=dt.date(2027, 7, 1))
    assert after.models[0].status == "fail" and after.exit_code == 1
    expired = [f for f in after.models[0].findings if f.rule == "exception-expired"]
    assert expired and "expired on 2027-06-30" in expired[0].message
    assert expired[0].level == "error"


def test_decisions_other_than_the_three_count_as_unknown() -> None:
    class Odd:
        value = "maybe"

    assert decision_of(Verdict(Odd())) == "unknown"  # type: ignore[arg-type]
    assert decision_of(None) == "unknown"


def test_the_adapter_names_an_unknown_key() -> None:
    with pytest.raises(InputDataError) as caught:
        use_context({"use": "commercial", "planet": "Mars"})
    assert caught.value.field == "context.planet"


def test_cli_exit_codes_and_json(db: Path, workspace: Path) -> None:
    ok = runner.invoke(
        app,
        [
            "audit",
            "acme/Llama-3.1-SuperChat-8B",
            "--policy",
            str(workspace / "policy.yaml"),
            "--db",
            str(db),
            "--json",
        ],
    )
    assert ok.exit_code == 0, ok.output
    doc = json.loads(ok.stdout)
    assert doc["count"] == 1 and doc["summary"]["gate"] == "pass"
    model = doc["models"][0]
    assert {"model", "decision", "deciding", "reasons", "obligations", "findings"} <= set(model)
    assert model["deciding"]["license"] == "llama-3.1-license-2024"
    denied = runner.invoke(
        app,
        [
            "audit",
            "--models",
            str(workspace / "models.txt"),
            "--policy",
            str(workspace / "policy.yaml"),
            "--db",
            str(db),
        ],
    )
    assert denied.exit_code == 1
    assert "nclab/Research-7B" in denied.stdout
    usage = runner.invoke(app, ["audit", "--db", str(db)])
    assert usage.exit_code == 2
    bad = runner.invoke(app, ["audit", "x/y", "--format", "pdf", "--db", str(db)])
    assert bad.exit_code == 2


def test_the_legacy_mapping_checks_each_region_and_the_larger_user_count() -> None:
    from robinet.audit.context import _legacy

    mapped = _legacy(
        {
            "use": "commercial",
            "licensee_country": "US",
            "market": ["US", "EU"],
            "monthly_users": 10,
            "group_monthly_users": 5_000,
            "annual_revenue": 1,
        },
        "multimodal",
    )
    assert mapped.regions == ("US", "EU")
    assert len(mapped.uses) == 2
    assert {u.monthly_users for u in mapped.uses} == {5_000}
    assert mapped.not_evaluated == ("annual_revenue",)
