"""`robinet serve`: the web pages and the JSON API over the store, read-only, under uvicorn."""

from __future__ import annotations

import ipaddress
import socket
from typing import Annotated

import typer

from robinet.cli.common import DbOption, JsonOption, err_console, out_console, print_json
from robinet.errors import UsageError


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    """Bind before printing the URL: the port is known (port 0 picks a free one) and a port
    in use is a clear error, not a traceback from the server."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UsageError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint="pass another --port (0 picks a free one) or --host",
        ) from exc
    sock.listen(2048)  # connections queue from now on, before uvicorn accepts them
    sock.set_inheritable(True)
    return sock


def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="TCP port (0: any free port).", min=0, max=65535)
    ] = 8765,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Serve the pages and the JSON API (/api/..., OpenAPI at /openapi.json, docs at /docs)
    over the store, opened read-only. Stop with Ctrl-C.

    Prints the URL once listening; with --json as one object (`url`, `host`, `port`, `store`,
    `read_only`), for a script that starts the server and reads where it listens."""
    import uvicorn

    from robinet.web.app import create_app

    application = create_app(db)  # opens the store first: a bad --db fails here (exit 3)
    if not _is_loopback(host):
        err_console.print(
            f"[yellow]warning:[/] listening on {host}: reachable from other machines "
            "(the site is read-only, but it has no authentication)"
        )
    sock = _bind(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound}/"
    store_path = application.state.stores.path
    if json_:
        print_json(
            {"url": url, "host": host, "port": bound, "store": store_path, "read_only": True}
        )
    else:
        out_console.print(
            f"robinet serving {url}  (store {store_path}, read-only)",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    config = uvicorn.Config(
        application,
        log_level="warning",
        server_header=False,
        limit_concurrency=256,  # beyond: 503 at once, not an unbounded queue
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=16 * 1024,  # request line and headers
    )
    uvicorn.Server(config).run(sockets=[sock])
