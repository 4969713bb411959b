"""Offline import: dump formats, tolerance of bad rows, idempotence, transactions."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from robinet.sources.hub_csv import read_top_models_csv
from robinet.store import Store
from robinet.store.hub import import_dump, import_records

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "lineage"
BUILT = FIXTURES / "built.jsonl"
REAL_CSV = Path(__file__).resolve().parents[2] / "data/sources/hf-top-models/hf_models.csv"


def _edges(store: Store) -> list[tuple]:
    return store.con.execute(
        "SELECT child, parent, relation, source, confidence FROM edges ORDER BY ALL"
    ).fetchall()


def test_jsonl_import_counts_and_warnings(built_store: Store) -> None:
    assert built_store.count("models") == 18
    warnings = built_store.query(
        "SELECT row, field, message FROM import_warnings ORDER BY row, field"
    )
    by_row = {(w["row"], w["field"]): w["message"] for w in warnings}
    assert by_row[(6, None)].startswith("not a JSON object")
    assert "without an id" in by_row[(10, "id")]
    assert "malformed value lots" in by_row[(20, "downloads")]
    assert "unknown field" in by_row[(20, "weird_field")]
    assert "duplicate model permissive/Base-7B" in by_row[(7, "id")]
    assert "invalid parent id" in by_row[(19, "base_model")]
    # The malformed field is dropped, the model is kept.
    assert built_store.scalar("SELECT downloads FROM models WHERE hf_id = 'odd/fields'") is None


def test_every_row_carries_provenance(built_store: Store) -> None:
    missing = built_store.scalar(
        "SELECT count(*) FROM models WHERE source IS NULL OR file IS NULL OR row IS NULL "
        "OR retrieved_at IS NULL"
    )
    assert missing == 0
    assert built_store.scalar("SELECT count(*) FROM edges WHERE retrieved_at IS NULL") == 0
    refs = built_store.query(
        "SELECT license_raw, license_id, row FROM license_refs WHERE subject = 'nclab/Research-7B'"
    )
    assert refs == [{"license_raw": "cc-by-nc-4.0", "license_id": "cc-by-nc-4.0", "row": 5}]


def test_gzip_and_parquet_dumps_give_the_same_store(tmp_path: Path) -> None:
    gz = tmp_path / "built.jsonl.gz"
    with BUILT.open("rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    records = []
    for line in BUILT.read_text().splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict):
            records.append(record)
    # Parquet: nested fields as JSON text columns, as a dataframe export would write them.
    columns: dict[str, list] = {}
    keys = sorted({k for r in records for k in r})
    for key in keys:
        values = [r.get(key) for r in records]
        if key == "tags":
            columns[key] = values
        else:
            columns[key] = [
                None if v is None else v if isinstance(v, str) else json.dumps(v) for v in values
            ]
    parquet = tmp_path / "built.parquet"
    pq.write_table(pa.table(columns), parquet)

    stores = []
    for path in (BUILT, gz, parquet):
        store = Store.memory()
        import_dump(store, path, source="built")
        stores.append(store)
    expected = _edges(stores[0])
    assert len(expected) == 13
    for store in stores[1:]:
        assert _edges(store) == expected
        assert store.count("models") == 18


def test_reimport_is_idempotent() -> None:
    store = Store.memory()
    first = import_dump(store, BUILT, source="built")
    counts = {t: store.count(t) for t in ("models", "edges", "license_refs", "import_warnings")}
    second = import_dump(store, BUILT, source="built")
    assert {t: store.count(t) for t in counts} == counts
    assert first.models == second.models == 18
    # One row per model: the loader replaces a model's row (models has no key index).
    assert store.scalar("SELECT count(DISTINCT hf_id) FROM models") == store.count("models")


def test_failed_import_leaves_the_store_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.memory()
    import_records(store, [{"id": "a/one", "tags": ["license:mit"]}], source="t")
    before = store.query("SELECT hf_id FROM models")

    def boom(_store: Store) -> dict:
        raise RuntimeError("injected failure during lineage")

    monkeypatch.setattr("robinet.store.lineage.build.rebuild", boom)
    with pytest.raises(RuntimeError):
        import_records(store, [{"id": "b/two", "tags": ["base_model:a/one"]}], source="t")
    assert store.query("SELECT hf_id FROM models") == before
    assert store.count("edges") == 0


def test_top_models_csv_rows_in_the_api_shape() -> None:
    first = next(read_top_models_csv(REAL_CSV))
    assert first["id"] == "MIT/ast-finetuned-audioset-10-10-0.4593"
    assert first["lastModified"] == "2023-09-06T14:49:15.000Z"
    assert first["downloads"] == 189285567
    assert "license:bsd-3-clause" in first["tags"]
    assert first["private"] is False


def test_missing_dump_is_a_source_error(tmp_path: Path) -> None:
    from robinet.errors import SourceError

    with pytest.raises(SourceError, match="no such dump"):
        import_dump(Store.memory(), tmp_path / "nope.jsonl")


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
_record = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=20), st.integers(), st.just("ok/model")),
        "tags": st.one_of(
            st.lists(
                st.sampled_from(
                    [
                        "base_model:x/y",
                        "base_model:merge:",
                        "license:mit",
                        "base_model:quantized:ok/model",
                        "base_model:a:b:c",
                    ]
                )
            ),
            _json,
        ),
        "cardData": st.one_of(
            st.fixed_dictionaries({}, optional={"base_model": _json, "license": _json}), _json
        ),
        "downloads": _json,
        "lastModified": st.one_of(st.text(max_size=25), st.just("2024-01-01T00:00:00Z")),
        "gguf": _json,
        "config": _json,
    },
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_record, max_size=6))
def test_any_record_shape_is_tolerated(records: list[dict]) -> None:
    store = Store.memory()
    report = import_records(store, records, source="prop")
    assert report.rows_read == len(records)
    assert report.models + report.rejected <= len(records)
    # Whatever came in, the lineage tables are consistent: no edge to itself.
    assert store.scalar("SELECT count(*) FROM edges WHERE child = parent") == 0
    store.close()


def test_duckdb_and_python_line_readers_give_the_same_store(tmp_path: Path) -> None:
    """A plain UTF-8 dump is read by DuckDB's line reader; the same file under a name DuckDB
    would take for a pattern is read by the Python reader: every table must be the same."""
    from robinet.sources.hub_dump import open_dump

    plain = tmp_path / "built.jsonl"
    shutil.copyfile(BUILT, plain)
    (tmp_path / "odd[name]").mkdir()
    odd = tmp_path / "odd[name]" / "built.jsonl"
    shutil.copyfile(BUILT, odd)
    assert open_dump(plain).duckdb_readable and not open_dump(odd).duckdb_readable
    stores = []
    for path in (plain, odd):
        store = Store.memory()
        import_dump(store, path, source="built")
        stores.append(store)
    for table, columns in (
        ("models", "* EXCLUDE (file, retrieved_at)"),
        ("edges", "* EXCLUDE (retrieved_at)"),
        ("license_refs", "* EXCLUDE (file, retrieved_at)"),
        ("import_warnings", "* EXCLUDE (file)"),
        ("lineage_closure", "*"),
        ("lineage_conflicts", "*"),
    ):
        query = f"SELECT {columns} FROM {table} ORDER BY ALL"
        fast, slow = (s.con.execute(query).fetchall() for s in stores)
        assert fast == slow and fast, table
