"""The tap commands end to end: --json shapes, exit codes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from robinet.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(real_store) -> str:
    return str(real_store.path)


def run_json(db: str, *args: str) -> dict:
    result = runner.invoke(app, [*args, "--json", "--db", db])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_openness_json(db: str) -> None:
    doc = run_json(db, "openness", "deepseek-ai/DeepSeek-R1")
    assert {"model", "index", "coverage", "mof_class", "dimensions", "rubric_version"} <= set(doc)
    assert doc["model"] == "DeepSeek-R1"


def test_openness_agreement_json(db: str) -> None:
    doc = run_json(db, "openness", "--agreement")
    assert doc["components"]["evaluations"] == 273
    assert doc["store_evidence"]["matched"] > 0


def test_openness_unknown_model_exits_2(db: str) -> None:
    result = runner.invoke(app, ["openness", "no-such-model-xyz", "--db", db])
    assert result.exit_code == 2
    assert "no release" in result.output


def test_gap_json(db: str) -> None:
    doc = run_json(db, "gap", "--by", "region")
    assert doc["series"] and "by_region" in doc and "excluded_unknown_access" in doc
    point = doc["series"][-1]
    assert set(point) == {"date", "best_open", "best_closed", "score_gap", "lag_months"}
    assert set(point["best_open"]) >= {"name", "organization", "region", "score"}


def test_gap_bad_option_exits_2(db: str) -> None:
    assert runner.invoke(app, ["gap", "--by", "planet", "--db", db]).exit_code == 2


def test_trends_json(db: str) -> None:
    doc = run_json(db, "trends", "--metric", "open_share", "--by", "org")
    assert doc["metric"] == "open_share" and doc["by"] == "org" and doc["series"]


def test_alerts_json(db: str) -> None:
    doc = run_json(db, "alerts", "--org", "Mistral AI", "--since", "2024-01")
    assert doc["alerts"] and {a["organization"] for a in doc["alerts"]} == {"mistral"}
    bad = runner.invoke(app, ["alerts", "--since", "last tuesday", "--db", db])
    assert bad.exit_code == 2


def test_lab_json_and_text(db: str) -> None:
    doc = run_json(db, "lab", "meta")
    assert doc["organization"]["id"] == "meta" and doc["alerts"]
    text = runner.invoke(app, ["lab", "meta", "--db", db])
    assert text.exit_code == 0 and "Meta" in text.stdout
