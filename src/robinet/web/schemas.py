"""The OpenAPI schema's response shapes (documentation and schemathesis' checks).

The routes return the library's documents as they are (responses are not re-validated), so
these models name what the contract promises (docs/json.md) and allow every other key: a
field a library function gains is a valid response, not a schema violation.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    message: str
    hint: str | None
    location: dict[str, Any] | None


class ErrorBody(BaseModel):
    """Every error: `{"error": {code, message, hint, location}}`."""

    model_config = ConfigDict(extra="forbid")

    error: ErrorDetail


class Health(BaseModel):
    status: str


class Releases(Open):
    releases: list[dict[str, Any]]
    count: int
    total: int
    filters: dict[str, Any]


class Organizations(Open):
    organizations: list[dict[str, Any]]
    count: int


class Licenses(Open):
    licenses: list[dict[str, Any]]
    count: int


class LicenseEntry(Open):
    id: str
    name: str
    terms: list[dict[str, Any]]


class Comparison(Open):
    licenses: list[str]
    kinds: list[str]
    rows: dict[str, dict[str, str]]
    clauses: dict[str, dict[str, str]]


class Model(Open):
    model: str
    license: str | None
    lineage: dict[str, Any]
    conflicts: dict[str, Any]
    openness: dict[str, Any] | None


class Check(Open):
    model: str
    use: dict[str, Any]
    verdict: dict[str, Any]
    decided_by: list[dict[str, Any]]
    licenses: list[dict[str, Any]]
    lineage: list[dict[str, Any]]
    obligations: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    exit_code: int


class Alerts(Open):
    alerts: list[dict[str, Any]]
    count: int


class Trends(Open):
    metric: str
    by: str | None
    method: str
    series: list[dict[str, Any]]
    caveats: dict[str, Any]


class Gap(Open):
    benchmark: str
    models: int
    series: list[dict[str, Any]]


class Lab(Open):
    organization: dict[str, Any]


class Report(Open):
    sections: dict[str, Any]


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (404, "Unknown id (the hint names close matches)"),
        (413, "The request has a body (the API is read-only)"),
        (414, "The path or query string is too long"),
        (422, "A bad parameter"),
        (503, "The store or the knowledge base cannot answer now"),
    )
}
