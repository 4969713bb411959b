"""The tap commands: openness, trends, gap, alerts, lab."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from robinet.cli.common import (
    DbOption,
    JsonOption,
    OrgOption,
    SinceOption,
    err_console,
    new_table,
    out_console,
    parse_since,
    print_json,
    safe,
    store_from,
)
from robinet.errors import NotFoundError, UsageError


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("openness")(openness)
    app.command("trends")(trends)
    app.command("gap")(gap)
    app.command("alerts")(alerts)
    app.command("lab")(lab)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}"
    return safe(value)


def openness(
    model: Annotated[
        str | None, typer.Argument(help="A release name or id, or a Hub id (owner/name).")
    ] = None,
    agreement: Annotated[
        bool,
        typer.Option("--agreement", help="Measure the rubric against the 273 MOT evaluations."),
    ] = False,
    json_: JsonOption = False,
    db: DbOption = None,
) -> None:
    """How open a release is: MOF class and a 0-1 index over dimensions, with evidence.

    Unknown is not closed: `coverage` says how much of the rubric the evidence covers, and
    `index_min`/`index_max` bound the index over the unknowns.
    """
    from robinet.openness.engine import mot_agreement, openness_json
    from robinet.openness.engine import openness as run

    if model is None and not agreement:
        raise UsageError("give a MODEL, or --agreement", hint="robinet openness DeepSeek-R1")
    with store_from(db) as store:
        if agreement:
            doc = mot_agreement(store)
            if json_:
                print_json(doc)
                return
            out_console.print(f"rubric {doc['rubric_version']}")
            for key in ("components", "store_evidence"):
                part = doc.get(key)
                if part:
                    out_console.print(
                        f"  {key}: {part['agree']}/{part['decided']} agree "
                        f"(rate {_fmt(part['rate'])}), confusion {part['confusion']}",
                        highlight=False,
                    )
                    if "spearman" in part:
                        out_console.print(
                            f"    rank agreement (Spearman) {_fmt(part['spearman'])} on "
                            f"{part.get('indexed')} releases with an index; mean coverage "
                            f"{_fmt(part.get('mean_coverage'))}",
                            highlight=False,
                        )
            return
        assert model is not None
        try:
            result = openness_json(run(store, model))
        except NotFoundError:
            if "/" not in model:
                raise
            result = None
    if result is None:  # a Hub id the store does not know: fetch its card (online), then score
        from robinet.openness.live import openness_or_fetch

        with store_from(db, write=True) as store:
            result = openness_json(openness_or_fetch(store, model))
    if json_:
        print_json(result)
        return
    if result["index"] is None:
        err_console.print(
            "index: null (coverage under 0.5: too little is known to rank it); the range "
            "counts every unknown as closed and as open",
            highlight=False,
        )
    out_console.print(
        f"[bold]{safe(result['model'])}[/]  index {_fmt(result['index'])} "
        f"[{_fmt(result['index_min'])}..{_fmt(result['index_max'])}]  coverage "
        f"{_fmt(result['coverage'])}  {result['mof_label'] or 'MOF class undecided'}  "
        f"(rubric {result['rubric_version']})"
    )
    table = new_table("dimension", "value", "evidence", "source")
    for name, d in result["dimensions"].items():
        table.add_row(name, d["value"], _fmt(d["evidence"]), _fmt(d["source"]))
    out_console.print(table)


def trends(
    by: Annotated[str | None, typer.Option("--by", help="region or org.")] = None,
    metric: Annotated[
        str,
        typer.Option(help="releases, open_share, restrictiveness or downloads_share."),
    ] = "releases",
    json_: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Half-yearly series: releases by tier, open-weight share, license restrictiveness,
    share of Hub downloads."""
    from robinet.trends.series import trend

    with store_from(db) as store:
        result = trend(store, metric, by)
    if json_:
        doc: dict[str, Any] = {
            "metric": result.metric,
            "by": result.by,
            "method": result.method,
            "series": result.series,
            "caveats": result.caveats,
        }
        print_json(doc)
        return
    out_console.print(f"[bold]{result.metric}[/]: {safe(result.method)}")
    share = result.caveats.get("unknown_region_share")
    if share is not None:
        out_console.print(
            f"[yellow]caveat:[/] {share:.1%} of these downloads are by Hub authors of unknown "
            "region; the regional shares describe the rest",
            highlight=False,
        )
    if not result.series:
        out_console.print("(no data)")
        return
    columns = list(result.series[0])
    table = new_table(*columns)
    for row in result.series:
        table.add_row(*(_fmt(row.get(c)) for c in columns))
    out_console.print(table)


def gap(
    by: Annotated[
        str | None, typer.Option("--by", help="region: best open model per region.")
    ] = None,
    view: Annotated[str, typer.Option(help="eci (Epoch Capabilities Index) or arena.")] = "eci",
    json_: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Best open-weight vs best closed model over time: score gap and lag in months."""
    from robinet.trends.alerts import gap as run
    from robinet.trends.alerts import gap_json

    if by not in (None, "region"):
        raise UsageError(f"--by takes 'region', not {by!r}")
    if view not in ("eci", "arena"):
        raise UsageError(f"--view takes eci or arena, not {view!r}")
    with store_from(db) as store:
        doc = gap_json(run(store, by_region=by == "region", view=view))
    if json_:
        print_json(doc)
        return
    out_console.print(
        f"[bold]{doc['benchmark']}[/]: {doc['models']} models, "
        f"{doc['excluded_unknown_access']} left out (access unknown)"
    )
    table = new_table("date", "best open", "best closed", "gap", "lag (months)")
    for p in doc["series"]:
        o, c = p["best_open"] or {}, p["best_closed"] or {}
        table.add_row(
            str(p["date"]),
            f"{_fmt(o.get('name'))} {_fmt(o.get('score'))}",
            f"{_fmt(c.get('name'))} {_fmt(c.get('score'))}",
            _fmt(p["score_gap"]),
            _fmt(p["lag_months"]),
        )
    out_console.print(table)
    for region, pts in doc.get("by_region", {}).items():
        if pts:
            last = pts[-1]
            out_console.print(
                f"  {region}: best open {_fmt(last['best_open']['name'])} gap "
                f"{_fmt(last['score_gap'])}, lag {_fmt(last['lag_months'])} months"
            )


def alerts(
    org: OrgOption = None,
    since: SinceOption = None,
    json_: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Tap signals: dated closing/opening decisions per lab, with evidence and sources.

    Indicators (a lab's open models trailing its own closed ones) are listed apart: they are
    measurements, not decisions.
    """
    from robinet.trends.alerts import alerts as run
    from robinet.trends.alerts import alerts_json, indicators
    from robinet.trends.lab import resolve_org

    with store_from(db) as store:
        oid = resolve_org(store, org)["id"] if org else None
        start = parse_since(since)
        doc = alerts_json(run(store, org=oid, since=start), indicators(store, org=oid, since=start))
    if json_:
        print_json({**doc, "count": len(doc["alerts"])})
        return
    table = new_table("date", "organization", "direction", "signal", "evidence")
    for a in doc["alerts"]:
        color = "red" if a["direction"] == "closing" else "green"
        table.add_row(
            str(a["date"]),
            safe(a["organization"]),
            f"[{color}]{safe(a['direction'])}[/]",
            safe(a["signal"]),
            safe(a["evidence"]),
        )
    out_console.print(table)
    if doc["indicators"]:
        out_console.print(
            f"{len(doc['indicators'])} indicators (open models trailing the lab's own closed "
            "ones: measurements, not decisions) in `robinet alerts --json`",
            highlight=False,
        )


def lab(
    org: Annotated[str, typer.Argument(help="Organization id or name, e.g. deepseek.")],
    json_: JsonOption = False,
    db: DbOption = None,
) -> None:
    """One lab's story: releases by tier, licenses, openness, signals."""
    from robinet.trends.lab import lab_story

    with store_from(db) as store:
        doc = lab_story(store, org)
    if json_:
        print_json(doc)
        return
    info = doc["organization"]
    out_console.print(f"[bold]{safe(info['name'])}[/] ({safe(info['id'])}, {info['region']})")
    table = new_table("period", "open", "known", "unknown", "open share")
    for row in doc["open_share"]:
        table.add_row(
            row["period"],
            str(row["open"]),
            str(row["known"]),
            str(row["unknown"]),
            _fmt(row["open_share"]),
        )
    out_console.print(table)
    for lic in doc["licenses"]:
        out_console.print(
            f"  license {safe(lic['license'])}: {lic['releases']} releases from "
            f"{lic['first_seen']}, restrictiveness {_fmt(lic['restrictiveness'])}"
        )
    summary = doc["openness"]["summary"]
    if summary:
        out_console.print(
            f"  openness: mean index {_fmt(summary['mean_index'])} (coverage "
            f"{_fmt(summary['mean_coverage'])}) over {summary['releases']} open releases"
        )
    for a in doc["alerts"]:
        out_console.print(
            f"  {a['date']} {a['direction']} {safe(a['signal'])}: {safe(a['evidence'])}"
        )
