from __future__ import annotations

import pytest

from robinet.errors import StoreError
from robinet.store import Store


def test_transaction_rolls_back_on_failure(memory_store: Store) -> None:
    memory_store.con.execute("INSERT INTO import_warnings VALUES ('s', 'f.csv', 1, NULL, 'kept')")
    with pytest.raises(RuntimeError), memory_store.transaction():
        memory_store.con.execute(
            "INSERT INTO import_warnings VALUES ('s', 'f.csv', 2, NULL, 'lost')"
        )
        raise RuntimeError("injected failure half-way")
    rows = memory_store.query("SELECT message FROM import_warnings")
    assert rows == [{"message": "kept"}]


def test_schema_version_mismatch_is_refused(tmp_path) -> None:
    path = tmp_path / "s.duckdb"
    with Store.open(path) as store:
        store.set_meta("schema_version", "999")
    with pytest.raises(StoreError, match="schema version 999"):
        Store.open(path)
