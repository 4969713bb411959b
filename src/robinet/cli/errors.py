"""Errors -> messages and exit codes, once for every command (the edge of the httpx-style tree).

    0   success (allow / conditional verdicts too)
    1   a deny verdict or a policy violation (raised by the command as typer.Exit(1))
    2   usage error: a bad option, an unknown id (UsageError, click's usage errors)
    3   bad input data or an unusable store (InputDataError, StoreError, SourceError)
    4   internal error: a bug in robinet
    130 interrupted (Ctrl-C)

Under `--json` an error is printed on stdout as `{"error": {code, message, hint, location}}`
(docs/json.md); otherwise as a message and a hint on stderr.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence
from typing import Any

import typer
import typer.core

from robinet.errors import RobinetError

INTERNAL_ERROR = 4
INTERRUPTED = 130


def error_body(
    code: str, message: str, *, hint: str | None = None, location: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The contract's error object; the web API returns the same."""
    return {"error": {"code": code, "message": message, "hint": hint, "location": location}}


def _report(body: dict[str, Any], *, as_json: bool) -> None:
    from robinet.cli.common import err_console, plain, print_json

    if as_json:
        print_json(body)
        return
    error = body["error"]
    err_console.print(
        "error: " + plain(error["message"]),
        style="bold red",
        highlight=False,
        soft_wrap=True,
        markup=False,
    )
    if error["hint"]:
        err_console.print(
            "  hint: " + plain(error["hint"]),
            style="dim",
            highlight=False,
            soft_wrap=True,
            markup=False,
        )


def _usage_body(exc: typer.TyperException) -> dict[str, Any]:
    location = None
    param = getattr(exc, "param", None)
    if param is not None and getattr(param, "opts", None):
        location = {"field": param.opts[0]}
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "robinet"
    format_message = getattr(exc, "format_message", None)
    message = format_message() if callable(format_message) else str(exc)
    return error_body("usage", message, hint=f"see `{command} --help`", location=location)


class RobinetGroup(typer.core.TyperGroup):
    """The root command group: runs a command and maps every outcome to the exit codes."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        as_json = "--json" in argv
        code = self._run(argv, prog_name, complete_var, as_json, **extra)
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(
        self,
        argv: list[str],
        prog_name: str | None,
        complete_var: str | None,
        as_json: bool,
        **extra: Any,
    ) -> int:
        try:
            result = super().main(
                args=argv,
                prog_name=prog_name or "robinet",
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        # Typer vendors click: its usage errors (bad option, missing argument) derive from the
        # public TyperException.
        except typer.TyperException as exc:
            if as_json:
                _report(_usage_body(exc), as_json=True)
            else:
                show = getattr(exc, "show", None)
                show() if callable(show) else sys.stderr.write(f"error: {exc}\n")
            return int(getattr(exc, "exit_code", 2))
        except typer.Abort:
            return self._interrupted()
        except KeyboardInterrupt:
            return self._interrupted()
        except RobinetError as exc:
            _report(
                error_body(exc.code, exc.message, hint=exc.hint, location=exc.location),
                as_json=as_json,
            )
            return exc.exit_code
        except Exception as exc:  # a bug: the traceback for the report, exit 4 never 1
            if _is_interrupt(exc):
                return self._interrupted()
            traceback.print_exc()
            _report(
                error_body(
                    "internal",
                    f"internal error: {type(exc).__name__}: {exc}",
                    hint="this is a bug in robinet: please report it with the command and the "
                    "traceback printed on stderr",
                ),
                as_json=as_json,
            )
            return INTERNAL_ERROR
        if result == INTERRUPTED:  # typer turns Ctrl-C into Exit(130) silently
            return self._interrupted()
        return result if isinstance(result, int) else 0

    @staticmethod
    def _interrupted() -> int:
        sys.stderr.write("interrupted\n")
        return INTERRUPTED


def _is_interrupt(exc: BaseException) -> bool:
    """DuckDB reports Ctrl-C during a query as its own exception type."""
    return type(exc).__name__ == "InterruptException"
