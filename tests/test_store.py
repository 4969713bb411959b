from __future__ import annotations

import pytest

from robinet.errors import StoreError
from robinet.store import Store


def test_transaction_rolls_back_on_failure(memory_store: Store) -> None:
    insert = "INSERT INTO import_warnings (source, file, row, field, message) VALUES "
    memory_store.con.execute(insert + "('s', 'f.csv', 1, NULL, 'kept')")
    with pytest.raises(RuntimeError), memory_store.transaction():
        memory_store.con.execute(insert + "('s', 'f.csv', 2, NULL, 'lost')")
        raise RuntimeError("injected failure half-way")
    rows = memory_store.query("SELECT message FROM import_warnings")
    assert rows == [{"message": "kept"}]


def test_schema_version_mismatch_is_refused(tmp_path) -> None:
    path = tmp_path / "s.duckdb"
    with Store.open(path) as store:
        store.set_meta("schema_version", "999")
    with pytest.raises(StoreError, match="schema version 999"):
        Store.open(path)


def test_snapshot_round_trip_through_a_folder_named_with_quotes_and_brackets(tmp_path) -> None:
    from robinet.store.hub import import_records
    from robinet.store.snapshot import DATA_TABLES, export_snapshot, load_snapshot

    store = Store.memory()
    import_records(
        store,
        [{"id": "a/base", "tags": ["license:mit"]}, {"id": "b/ft", "tags": ["base_model:a/base"]}],
        source="t",
    )
    store.con.execute("INSERT INTO releases (id, name) VALUES ('r1', 'it''s a release')")
    folder = tmp_path / "it's [v1]"  # an apostrophe and DuckDB's glob characters
    counts = export_snapshot(store, folder)
    assert counts["models"] == 2 and (folder / "models.parquet").exists()
    loaded = Store.memory()
    load_snapshot(loaded, folder)
    for table in DATA_TABLES:
        if table == "snapshots":  # the load appends its own entry
            continue
        query = f"SELECT * FROM {table} ORDER BY ALL"
        assert loaded.con.execute(query).fetchall() == store.con.execute(query).fetchall(), table


def test_an_import_that_fails_half_way_leaves_the_store_as_it_was(tmp_path) -> None:
    from robinet.errors import InputDataError
    from robinet.store.hub import import_dump, import_records

    store = Store.memory()
    import_records(store, [{"id": "seed/model", "tags": ["license:mit"]}], source="t")
    before = {t: store.count(t) for t in ("models", "edges", "license_refs", "import_warnings")}
    (tmp_path / "part-1.jsonl").write_text('{"id": "new/one"}\n{"id": "new/two"}\n')
    (tmp_path / "part-2.parquet").write_bytes(b"PAR1 not really a parquet file PAR1")
    with pytest.raises(InputDataError) as caught:
        # The first file is staged, then the second one turns out unreadable.
        import_dump(store, tmp_path / "part-*", source="t", glob=True)
    assert caught.value.file == str(tmp_path / "part-2.parquet")
    assert {t: store.count(t) for t in before} == before
    assert store.scalar("SELECT count(*) FROM models WHERE hf_id LIKE 'new/%'") == 0
