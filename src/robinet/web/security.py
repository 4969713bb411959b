"""Safe by construction: response headers, and bounds on what a request and a response may be.

Hub data is untrusted (ids, card fields, license names and links): the templates autoescape
everything and link only http(s) URLs (render.py); this middleware adds the headers that keep
a page from running anything but the app's own files:

- `Content-Security-Policy`: scripts, images, fonts, fetches only from this origin; no inline
  script, no eval, no plugin, no framing, forms submit only here. Styles may also be inline:
  plotly.js and swagger-ui insert <style> elements as they draw (a style cannot run code).
- `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`,
  `Cross-Origin-Opener-Policy` and `-Resource-Policy: same-origin`.

Bounds: the site is read-only (GET and HEAD only, never a body: 413 for a request that has
one), a path longer than MAX_PATH or a query string longer than MAX_QUERY is refused (414), and
a response larger than MAX_RESPONSE is replaced by an error asking for a narrower query.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_PATH = 1024
MAX_QUERY = 4096
MAX_RESPONSE = 16 << 20  # plotly.min.js (4.6 MB) is the largest file served

CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        # plotly.js and swagger-ui insert <style> elements as they draw: inline styles are
        # allowed, inline scripts never (a style cannot run code).
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    )
)
HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


def _error(status: int, code: str, message: str, hint: str | None) -> tuple[int, bytes]:
    body = {"error": {"code": code, "message": message, "hint": hint, "location": None}}
    return status, json.dumps(body, sort_keys=True).encode()


class SecurityMiddleware:
    """Pure ASGI (no buffering of bodies it passes through)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = self._refuse(scope)
        if refused is not None:
            await self._send(send, *refused)
            return

        async def guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _OURS]
                length = next((int(v) for k, v in headers if k.lower() == b"content-length"), 0)
                if length > MAX_RESPONSE:
                    raise _TooLarge
                message = {**message, "headers": headers + HEADERS}
            await send(message)

        try:
            await self.app(scope, receive, guarded)
        except _TooLarge:
            await self._send(
                send,
                *_error(
                    422,
                    "usage",
                    "the answer is larger than this server sends in one response",
                    "narrow the query (filters, limit and offset)",
                ),
            )

    @staticmethod
    def _refuse(scope: Scope) -> tuple[int, bytes] | None:
        if len(scope.get("raw_path") or scope["path"].encode()) > MAX_PATH:
            return _error(414, "usage", f"the path is longer than {MAX_PATH} bytes", None)
        if len(scope.get("query_string", b"")) > MAX_QUERY:
            return _error(414, "usage", f"the query string is longer than {MAX_QUERY} bytes", None)
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length", b"0").strip() or b"0"
        if b"transfer-encoding" in headers or length != b"0":
            return _error(
                413, "usage", "this server takes no request body", "the site is read-only: GET"
            )
        return None

    @staticmethod
    async def _send(send: Send, status: int, body: bytes) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    *HEADERS,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


_OURS = {name for name, _ in HEADERS}


class _TooLarge(Exception):
    """A response over MAX_RESPONSE, caught before its first byte is sent."""


def security_headers() -> dict[str, Any]:
    """The headers, as a dict (for tests and documentation)."""
    return {k.decode(): v.decode() for k, v in HEADERS}
