"""Hub sync and lineage commands: `sync hub`, `lineage`, `check`, `conflicts`.

Thin: parse options, call one function of robinet.sources.hub_* or robinet.lineage.query,
format the result. Progress goes to stderr; `--json` prints one document on stdout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from robinet.cli.common import (
    MAX_LIMIT,
    AllowUnknownOption,
    AnnualRevenueOption,
    DbOption,
    DerivativeNameOption,
    DistributionOption,
    GroupMonthlyUsersOption,
    JsonOption,
    LicenseeCountryOption,
    MarketOption,
    ModalityOption,
    MonthlyUsersOption,
    PurposeOption,
    PurposeTextOption,
    RedistributeOption,
    RegionOption,
    TrainOnOutputsOption,
    UseOption,
    err_console,
    out_console,
    plain,
    print_json,
    safe,
    store_from,
    warnings_json,
)

sync_app = typer.Typer(help="Bring outside data into the store.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add `sync` (with `hub`), `lineage`, `check` and `conflicts` to the root app."""
    app.add_typer(sync_app, name="sync")
    app.command("lineage")(lineage_cmd)
    app.command("check")(check_cmd)
    app.command("conflicts")(conflicts_cmd)


@contextmanager
def _progress(start: str) -> Iterator[Callable[[str], None]]:
    """Progress on stderr: a transient status line on a terminal; plain lines otherwise (a cron
    job's log, a pipe), so that a long wait is never silent. Never on stdout."""
    if err_console.is_terminal:
        with err_console.status(safe(start)) as status:
            yield lambda message: status.update(safe(message))
        return

    def line(message: str) -> None:
        err_console.print(message, markup=False, highlight=False, soft_wrap=True)

    line(start)
    yield line


@sync_app.command("hub")
def sync_hub_cmd(
    from_: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="Import a dump instead of the live Hub: .jsonl, .jsonl.gz, .parquet, or the "
            "top-models .csv.",
            exists=False,
        ),
    ] = None,
    author: Annotated[
        list[str] | None, typer.Option("--author", help="Sync this author's models (repeat).")
    ] = None,
    search: Annotated[str | None, typer.Option("--search", help="Models matching TEXT.")] = None,
    family: Annotated[
        str | None,
        typer.Option("--family", help="ROOT and every model whose base_model tags lead to it."),
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="The whole Hub.")] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Ignore the last sync's watermark: fetch everything.")
    ] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", help="Stop after N models.", min=1, max=MAX_LIMIT)
    ] = None,
    source: Annotated[
        str, typer.Option("--source", help="Source name recorded as provenance.")
    ] = "hf-hub",
    glob: Annotated[
        bool,
        typer.Option(
            "--glob",
            help="Read --from as a pattern ('dumps/*.jsonl'); each file is recorded as itself. "
            "Without it the path is literal.",
        ),
    ] = False,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Sync Hub models (live, incremental and resumable) or import a dump; recompute lineage."""
    from robinet.cli.common import to_jsonable

    if from_ is None and (author or search or family or everything):
        from robinet.sources.hub_sync import ensure_online

        ensure_online()  # HF_HUB_OFFLINE=1: fail before opening (or seeding) the store
    store = store_from(db, write=True)
    if from_ is not None:
        from robinet.store.hub import import_dump, register_source

        with err_console.status(f"importing {safe(from_)}…"):
            report: Any = import_dump(store, from_, source=source, glob=glob)
            register_source(store, source, report.files)
    else:
        from robinet.store.hub import sync_hub

        with _progress("syncing from the Hub…") as progress:
            report = sync_hub(
                store,
                authors=author or [],
                search=search,
                family=family,
                everything=everything,
                full=full,
                limit=limit,
                source=source,
                progress=progress,
            )
    data = to_jsonable(report)
    # The contract: `warnings` is a list of objects; the importer reports a count and a sample.
    count = data.get("warnings", 0)
    data["warning_count"] = len(count) if isinstance(count, list) else int(count or 0)
    data["warnings"] = warnings_json(data.pop("warning_sample", []) or [])
    if json_:
        print_json(data)
        return
    lineage = data.get("lineage", {})
    out_console.print(
        f"[bold]{data.get('models', 0)}[/] models; declared lineage for "
        f"{lineage.get('with_declared_lineage', 0)} of {lineage.get('models', 0)} "
        f"({100 * lineage.get('declared_share', 0):.1f}%); "
        f"{lineage.get('inferred_edges', 0)} inferred edges",
        highlight=False,
    )
    for kind, n in sorted((lineage.get("conflicts") or {}).items()):
        out_console.print(f"  conflicts {kind}: {n}", highlight=False)
    for kind, n in sorted((lineage.get("anomalies") or {}).items()):
        out_console.print(f"  {kind.replace('_', ' ')}: {n}", highlight=False)
    if data["warning_count"]:
        err_console.print(
            f"[yellow]{data['warning_count']} warning(s)[/] (all: `robinet sources --warnings`)",
            highlight=False,
        )
        for warning in data["warnings"][:10]:
            err_console.print("  " + plain(warning["message"]), highlight=False, markup=False)


def lineage_cmd(
    model: Annotated[str, typer.Argument(help="Hub id, owner/name.")],
    tree: Annotated[bool, typer.Option("--tree", help="Show the ancestry as a tree.")] = False,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Ancestors of MODEL (relation, depth, signal, confidence), its roots, its descendants."""
    from robinet.cli.common import to_jsonable
    from robinet.lineage.query import lineage

    result = lineage(store_from(db), model, tree=tree)
    if json_:
        data = to_jsonable(result)
        if not tree:
            data.pop("tree", None)
        print_json(data)
        return
    out_console.print(
        f"[bold]{safe(result.model)}[/]  license: {safe(result.license or '—')}  roots: "
        f"{safe(', '.join(result.roots))}",
        highlight=False,
    )
    if tree and result.tree:
        from rich.tree import Tree

        def add(branch: Tree, node: dict[str, Any]) -> None:
            for parent in node.get("parents", []):
                conf = parent["confidence"]
                label = f"{safe(parent['id'])}  [dim]{parent['relation']}"
                label += f", inferred {conf:.2f}[/]" if conf < 1 else "[/]"
                if parent.get("seen"):
                    label += " [dim](see above)[/]"
                add(branch.add(label), parent)

        root = Tree(safe(result.model))
        add(root, result.tree)
        out_console.print(root)
    else:
        for a in result.ancestors:
            mark = f" inferred ({a.confidence:.2f})" if a.inferred else ""
            out_console.print(
                f"  {'  ' * (a.depth - 1)}↑ {safe(a.id)}  [dim]{a.relation} via {a.source}{mark}, "
                f"license {safe(a.license or '—')}[/]",
                highlight=False,
            )
    d = result.descendants
    parts = ", ".join(f"{k} {v}" for k, v in d["by_relation"].items() if v)
    out_console.print(f"descendants: {d['total']}" + (f" ({parts})" if parts else ""))
    for anomaly in result.anomalies:
        err_console.print(
            f"[yellow]{safe(anomaly.kind)}[/]: {safe(anomaly.detail)}", highlight=False
        )


def check_cmd(
    model: Annotated[str, typer.Argument(help="Hub id, owner/name.")],
    use: UseOption = "commercial",
    licensee_country: LicenseeCountryOption = None,
    market: MarketOption = None,
    region: RegionOption = None,
    monthly_users: MonthlyUsersOption = None,
    group_monthly_users: GroupMonthlyUsersOption = None,
    annual_revenue: AnnualRevenueOption = None,
    distribution: DistributionOption = None,
    redistribute: RedistributeOption = False,
    purpose: PurposeOption = None,
    purpose_text: PurposeTextOption = None,
    modality: ModalityOption = None,
    train_on_outputs: TrainOnOutputsOption = False,
    derivative_name: DerivativeNameOption = None,
    allow_unknown: AllowUnknownOption = False,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """The verdict for a use of MODEL across its whole lineage; exit 1 on deny, and on
    unknown unless --allow-unknown."""
    from robinet.cli.licenses import exit_for, print_verdict
    from robinet.licenses import lineage_terms as licensing
    from robinet.lineage.query import check, check_document

    case = licensing.make_use(
        use=use,
        licensee_country=licensee_country,
        market=market,
        region=region,
        monthly_users=monthly_users,
        group_monthly_users=group_monthly_users,
        annual_revenue=annual_revenue,
        distribution=distribution,
        redistribute=redistribute,
        purposes=purpose,
        purpose_text=purpose_text,
        modality=modality,
        train_on_outputs=train_on_outputs,
        derivative_name=derivative_name,
    )
    result = check(store_from(db), model, case)
    if json_:
        print_json(check_document(result, case))
    else:
        print_verdict(result.verdict, result.model)
        m = result.modality
        out_console.print(
            f"modality: {safe(m.modality or 'unknown')} ({safe(m.source)})", highlight=False
        )
        out_console.print("decided by:")
        depth = {mm.id: mm.depth for mm in result.lineage}
        for v in result.decided_by:
            who = ", ".join(
                "the model itself" if depth[x] == 0 else f"{x} (depth {depth[x]})" for x in v.models
            )
            out_console.print(
                f"  {safe(v.license or 'unknown license')}: {safe(who)}", highlight=False
            )
        for conflict in result.conflicts:
            out_console.print(
                f"[yellow]conflict[/] {conflict.type}: {safe(conflict.detail)}",
                highlight=False,
            )
    exit_for(result.decision, allow_unknown)


def conflicts_cmd(
    root: Annotated[
        str | None, typer.Option("--root", help="Only MODEL and its descendants.")
    ] = None,
    type_: Annotated[
        str | None,
        typer.Option(
            "--type",
            help="more_permissive | noncommercial_ancestor | missing_naming | missing_license",
        ),
    ] = None,
    declared_only: Annotated[
        bool, typer.Option("--declared-only", help="Ignore conflicts found through inferred edges.")
    ] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", help="List at most N.", min=1, max=MAX_LIMIT)
    ] = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """License conflicts along lineage, with the ancestor and clause behind each; counts by type."""
    from robinet.lineage.query import conflicts

    result = conflicts(
        store_from(db), root=root, type=type_, limit=limit, declared_only=declared_only
    )
    if json_:
        print_json(result)  # ConflictReport: conflicts, count, counts, total
        return
    for c in result.conflicts:
        out_console.print(
            f"[bold]{safe(c.model)}[/]  {c.type}: {safe(c.detail)}  "
            f"[dim]({safe(c.ancestor_license)} §{safe(c.clause)})[/]",
            highlight=False,
        )
    out_console.print(
        "counts: " + ", ".join(f"{k} {v}" for k, v in result.counts.items()), highlight=False
    )
