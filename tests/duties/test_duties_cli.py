"""`robinet duties` and `robinet hardware`: JSON shapes, text output and exit codes, over a
store built from data/sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.duties.epoch import epoch_row
from typer.testing import CliRunner, Result

from robinet.cli import app
from robinet.store import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from robinet.store.pipeline import build_all

    path = tmp_path_factory.mktemp("duties-cli") / "robinet.duckdb"
    store = Store.open(path)
    build_all(store, Path(__file__).resolve().parents[2] / "data" / "sources")
    store.close()
    return path


def _run(db: Path, *args: str) -> Result:
    return runner.invoke(app, [*args, "--db", str(db)])


def test_duties_json(db: Path) -> None:
    result = _run(db, "duties", "Llama 3.1-405B", "--jurisdiction", "EU", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    row = epoch_row("Llama 3.1-405B", "large_scale_ai_models.csv")
    assert doc["compute_flop"] == float(row["Training compute (FLOP)"])
    assert doc["systemic_risk"] is True and doc["open_source_exemption"] is False
    assert doc["release"]["id"] == "llama-3-1-405b"
    assert doc["count"] == len(doc["duties"])
    assert doc["disclaimer"].startswith("This is information, not legal advice")


def test_duties_text_and_cn(db: Path) -> None:
    result = _run(db, "duties", "DeepSeek-V3", "--jurisdiction", "cn", "--public-service")
    assert result.exit_code == 0, result.output
    assert "China" in result.stdout and "not legal advice" in result.stdout
    private = _run(
        db, "duties", "DeepSeek-V3", "--jurisdiction", "CN", "--role", "deployer", "--json"
    )
    assert private.exit_code == 0
    assert all(d["applies"] is False for d in json.loads(private.stdout)["duties"])


@pytest.mark.parametrize(
    ("args", "code", "error"),
    [
        (["duties", "Lama 3.1-405B", "--jurisdiction", "EU"], 2, "not_found"),
        (["duties", "DeepSeek-V3", "--jurisdiction", "US"], 2, "not_found"),
        (["duties", "DeepSeek-V3", "--jurisdiction", "EU", "--role", "user"], 2, "usage"),
        (["hardware", "--by", "lab"], 2, "usage"),
    ],
)
def test_exit_codes(db: Path, args: list[str], code: int, error: str) -> None:
    result = _run(db, *args, "--json")
    assert result.exit_code == code, result.output
    assert json.loads(result.stdout)["error"]["code"] == error


def test_did_you_mean(db: Path) -> None:
    result = _run(db, "duties", "Lama 3.1-405B", "--jurisdiction", "EU", "--json")
    assert "Llama 3.1-405B" in json.loads(result.stdout)["error"]["hint"]


def test_missing_jurisdiction_is_a_usage_error(db: Path) -> None:
    assert _run(db, "duties", "DeepSeek-V3").exit_code == 2


def test_hardware_json(db: Path) -> None:
    result = _run(db, "hardware", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["count"] == len(doc["releases"])
    assert set(doc["coverage"]) >= {"releases", "known", "unknown", "unknown_share"}
    deepseek = next(r for r in doc["releases"] if r["name"] == "DeepSeek-V3")
    assert deepseek["hardware"] == [
        {"vendor": "nvidia", "chip": "h800", "quantity": 2048, "source": "epoch-large-scale"}
    ]
    for point in doc["series"]:
        assert {"period", "region", "known", "domestic", "domestic_share"} <= set(point)


def test_hardware_text_says_the_coverage(db: Path) -> None:
    for args in (["hardware"], ["hardware", "--by", "region"]):
        result = _run(db, *args)
        assert result.exit_code == 0, result.output
        assert "have known training hardware" in result.stdout
        assert "count as unknown" in result.stdout
