"""The compliance pages: a model (license, lineage, conflicts, openness, the verdict form),
the license knowledge base, one license's terms, licenses side by side."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from robinet.web import documents as docs
from robinet.web.api import split_ids
from robinet.web.deps import HandleDep
from robinet.web.params import UseQuery, to_use_context, use_fields
from robinet.web.render import model_url, render_page, with_query

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


@router.get("/models/{hf_id:path}")
def model(
    request: Request,
    handle: HandleDep,
    hf_id: Annotated[str, Path(min_length=1, max_length=200)],
    use: Annotated[UseQuery, Query()],
) -> HTMLResponse:
    doc = docs.model_doc(handle, hf_id)
    asked = bool(request.query_params)
    case = to_use_context(use)
    verdict = docs.check_doc(handle, doc["model"], case)
    values = use.model_dump()
    names = [p["source"] for p in doc["lineage"]["parents"]]
    if doc["hub"] and doc["hub"].get("source"):
        names.append(doc["hub"]["source"])
    return render_page(
        request,
        "model.html",
        title=doc["model"],
        json_url="/api" + model_url(doc["model"]),
        check_url=with_query("/api" + model_url(doc["model"]) + "/check", values),
        doc=doc,
        verdict=verdict,
        asked=asked,
        fields=[f for f in use_fields() if not f["name"].endswith("_source")],
        values=values,
        provenance={s["name"]: s for s in docs.sources_of(handle, sorted(set(names)))},
    )


@router.get("/licenses")
def licenses(request: Request) -> HTMLResponse:
    doc = docs.licenses_doc()
    return render_page(
        request, "licenses.html", title="Licenses", json_url="/api/licenses", doc=doc
    )


@router.get("/licenses/{license_id}")
def license_page(
    request: Request, license_id: Annotated[str, Path(min_length=1, max_length=100)]
) -> HTMLResponse:
    entry = docs.license_doc(license_id)
    incorporated = [docs.license_entry(i) for i in entry.get("incorporates", ())]
    return render_page(
        request,
        "license.html",
        title=entry["name"],
        json_url=f"/api/licenses/{entry['id']}",
        entry=entry,
        incorporated=[e for e in incorporated if e],
    )


@router.get("/compare")
def compare(
    request: Request,
    ids: Annotated[list[str], Query(max_length=8)] = [],  # noqa: B006 - FastAPI copies it
) -> HTMLResponse:
    if not ids:
        doc = docs.licenses_doc()
        return render_page(
            request, "licenses.html", title="Compare licenses", json_url="/api/licenses", doc=doc
        )
    joined = ",".join(i for i in ids if i)
    if len(joined) > 800:
        from robinet.errors import UsageError

        raise UsageError("too many or too long license ids")
    found = split_ids(joined)
    doc = docs.compare_doc(found)
    names: dict[str, Any] = {}
    for lid in doc["licenses"]:
        entry = docs.license_entry(lid)
        names[lid] = entry["name"] if entry else lid
    return render_page(
        request,
        "compare.html",
        title="Compare licenses",
        json_url=with_query("/api/compare", {"ids": ",".join(found)}),
        doc=doc,
        names=names,
    )


@router.get("/go")
def go(model: Annotated[str, Query(min_length=1, max_length=200)]) -> RedirectResponse:
    """The header's model box: to the model's page (a relative path: never off-site)."""
    return RedirectResponse(model_url(model.strip().strip("/")), status_code=303)
