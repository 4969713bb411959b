"""The landscape pages: the home page (the report's findings and charts), releases, signals,
a lab's story. Each renders the document its JSON twin returns."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from robinet.web import documents as docs
from robinet.web.deps import HandleDep, StoreDep
from robinet.web.params import AlertQuery, ReleaseQuery
from robinet.web.render import render_page, with_query

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

TIERS: tuple[str, ...] = ("open-unrestricted", "open-restricted", "open-noncommercial")
TIERS += ("api", "hosted", "unreleased", "unknown")


def _sections(handle: Any) -> list[dict[str, Any]]:
    report = docs.report(handle)
    out = []
    for s in report.sections:
        out.append(
            {
                "key": s.key,
                "title": s.title,
                "description": s.description,
                "columns": s.columns,
                "rows": s.rows,
                "figure": None if s.figure is None else s.figure.to_json(),
            }
        )
    return out


@router.get("/")
def home(request: Request, handle: HandleDep) -> HTMLResponse:
    sections = _sections(handle)
    findings = next((s for s in sections if s["key"] == "findings"), None)
    return render_page(
        request,
        "index.html",
        title="Is the tap of open AI still running?",
        json_url="/api/report",
        findings=findings["rows"] if findings else [],
        sections=[s for s in sections if s["key"] != "findings"],
        store=docs.report(handle).store_snapshot,
    )


@router.get("/releases")
def releases(
    request: Request,
    handle: HandleDep,
    store: StoreDep,
    query: Annotated[ReleaseQuery, Query()],
) -> HTMLResponse:
    doc = docs.releases_doc(store, query)
    params = query.model_dump()
    sources = {s for r in doc["releases"] for s in r.get("sources", ())}
    return render_page(
        request,
        "releases.html",
        title="Releases",
        json_url=with_query("/api/releases", params),
        csv_url=with_query("/api/releases.csv", params, limit=None, offset=None),
        doc=doc,
        params=params,
        tiers=TIERS,
        provenance={s["name"]: s for s in docs.sources_of(handle, sorted(sources))},
    )


@router.get("/signals")
def signals(
    request: Request,
    handle: HandleDep,
    store: StoreDep,
    query: Annotated[AlertQuery, Query()],
) -> HTMLResponse:
    doc = docs.alerts_doc(store, query)
    kinds = handle.cached("signal_kinds", _signal_kinds)
    sources = {s for a in doc["alerts"] for s in a.get("sources", ())}
    params = query.model_dump()
    return render_page(
        request,
        "signals.html",
        title="Tap signals",
        json_url=with_query("/api/alerts", params),
        doc=doc,
        params=params,
        kinds=kinds,
        provenance={s["name"]: s for s in docs.sources_of(handle, sorted(sources))},
    )


def _signal_kinds(store: Any) -> list[str]:
    doc = docs.alerts_doc(store, AlertQuery())
    return sorted({a["signal"] for a in doc["alerts"]})


@router.get("/labs/{org}")
def lab(
    request: Request,
    handle: HandleDep,
    store: StoreDep,
    org: Annotated[str, Path(min_length=1, max_length=100)],
) -> HTMLResponse:
    doc = docs.lab_doc(store, org)
    sources = {s for a in doc.get("alerts", []) for s in a.get("sources", ())}
    return render_page(
        request,
        "lab.html",
        title=doc["organization"]["name"],
        json_url=f"/api/labs/{doc['organization']['id']}",
        doc=doc,
        tier_chart=_tier_chart(doc.get("releases_by_tier", [])),
        provenance={s["name"]: s for s in docs.sources_of(handle, sorted(sources))},
    )


def _tier_chart(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A stacked bar chart (plotly's JSON figure) of the lab's releases by tier."""
    if not rows:
        return None
    periods = [r["period"] for r in rows]
    data = [
        {"type": "bar", "name": tier, "x": periods, "y": [r.get(tier, 0) for r in rows]}
        for tier in TIERS
        if any(r.get(tier) for r in rows)
    ]
    layout = {
        "title": {"text": "Releases by access tier, per half-year"},
        "barmode": "stack",
        "height": 360,
        "margin": {"l": 40, "r": 10, "t": 50, "b": 40},
        "legend": {"orientation": "h"},
    }
    return {"data": data, "layout": layout}
