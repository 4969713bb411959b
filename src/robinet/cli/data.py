"""Landscape commands: report, releases, orgs, sources, snapshot."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from robinet.cli.common import (
    DbOption,
    JsonOption,
    LimitOption,
    OrgOption,
    SinceOption,
    err_console,
    listing,
    new_table,
    out_console,
    parse_since,
    plain,
    print_json,
    safe,
    store_from,
    to_jsonable,
    warnings_json,
)
from robinet.errors import UsageError

snapshot_app = typer.Typer(
    help="Build or restore the snapshot bundled with the package.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("releases")(releases)
    app.command("orgs")(orgs)
    app.command("sources")(sources)
    app.add_typer(snapshot_app, name="snapshot")


# How a file robinet wrote announces itself in its first bytes (the report's <head>).
REPORT_MARKERS = ('<meta name="generator" content="robinet', "<title>robinet \u2014 ")


def _check_limit(limit: int) -> None:
    if limit < 0:
        raise UsageError("--limit takes 0 (all) or a positive number of rows")


def report(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Where to write the HTML report (file or folder).")
    ] = Path("robinet-report.html"),
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite a file that is not a robinet report.")
    ] = False,
    json_: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Write the HTML report (self-contained, works offline) and print a short summary.

    With --json, print the data behind every section instead of writing HTML. An existing file
    is replaced only if robinet wrote it (or with --force); never the store, never through a
    symbolic link; the write is atomic.
    """
    from robinet.cli.output import check_writable, resolve_output, write_atomically
    from robinet.report.build import DEFAULT_NAME, build_report, render_html

    target = None if json_ else resolve_output(out, DEFAULT_NAME)
    if target is not None:  # before the work: a refused path costs nothing
        check_writable(target, markers=REPORT_MARKERS, force=force)
    with store_from(db) as store:
        result = build_report(store)
    if target is None:
        print_json(result.to_json())
        return
    path = write_atomically(target, render_html(result))
    for section in result.sections:
        out_console.print(f"[bold]{section.title}[/]")
        for line in section.summary if section.key == "sources" else section.summary[:6]:
            out_console.print(f"  {line}", highlight=False)
    out_console.print(f"\nReport written to [bold]{path}[/]")


def releases(
    org: OrgOption = None,
    region: Annotated[str | None, typer.Option(help="US, CN, EU or other.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 code, e.g. CN.")] = None,
    tier: Annotated[
        str | None,
        typer.Option(
            help="open-unrestricted, open-restricted, open-noncommercial, api, hosted, unreleased."
        ),
    ] = None,
    since: SinceOption = None,
    notable: Annotated[bool, typer.Option("--notable", help="Only notable releases.")] = False,
    limit: LimitOption = 50,
    json_: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List releases, merged across sources, oldest first."""
    from robinet.store.queries import landscape as queries

    with store_from(db) as store:
        rows = queries.list_releases(
            store,
            org=org,
            region=region,
            country=country,
            tier=tier,
            since=parse_since(since),
            notable=True if notable else None,
        )
    if json_:
        filters: dict[str, str | bool | None] = {"org": org, "region": region}
        filters |= {"country": country, "tier": tier, "since": since, "notable": notable}
        print_json(listing("releases", rows, filters=filters))
        return
    _check_limit(limit)
    dated = [r for r in rows if r.date is not None]
    undated = [r for r in rows if r.date is None]
    # "The latest N": the newest dated releases, shown oldest first; undated ones come last.
    shown = rows if limit == 0 else (dated[-limit:] + undated)[:limit]
    table = new_table("date", "name", "organization", "countries", "tier", "hf_id", "sources")
    for column in table.columns:
        column.overflow = "fold"
    for r in shown:
        table.add_row(
            str(r.date or "–"),
            safe(r.name),
            safe(r.organization_name or r.organization or "–"),
            ",".join(r.countries),
            r.tier or "–",
            safe(r.hf_id or "–"),
            safe(", ".join(r.sources)),
        )
    out_console.print(table)
    if len(shown) < len(rows):
        err_console.print(
            f"{len(rows)} releases ({len(undated)} undated); the latest {len(shown)} shown "
            "(--limit 0: all)"
        )


def orgs(
    limit: LimitOption = 40,
    json_: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List organizations with country, region, Hub namespaces and release counts."""
    from robinet.store.queries import landscape as queries

    with store_from(db) as store:
        rows = queries.list_organizations(store)
    if json_:
        print_json(listing("organizations", rows))
        return
    _check_limit(limit)
    table = new_table("id", "name", "country", "region", "releases", "open", "last", "hub orgs")
    for column in table.columns:
        column.overflow = "fold"
    for r in rows if limit == 0 else rows[:limit]:
        table.add_row(
            safe(r.id),
            safe(r.name),
            r.country or "–",
            r.region or "–",
            str(r.releases),
            str(r.open_weight_releases),
            str(r.last_release or "–"),
            safe(", ".join(r.hf_orgs)),
        )
    out_console.print(table)


def sources(
    warnings: Annotated[
        bool, typer.Option("--warnings", help="Also list every row kept out, with its location.")
    ] = False,
    json_: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List the data sources: rows imported and kept out, dates covered, license, origin.

    With --json every warning is listed (`warnings`), with or without --warnings.
    """
    from robinet.store.queries import landscape as queries

    with store_from(db) as store:
        rows = queries.list_sources(store)
        kept_out = queries.import_warnings(store) if warnings or json_ else []
    if json_:
        print_json(listing("sources", rows, warnings=warnings_json(kept_out)))
        return
    table = new_table("name", "rows", "kept out", "from", "to", "license", "origin")
    for r in rows:
        table.add_row(
            safe(r.name),
            str(r.rows_imported),
            str(r.rows_rejected),
            str(r.date_min or "–"),
            str(r.date_max or "–"),
            safe(r.license),
            safe(r.origin),
        )
    out_console.print(table)
    for w in kept_out:
        where = f"{w.file}:{w.row}" if w.row is not None else w.file
        out_console.print(
            plain(f"  {w.source} {where}: {w.message}"), highlight=False, markup=False
        )


@snapshot_app.command("build")
def snapshot_build(
    sources_dir: Annotated[
        Path, typer.Option("--sources", help="Folder holding the copies of the sources.")
    ] = Path("data/sources"),
    out: Annotated[
        Path | None,
        typer.Option(help="Folder to write the Parquet snapshot to (default: the package's)."),
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Rebuild the bundled snapshot from the repo's copies of every source."""
    from robinet.store import Store
    from robinet.store.pipeline import build_all
    from robinet.store.snapshot import bundled_dir, export_snapshot

    if not sources_dir.is_dir():
        raise UsageError(
            f"no sources folder at {sources_dir}",
            hint="run from a clone of the robinet repository, or pass --sources DIR",
        )
    store = Store.memory()
    results = build_all(store, sources_dir, progress=lambda n: err_console.print(f"importing {n}"))
    counts = export_snapshot(store, out or bundled_dir())
    if json_:
        imports = [
            {**to_jsonable(r), "warnings": []} for r in results
        ]  # each source's warnings, with their locations: `robinet sources --json`
        print_json({"imports": imports, "tables": counts, "out": str(out or bundled_dir())})
        return
    for r in results:
        out_console.print(
            f"{r.source}: {r.rows_read} read, {sum(r.rows_imported.values())} imported, "
            f"{r.rows_rejected} kept out"
        )
    out_console.print(f"snapshot written to {out or bundled_dir()}: {counts}")


@snapshot_app.command("restore")
def snapshot_restore(json_: JsonOption = False, db: DbOption = None) -> None:
    """Replace the store's data with the bundled snapshot (in one transaction)."""
    from robinet.store.snapshot import load_bundled

    with store_from(db, write=True) as store:
        counts = load_bundled(store)
    if json_:
        print_json({"tables": counts})
        return
    out_console.print("store restored from the bundled snapshot:")
    for table, rows in sorted(counts.items()):
        out_console.print(f"  {table}: {rows} rows", highlight=False)
