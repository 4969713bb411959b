"""A store for the web tests: the bundled snapshot, plus a Hub model whose card carries
script payloads (Hub data is untrusted), opened read-only behind the app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HOSTILE = "evil-lab/xss-model"
PAYLOAD = "<script>alert('xss')</script>"
HOSTILE_RECORDS: list[dict[str, Any]] = [
    {
        "id": HOSTILE,
        "author": "evil-lab",
        "sha": "0" * 40,
        "createdAt": "2025-01-01T00:00:00.000Z",
        "lastModified": "2025-01-01T00:00:00.000Z",
        "downloads": 7,
        "likes": 0,
        "library_name": "<img src=x onerror=alert(1)>",
        "pipeline_tag": "text-generation",
        "tags": [f"license:{PAYLOAD}", "<img src=x onerror=alert(2)>", "base_model:evil-lab/base"],
        "cardData": {
            "license": PAYLOAD,
            "license_name": PAYLOAD,
            "license_link": "javascript:alert(3)",
            "base_model": "evil-lab/base",
        },
    },
    {
        "id": "evil-lab/base",
        "author": "evil-lab",
        "sha": "1" * 40,
        "createdAt": "2024-12-01T00:00:00.000Z",
        "lastModified": "2024-12-01T00:00:00.000Z",
        "tags": ["license:mit"],
        "cardData": {"license": "mit"},
    },
]
LLAMA = "meta-llama/Meta-Llama-3-8B-Instruct"  # in the bundled Hub sample


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled snapshot and the hostile model, in a store file (closed: the app opens it
    read-only)."""
    from robinet.store import open_store
    from robinet.store.hub import import_records

    path = tmp_path_factory.mktemp("web") / "robinet.duckdb"
    store = open_store(path)
    import_records(store, HOSTILE_RECORDS, source="hostile-test", file="hostile.jsonl")
    store.close()
    return path


@pytest.fixture(scope="session")
def handle(web_db: Path) -> Iterator[Any]:
    from robinet.web.state import StoreHandle

    h = StoreHandle(web_db)
    yield h
    h.close()


@pytest.fixture(scope="session")
def client(handle: Any) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from robinet.web.app import create_app

    with TestClient(create_app(handle=handle), raise_server_exceptions=False) as c:
        yield c
