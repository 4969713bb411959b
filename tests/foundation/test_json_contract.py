"""The JSON contract (docs/json.md), enforced over every command of the CLI.

Every leaf command must appear in SUCCESS below: a new command without a case fails
`test_every_command_has_a_contract_case`, so the contract cannot be forgotten.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from robinet.cli import app

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
LLAMA = "meta-llama/Meta-Llama-3-8B-Instruct"  # in the bundled Hub sample

# command path -> (arguments after the path, the exit code the contract documents)
SUCCESS: dict[str, tuple[list[str], int]] = {
    "report": ([], 0),
    "releases": (["--org", "deepseek"], 0),
    "orgs": ([], 0),
    "sources": ([], 0),
    "snapshot build": (["--sources", "data/sources", "--out", "{tmp}/snapshot"], 0),
    "snapshot restore": ([], 0),
    "license identify": ([str(FIXTURES / "licenses" / "readme_llama31_finetune.md")], 0),
    "license resolve": (["llama3.1"], 0),
    "license check": (["llama-3.1-license-2024", "--monthly-users", "800000000"], 1),
    "license purposes": ([], 0),
    "license show": (["mit"], 0),
    "license list": ([], 0),
    "license compare": (["mit", "apache-2.0"], 0),
    "sync epoch": (["--from", "data/sources/epoch/notable_ai_models.csv"], 0),
    "sync hub": (["--from", str(FIXTURES / "lineage" / "built.jsonl"), "--source", "t"], 0),
    "lineage": ([LLAMA], 0),
    "check": ([LLAMA], 0),
    "conflicts": (["--limit", "3"], 0),
    "openness": (["DeepSeek-V3"], 0),
    "trends": ([], 0),
    "gap": ([], 0),
    "alerts": ([], 0),
    "lab": (["deepseek"], 0),
    "duties": (["DeepSeek-V3", "--jurisdiction", "EU"], 0),
    "hardware": ([], 0),
    "store repair": ([], 0),
    "audit": ([LLAMA], 0),
    "bom": ([LLAMA, "--out", "{tmp}/bom.cdx.json"], 0),
}

# listings: the key their list lives under (with "count" beside it)
LISTINGS = {
    "releases": "releases",
    "orgs": "organizations",
    "sources": "sources",
    "license identify": "results",
    "license list": "licenses",
    "conflicts": "conflicts",
    "alerts": "alerts",
}

# commands whose failure says which input is wrong: (arguments, exit code, error code)
FAILURE: dict[str, tuple[list[str], int, str]] = {
    "releases": (["--tier", "leaked"], 2, "usage"),
    "lineage": (["no-such/model"], 2, "not_found"),
    "check": (["no-such/model"], 2, "not_found"),
    "license check": (["no-such-license"], 2, "not_found"),
    "lab": (["No Such Lab Anywhere"], 2, "not_found"),
    "sync hub": (["--from", "{tmp}/missing.jsonl"], 3, "source"),
}


def _leaf_paths() -> list[str]:
    paths: list[str] = []

    def walk(cmd: Any, path: list[str]) -> None:
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, [*path, name])
        else:
            paths.append(" ".join(path))

    walk(typer.main.get_command(app), [])
    return sorted(paths)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("contract") / "robinet.duckdb"


def _invoke(path: str, args: list[str], db: Path, tmp: Path) -> Any:
    argv = [*path.split(), *(a.replace("{tmp}", str(tmp)) for a in args), "--json"]
    if path not in ("snapshot build",) and not path.startswith("license "):
        argv += ["--db", str(db)]
    return runner.invoke(app, argv)


def _one_object(stdout: str) -> dict[str, Any]:
    doc = json.loads(stdout)  # the whole of stdout is one JSON document...
    assert isinstance(doc, dict), f"top level must be an object, not {type(doc).__name__}"
    # ...written with sorted keys, so that outputs diff cleanly
    assert stdout.strip() == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)
    return doc


def _walk(value: Any, where: str = "") -> Iterator[tuple[str, str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield where, key, item
            yield from _walk(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{where}[{index}]")


# Commands that run until stopped: their --json start-up line is tested where they live
# (tests/web/test_serve.py); their usage errors are tested here like every command's.
LONG_RUNNING = {"serve"}


def test_every_command_has_a_contract_case() -> None:
    assert sorted(SUCCESS) == sorted(set(_leaf_paths()) - LONG_RUNNING)


@pytest.mark.parametrize("path", sorted(SUCCESS))
def test_json_output_is_one_object_with_the_documented_shapes(
    path: str, db: Path, tmp_path: Path
) -> None:
    args, code = SUCCESS[path]
    result = _invoke(path, args, db, tmp_path)
    assert result.exit_code == code, result.output
    doc = _one_object(result.stdout)
    for where, key, value in _walk(doc):
        # snake_case keys: no camelCase from a payload leaks through (data keys such as a
        # class label or a Hub id are values, and pass)
        assert not re.fullmatch(r"[a-z]+(?:[A-Z][a-z0-9]*)+", key), f"{where}.{key}"
        if key == "warnings":  # always a list of objects that say where
            assert isinstance(value, list), f"{where}.warnings is {type(value).__name__}"
            for warning in value:
                assert set(warning) == {"source", "file", "row", "field", "message"}
                assert warning["message"]
        if key == "license":  # a license id, never an object
            assert value is None or isinstance(value, str), f"{where}.license"
    if path in LISTINGS:  # a listing: the list under its named key, and its count
        key = LISTINGS[path]
        assert isinstance(doc[key], list) and doc["count"] == len(doc[key])


@pytest.mark.parametrize("path", sorted(FAILURE))
def test_errors_are_json_objects_on_stdout(path: str, db: Path, tmp_path: Path) -> None:
    args, code, error_code = FAILURE[path]
    result = _invoke(path, args, db, tmp_path)
    assert result.exit_code == code, result.output
    doc = _one_object(result.stdout)
    assert set(doc) == {"error"}
    assert set(doc["error"]) == {"code", "message", "hint", "location"}
    assert doc["error"]["code"] == error_code
    assert doc["error"]["message"]


@pytest.mark.parametrize("path", _leaf_paths())
def test_usage_errors_are_json_too(path: str, db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, [*path.split(), "--no-such-option", "--json"])
    assert result.exit_code == 2, result.output
    error = _one_object(result.stdout)["error"]
    assert error["code"] == "usage" and "--no-such-option" in error["message"]
    assert error["hint"] == f"see `robinet {path} --help`"


def test_without_json_errors_go_to_stderr_only(db: Path) -> None:
    result = runner.invoke(app, ["lineage", "no-such/model", "--db", str(db)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "not in the store" in result.stderr


def test_a_bug_under_json_is_an_internal_error_object(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from robinet.store.queries import landscape

    def broken(*args: object, **kwargs: object) -> list:
        raise RuntimeError("an unexpected bug")

    monkeypatch.setattr(landscape, "list_organizations", broken)
    result = runner.invoke(app, ["orgs", "--db", str(db), "--json"])
    assert result.exit_code == 4
    error = _one_object(result.stdout)["error"]
    assert error["code"] == "internal" and "an unexpected bug" in error["message"]
