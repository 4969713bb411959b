"""The commands: `sync hub --from`, `lineage`, `check`, `conflicts` (--json and exit codes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from robinet.cli import app
from robinet.sources.hub_dump import import_dump
from robinet.store import Store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "lineage"
BUILT = FIXTURES / "built.jsonl"
SAMPLE = FIXTURES / "top_models_sample.jsonl"

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "lineage.duckdb"
    with Store.open(path) as store:
        import_dump(store, BUILT, source="built")
    return path


def _json(args: list[str], code: int = 0) -> dict:
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def test_lineage_json(db: Path) -> None:
    data = _json(["lineage", "quanter/SuperChat-8B-GGUF", "--db", str(db), "--json"])
    assert data["model"] == "quanter/SuperChat-8B-GGUF"
    assert data["roots"] == ["meta-llama/Llama-3.1-8B"]
    assert data["ancestors"][0] == {
        "confidence": 1.0, "depth": 1, "id": "acme/SuperChat-8B", "in_store": True,
        "inferred": False, "license": "apache-2.0", "relation": "quantized", "source": "gguf",
    }  # fmt: skip
    assert set(data["descendants"]) == {"total", "by_relation"}
    assert "tree" not in data
    tree = _json(["lineage", "quanter/SuperChat-8B-GGUF", "--tree", "--db", str(db), "--json"])
    assert tree["tree"]["parents"][0]["id"] == "acme/SuperChat-8B"


def test_lineage_text_and_unknown_model(db: Path) -> None:
    result = runner.invoke(app, ["lineage", "loop/a", "--tree", "--db", str(db)])
    assert result.exit_code == 0
    assert "loop/b" in result.stdout
    assert "cycle" in result.stderr
    missing = runner.invoke(app, ["lineage", "no/such", "--db", str(db)])
    assert missing.exit_code == 2
    assert "not in the store" in missing.stderr


def test_check_exit_codes(db: Path) -> None:
    denied = _json(["check", "merger/Merged-7B", "--use", "commercial", "--db", str(db),
                    "--json"], code=1)  # fmt: skip
    assert denied["verdict"]["decision"] == "deny"
    assert denied["verdict"]["reasons"] == denied["decided_by"][0]["verdict"]["reasons"]
    assert denied["decided_by"][0]["license"] == "cc-by-nc-4.0"
    assert denied["decided_by"][0]["models"] == ["nclab/Research-7B"]
    assert denied["decided_by"][0]["verdict"]["reasons"][0]["clause"]
    research = _json(["check", "merger/Merged-7B", "--use", "research", "--db", str(db),
                      "--json"])  # fmt: skip
    assert research["verdict"]["decision"] in ("allow", "conditional")
    text = runner.invoke(app, ["check", "merger/Merged-7B", "--db", str(db)])
    assert text.exit_code == 1
    assert "nclab/Research-7B" in text.stdout


def test_conflicts_json(db: Path) -> None:
    data = _json(["conflicts", "--db", str(db), "--json"])
    assert data["counts"]["noncommercial_ancestor"] == 1
    first = data["conflicts"][0]
    assert {"model", "type", "ancestor", "clause", "detail"} <= set(first)
    only = _json(["conflicts", "--type", "missing_naming", "--db", str(db), "--json"])
    assert [c["model"] for c in only["conflicts"]] == ["acme/SuperChat-8B"]
    bad = runner.invoke(app, ["conflicts", "--type", "nope", "--db", str(db)])
    assert bad.exit_code == 2


def test_sync_hub_from_file(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with Store.open(path) as store:
        import_dump(store, SAMPLE, source="hf-top-models")
    data = _json(["sync", "hub", "--from", str(BUILT), "--db", str(path), "--json"])
    assert data["models"] == 18
    assert data["warning_count"] == 6 and len(data["warnings"]) == 6
    assert data["lineage"]["models"] == 18 + 15
    missing = runner.invoke(app, ["sync", "hub", "--from", str(tmp_path / "x.jsonl"),
                                  "--db", str(path)])  # fmt: skip
    assert missing.exit_code == 3
