"""A fake Hugging Face Hub behind `huggingface_hub`'s mock transport, answering as the Hub does.

What it imitates, and where that behaviour was confirmed (tests/fixtures/lineage/README.md):

- `GET /api/models`: a JSON list, newest `lastModified` first whatever `direction` says; only
  `_id`, `id` and the `expand[]` keys of each model; pages of `limit` models; the next page in
  `Link: <URL>; rel="next"`, where URL repeats every query parameter and adds an opaque
  `cursor`; no `Link` on the last page. `baseModels`, `childrenModelCount` and `usedStorage`
  are refused in a listing (400), as the Hub does.
- `GET /api/models/{id}`: one model, the same keys.
- `GET /{id}/resolve/{sha}/{file}`: a license file of the model's `siblings`; a gated repo's
  files answer 403 with `X-Error-Code: GatedRepo` unless its terms were accepted; a missing file
  404 with `X-Error-Code: EntryNotFound`.
- Every answer carries the Hub's `RateLimit` / `RateLimit-Policy` headers; `rate_limited()`
  builds the 429 the Hub sends when a window is exhausted.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import httpx2

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "lineage" / "hub_api"
MODELS = FIXTURES / "models.json"
SHAPES = FIXTURES / "shapes.json"
LICENSE_TEXT = (files("robinet.licenses") / "texts" / "deepseek-la-1.0.txt").read_text()
POLICY = '"fixed window";"{bucket}";q={q};w=300'
LIST_ONLY_REFUSED = {"baseModels", "childrenModelCount", "usedStorage"}


def rate_headers(bucket: str = "api", remaining: int = 499, reset: int = 300) -> dict[str, str]:
    """The Hub's rate-limit headers (IETF draft-ietf-httpapi-ratelimit-headers)."""
    quota = 500 if bucket == "api" else 3000
    return {
        "RateLimit": f'"{bucket}";r={remaining};t={reset}',
        "RateLimit-Policy": POLICY.format(bucket=bucket, q=quota),
    }


def rate_limited(bucket: str = "api", reset: int = 55) -> httpx2.Response:
    """The Hub's 429 when the 5-minute window of `bucket` is used up."""
    return httpx2.Response(
        429,
        headers=rate_headers(bucket, remaining=0, reset=reset),
        json={"error": "You have exceeded our rate limit. Please retry later."},
    )


def cursor_for(offset: int) -> str:
    """An opaque cursor, as the Hub's: clients only copy it from `Link`."""
    return base64.urlsafe_b64encode(json.dumps({"$offset": offset}).encode()).decode()


def page_of(url: str | httpx2.URL | httpx2.Request) -> int:
    """The offset a request (or a saved next-page URL) asks for; 0 for the first page."""
    if isinstance(url, httpx2.Request):
        url = url.url
    cursor = httpx2.URL(str(url)).params.get("cursor")
    if not cursor:
        return 0
    return int(json.loads(base64.urlsafe_b64decode(cursor.encode()))["$offset"])


class FakeHub:
    """A Hub with `models`, answering list pages of `page_size`, model infos and files."""

    def __init__(self, models: list[dict[str, Any]], page_size: int = 2) -> None:
        self.models = models
        self.page_size = page_size
        self.requests: list[str] = []
        self.accepted: set[str] = set()  # gated repos whose terms the token's user accepted
        self.fail: Callable[[httpx2.Request], httpx2.Response | None] | None = None

    def handler(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(str(request.url))
        if self.fail is not None:
            failed = self.fail(request)
            if failed is not None:
                return failed
        path = request.url.path
        if path == "/api/models":
            return self._list(request)
        if path.startswith("/api/models/"):
            model = self._model(path.removeprefix("/api/models/"))
            if model is None:
                return self._error(404, "RepoNotFound", "Repository not found")
            return httpx2.Response(200, json=self._expanded(model, request), headers=rate_headers())
        if "/resolve/" in path:
            return self._file(path)
        return self._error(404, "RepoNotFound", "Repository not found")

    def _model(self, repo: str) -> dict[str, Any] | None:
        return next((m for m in self.models if m["id"] == repo), None)

    @staticmethod
    def _error(status: int, code: str, message: str, bucket: str = "api") -> httpx2.Response:
        headers = {**rate_headers(bucket), "X-Error-Code": code, "X-Error-Message": message}
        return httpx2.Response(status, json={"error": message}, headers=headers)

    @staticmethod
    def _expanded(model: dict[str, Any], request: httpx2.Request) -> dict[str, Any]:
        wanted = request.url.params.get_list("expand[]")
        if not wanted:
            return model
        return {k: v for k, v in model.items() if k in ("_id", "id") or k in wanted}

    def _file(self, path: str) -> httpx2.Response:
        repo, _, rest = path.strip("/").partition("/resolve/")
        sha, _, name = rest.partition("/")
        model = self._model(repo)
        if model is None or sha not in (model.get("sha"), "main"):
            return self._error(404, "RevisionNotFound", "Revision not found", "resolvers")
        if model.get("gated") and repo not in self.accepted:
            message = f"Access to model {repo} is restricted: you are not in the authorized list."
            return self._error(403, "GatedRepo", message, "resolvers")
        names = [s["rfilename"] for s in model.get("siblings") or []]
        if name not in names or not name.upper().startswith(("LICEN", "COPYING")):
            return self._error(404, "EntryNotFound", "Entry not found", "resolvers")
        return httpx2.Response(200, text=LICENSE_TEXT, headers=rate_headers("resolvers"))

    def _list(self, request: httpx2.Request) -> httpx2.Response:
        params = request.url.params
        wanted = set(params.get_list("expand[]"))
        if wanted & LIST_ONLY_REFUSED:
            return self._error(400, "BadRequest", "Invalid expand parameter for listing")
        items = sorted(self.models, key=lambda m: m["lastModified"], reverse=True)
        if params.get("author"):
            items = [m for m in items if m["author"] == params["author"]]
        for wanted_tag in params.get_list("filter"):
            items = [m for m in items if wanted_tag in m["tags"]]
        if params.get("search"):
            items = [m for m in items if params["search"].lower() in m["id"].lower()]
        start = page_of(request)
        size = min(self.page_size, int(params.get("limit", self.page_size)))
        page = [self._expanded(m, request) for m in items[start : start + size]]
        headers = rate_headers()
        if start + size < len(items):
            following = request.url.copy_set_param("cursor", cursor_for(start + size))
            headers["Link"] = f'<{following}>; rel="next"'
        return httpx2.Response(200, json=page, headers=headers)


def install(hub: FakeHub) -> None:
    """Route every request of `huggingface_hub`'s session to `hub`."""
    import huggingface_hub

    huggingface_hub.set_client_factory(
        lambda: httpx2.Client(transport=httpx2.MockTransport(hub.handler))
    )


def uninstall() -> None:
    import huggingface_hub
    from huggingface_hub.utils._http import default_client_factory

    huggingface_hub.set_client_factory(default_client_factory)


def load(path: Path = MODELS) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(path.read_text())
    return data
