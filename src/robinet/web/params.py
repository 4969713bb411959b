"""Validated query parameters: the use context (built from the library's UseContext), and the
filters, sort and paging of the listings.

The use context's parameters are generated from the fields of
`robinet.licenses.context.UseContext`, so a field the license engine gains is a parameter of
`/api/models/{hf_id}/check` and a control of the verdict form without a change here. A field
whose vocabulary the engine publishes (`USES`, `DISTRIBUTIONS`, `MODALITIES`, `PURPOSES` in
`robinet.licenses.vocabulary`) is an enum in the OpenAPI schema; lists take repeated
parameters or comma-separated values; unknown parameters are refused (422).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from robinet.errors import UsageError
from robinet.licenses import vocabulary
from robinet.licenses.context import UseContext, use_context

MAX_TEXT = 200
MAX_ITEMS = 32
MAX_COUNT = 10**15  # users, revenue: far above any real figure, far below DuckDB's limits
MAX_PAGE = 1000

# field -> the vocabulary constant that lists its values (a mapping lists its keys)
_VOCABULARY = {
    "use": "USES",
    "distribution": "DISTRIBUTIONS",
    "modality": "MODALITIES",
    "purposes": "PURPOSES",
    "market": None,
}
# The shorthands `use_context` takes beside the fields (it documents them).
_SHORTHANDS: dict[str, Any] = {
    "region": (
        str | None,
        Field(
            None,
            max_length=8,
            description="Shorthand: sets licensee_country and market (ISO 3166-1 alpha-2 or EU).",
        ),
    )
}


class FormQuery(BaseModel):
    """Query parameters as an HTML form sends them: an empty field means "not given"."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _drop_empty(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        out: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, list):
                value = [v for v in value if v != ""]
            if value == "" or value == []:
                continue
            out[key] = value
        return out


def vocabulary_of(name: str) -> tuple[str, ...] | None:
    constant = _VOCABULARY.get(name)
    values = getattr(vocabulary, constant, None) if constant else None
    if isinstance(values, Mapping):
        return tuple(values)
    if isinstance(values, (tuple, list)):
        return tuple(values)
    return None


def _annotation(name: str, hint: Any) -> tuple[Any, dict[str, Any]]:
    """A query parameter type (and its constraints) for one UseContext field."""
    values = vocabulary_of(name)
    origin = typing.get_origin(hint)
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    optional = type(None) in typing.get_args(hint)
    if origin in (tuple, list):
        item: Any = Literal[values] if values else Annotated[str, Field(max_length=64)]
        return list[item], {"max_length": MAX_ITEMS}
    base = args[0] if optional and len(args) == 1 else hint
    if base is bool:
        return bool, {}
    if base is int:
        return (int | None if optional else int), {"ge": 0, "le": MAX_COUNT}
    kind: Any = Literal[values] if values else str
    constraints: dict[str, Any] = {} if values else {"max_length": MAX_TEXT}
    return (kind | None if optional else kind), constraints


def _use_model() -> type[BaseModel]:
    hints = typing.get_type_hints(UseContext)
    defined: dict[str, Any] = {}
    for f in dataclasses.fields(UseContext):
        kind, constraints = _annotation(f.name, hints[f.name])
        default = f.default if f.default is not dataclasses.MISSING else None
        if isinstance(default, tuple):
            default = list(default)
        defined[f.name] = (kind, Field(default, **constraints))
    defined.update(_SHORTHANDS)
    return create_model(
        "UseQuery",
        __base__=FormQuery,
        __doc__="The use context of a verdict (robinet.licenses.context.UseContext).",
        **defined,
    )


if TYPE_CHECKING:  # a pydantic model generated at import: to mypy, any model
    UseQuery = BaseModel
else:
    UseQuery = _use_model()


def use_fields() -> list[dict[str, Any]]:
    """The form's controls: name, kind (select, multi, bool, int, text), choices, default."""
    out = []
    for name, info in UseQuery.model_fields.items():
        hint = info.annotation
        origin = typing.get_origin(hint)
        choices = vocabulary_of(name)
        if origin is list:
            kind = "multi" if choices else "list"
        elif hint is bool:
            kind = "bool"
        elif int in typing.get_args(hint) or hint is int:
            kind = "int"
        else:
            kind = "select" if choices else "text"
        default = info.default
        out.append(
            {
                "name": name,
                "label": name.replace("_", " "),
                "kind": kind,
                "choices": choices or (),
                "default": default,
                "optional": not isinstance(default, bool) and default in (None, []),
                "description": info.description,
            }
        )
    return out


def to_use_context(query: BaseModel) -> UseContext:
    """The library's UseContext from validated parameters (UsageError -> 422)."""
    values: dict[str, Any] = {}
    for key, value in query.model_dump().items():
        if isinstance(value, list):  # repeated parameters, each maybe comma-separated
            value = [part.strip() for v in value for part in str(v).split(",") if part.strip()]
            if not value:
                continue
        if value in ("", None):
            continue
        values[key] = value
    return use_context(values)


def parse_date(text: str | None, name: str) -> dt.date | None:
    """YYYY-MM-DD, or YYYY-MM for the first of the month; UsageError otherwise."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text if len(text) > 7 else f"{text}-01")
    except ValueError:
        raise UsageError(f"{name} takes a date as YYYY-MM-DD or YYYY-MM, not {text!r}") from None


DatePattern = r"^\d{4}-\d{2}(-\d{2})?$"
Org = Annotated[str | None, Field(max_length=100, description="Organization id, name or Hub org.")]
Since = Annotated[
    str | None, Field(pattern=DatePattern, description="On or after (YYYY-MM-DD or YYYY-MM).")
]


class ReleaseQuery(FormQuery):
    """Filters, sort and page of the releases listing (robinet releases' options)."""

    org: Org = None
    region: Annotated[str | None, Field(max_length=16, description="US, CN, EU or other.")] = None
    country: Annotated[str | None, Field(max_length=64, description="ISO 3166-1 code.")] = None
    tier: Annotated[str | None, Field(max_length=32, description="An access tier.")] = None
    since: Since = None
    notable: bool | None = None
    q: Annotated[str | None, Field(max_length=100, description="Text in the name or id.")] = None
    sort: Literal["date", "name", "organization", "region", "tier", "hf_id"] = "date"
    order: Literal["asc", "desc"] = "asc"
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 100
    offset: Annotated[int, Field(ge=0, le=10**7)] = 0


class AlertQuery(FormQuery):
    """Filters of the tap signals."""

    org: Org = None
    since: Since = None
    until: Annotated[str | None, Field(pattern=DatePattern, description="On or before.")] = None
    direction: Literal["closing", "opening"] | None = None
    kind: Annotated[
        str | None, Field(pattern=r"^[a-z0-9_]{1,64}$", description="The signal's kind.")
    ] = None
