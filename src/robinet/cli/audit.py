"""`robinet audit` (the CI gate) and `robinet bom` (an AI-BOM for one model).

Thin: read the policy and the models, call `robinet.audit.audit`, write one format. Exit
codes: 0 every model passes, 1 a deny, a policy violation or an unknown license, 2 usage,
3 bad input (a policy or models file, named with the key or line). `--json` prints the audit
object on stdout; with another `--format`, that document goes to `--out FILE`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from robinet.cli.common import DbOption, JsonOption, err_console, print_json, store_from
from robinet.errors import UsageError

FormatOption = Annotated[
    str, typer.Option("--format", help="table | json | sarif | cyclonedx | spdx")
]
PolicyOption = Annotated[
    Path | None, typer.Option("--policy", help="Policy file (YAML): see docs/audit.md.")
]
OutOption = Annotated[
    Path | None, typer.Option("--out", help="Write the document to FILE instead of stdout.")
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite an --out file robinet did not write.")
]
SpecOption = Annotated[
    str | None, typer.Option("--spec-version", help="CycloneDX version: 1.6 (default) | 1.7")
]
_PROGRESS_FROM = 5  # models: a shorter list needs no bar


def register(app: typer.Typer) -> None:
    app.command("audit")(audit_cmd)
    app.command("bom")(bom_cmd)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int, int, str], None] | None]:
    """A transient bar on stderr, on a terminal and for long lists only."""
    if total < _PROGRESS_FROM or not err_console.is_terminal:
        yield None
        return
    from rich.progress import Progress

    with Progress(console=err_console, transient=True) as bar:
        task = bar.add_task("auditing", total=total)

        def step(done: int, _total: int, model: str) -> None:
            bar.update(task, completed=done, description=f"auditing {model}"[:60])

        yield step


def _render(result: Any, fmt: str, spec_version: str | None) -> tuple[str, str]:
    """(document, marker that recognizes a file robinet wrote in this format)."""
    from robinet.audit import cyclonedx, json_format, sarif, spdx, table

    if spec_version is not None and fmt != "cyclonedx":
        raise UsageError("--spec-version applies to --format cyclonedx only")
    if fmt == "table":
        return table.render(result), table.MARKER
    if fmt == "json":
        return json_format.render(result), json_format.MARKER
    if fmt == "sarif":
        return sarif.render(result, root=Path.cwd()), sarif.MARKER
    if fmt == "cyclonedx":
        return cyclonedx.render(result, spec_version=spec_version or "1.6"), cyclonedx.MARKER
    if fmt == "spdx":
        return spdx.render(result), spdx.MARKER
    raise UsageError(f"unknown format {fmt!r}", hint="one of: table, json, sarif, cyclonedx, spdx")


def _run(
    models: list[str],
    models_file: Path | None,
    policy_file: Path | None,
    fmt: str,
    out: Path | None,
    force: bool,
    spec_version: str | None,
    db: Path | None,
    json_: bool,
) -> None:
    from robinet.audit import audit, collect, json_format, load_policy
    from robinet.audit.policy import Policy
    from robinet.cli.output import check_writable, resolve_output, write_atomically

    if json_ and fmt not in ("json", "table") and out is None:
        raise UsageError(
            f"--json prints the audit on stdout: pass --out FILE for the {fmt} document"
        )
    policy = load_policy(policy_file) if policy_file is not None else Policy()
    specs = collect(models, models_file)
    if not specs:
        raise UsageError("no model to audit", hint="name models, or pass --models FILE")
    store = store_from(db)
    with _progress(len(specs)) as progress:
        result = audit(store, specs, policy, progress=progress)
    text, marker = _render(result, "json" if json_ and out is None else fmt, spec_version)
    if out is not None:
        target = resolve_output(out, f"robinet-audit.{'sarif' if fmt == 'sarif' else 'json'}")
        check_writable(target, markers=[marker], force=force)
        written = write_atomically(target, text)
        if not json_:
            err_console.print(f"wrote {written}", markup=False, highlight=False)
    if json_:
        data = json_format.to_json(result)
        if out is not None:
            data["out"] = str(out)
        print_json(data)
    elif out is None:
        typer.echo(text, nl=False)
    for warning in result.warnings:
        err_console.print(f"warning: {warning['message']}", markup=False, highlight=False)
    if result.exit_code:
        raise typer.Exit(result.exit_code)


def audit_cmd(
    models: Annotated[
        list[str] | None,
        typer.Argument(help="Hub ids, Hub URLs or local model folders.", show_default=False),
    ] = None,
    models_file: Annotated[
        Path | None, typer.Option("--models", help="A file of models, one a line, # comments.")
    ] = None,
    policy: PolicyOption = None,
    fmt: FormatOption = "table",
    out: OutOption = None,
    force: ForceOption = False,
    spec_version: SpecOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Gate models on their licenses across their lineage; exit code 1 on any failure."""
    _run(models or [], models_file, policy, fmt, out, force, spec_version, db, json_)


def bom_cmd(
    model: Annotated[str, typer.Argument(help="Hub id, Hub URL or local model folder.")],
    fmt: Annotated[str, typer.Option("--format", help="cyclonedx | spdx")] = "cyclonedx",
    spec_version: SpecOption = None,
    policy: PolicyOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """An AI-BOM of MODEL with its lineage, licenses and obligations (CycloneDX or SPDX 3)."""
    if fmt not in ("cyclonedx", "spdx"):
        raise UsageError(f"bom writes cyclonedx or spdx, not {fmt!r}")
    _run([model], None, policy, fmt, out, force, spec_version, db, json_)
