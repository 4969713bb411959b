"""The `robinet` command line: one Typer app, each area's commands in its own module."""

from __future__ import annotations

import sys

import typer

from robinet import __version__

app = typer.Typer(
    name="robinet",
    help="Observatory and compliance engine for open-weight AI models.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"robinet {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Observatory and compliance engine for open-weight AI models."""


def _register() -> None:
    # Each module adds its commands to `app`; the order here is the order in --help.
    from robinet.cli import data, licenses, lineage, tap

    for module in (data, licenses, lineage, tap):
        module.register(app)


_register()


INTERNAL_ERROR = 4


def main() -> None:
    """Run the CLI. A crash exits 4, never 1: exit 1 means a deny verdict, and CI relies on it."""
    try:
        app()
    except Exception as exc:
        import traceback

        traceback.print_exc()
        sys.stderr.write(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "  this is a bug in robinet: please report it with the command and the traceback\n"
        )
        raise SystemExit(INTERNAL_ERROR) from None
