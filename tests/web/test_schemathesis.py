"""The API against its own OpenAPI schema, in process: generated requests never get a 5xx,
and every response matches the declared status codes, content types and schemas.

Bounded: a few examples per operation (the whole run takes seconds), no shrinking deadline."""

from __future__ import annotations

from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="pip install schemathesis")
from hypothesis import HealthCheck, Phase, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from tests.web.conftest import LLAMA  # noqa: E402

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def api_schema(handle: Any) -> Any:
    from robinet.web.app import create_app

    return schemathesis.openapi.from_asgi("/openapi.json", create_app(handle=handle))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: Any) -> None:
    # half the cases on a model the store holds, half on generated ids (404s)
    if "hf_id" in (case.path_parameters or {}) and len(str(case.query)) % 2 == 0:
        case.path_parameters["hf_id"] = LLAMA
    case.call_and_validate(checks=CHECKS)
