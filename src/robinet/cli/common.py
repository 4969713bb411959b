"""What every command shares: the --db and --json options, JSON output, errors -> exit codes.

Commands stay thin: parse options, call one library function, hand the result to `emit`.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from robinet.errors import RobinetError
from robinet.jsonable import dump_json
from robinet.jsonable import to_jsonable as to_jsonable  # re-exported for the commands

if TYPE_CHECKING:  # the store (DuckDB) is imported only by the commands that use it
    from robinet.store import Store

# Progress, logs and warnings go to stderr so that --json output on stdout stays clean.
err_console = Console(stderr=True)
out_console = Console()

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="DuckDB store to use (default: $ROBINET_DB, else robinet.duckdb in the user data "
        "directory; created from the bundled snapshot when missing).",
        envvar="ROBINET_DB",
        show_default=False,
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout and nothing else.")
]

# The use options shared by `license check` and `check`: one definition, one help text.
UseOption = Annotated[str, typer.Option("--use", help="commercial | research | personal")]
MonthlyUsersOption = Annotated[
    int | None, typer.Option("--monthly-users", help="Monthly active users of the product.")
]
RegionOption = Annotated[
    str | None, typer.Option("--region", help="ISO 3166-1 alpha-2 country (or EU).")
]
PurposeOption = Annotated[
    str | None, typer.Option("--purpose", help="What the model is used for, in words.")
]
TrainOnOutputsOption = Annotated[
    bool, typer.Option("--train-on-outputs", help="Outputs train or improve another model.")
]
RedistributeOption = Annotated[
    bool, typer.Option("--redistribute", help="The model or a derivative is distributed.")
]
ModalityOption = Annotated[str, typer.Option("--modality", help="text | vision | multimodal")]
DerivativeNameOption = Annotated[
    str | None, typer.Option("--derivative-name", help="Name of a distributed derivative.")
]


def print_json(value: Any) -> None:
    sys.stdout.write(dump_json(value) + "\n")


def store_from(db: Path | None, *, write: bool = False) -> Store:
    """Open the store named by --db (or the default), seeding it when it is new.

    Commands that only read open it read-only, so that many can run at once.
    """
    from robinet.store import open_store

    return open_store(db, read_only=not write)


F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Turn robinet's exceptions into a message on stderr and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RobinetError as exc:
            err_console.print(
                f"[bold red]error:[/] {escape(exc.message)}", highlight=False, soft_wrap=True
            )
            if exc.hint:
                err_console.print(
                    f"  [dim]hint:[/] {escape(exc.hint)}", highlight=False, soft_wrap=True
                )
            raise typer.Exit(exc.exit_code) from exc

    return wrapper  # type: ignore[return-value]
