"""What every command shares: options, JSON output, terminal-safe text, errors -> exit codes.

Commands stay thin: parse options, call one library function, then either `print_json` one
object or render text for people. Errors are never handled in a command: `RobinetGroup.main`
turns every exception into the documented exit code once for the whole app, and under
`--json` into the contract's error object on stdout (docs/json.md).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from robinet.errors import UsageError
from robinet.jsonable import dump_json
from robinet.jsonable import listing as listing  # re-exported for the commands
from robinet.jsonable import to_jsonable as to_jsonable  # re-exported for the commands
from robinet.jsonable import warning_json as warning_json
from robinet.jsonable import warnings_json as warnings_json

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
    bool, typer.Option("--json", help="Print one JSON object on stdout and nothing else.")
]
# Larger limits are refused as usage errors before they reach SQL (an integer past 2^63 would
# overflow DuckDB's LIMIT and surface as an internal error).
MAX_LIMIT = 1_000_000_000
LimitOption = Annotated[
    int,
    typer.Option("--limit", help="Rows to show in the table (0: all).", min=0, max=MAX_LIMIT),
]
SinceOption = Annotated[
    str | None, typer.Option("--since", help="Only on or after this date (YYYY-MM-DD or YYYY-MM).")
]
OrgOption = Annotated[
    str | None, typer.Option("--org", help="Organization id, name or Hub namespace.")
]

# The use options shared by `license check` and `check`: one definition, one help text
# (the use context, docs/licenses.md; `robinet.licenses.use_context` takes the same keys).
UseOption = Annotated[
    str, typer.Option("--use", help="commercial | research | personal (default commercial).")
]
LicenseeCountryOption = Annotated[
    str | None,
    typer.Option(
        "--licensee-country",
        help="Licensee's principal place of business (or domicile): ISO 3166-1 alpha-2, or EU.",
    ),
]
MarketOption = Annotated[
    str | None,
    typer.Option(
        "--market",
        help="Where the model, its outputs or the product are used or offered: CC[,CC...] "
        "(EU allowed).",
    ),
]
RegionOption = Annotated[
    str | None,
    typer.Option("--region", help="Shorthand: sets both --licensee-country and --market to CC."),
]
MonthlyUsersOption = Annotated[
    int | None,
    typer.Option("--monthly-users", help="Monthly active users of the product.", min=0),
]
GroupMonthlyUsersOption = Annotated[
    int | None,
    typer.Option(
        "--group-monthly-users",
        help="Monthly active users of all products of the licensee and its affiliates "
        "(default: --monthly-users).",
        min=0,
    ),
]
AnnualRevenueOption = Annotated[
    int | None,
    typer.Option("--annual-revenue", help="Annual revenue in USD, licensee and affiliates.", min=0),
]
DistributionOption = Annotated[
    str | None,
    typer.Option(
        "--distribution",
        help="How the model reaches others: none | hosted | unmodified | modified (default none).",
    ),
]
RedistributeOption = Annotated[
    bool,
    typer.Option("--redistribute", help="Shorthand for --distribution modified."),
]
PurposeOption = Annotated[
    str | None,
    typer.Option(
        "--purpose",
        help="CATEGORY[,CATEGORY]: purposes from `robinet license purposes`.",
    ),
]
PurposeTextOption = Annotated[
    str | None,
    typer.Option(
        "--purpose-text",
        help="A free description; it never decides: the answer lists the prohibited uses "
        "to confirm.",
    ),
]
TrainOnOutputsOption = Annotated[
    bool, typer.Option("--train-on-outputs", help="Outputs train or improve another model.")
]
ModalityOption = Annotated[
    str | None,
    typer.Option(
        "--modality",
        help="text | vision | audio | multimodal (`check`: read from the model when not given).",
    ),
]
DerivativeNameOption = Annotated[
    str | None, typer.Option("--derivative-name", help="Name of a distributed derivative.")
]
AllowUnknownOption = Annotated[
    bool,
    typer.Option(
        "--allow-unknown", help="Exit 0 on an `unknown` verdict (default: exit 1, as deny)."
    ),
]


def print_json(value: object) -> None:
    """The one way a command writes JSON: exactly one object (docs/json.md), sorted keys.

    `value` is a mapping or a result dataclass; anything else (a bare list) is a bug."""
    data = to_jsonable(value)
    if not isinstance(data, Mapping):
        raise TypeError(f"--json output must be one object, not {type(value).__name__}")
    sys.stdout.write(dump_json(data) + "\n")
    sys.stdout.flush()


def parse_since(text: str | None, option: str = "--since") -> dt.date | None:
    """`--since` as a date: YYYY-MM-DD, or YYYY-MM for the first of the month."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text if len(text) > 7 else f"{text}-01")
    except ValueError:
        raise UsageError(f"{option} takes a date as YYYY-MM-DD or YYYY-MM, not {text!r}") from None


def new_table(*headers: str, **options: Any) -> Any:
    """A rich Table, imported on first use: most gates print JSON and never draw one."""
    from rich.table import Table

    return Table(*headers, **options)


def store_from(db: Path | None, *, write: bool = False) -> Store:
    """Open the store named by --db (or the default), seeding it when it is new.

    Commands that only read open it read-only, so that many can run at once.
    """
    from robinet.store import open_store

    return open_store(db, read_only=not write)


# -- text for terminals ------------------------------------------------------------------------
# Control characters (C0 but tab and newline, DEL, C1) and the bidirectional overrides and
# isolates that can make a terminal show something other than what the data says.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain(value: object) -> str:
    """Any outside string (a file's contents, a Hub id, a card field, an argument) made safe
    for a terminal: control characters and bidi overrides dropped. For `markup=False` output."""
    return _UNSAFE.sub("", str(value))


def safe(value: object) -> str:
    """`plain`, and escaped for Rich markup: the one way outside text enters a marked-up line
    (`[/]` would crash Rich, `[red]` would be swallowed)."""
    return escape(plain(value))
