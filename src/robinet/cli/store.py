"""`robinet store repair`: rebuild the derived tables a stopped sync left stale."""

from __future__ import annotations

import typer

from robinet.cli.common import DbOption, JsonOption, out_console, print_json, store_from

store_app = typer.Typer(help="Look after the store itself.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(store_app, name="store")


@store_app.command("repair")
def repair(json_: JsonOption = False, db: DbOption = None) -> None:
    """Rebuild the lineage tables (closure, obligations, conflicts) in one transaction.

    Read commands never rebuild anything: after an interrupted `robinet sync hub` they stop
    with exit 3 and name this command. Running it on a store that is not stale is harmless.
    """
    from robinet.store.lineage import repair as repair_store

    with store_from(db, write=True) as store:
        report = repair_store(store)  # RepairReport: was_stale, lineage (LineageSummary)
    if json_:
        print_json(report)
        return
    out_console.print(
        ("repaired: " if report.was_stale else "nothing was stale; rebuilt anyway: ")
        + "lineage tables rebuilt",
        highlight=False,
    )
