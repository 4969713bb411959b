"""The ASGI app: `create_app(db)` wires the store, the routes, the errors and the guards.

FastAPI (on Starlette) rather than Litestar: typed routes whose parameters are pydantic
models (the use context is generated from the license engine's dataclass), OpenAPI 3 from the
same declarations, an in-process test client, and pydantic is already robinet's validation
library. Served by uvicorn (`robinet serve`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from robinet import __version__
from robinet.web import api, errors, pages_landscape, pages_models
from robinet.web.render import render_page
from robinet.web.schemas import Health
from robinet.web.security import SecurityMiddleware
from robinet.web.state import StoreHandle

STATIC = Path(str(files("robinet") / "web" / "static"))

DESCRIPTION = """Read-only JSON API of robinet, the observatory and compliance engine for
open-weight AI models. Every response follows the JSON contract of `robinet ... --json`
(docs/json.md): lists under a named key with `count`, errors as
`{"error": {code, message, hint, location}}`. Each page of the site links to its JSON twin."""


class CachedStatic(StaticFiles):
    """Static files with a cache lifetime: plotly.js is fetched once, not per page."""

    async def get_response(self, path: str, scope):
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["cache-control"] = "public, max-age=86400"
        return response


def create_app(db: Path | str | None = None, *, handle: StoreHandle | None = None) -> FastAPI:
    """The app over the store at `db` (default: `$ROBINET_DB` or the user's), read-only."""
    stores = handle or StoreHandle(db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if handle is None:  # a handle the caller passed is the caller's to close
            stores.close()

    app = FastAPI(
        title="robinet",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # the default page loads swagger-ui from a CDN: ours is served here
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.stores = stores
    errors.install(app)
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(SecurityMiddleware)  # outermost: every response gets the headers
    app.mount("/static", CachedStatic(directory=STATIC), name="static")

    @app.get("/healthz", response_model=Health, tags=["meta"], summary="Liveness")
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs(request: Request) -> HTMLResponse:
        return render_page(request, "docs.html", title="API")

    app.include_router(api.router)
    app.include_router(pages_landscape.router)
    app.include_router(pages_models.router)
    return app
