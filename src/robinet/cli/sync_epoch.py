"""`robinet sync epoch [--from FILE]`: refresh Epoch AI's tables in the store.

`register` attaches it to the `sync` group of `robinet.cli.lineage` (`sync_app`); it is listed
in `robinet.cli._register` after `lineage`, which creates the group.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from robinet.cli.common import (
    DbOption,
    JsonOption,
    err_console,
    out_console,
    print_json,
    store_from,
    warnings_json,
)
from robinet.cli.lineage import sync_app


def register(app: typer.Typer) -> None:
    """Add `sync epoch` to the `sync` group (`app` is the root app, unused); once."""
    if not any(c.name == "epoch" for c in sync_app.registered_commands):
        sync_app.command("epoch")(sync_epoch_cmd)


def sync_epoch_cmd(
    from_: Annotated[
        list[Path] | None,
        typer.Option(
            "--from",
            help="Import this Epoch CSV (notable, all, large-scale or the capabilities index) "
            "instead of downloading Epoch's published tables (repeat for several).",
        ),
    ] = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Refresh the Epoch AI tables (online from epoch.ai, or offline from files), then merge."""
    from robinet.jsonable import to_jsonable
    from robinet.sources import epoch_sync
    from robinet.store.ingest import ingest

    # Everything is read (or downloaded) before the store is opened for writing.
    batches = (
        [epoch_sync.read_file(path) for path in from_] if from_ else epoch_sync.online_batches()
    )
    store = store_from(db, write=True)
    results = [ingest(store, batch) for batch in batches]
    warnings = [w for batch in batches for w in batch.warnings]
    if json_:
        print_json(
            {
                "sources": to_jsonable(results),
                "warnings": warnings_json(
                    [{"source": b.info.name, **to_jsonable(w)} for b in batches for w in b.warnings]
                ),
            }
        )
        return
    for result in results:
        out_console.print(
            f"{result.source}: {result.rows_read} read, "
            f"{result.rows_read - result.rows_rejected} imported, {result.rows_rejected} kept out",
            highlight=False,
        )
    if warnings:
        err_console.print(
            f"[yellow]{len(warnings)} warning(s)[/] (all: `robinet sources --warnings`)",
            highlight=False,
        )
