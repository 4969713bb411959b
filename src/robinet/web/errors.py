"""robinet's exception tree -> HTTP: a status and the contract's error object.

    NotFoundError                      404  not_found (the hint names close matches)
    UsageError                         422  usage (a bad parameter value)
    request validation (FastAPI)       422  usage, location {"field": "query.NAME"}
    KnowledgeBaseError, StoreError     503  knowledge_base / store / stale_store: the server's
                                            data cannot answer now; the hint says how to fix it
    InputDataError                     422  bad_input
    SourceError                        502  source
    an unknown route or method         404 / 405
    anything else (a bug)              500  internal, logged on the server; never a traceback

The body is always `{"error": {"code", "message", "hint", "location"}}` (docs/json.md); a
page (any path outside /api/ and the OpenAPI files) gets the same facts as an HTML page.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from robinet.errors import (
    InputDataError,
    KnowledgeBaseError,
    NotFoundError,
    RobinetError,
    SourceError,
    StoreError,
    UsageError,
)

log = logging.getLogger("robinet.web")


def error_body(
    code: str, message: str, *, hint: str | None = None, location: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The contract's error object (the same as `robinet ... --json` prints)."""
    return {"error": {"code": code, "message": message, "hint": hint, "location": location}}


def status_of(exc: RobinetError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, UsageError):
        return 422
    if isinstance(exc, (KnowledgeBaseError, StoreError)):
        return 503
    if isinstance(exc, InputDataError):
        return 422
    if isinstance(exc, SourceError):
        return 502
    return 422


def wants_html(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith("/api/") or path in ("/openapi.json", "/healthz"))


def respond(request: Request, status: int, body: dict[str, Any]) -> Response:
    if not wants_html(request):
        return JSONResponse(body, status_code=status)
    from robinet.web.render import render_page

    return render_page(
        request, "error.html", status_code=status, error=body["error"], status=status
    )


async def _robinet_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RobinetError)
    body = error_body(exc.code, exc.message, hint=exc.hint, location=exc.location)
    return respond(request, status_of(exc), body)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    message = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg', '')}"
        for e in errors[:5]
    )
    body = error_body(
        "usage",
        message or "invalid request",
        hint="see /docs for the parameters this route takes",
        location={"field": where} if where else None,
    )
    return respond(request, 422, body)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = "not_found" if exc.status_code == 404 else "usage"
    message = {
        404: f"nothing at {request.url.path}",
        405: f"{request.method} is not allowed here: the site is read-only",
    }.get(exc.status_code, str(exc.detail))
    hint = "start from / or see /docs" if exc.status_code == 404 else None
    response = respond(request, exc.status_code, error_body(code, message, hint=hint))
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.exception("internal error serving %s", request.url.path)  # the traceback: server log
    body = error_body(
        "internal",
        f"internal error: {type(exc).__name__}",
        hint="this is a bug in robinet: please report it with the URL",
    )
    return respond(request, 500, body)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RobinetError, _robinet_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)
