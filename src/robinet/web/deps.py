"""Per-request dependencies: the worker's store handle, and a Store over a fresh cursor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from robinet.store import Store
from robinet.web.state import StoreHandle


def get_handle(request: Request) -> StoreHandle:
    handle: StoreHandle = request.app.state.stores
    return handle


def get_store(request: Request) -> Iterator[Store]:
    """A cursor of the worker's connection for this request only (closed after it)."""
    with get_handle(request).cursor() as store:
        yield store


HandleDep = Annotated[StoreHandle, Depends(get_handle)]
StoreDep = Annotated[Store, Depends(get_store)]
