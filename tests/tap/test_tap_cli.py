"""The tap commands end to end: --json shapes, exit codes."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from robinet.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(real_store, tmp_path_factory) -> str:
    """A copy of the real store: read commands open their store read-only, and DuckDB will
    not open a file read-only that this process already holds open for writing."""
    real_store.con.execute("CHECKPOINT")
    copy = tmp_path_factory.mktemp("tapcli") / "real.duckdb"
    shutil.copyfile(real_store.path, copy)
    return str(copy)


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
    assert set(point) == {
        "date", "best_open", "best_closed", "score_gap", "lag_months",
        "open_models", "closed_models", "floor",
    }  # fmt: skip
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


def test_openness_normalized_name_and_suggestions(db: str) -> None:
    doc = run_json(db, "openness", "Llama 3.1 405B")
    assert doc["release"]["name"] == "Llama 3.1-405B"
    bad = runner.invoke(app, ["openness", "Lama 3.1-405B", "--db", db])
    assert bad.exit_code == 2 and "did you mean" in bad.output and "Llama 3.1-405B" in bad.output


def test_trends_downloads_share_json_has_the_caveat(db: str) -> None:
    doc = run_json(db, "trends", "--metric", "downloads_share")
    assert 0 < doc["caveats"]["unknown_region_share"] <= 1
    text = runner.invoke(app, ["trends", "--metric", "downloads_share", "--db", db])
    assert text.exit_code == 0 and "caveat" in text.stdout


def test_alerts_json_sources_are_lists_of_names(db: str) -> None:
    doc = run_json(db, "alerts", "--org", "meta")
    assert doc["alerts"]
    for a in doc["alerts"]:
        assert isinstance(a["sources"], list) and all("," not in s for s in a["sources"])
