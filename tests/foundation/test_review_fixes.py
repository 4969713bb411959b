"""Behaviours a reviewer asked for: read-only stores, exit codes, accounting, countries."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import SOURCES
from typer.testing import CliRunner

from robinet.cli import app
from robinet.errors import StoreError, UsageError
from robinet.store import Store, open_store
from robinet.store.queries.landscape import iso_country, list_releases

runner = CliRunner()


def test_many_readers_share_one_store(tmp_path: Path) -> None:
    path = tmp_path / "robinet.duckdb"
    open_store(path).close()  # seeded once
    script = (
        "from robinet.store import open_store\n"
        f"s = open_store({str(path)!r}, read_only=True)\n"
        "import time; time.sleep(1.0)\n"
        "print(s.count('releases'))\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=60)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert len(set(outputs)) == 1 and int(outputs[0]) > 2000


def test_a_writer_lock_gives_a_clear_error_not_a_hint_to_delete(tmp_path: Path) -> None:
    path = tmp_path / "robinet.duckdb"
    open_store(path).close()
    script = (
        "import duckdb, time\n"
        f"c = duckdb.connect({str(path)!r})\n"
        "print('locked', flush=True)\n"
        "time.sleep(5)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreError) as caught:
            Store.open(path, read_only=True)
        assert "in use by another process" in caught.value.message
        assert "remove" not in str(caught.value)
    finally:
        holder.kill()
        holder.wait()


def test_read_only_store_is_seeded_first(tmp_path: Path) -> None:
    with open_store(tmp_path / "fresh.duckdb", read_only=True) as store:
        assert store.count("releases") > 2000


def test_country_codes_are_checked() -> None:
    assert iso_country(" cn ") == "CN"
    for bad in ("ZZ", "china", "C", ""):
        with pytest.raises(UsageError):
            iso_country(bad)


def test_hub_only_releases_take_their_organizations_country(real_store: Store) -> None:
    # Interconnects' region of each Hub namespace (china/us/...), read from its own file.
    with (SOURCES / "interconnects" / "organization_regions.csv").open(encoding="utf-8") as f:
        chinese = {r["hf_org"].lower() for r in csv.DictReader(f) if r["region"] == "china"}
    hub_only = [
        r
        for r in list_releases(real_store)
        if r.sources == ("interconnects",) and r.hf_id and r.hf_id.split("/")[0].lower() in chinese
    ]
    assert len(hub_only) >= 3 and all(r.countries == ("CN",) for r in hub_only), hub_only[:3]


def test_co_authors_get_their_country_from_epochs_paired_list(real_store: Store) -> None:
    # Tsinghua appears mostly next to other organizations; Epoch pairs each with a country.
    org = real_store.query("SELECT country FROM organizations WHERE id = 'tsinghua-university'")
    assert org == [{"country": "CN"}]


def test_sources_account_for_every_row(real_store: Store) -> None:
    for row in real_store.query("SELECT * FROM sources"):
        assert row["rows_imported"] + row["rows_rejected"] == row["rows_read"], row["name"]
    warnings = real_store.query(
        "SELECT source, count(*) n FROM import_warnings WHERE field IS NULL GROUP BY source"
    )
    rejected = {r["name"]: r["rows_rejected"] for r in real_store.query("SELECT * FROM sources")}
    for w in warnings:
        assert rejected[w["source"]] == w["n"]


def test_releases_table_shows_the_latest_dated_releases(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    result = runner.invoke(
        app,
        ["releases", "--db", str(db), "--org", "deepseek", "--limit", "3"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("│ 20")]
    assert len(lines) == 3  # three dated rows, none undated
    assert "undated" in result.stderr
    bad = runner.invoke(app, ["releases", "--db", str(db), "--limit", "-1"])
    assert bad.exit_code == 2


def test_report_out_may_be_a_folder_and_bad_paths_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    result = runner.invoke(app, ["report", "--db", str(db), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "robinet-report.html").exists()
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    result = runner.invoke(app, ["report", "--db", str(db), "--out", str(blocked / "r.html")])
    assert result.exit_code == 2
    assert "cannot write" in result.stderr


def test_a_crash_exits_4_not_the_deny_code(tmp_path: Path, monkeypatch, capsys) -> None:
    import robinet.cli
    from robinet.cli.errors import INTERNAL_ERROR
    from robinet.store.queries import landscape as queries

    def broken(store: Store) -> list:
        raise RuntimeError("an unexpected bug")

    monkeypatch.setattr(queries, "list_organizations", broken)
    monkeypatch.setattr(sys, "argv", ["robinet", "orgs", "--db", str(tmp_path / "c.duckdb")])
    with pytest.raises(SystemExit) as caught:
        robinet.cli.main()
    assert caught.value.code == INTERNAL_ERROR == 4
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: an unexpected bug" in err
    assert "Traceback" in err
