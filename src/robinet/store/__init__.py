"""The store: one DuckDB file of sourced facts (see schema.py), opened through `Store`."""

from robinet.store.db import Store, default_db_path
from robinet.store.opening import open_store

__all__ = ["Store", "default_db_path", "open_store"]
