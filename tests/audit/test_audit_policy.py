"""Bad policy files: every message names the file and the key (exit code 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from robinet.audit import load_policy
from robinet.cli import app
from robinet.errors import InputDataError

runner = CliRunner()

CASES = [
    ("colour: blue\n", "colour", "unknown key 'colour'"),
    ("context:\n  planet: Mars\n", "context.planet", "unknown key 'planet'"),
    ("context:\n  monthly_users: lots\n", "context.monthly_users", "integer"),
    ("context:\n  monthly_users: -5\n", "context.monthly_users", "greater than or equal"),
    ("context:\n  use: world-domination\n", "context.use", "use must be one of"),
    ("context:\n  distribution: sometimes\n", "context.distribution", "distribution must be"),
    ("context:\n  licensee_country: Narnia\n", "context.licensee_country", "ISO 3166-1"),
    ("deny_licenses: [no-such-license]\n", "deny_licenses[0]", "unknown license"),
    ("deny_categories: [evil]\n", "deny_categories[0]", "unknown category 'evil'"),
    ("allow_unknown: perhaps\n", "allow_unknown", "boolean"),
    (
        "exceptions:\n  - model: a/b\n    reason: r\n    until: someday\n",
        "exceptions[0].until",
        "date",
    ),
    ("exceptions:\n  - model: a/b\n", "exceptions[0].reason", "required"),
]


@pytest.mark.parametrize(("text", "field", "words"), CASES)
def test_bad_policy_names_the_key(tmp_path: Path, text: str, field: str, words: str) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(InputDataError) as caught:
        load_policy(path)
    assert caught.value.field == field
    assert caught.value.file == str(path)
    assert words.lower() in caught.value.message.lower()
    assert field in caught.value.message  # the message says where, too


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("context:\n  use: commercial\n  market: [US\n", "utf-8")
    with pytest.raises(InputDataError) as caught:
        load_policy(path)
    assert caught.value.row is not None


def test_a_policy_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("- a\n- b\n", "utf-8")
    with pytest.raises(InputDataError, match="mapping"):
        load_policy(path)


def test_the_cli_reports_the_key_with_exit_code_3(tmp_path: Path, db: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("context:\n  monthly_users: lots\n", "utf-8")
    result = runner.invoke(
        app, ["audit", "acme/legacy-model", "--policy", str(path), "--db", str(db), "--json"]
    )
    assert result.exit_code == 3
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "bad_input"
    assert error["location"] == {"file": str(path), "field": "context.monthly_users"}


def test_an_empty_policy_is_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("", "utf-8")
    policy = load_policy(path)
    assert policy.deny_licenses == () and policy.allow_unknown is False


def test_models_file_errors_name_the_line(tmp_path: Path, db: Path) -> None:
    models = tmp_path / "models.txt"
    models.write_text("acme/legacy-model\nhttps://example.com/x/y\n", "utf-8")
    result = runner.invoke(app, ["audit", "--models", str(models), "--db", str(db), "--json"])
    assert result.exit_code == 3
    assert json.loads(result.stdout)["error"]["location"] == {"file": str(models), "row": 2}
