"""The JSON documents of the API, each from one or a few library calls, in the contract's
shapes (docs/json.md). The pages render the same documents, so a page and its JSON twin show
the same values.

Library results pass through `to_jsonable` whole: a field a library gains appears here with no
change. Where the CLI reshapes a result (`check`'s verdict, `license show` without its text
file), the same reshaping is done here.
"""

from __future__ import annotations

import difflib
from typing import Any

from robinet.errors import NotFoundError
from robinet.jsonable import listing, to_jsonable
from robinet.licenses.context import UseContext
from robinet.model import Decision
from robinet.store import Store
from robinet.web.state import StoreHandle


# -- provenance ------------------------------------------------------------------------------
def sources_catalog(store: Store) -> dict[str, dict[str, Any]]:
    """Every imported source by name: title, origin URL, files, retrieved date, license."""
    from robinet.store.queries.landscape import list_sources

    return {row.name: to_jsonable(row) for row in list_sources(store)}


def sources_of(handle: StoreHandle, names: Any) -> list[dict[str, Any]]:
    """The catalog entries of `names` (a name or a list); unknown names are kept bare."""
    catalog = handle.cached("sources", sources_catalog)
    if isinstance(names, str):
        names = [part.strip() for part in names.split(",") if part.strip()]
    return [catalog.get(name, {"name": name}) for name in names or ()]


# -- models ------------------------------------------------------------------------------
def _known_ids(store: Store) -> list[str]:
    from robinet.store.queries.landscape import list_releases

    return sorted({r.hf_id for r in list_releases(store) if r.hf_id})


def with_close_matches(handle: StoreHandle, exc: NotFoundError, model: str) -> NotFoundError:
    """`exc` with close Hub ids of released models in its hint, when it names none."""
    if exc.hint and "did you mean" in exc.hint:
        return exc
    ids = handle.cached("hub_ids", _known_ids)
    lowered = {i.lower(): i for i in ids}
    close = [lowered[c] for c in difflib.get_close_matches(model.lower(), lowered, n=5)]
    if not close:
        return exc
    hint = f"did you mean: {', '.join(close)}" + (f"; or {exc.hint}" if exc.hint else "")
    return NotFoundError(exc.message, hint=hint)


def license_entry(license_id: str | None) -> dict[str, Any] | None:
    """`license show --json`'s entry (None when the id is not in the knowledge base)."""
    from robinet.licenses import knowledge_base

    kb = knowledge_base()
    if license_id is None or license_id not in kb:
        return None
    data = to_jsonable(kb.get(license_id))
    data.pop("text_file", None)
    return data


def model_doc(handle: StoreHandle, hf_id: str) -> dict[str, Any]:
    """`/api/models/{hf_id}`, kept per model (the store is read-only). Never mutate it."""
    return handle.memo(("model", hf_id), lambda store: _model_doc(handle, store, hf_id))


def check_doc(handle: StoreHandle, hf_id: str, case: UseContext) -> dict[str, Any]:
    """`/api/models/{hf_id}/check`, kept per model and use context. Never mutate it."""
    return handle.memo(("check", hf_id, case), lambda store: _check_doc(store, hf_id, case))


def _model_doc(handle: StoreHandle, store: Store, hf_id: str) -> dict[str, Any]:
    """Lineage (with the tree), license entry, openness, conflicts, Hub facts."""
    from robinet.lineage.query import conflicts, lineage
    from robinet.openness.engine import openness, openness_json
    from robinet.store.queries.openness import hub_model

    try:
        result = lineage(store, hf_id, tree=True)
    except NotFoundError as exc:
        raise with_close_matches(handle, exc, hf_id) from None
    try:
        open_doc: dict[str, Any] | None = openness_json(openness(store, result.model))
        open_note = None
    except NotFoundError as exc:
        open_doc, open_note = None, exc.message
    hub = hub_model(store, result.model)
    return {
        "model": result.model,
        "license": result.license,
        "license_terms": license_entry(result.license),
        "lineage": to_jsonable(result),
        "conflicts": to_jsonable(conflicts(store, model=result.model)),
        "openness": open_doc,
        "openness_note": open_note,
        "hub": None if hub is None else to_jsonable(hub),
    }


def _check_doc(store: Store, hf_id: str, case: UseContext) -> dict[str, Any]:
    """`robinet check --json`'s object, and `exit_code`: what the command would exit with."""
    from robinet.lineage.query import check, check_document

    result = check(store, hf_id, case)
    data = check_document(result, case)
    data["exit_code"] = Decision(result.decision).exit_code()  # as `robinet check` would exit
    return data


# -- licenses ----------------------------------------------------------------------------
def licenses_doc() -> dict[str, Any]:
    """`license list --json`: every entry's metadata, `terms` as a count."""
    from robinet.licenses import knowledge_base

    items = []
    for entry in knowledge_base().entries:
        data = to_jsonable(entry)
        data.pop("text_file", None)
        data["terms"] = len(entry.terms)
        items.append(data)
    return listing("licenses", items)


def license_doc(license_id: str) -> dict[str, Any]:
    from robinet.licenses import knowledge_base

    entry = knowledge_base().get(license_id)  # NotFoundError -> 404
    found = license_entry(entry.id)
    assert found is not None
    return found


def compare_doc(ids: list[str]) -> dict[str, Any]:
    from robinet.licenses import compare

    return to_jsonable(compare(ids))


# -- landscape ---------------------------------------------------------------------------
def _sort_key(field: str) -> Any:
    def key(row: dict[str, Any]) -> tuple[bool, str]:
        value = row.get(field)
        return (value is None, str(value).lower() if value is not None else "")

    return key


def releases_doc(store: Store, query: Any, *, page: bool = True) -> dict[str, Any]:
    """`robinet releases --json`, filtered, sorted and (with `page`) one page of it."""
    from robinet.store.queries.landscape import list_releases
    from robinet.web.params import parse_date

    rows = list_releases(
        store,
        org=query.org,
        region=query.region,
        country=query.country,
        tier=query.tier,
        since=parse_date(query.since, "since"),
        notable=query.notable,
    )
    items = [to_jsonable(r) for r in rows]
    if query.q:
        needle = query.q.lower()
        items = [
            r
            for r in items
            if needle in str(r.get("name", "")).lower()
            or needle in str(r.get("hf_id") or "").lower()
        ]
    dated = [r for r in items if r.get(query.sort) is not None]
    undated = [r for r in items if r.get(query.sort) is None]  # always last
    dated.sort(key=_sort_key(query.sort), reverse=query.order == "desc")
    items = dated + undated
    total = len(items)
    shown = items[query.offset : query.offset + query.limit] if page else items
    filters = {k: getattr(query, k) for k in ("org", "region", "country", "tier", "since")}
    filters |= {"notable": query.notable, "q": query.q}
    return listing(
        "releases",
        shown,
        filters=filters,
        total=total,
        offset=query.offset if page else 0,
        limit=query.limit if page else total,
        sort=query.sort,
        order=query.order,
    )


def orgs_doc(store: Store) -> dict[str, Any]:
    from robinet.store.queries.landscape import list_organizations

    return listing("organizations", to_jsonable(list_organizations(store)))


def lab_doc(store: Store, org: str) -> dict[str, Any]:
    from robinet.trends.lab import lab_story

    return to_jsonable(lab_story(store, org))


def alerts_doc(store: Store, query: Any) -> dict[str, Any]:
    """`robinet alerts --json`, narrowed by direction, kind and an end date."""
    from robinet.trends.alerts import alerts, alerts_json
    from robinet.trends.lab import resolve_org
    from robinet.web.params import parse_date

    oid = resolve_org(store, query.org)["id"] if query.org else None
    until = parse_date(query.until, "until")
    doc = to_jsonable(alerts_json(alerts(store, org=oid, since=parse_date(query.since, "since"))))
    items = [
        a
        for a in doc["alerts"]
        if (query.direction is None or a["direction"] == query.direction)
        and (query.kind is None or a["signal"] == query.kind)
        and (until is None or a["date"] <= until.isoformat())
    ]
    filters = {k: getattr(query, k) for k in ("org", "since", "until", "direction", "kind")}
    return {**doc, **listing("alerts", items), "filters": filters}


def trends_doc(store: Store, metric: str, by: str | None) -> dict[str, Any]:
    from robinet.trends.series import trend

    result = trend(store, metric, by)
    keys = ("metric", "by", "method", "series", "caveats")
    return {k: to_jsonable(getattr(result, k)) for k in keys}


def gap_doc(store: Store, by: str | None, view: str) -> dict[str, Any]:
    from robinet.trends.alerts import gap, gap_json

    return to_jsonable(gap_json(gap(store, by_region=by == "region", view=view)))


def report_doc(handle: StoreHandle) -> dict[str, Any]:
    """`robinet report --json` (built once per process: the store is read-only)."""
    return to_jsonable(handle.cached("report", _build_report).to_json())


def _build_report(store: Store) -> Any:
    from robinet.report.build import build_report

    return build_report(store)


def report(handle: StoreHandle) -> Any:
    return handle.cached("report", _build_report)
