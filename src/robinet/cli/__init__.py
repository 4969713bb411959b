"""The `robinet` command line: one Typer app, each area's commands in its own module."""

from __future__ import annotations

import typer

from robinet.cli.errors import RobinetGroup

app = typer.Typer(
    cls=RobinetGroup,
    name="robinet",
    help="Observatory and compliance engine for open-weight AI models.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from robinet import __version__

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
    from robinet.cli import audit, data, duties, licenses, lineage, serve, store, sync_epoch, tap

    for module in (data, licenses, lineage, sync_epoch, tap, duties, store, serve, audit):
        module.register(app)


_register()


def main() -> None:
    """Run the CLI; `RobinetGroup.main` maps every outcome to the documented exit code."""
    app()
