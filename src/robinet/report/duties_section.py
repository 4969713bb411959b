"""The duties section of the report: what the EU AI Act asks of the provider of each focus
lab's open-weight flagship (its open-weight release of largest known training compute), from
the same engine as `robinet duties MODEL --jurisdiction EU`, with the disclaimer."""

from __future__ import annotations

from typing import Any

from robinet.duties.facts import facts_by_id
from robinet.report.findings import FOCUS_LABS
from robinet.report.section import Section
from robinet.store import Store
from robinet.store.queries.duties import open_flagships

COLUMNS = [
    "organization",
    "release",
    "date",
    "compute_flop",
    "compute_source",
    "license",
    "gpai",
    "systemic_risk",
    "open_source_exemption",
    "duties_applying",
    "duties_unknown",
    "comply_by",
]


def _row(org: str, release: Any, result: Any) -> dict[str, Any]:
    applying = [d.article for d in result.duties if d.applies is True]
    unknown = [d.article for d in result.duties if d.applies is None]
    dates = sorted({d.comply_by or d.applies_from for d in result.duties if d.applies} - {None})
    return {
        "organization": org,
        "release": result.model,
        "date": release.facts.released.isoformat() if release.facts.released else None,
        "compute_flop": result.compute_flop,
        "compute_source": result.compute_source,
        "license": release.facts.license,
        "gpai": result.gpai,
        "systemic_risk": result.systemic_risk,
        "open_source_exemption": result.open_source_exemption,
        "duties_applying": ", ".join(applying) or None,
        "duties_unknown": ", ".join(unknown) or None,
        "comply_by": dates[-1].isoformat() if dates else None,
    }


def duties_section(store: Store) -> Section:
    from robinet.duties.engine import assess

    flagships = open_flagships(store, FOCUS_LABS)
    facts = facts_by_id(store, sorted(flagships.values()))
    rows: list[dict[str, Any]] = []
    disclaimer = ""
    for org in FOCUS_LABS:
        release = facts.get(flagships.get(org, ""))
        if release is None:
            rows.append({key: None for key in COLUMNS} | {"organization": org})
            continue
        result = assess(release.facts, "eu", role="provider")
        disclaimer = result.disclaimer
        rows.append(_row(org, release, result))
    assessed = [r for r in rows if r["release"]]
    summary = [
        f"{len(assessed)} of {len(FOCUS_LABS)} focus labs have an open-weight release of known "
        "training compute; "
        + f"{sum(1 for r in assessed if r['systemic_risk'])} presumed of systemic risk, "
        + f"{sum(1 for r in assessed if r['open_source_exemption'])} open-source exempt, "
        + f"{sum(1 for r in assessed if r['open_source_exemption'] is None)} undecided",
    ]
    return Section(
        key="eu_duties",
        title="EU AI Act duties of the focus labs' open-weight flagships",
        description=(
            "For each focus lab, its open-weight release of largest known training compute, "
            "assessed as its provider under Chapter V of the AI Act (Regulation (EU) 2024/1689) "
            "by `robinet duties MODEL --jurisdiction EU`: general-purpose AI model (the "
            "guidelines' indicative 10^23 FLOP criterion), systemic risk presumed above 10^25 "
            "FLOP (Art. 51(2)), the open-source exemption (Art. 53(2), 54(6)) from the license's "
            "terms, and the articles whose duties apply (or are unknown for lack of a fact). "
            "Compute from Epoch AI; licenses from the store (the release's, else its Hub "
            "repository's or its variants'); an empty cell is unknown, never 'no'. " + disclaimer
        ),
        rows=rows,
        columns=COLUMNS,
        summary=summary,
    )
