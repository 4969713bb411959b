"""Plain JSON values from robinet's results: one rule for the CLI, the report and the web,
and the contract's shapes (docs/json.md) that the CLI and the web API share."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def to_jsonable(value: Any) -> Any:
    """Dataclasses, enums, dates, paths, sets and tuples -> plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(to_jsonable(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    return value


def dump_json(value: Any) -> str:
    return json.dumps(to_jsonable(value), indent=2, sort_keys=True, ensure_ascii=False)


# -- the JSON contract's shapes (docs/json.md), shared by the CLI and the web API -----------
def listing(key: str, items: Sequence[Any], **extra: Any) -> dict[str, Any]:
    """The contract's shape for a list: `{key: [...], "count": N, ...extra}`."""
    return {key: list(items), "count": len(items), **extra}


def warning_json(
    message: str,
    *,
    file: str | None = None,
    row: int | None = None,
    field: str | None = None,
    source: str | None = None,
) -> dict[str, Any]:
    """One warning of the contract: always an object with where it happened."""
    return {"source": source, "file": file, "row": row, "field": field, "message": message}


def warnings_json(items: Sequence[Any]) -> list[dict[str, Any]]:
    """Warnings from the library (dataclasses, dicts or strings) as the contract's objects."""
    out: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, str):
            out.append(warning_json(item))
            continue
        data = to_jsonable(item)
        out.append(
            warning_json(
                str(data.get("message", "")),
                file=data.get("file"),
                row=data.get("row"),
                field=data.get("field"),
                source=data.get("source"),
            )
        )
    return out
