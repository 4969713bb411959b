"""The pages' Jinja2 environment: autoescape on everywhere, links only for http(s) URLs.

Every outside value (a Hub id, a card field, a license name or link) reaches a page through
`{{ ... }}`, which escapes it; nothing is marked safe. A URL becomes a link only through the
`http_url` filter, which refuses every scheme but http and https (no `javascript:`, no
`data:`); a path to one of our pages is built by `model_url` / `page_url`, which percent-encode
the id. Charts are data attributes (JSON, escaped like any attribute) read by a served script:
no inline script anywhere, as the Content-Security-Policy demands.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from robinet import __version__
from robinet.jsonable import to_jsonable

TEMPLATES = files("robinet") / "web" / "templates"


def http_url(value: Any) -> str | None:
    """`value` when it is an absolute http(s) URL with a host, else None (shown as text)."""
    if not isinstance(value, str) or len(value) > 2048:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    if any(ch in value for ch in "\x00\r\n\t "):
        return None
    return value.strip()


def model_url(hf_id: Any) -> str:
    return "/models/" + quote(str(hf_id), safe="/")


def page_url(base: str, key: Any) -> str:
    return f"{base}/{quote(str(key), safe='')}"


def with_query(path: str, params: dict[str, Any] | None = None, **changes: Any) -> str:
    """`path?...` from `params` with `changes` applied (None drops a key)."""
    merged = {**(params or {}), **changes}
    pairs: list[tuple[str, str]] = []
    for key, value in merged.items():
        if value is None or value == "" or value == []:
            continue
        for item in value if isinstance(value, list) else [value]:
            pairs.append((key, str(item).lower() if isinstance(item, bool) else str(item)))
    return path + ("?" + urlencode(pairs) if pairs else "")


def fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, tuple)):
        return ", ".join(fmt(v) for v in value) or "–"
    return str(value)


def as_json(value: Any) -> str:
    """JSON for a data attribute (the attribute escaping then applies)."""
    return json.dumps(to_jsonable(value), sort_keys=True, ensure_ascii=False)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(http_url=http_url, fmt=fmt, as_json=as_json, model_url=model_url)
    env.globals.update(
        model_url=model_url, page_url=page_url, with_query=with_query, version=__version__
    )
    return env


ENV = _environment()


def render_page(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    page = ENV.get_template(template).render(request_path=request.url.path, **context)
    return HTMLResponse(page, status_code=status_code)
