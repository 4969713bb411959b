"""`report --out` never clobbers what robinet did not write (issue: hardening, item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from robinet.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("out") / "robinet.duckdb"
    assert runner.invoke(app, ["orgs", "--db", str(path), "--json"]).exit_code == 0  # seeded
    return path


def _report(db: Path, out: Path, *extra: str) -> object:
    return runner.invoke(app, ["report", "--db", str(db), "--out", str(out), *extra])


def test_a_file_robinet_did_not_write_is_kept(db: Path, tmp_path: Path) -> None:
    precious = tmp_path / "thesis.html"
    precious.write_text("<html>four years of work</html>")
    result = _report(db, precious)
    assert result.exit_code == 2
    assert "not a file robinet wrote" in result.stderr and "--force" in result.stderr
    assert precious.read_text() == "<html>four years of work</html>"


def test_the_store_is_never_overwritten_even_with_force(db: Path) -> None:
    before = db.read_bytes()[:64]
    for extra in ((), ("--force",)):
        result = _report(db, db, *extra)
        assert result.exit_code == 2 and "DuckDB database" in result.stderr
    assert db.read_bytes()[:64] == before


def test_symbolic_links_are_not_followed(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me")
    link = tmp_path / "link.html"
    link.symlink_to(target)
    result = _report(db, link, "--force")
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    assert target.read_text() == "keep me"


def test_reports_replace_reports_and_force_replaces_others(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    out.write_text("scratch")
    assert _report(db, out, "--force").exit_code == 0
    first = out.read_text()
    assert first.startswith("<!DOCTYPE html>") or "<html" in first[:200]
    again = _report(db, out)  # an earlier report is ours: replaced without --force
    assert again.exit_code == 0, again.output
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []  # written through a temporary file and a rename
