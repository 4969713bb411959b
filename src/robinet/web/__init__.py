"""The web view: server-rendered pages and a JSON API over the store, read-only.

    app.py          create_app(): middleware, error handlers, static files, offline API docs
    state.py        the store opened read-only once per worker; a DuckDB cursor per request
    security.py     headers (a strict CSP, nosniff) and bounds on requests and responses
    errors.py       robinet's exception tree -> HTTP status and the contract's error object
    params.py       validated query parameters (the use context is built from UseCase)
    documents.py    the JSON documents the API returns and the pages render (docs/json.md)
    api.py          /api/...: the library functions, in the contract's shapes
    pages_*.py      the HTML pages, each linking to its JSON twin
    render.py       the Jinja2 environment (autoescape on) and its filters

Views are thin: every number comes from a library function (robinet.store.queries,
robinet.lineage, robinet.openness, robinet.trends, robinet.licenses, robinet.report); no SQL
here. `robinet serve` (robinet.cli.serve) runs the app under uvicorn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from robinet.web.app import create_app as create_app


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from robinet.web.app import create_app

        return create_app
    raise AttributeError(name)
