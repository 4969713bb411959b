"""`robinet license ...`: identify, resolve, check, purposes, show, list, compare."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from robinet.cli.common import (
    AllowUnknownOption,
    AnnualRevenueOption,
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
    listing,
    new_table,
    out_console,
    print_json,
    safe,
    to_jsonable,
)
from robinet.errors import InputDataError, UsageError
from robinet.model import Decision

license_app = typer.Typer(
    help="License knowledge base: identify texts, resolve Hub metadata, verdicts for a use.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the `license` sub-app to the root app."""
    app.add_typer(license_app, name="license")


def _entry_json(entry: object) -> dict[str, object]:
    from robinet.cli.common import to_jsonable

    data = to_jsonable(entry)
    data.pop("text_file", None)
    return data


@license_app.command("identify")
def identify_cmd(
    paths: Annotated[
        # plain strings: converting thousands of arguments to Path objects costs more than
        # identifying a short file
        list[str] | None,
        typer.Argument(help="License files, READMEs... ('-' or none: stdin)."),
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Tell which license (exact version) each text is; `license: null` when unsure.

    Exit 3 when any input was unreadable (empty, binary, missing): every input of the batch is
    still reported, the unreadable ones with their error.
    """
    from robinet.licenses.files import identify_bytes, identify_file, read_bounded

    if not paths and sys.stdin.isatty():
        raise UsageError("give one or more PATHs, or pipe a text on stdin (`-`)")
    results = []
    for arg in paths or ["-"]:
        p = Path(arg)
        if str(p) == "-":
            data, more = read_bounded(sys.stdin.buffer)
            results.append(identify_bytes(data, path="-", truncated=more))
        else:
            results.append(identify_file(p))
    if json_:
        print_json(
            listing(
                "results",
                [r.to_json() for r in results],
                unreadable=sum(1 for r in results if r.error),
            )
        )
    else:
        table = new_table("path", "license", "confidence", "evidence")
        for r in results:
            best = r.best
            if r.error:
                lic, conf, ev = "[red]error[/]", "", safe(r.error)
            elif best is None:
                lic, conf, ev = "[dim]null[/]", "0", "no known license text or notice"
            else:
                lic = best.license or f"[yellow]null[/] ({' | '.join(best.candidates)})"
                conf = f"{best.confidence:.2f}"
                ev = safe(best.evidence[0]) if best.evidence else ""
                others = [m.license or "null" for m in r.matches[1:]]
                if others:
                    lic += f" + {', '.join(others)}"
            table.add_row(safe(r.path), lic, conf, ev)
            for w in r.warnings:
                err_console.print(f"[yellow]warning:[/] {safe(r.path)}: {safe(w)}", highlight=False)
        out_console.print(table)
    if any(r.error for r in results):
        raise typer.Exit(InputDataError.exit_code)


@license_app.command("resolve")
def resolve_cmd(
    license: Annotated[
        str | None, typer.Argument(help="Hub `license:` tag or card license (e.g. llama3.1).")
    ] = None,
    license_name: Annotated[
        str | None, typer.Option("--license-name", "--name", help="The card's license_name.")
    ] = None,
    license_link: Annotated[
        str | None, typer.Option("--license-link", "--link", help="The card's license_link.")
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Resolve Hub license metadata to a knowledge-base id, with the reason.

    Prints null (exit 0) when the metadata names no single known license.
    """
    from robinet.licenses import resolve

    res = resolve(license=license, license_name=license_name, license_link=license_link)
    if json_:
        data = to_jsonable(res)
        data["license"] = data.pop("license_id")  # the contract: a license id is `license`
        print_json(data)
    else:
        out_console.print(
            f"[bold]{res.license_id or 'null'}[/]  {safe(res.reason)}", highlight=False
        )
        if res.candidates:
            out_console.print(f"  candidates: {', '.join(res.candidates)}", highlight=False)


def exit_for(decision: str, allow_unknown: bool) -> None:
    """Exit 1 on deny, and on unknown unless --allow-unknown (a CI gate must not pass a model
    whose terms nobody has read)."""
    code = Decision(decision).exit_code(allow_unknown=allow_unknown)
    if code:
        raise typer.Exit(code)


def print_verdict(verdict: Any, title: str) -> None:
    """A verdict for people: the decision, the checklist, the reasons with their quotes."""
    colour = {"allow": "green", "conditional": "yellow", "deny": "red", "unknown": "magenta"}
    out_console.print(
        f"[bold {colour[verdict.decision]}]{verdict.decision}[/]  {safe(title)}", highlight=False
    )
    if verdict.obligations:
        out_console.print("obligations:")
        for o in verdict.obligations:
            when = f" (if {o.applies_if})" if o.applies_if else ""
            out_console.print(
                safe(f"  [ ] {o.kind}: {o.action}{when}  [{o.license} §{o.clause}]"),
                highlight=False,
            )
            if o.text:
                out_console.print(safe(f"      text: {o.text}"), highlight=False)
    out_console.print("reasons:")
    for r in verdict.reasons:
        cited = f"[{r.license} §{r.clause}] " if r.clause else ""
        quote = f"\n      \u201c{r.quote}\u201d" if r.quote else ""
        out_console.print(safe(f"  - {cited}{r.explanation}{quote}"), highlight=False)
    if verdict.to_confirm:
        out_console.print("confirm the described use is none of these prohibited uses:")
        for p in verdict.to_confirm:
            unless = f" (unless {p.unless})" if p.unless else ""
            out_console.print(
                safe(f"  - {p.category}{unless}: \u201c{p.quote}\u201d [{p.license} §{p.clause}]"),
                highlight=False,
            )


@license_app.command("check")
def check_cmd(
    license_id: Annotated[
        str, typer.Argument(help="Knowledge-base id, Hub tag or SPDX id (see `license list`).")
    ],
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
    json_: JsonOption = False,
) -> None:
    """May this use be made under the license? allow / conditional / deny / unknown, with the
    clauses and a checklist of obligations.

    Exit code 1 on deny, and on unknown unless --allow-unknown.
    """
    from robinet.licenses import check, use_context
    from robinet.licenses.resolve import find_license

    case = use_context(
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
    lid = find_license(license_id)
    verdict = check(lid, case)
    if json_:
        print_json({"license": lid, "use": case, "verdict": verdict})
    else:
        print_verdict(verdict, lid)
    exit_for(verdict.decision, allow_unknown)


@license_app.command("purposes")
def purposes_cmd(json_: JsonOption = False) -> None:
    """The purposes taxonomy `--purpose` takes, and the licenses that prohibit each."""
    from robinet.licenses.purposes import purposes

    rows = purposes()
    if json_:
        print_json(listing("purposes", rows))
        return
    table = new_table("purpose", "description", "prohibited by")
    for row in rows:
        table.add_row(row.id, safe(row.description), str(len(row.prohibited_by)))
    out_console.print(table)


@license_app.command("show")
def show_cmd(
    license_id: Annotated[str, typer.Argument(help="Knowledge-base id.")],
    text: Annotated[bool, typer.Option("--text", help="Also print the reference text.")] = False,
    json_: JsonOption = False,
) -> None:
    """One license: metadata and terms (clause, quote, summary, params)."""
    from robinet.licenses import knowledge_base

    entry = knowledge_base().get(license_id)
    if json_:
        data = _entry_json(entry)
        if text:
            data["text"] = entry.text()
        print_json(data)
        return
    out_console.print(f"[bold]{safe(entry.name)}[/]  ({entry.id})", highlight=False)
    for label, value in (
        ("publisher", entry.publisher),
        ("version", entry.version),
        ("release date", entry.release_date),
        ("family", entry.family),
        ("spdx", entry.spdx),
        ("scancode key", entry.scancode_key),
        ("predecessor", entry.predecessor),
        ("successor", entry.successor),
        ("incorporates", ", ".join(entry.incorporates)),
        ("hub ids", ", ".join(entry.hub_ids)),
        ("license names", ", ".join(entry.license_names)),
        ("source", entry.source),
    ):
        if value:
            out_console.print(f"  {label}: {safe(value)}", highlight=False)
    table = new_table("kind", "clause", "summary", "quote")
    for t in entry.terms:
        table.add_row(t.kind.value, safe(t.clause), safe(t.summary), safe(t.quote))
    out_console.print(table)
    if text:
        out_console.print(entry.text(), markup=False, highlight=False)


@license_app.command("list")
def list_cmd(
    category: Annotated[
        str | None, typer.Option("--category", help="model | generic | policy")
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Every license in the knowledge base."""
    from robinet.licenses import knowledge_base

    entries = [e for e in knowledge_base().entries if category in (None, e.category)]
    if json_:
        print_json(
            listing(
                "licenses",
                [
                    {
                        "id": e.id,
                        "name": e.name,
                        "publisher": e.publisher,
                        "version": e.version,
                        "family": e.family,
                        "category": e.category,
                        "release_date": e.release_date,
                        "spdx": e.spdx,
                        "scancode_key": e.scancode_key,
                        "terms": len(e.terms),
                    }
                    for e in entries
                ],
            )
        )
        return
    table = new_table("id", "name", "publisher", "released", "terms")
    for e in entries:
        table.add_row(
            e.id, safe(e.name), safe(e.publisher), str(e.release_date or ""), str(len(e.terms))
        )
    out_console.print(table)


@license_app.command("compare")
def compare_cmd(
    license_ids: Annotated[list[str], typer.Argument(help="Two or more knowledge-base ids.")],
    json_: JsonOption = False,
) -> None:
    """Terms side by side (incorporated use policies included)."""
    from robinet.licenses import compare

    result = compare(license_ids)
    if json_:
        print_json(result)
        return
    table = new_table("term", *result.licenses, show_lines=True)
    for kind in result.kinds:
        cells = []
        for lid in result.licenses:
            summary = result.rows[kind][lid]
            clause = result.clauses[kind][lid]
            cells.append(f"{safe(summary)}\n[dim]§ {safe(clause)}[/]" if summary else "—")
        table.add_row(kind, *cells)
    out_console.print(table)
