"""The duties commands: `duties` (what a law asks of a release's provider or deployer) and
`hardware` (the chips behind the releases, and the domestic-chip series)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from robinet.cli.common import (
    DbOption,
    JsonOption,
    LimitOption,
    new_table,
    out_console,
    print_json,
    safe,
    store_from,
)
from robinet.errors import UsageError


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("duties")(duties)
    app.command("hardware")(hardware)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3g}"
    return safe(value)


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def duties(
    model: Annotated[str, typer.Argument(help="A release name or id, or a Hub id (owner/name).")],
    jurisdiction: Annotated[
        str, typer.Option("--jurisdiction", help="EU (AI Act, Chapter V) or CN (GenAI Measures).")
    ],
    role: Annotated[str, typer.Option("--role", help="provider or deployer.")] = "provider",
    public_service: Annotated[
        bool,
        typer.Option(
            "--public-service", help="The model is offered as a service to the public there."
        ),
    ] = False,
    public_opinion: Annotated[
        bool | None,
        typer.Option(
            "--public-opinion/--no-public-opinion",
            help="CN: the service has public-opinion attributes (Art. 17); unknown when not given.",
            show_default=False,
        ),
    ] = None,
    json_: JsonOption = False,
    db: DbOption = None,
) -> None:
    """What the law of a jurisdiction asks of a release's provider or deployer, from the
    store's facts (training compute, license, published weights), quoting each provision.

    Information, not legal advice: see the disclaimer in every result.
    """
    from robinet.duties.facts import release_duties

    with store_from(db) as store:
        doc = release_duties(
            store, model, jurisdiction, role, public_service, public_opinion=public_opinion
        ).to_json()
    if json_:
        print_json(doc)
        return
    _print_duties(doc)


def _print_duties(doc: dict[str, Any]) -> None:
    facts = doc["facts"] or {}
    out_console.print(
        f"[bold]{safe(doc['model'])}[/] — {safe(doc['jurisdiction_name'])}, {doc['role']}"
        f"{', public service' if doc['public_service'] else ''}",
        highlight=False,
    )
    out_console.print(
        f"  compute {_fmt(doc['compute_flop'])} FLOP ({_fmt(doc['compute_source'])}), "
        f"license {_fmt(facts.get('license'))} ({_fmt(doc['license_source'])}), "
        f"weights public {_fmt(facts.get('weights_public'))}",
        highlight=False,
    )
    if doc["jurisdiction"] == "eu":
        out_console.print(
            f"  general-purpose {_fmt(doc['gpai'])}, systemic risk {_fmt(doc['systemic_risk'])}, "
            f"open-source exemption {_fmt(doc['open_source_exemption'])}",
            highlight=False,
        )
    table = new_table("duty", "article", "applies", "why", "applies from", "comply by")
    for duty in doc["duties"]:
        table.add_row(
            safe(duty["title"]),
            safe(duty["article"]),
            _fmt(duty["applies"]),
            safe(duty["why"]),
            _fmt(duty["applies_from"]),
            _fmt(duty["comply_by"]),  # later for models placed on the market before (Art. 111(3))
        )
    out_console.print(table)
    check = doc["license_check"]
    if check:
        out_console.print(
            f"  license: free and open-source {_fmt(check['free_open_source'])}: "
            f"{safe(check['why'])}",
            highlight=False,
        )
    out_console.print(f"[dim]{safe(doc['disclaimer'])}[/]", highlight=False)


def hardware(
    by: Annotated[
        str | None,
        typer.Option("--by", help="region: show the half-yearly domestic-chip series by region."),
    ] = None,
    limit: LimitOption = 30,
    json_: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The chips behind the releases (Epoch AI's "Training hardware", normalized) and the
    share of releases trained on chips from their own region, with the coverage: most
    releases have no recorded hardware, and they count as unknown.
    """
    from robinet.duties.facts import hardware_overview

    if by not in (None, "region"):
        raise UsageError(f"--by takes 'region', not {by!r}")
    with store_from(db) as store:
        doc = hardware_overview(store).to_json()
    if json_:
        print_json({**doc, "by": by})
        return
    if by == "region":
        table = new_table("period", "region", "releases", "known", "domestic", "domestic share")
        for p in doc["series"]:
            table.add_row(
                p["period"],
                p["region"],
                str(p["releases"]),
                str(p["known"]),
                _fmt(p["domestic"]),
                _fmt(p["domestic_share"]),
            )
    else:
        table = new_table("date", "release", "organization", "region", "hardware")
        shown = doc["releases"][::-1][: limit or None]  # newest first
        for r in shown:
            chips = ", ".join(
                f"{c['vendor']} {c['chip']}" + (f" ×{c['quantity']}" if c["quantity"] else "")
                for c in r["hardware"]
            )
            table.add_row(
                _fmt(r["date"]), safe(r["name"]), _fmt(r["organization"]), _fmt(r["region"]),
                safe(chips),
            )  # fmt: skip
        if len(shown) < doc["count"]:
            table.caption = f"{len(shown)} of {doc['count']} (--limit 0: all)"
    out_console.print(table)
    cov = doc["coverage"]
    out_console.print(
        f"coverage: {cov['known']} of {cov['releases']} releases have known training hardware; "
        f"{cov['unknown']} ({_share(cov['unknown_share'])}) have none recorded or only "
        f"chips of unknown vendors, and count as unknown, not as not domestic. "
        f"{cov['undated']} undated and {cov['no_region']} without a region are left out of "
        "the series.",
        highlight=False,
    )
