"""`robinet serve`: binds loopback, prints where it listens (as JSON with --json), answers
/healthz; a port in use and an unusable store are clear errors, not tracebacks."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from robinet.cli import app


def test_serve_prints_its_url_and_answers(web_db: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "robinet", "serve", "--port", "0", "--json", "--db", str(web_db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(7)]  # the indented object
        doc = json.loads("".join(lines))
        assert doc["host"] == "127.0.0.1" and doc["read_only"] is True
        assert doc["url"] == f"http://127.0.0.1:{doc['port']}/"
        con = http.client.HTTPConnection("127.0.0.1", doc["port"], timeout=30)
        con.request("GET", "/healthz")
        response = con.getresponse()
        assert response.status == 200 and json.loads(response.read()) == {"status": "ok"}
        assert response.getheader("server") is None  # no server banner
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_a_port_in_use_is_a_usage_error(web_db: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            app, ["serve", "--port", str(port), "--db", str(web_db), "--json"]
        )
    assert result.exit_code == 2, result.output
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "usage" and str(port) in error["message"]


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "not-a-store.duckdb"
    bogus.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    result = CliRunner().invoke(app, ["serve", "--port", "0", "--db", str(bogus), "--json"])
    assert result.exit_code == 3, result.output
    assert json.loads(result.stdout)["error"]["code"] == "store"
