"""The landscape commands end to end, through the CLI, on a store seeded from the bundle."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from robinet.cli import app

runner = CliRunner()


def _all_command_paths() -> list[list[str]]:
    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(cmd: object, path: list[str]) -> None:
        paths.append(path)
        if hasattr(cmd, "commands"):  # a group (typer vendors its own click)
            for name, sub in cmd.commands.items():
                walk(sub, [*path, name])

    walk(root, [])
    return paths


@pytest.mark.parametrize("path", _all_command_paths(), ids=lambda p: " ".join(p) or "robinet")
def test_help_on_every_command(path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_every_leaf_command_offers_json() -> None:
    root = typer.main.get_command(app)
    missing = []
    for path in _all_command_paths():
        cmd = root
        for name in path:
            cmd = cmd.commands[name]  # type: ignore[attr-defined]
        if not hasattr(cmd, "commands"):
            opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
            if "--json" not in opts:
                missing.append(" ".join(path))
    assert missing == []


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """A store path that does not exist yet: the first command seeds it from the bundle."""
    return tmp_path_factory.mktemp("cli") / "robinet.duckdb"


def _json(args: list[str]) -> object:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _rows(args: list[str], key: str) -> list[dict]:
    doc = _json(args)
    assert isinstance(doc, dict) and doc["count"] == len(doc[key])
    return doc[key]


def test_releases_json_shape_and_filters(db: Path) -> None:
    args = ["releases", "--db", str(db), "--org", "Qwen", "--since", "2024-01-01", "--json"]
    rows = _rows(args, "releases")
    assert rows
    for row in rows:
        assert {"name", "organization", "countries", "date", "tier", "hf_id", "sources"} <= set(row)
        assert "alibaba" in row["organizations"]
        assert row["date"] is None or row["date"] >= "2024-01-01"
    cn_open = _rows(
        ["releases", "--db", str(db), "--country", "cn", "--tier", "open-unrestricted", "--json"],
        "releases",
    )
    assert cn_open and all("CN" in r["countries"] for r in cn_open)
    assert all(r["tier"] == "open-unrestricted" for r in cn_open)
    us = _rows(["releases", "--db", str(db), "--region", "US", "--json"], "releases")
    assert {r["region"] for r in us} == {"US"}


def test_orgs_and_sources_json(db: Path) -> None:
    orgs = _rows(["orgs", "--db", str(db), "--json"], "organizations")
    by_id = {o["id"]: o for o in orgs}
    assert by_id["deepseek"]["country"] == "CN"
    assert "deepseek-ai" in by_id["deepseek"]["hf_orgs"]
    sources = _rows(["sources", "--db", str(db), "--json"], "sources")
    names = {s["name"] for s in sources}
    assert {
        "epoch-notable",
        "epoch-all",
        "epoch-large-scale",
        "epoch-eci",
        "interconnects",
        "arena",
    } <= names
    for s in sources:
        assert s["license"] and s["origin"] and s["rows_imported"] >= 0


def test_bad_option_values_exit_2_with_a_hint(db: Path) -> None:
    result = runner.invoke(app, ["releases", "--db", str(db), "--tier", "leaked"])
    assert result.exit_code == 2
    assert "unknown tier" in result.stderr
    result = runner.invoke(app, ["releases", "--db", str(db), "--org", "No Such Lab Anywhere"])
    assert result.exit_code == 2 and "no organization matches" in result.stderr
    result = runner.invoke(app, ["releases", "--db", str(db), "--since", "last year"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


def test_report_writes_self_contained_html(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out.resolve()) in result.stdout.replace("\n", "")
    assert "Plotly.newPlot" in out.read_text()


def test_the_report_page_works_offline(built_report) -> None:
    page = built_report.html
    # Works offline: no script is loaded from elsewhere (script bodies are not parsed as tags).
    scripts: list[dict[str, str | None]] = []

    class Scripts(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "script":
                scripts.append(dict(attrs))

    Scripts().feed(page)
    assert scripts and all("src" not in attrs for attrs in scripts)
    assert "Plotly.newPlot" in page
    for title in ("Three regimes", "Data sources", "Release timelines"):
        assert title in page


def test_report_json_has_every_section(built_report) -> None:
    doc = built_report.json  # the document `robinet report --json` prints
    assert isinstance(doc, dict)
    keys = set(doc["sections"])
    assert {
        "releases_by_region_and_tier",
        "open_share_of_notable",
        "lab_timelines",
        "three_regimes",
        "sources",
    } <= keys
    for section in doc["sections"].values():
        assert set(section) == {"title", "description", "columns", "rows"}
