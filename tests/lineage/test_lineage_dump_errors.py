"""Bad dump files: a clear error naming the file, or the good records kept with a warning."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from robinet.errors import InputDataError
from robinet.store import Store
from robinet.store.hub import import_dump, register_source


def _records(n: int) -> bytes:
    rows = [
        {"id": f"org/m{i}", "author": "org", "createdAt": "2024-01-01T00:00:00Z",
         "tags": ["license:mit"]}
        for i in range(n)
    ]  # fmt: skip
    return ("\n".join(json.dumps(r) for r in rows) + "\n").encode()


def test_a_folder_is_refused(memory_store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputDataError, match="is a folder"):
        import_dump(memory_store, tmp_path)
    assert memory_store.count("import_warnings") == 0


@pytest.mark.parametrize("name", ["noise.jsonl", "noise.parquet"])
def test_binary_noise_is_bad_input_naming_the_file(
    memory_store: Store, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(os.urandom(5000))
    with pytest.raises(InputDataError) as caught:
        import_dump(memory_store, path)
    assert str(path) in caught.value.message
    assert caught.value.exit_code == 3


def test_a_truncated_gzip_keeps_its_complete_records(memory_store: Store, tmp_path: Path) -> None:
    whole = gzip.compress(_records(2000))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) * 2 // 3])
    report = import_dump(memory_store, path, source="cut")
    kept = memory_store.count_where("models", "source = ?", ["cut"])
    assert 0 < kept < 2000 and report.models == kept
    warnings = memory_store.query("SELECT row, message FROM import_warnings WHERE source = 'cut'")
    assert len(warnings) == 1 and "ends early" in warnings[0]["message"]
    assert warnings[0]["row"] == kept + 1
    # Every kept model is complete: ids in order, none cut in the middle.
    ids = {r["hf_id"] for r in memory_store.query("SELECT hf_id FROM models")}
    assert ids == {f"org/m{i}" for i in range(kept)}


def test_an_empty_file_is_bad_input_naming_it(memory_store: Store, tmp_path: Path) -> None:
    # Changed with the hardening issue: a file that yields nothing is refused (exit 3), where
    # it used to be imported as nothing with a warning.
    path = tmp_path / "empty.jsonl"
    path.write_text("")
    with pytest.raises(InputDataError) as caught:
        import_dump(memory_store, path, source="empty")
    assert caught.value.exit_code == 3 and caught.value.file == str(path)
    assert "holds no model records" in caught.value.message
    assert memory_store.count("import_warnings") == 0 and memory_store.count("models") == 0


def test_the_sources_row_accounts_for_a_hub_import(memory_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_bytes(_records(5) + b"not json\n")
    import_dump(memory_store, path, source="hub-test")
    register_source(memory_store, "hub-test", str(path))
    (row,) = memory_store.query("SELECT * FROM sources WHERE name = 'hub-test'")
    assert row["rows_imported"] == 5 and row["rows_rejected"] == 1 and row["rows_read"] == 6
    assert row["files"] == [str(path)] and row["retrieved_at"] is not None
