"""Outside text reaches a terminal as text: no Rich markup, no escape sequences (hardening 6).

Payloads ride in a Hub dump (ids, license names, base models) and in arguments; every command
that prints them as text must neither crash (exit 4) nor pass control sequences through, and
markup-looking text must be shown as written, not swallowed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from robinet.cli import app
from robinet.cli.common import plain, safe

runner = CliRunner()

OSC_TITLE = "\x1b]0;pwned\x07"  # sets the window title
CLEAR = "\x1b[2J"  # clears the screen
BIDI = "\u202e"  # right-to-left override: shows text reversed
PAYLOADS = ["[/]", "[red]swallowed[/red]", OSC_TITLE, CLEAR, BIDI + "gpj.exe"]
CONTROL = ("\x1b", "\x07", BIDI)


def _record(i: int, model_id: str, **extra: object) -> dict[str, object]:
    return {
        "_id": f"p{i}",
        "id": model_id,
        "author": model_id.split("/")[0],
        "sha": f"{i:040d}",
        "createdAt": "2024-08-01T00:00:00.000Z",
        "lastModified": "2024-08-01T00:00:00.000Z",
        "downloads": 1,
        "tags": extra.pop("tags", []),
        **extra,
    }


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("payloads")
    records = [_record(0, "base/Base-7B", tags=["license:apache-2.0"])]
    for i, payload in enumerate(PAYLOADS, start=1):
        records.append(
            _record(
                i,
                f"evil{i}/Model{payload}",
                tags=[f"license:other{payload}", "base_model:base/Base-7B"],
                cardData={"license_name": f"custom{payload}", "base_model": f"x/{payload}"},
            )
        )
        records.append(_record(100 + i, "ok/Fine-tune-" + str(i), tags=[f"base_model:{payload}"]))
    dump = folder / "payloads.jsonl"
    dump.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    path = folder / "robinet.duckdb"
    result = runner.invoke(app, ["sync", "hub", "--from", str(dump), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _clean(result: object) -> None:
    output = result.stdout + result.stderr  # type: ignore[attr-defined]
    assert result.exit_code in (0, 1, 2, 3), output  # type: ignore[attr-defined]
    for char in CONTROL:
        assert char not in output, repr(output[:300])


def test_payloads_in_the_store_print_as_text(db: Path) -> None:
    for args in (
        ["sources", "--warnings"],
        ["conflicts"],
        ["lineage", "base/Base-7B", "--tree"],
        ["check", "base/Base-7B"],
    ):
        result = runner.invoke(app, [*args, "--db", str(db)], env={"COLUMNS": "400"})
        _clean(result)


def test_payloads_in_model_ids_print_as_text(db: Path) -> None:
    for i, payload in enumerate(PAYLOADS, start=1):
        for command in ("lineage", "check"):
            result = runner.invoke(app, [command, f"evil{i}/Model{payload}", "--db", str(db)])
            _clean(result)
            if result.exit_code == 0 and "[red]" in payload:  # shown as written
                assert "[red]swallowed[/red]" in result.stdout


def test_payloads_in_arguments_print_as_text(db: Path) -> None:
    for payload in PAYLOADS:
        for args in (
            ["releases", "--org", payload],
            ["lab", payload],
            ["license", "check", payload],
            ["license", "show", payload],
        ):
            result = runner.invoke(app, [*args, "--db", str(db)] if args[0] != "license" else args)
            _clean(result)
            assert result.exit_code == 2


def test_the_helpers_strip_controls_and_escape_markup() -> None:
    assert plain(f"a{OSC_TITLE}b{CLEAR}c{BIDI}d\te\nf") == "a]0;pwnedb[2Jcd\te\nf"
    assert safe("[red]x[/red]") == "\\[red]x\\[/red]"
    assert safe("[/]") == "\\[/]"
