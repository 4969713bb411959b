"""The JSON API: /api/... mirrors the library functions (and the CLI's --json) with the
contract's shapes (docs/json.md). Read-only: GET only."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse, Response

from robinet.trends.series import METRICS
from robinet.web import documents as docs
from robinet.web import schemas
from robinet.web.deps import HandleDep, StoreDep
from robinet.web.params import AlertQuery, ReleaseQuery, UseQuery, to_use_context

router = APIRouter(prefix="/api", tags=["api"], responses=schemas.ERRORS)

ModelId = Annotated[
    str, Path(min_length=1, max_length=200, description="Hub id, owner/name (the slash is kept).")
]
LicenseId = Annotated[str, Path(min_length=1, max_length=100, description="Knowledge-base id.")]
OrgId = Annotated[str, Path(min_length=1, max_length=100, description="Organization id or name.")]
Metric = Literal[METRICS]  # type: ignore[valid-type]
MAX_COMPARE = 8


class SortedJSON(JSONResponse):
    """Sorted keys, UTF-8: the same bytes for the same answer (diffable, cacheable)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")


def ok(doc: dict[str, Any]) -> SortedJSON:
    return SortedJSON(doc)


@router.get("/releases", response_model=schemas.Releases, summary="Releases (robinet releases)")
def releases(store: StoreDep, query: Annotated[ReleaseQuery, Query()]) -> Response:
    """Releases merged across sources, filtered, sorted, one page (`limit`, `offset`)."""
    return ok(docs.releases_doc(store, query))


@router.get(
    "/releases.csv",
    summary="Releases as CSV",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "Every matching release"}},
)
def releases_csv(store: StoreDep, query: Annotated[ReleaseQuery, Query()]) -> Response:
    """Every release matching the filters (no paging), as CSV for a spreadsheet."""
    doc = docs.releases_doc(store, query, page=False)
    return Response(
        releases_csv_text(doc["releases"]),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="robinet-releases.csv"'},
    )


def releases_csv_text(rows: list[dict[str, Any]]) -> str:
    columns = ["id", "name", "organization", "organization_name", "countries", "region"]
    columns += ["date", "tier", "hf_id", "notable", "sources"]
    columns += sorted({k for r in rows for k in r} - set(columns))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    return out.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = ";".join(str(v) for v in value)
    text = str(value)
    # A cell a spreadsheet would run as a formula (Hub names are untrusted) is quoted as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@router.get("/orgs", response_model=schemas.Organizations, summary="Organizations")
def orgs(store: StoreDep) -> Response:
    """Organizations with country, region, Hub namespaces and release counts."""
    return ok(docs.orgs_doc(store))


@router.get("/labs/{org}", response_model=schemas.Lab, summary="A lab's story (robinet lab)")
def lab(store: StoreDep, org: OrgId) -> Response:
    """Releases by tier, open share, licenses, openness and signals of one lab."""
    return ok(docs.lab_doc(store, org))


@router.get("/models/{hf_id:path}/check", response_model=schemas.Check, summary="Verdict for a use")
def model_check(handle: HandleDep, hf_id: ModelId, use: Annotated[UseQuery, Query()]) -> Response:
    """`robinet check`: the verdict for a use across the whole lineage, with reasons,
    obligations, conflicts and `exit_code` (1 on deny, as the command exits)."""
    return ok(docs.check_doc(handle, hf_id, to_use_context(use)))


@router.get("/models/{hf_id:path}", response_model=schemas.Model, summary="A model")
def model(handle: HandleDep, hf_id: ModelId) -> Response:
    """Lineage (ancestors, parents, tree, descendants by relation), license with its terms,
    conflicts, openness with evidence, and the Hub facts with their source."""
    return ok(docs.model_doc(handle, hf_id))


@router.get("/licenses", response_model=schemas.Licenses, summary="The license knowledge base")
def licenses() -> Response:
    return ok(docs.licenses_doc())


@router.get("/licenses/{license_id}", response_model=schemas.LicenseEntry, summary="A license")
def license_entry(license_id: LicenseId) -> Response:
    """One entry: metadata and terms (kind, clause, verbatim quote, summary, params)."""
    return ok(docs.license_doc(license_id))


@router.get("/compare", response_model=schemas.Comparison, summary="Licenses side by side")
def compare(
    ids: Annotated[
        str,
        Query(
            min_length=1,
            max_length=800,
            pattern=r"^[A-Za-z0-9._+-]+(,[A-Za-z0-9._+-]+)*$",
            description=f"Comma-separated knowledge-base ids (at most {MAX_COMPARE}).",
        ),
    ],
) -> Response:
    return ok(docs.compare_doc(split_ids(ids)))


def split_ids(ids: str) -> list[str]:
    from robinet.errors import UsageError

    found = list(dict.fromkeys(i.strip() for i in ids.split(",") if i.strip()))
    if not found or len(found) > MAX_COMPARE:
        raise UsageError(f"compare takes 1 to {MAX_COMPARE} license ids, not {len(found)}")
    return found


@router.get("/alerts", response_model=schemas.Alerts, summary="Tap signals (robinet alerts)")
def alerts(store: StoreDep, query: Annotated[AlertQuery, Query()]) -> Response:
    """Dated closing/opening decisions of labs, with the releases compared and sources."""
    return ok(docs.alerts_doc(store, query))


@router.get("/gap", response_model=schemas.Gap, summary="Open vs closed capability gap")
def gap(
    store: StoreDep,
    by: Literal["region"] | None = None,
    view: Literal["eci", "arena"] = "eci",
) -> Response:
    return ok(docs.gap_doc(store, by, view))


@router.get("/trends", response_model=schemas.Trends, summary="Half-yearly series")
def trends(
    store: StoreDep,
    metric: Metric = "releases",
    by: Literal["region", "org"] | None = None,
) -> Response:
    return ok(docs.trends_doc(store, metric, by))


@router.get("/report", response_model=schemas.Report, summary="The report's data")
def report(handle: HandleDep) -> Response:
    """`robinet report --json`: the data behind every section of the home page."""
    return ok(docs.report_doc(handle))
