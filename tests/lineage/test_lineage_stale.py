"""Reads never write: a store whose lineage a sync left stale is refused, never rebuilt.

The stale store is made the way an interrupted live sync leaves one: models committed through
the public importer with `lineage=False` (the sync's per-page commit), no final rebuild.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from robinet.cli import app
from robinet.errors import StaleStoreError, StoreError
from robinet.licenses import lineage_terms as licensing
from robinet.lineage.query import check, conflicts, lineage
from robinet.store import Store
from robinet.store.hub import import_dump, import_records
from robinet.store.lineage import repair

BUILT = Path(__file__).resolve().parent.parent / "fixtures" / "lineage" / "built.jsonl"

# Committed by the "interrupted sync": a fine-tune of a model the built fixture holds.
LATE = {
    "id": "late/Llama-3.1-Late-8B",
    "author": "late",
    "tags": ["license:llama3.1", "base_model:finetune:meta-llama/Llama-3.1-8B"],
}


def _models(path: Path) -> int:
    with Store.open(path, read_only=True) as store:
        return int(store.con.execute("SELECT count(*) FROM models").fetchone()[0])


@pytest.fixture()
def stale_db(tmp_path: Path) -> tuple[Path, int]:
    """A store file with lineage built once, then one more model committed without rebuild;
    and the number of models the rebuild saw."""
    path = tmp_path / "stale.duckdb"
    with Store.open(path) as store:
        import_dump(store, BUILT, source="built")
    before = _models(path)
    with Store.open(path) as store:
        import_records(store, [LATE], source="sync", lineage=False)
    return path, before


def test_reads_of_a_stale_store_raise_stale_store_error(stale_db: tuple[Path, int]) -> None:
    path, before = stale_db
    with Store.open(path, read_only=True) as store:
        use = licensing.make_use(use="commercial")
        for read in (
            lambda: lineage(store, "acme/SuperChat-8B"),
            lambda: check(store, "acme/SuperChat-8B", use),
            lambda: conflicts(store),
        ):
            with pytest.raises(StaleStoreError) as caught:
                read()
            assert caught.value.exit_code == 3
            assert "robinet store repair" in (caught.value.hint or "")
            assert f"holds {before + 1:,} models" in caught.value.message
            assert f"the last rebuild saw {before:,}" in caught.value.message


def test_a_stale_writable_store_is_refused_too_not_rebuilt(stale_db: tuple[Path, int]) -> None:
    path, _ = stale_db
    with Store.open(path) as store:
        pairs = store.con.execute("SELECT count(*) FROM lineage_closure").fetchone()[0]
        with pytest.raises(StaleStoreError):
            lineage(store, LATE["id"])
        # Nothing was written by the read: the closure and the flag are as the sync left them.
        assert store.con.execute("SELECT count(*) FROM lineage_closure").fetchone()[0] == pairs
        assert store.meta("lineage_dirty") == "1"


def test_the_cli_exits_3_on_a_stale_store_never_an_internal_error(
    stale_db: tuple[Path, int],
) -> None:
    path, _ = stale_db
    runner = CliRunner()
    for args in (
        ["lineage", "acme/SuperChat-8B"],
        ["check", "acme/SuperChat-8B", "--use", "commercial"],
        ["conflicts"],
    ):
        result = runner.invoke(app, [*args, "--db", str(path)])
        assert result.exit_code == 3, (args, result.output, result.exception)
        assert "out of date" in result.stderr
        assert "robinet store repair" in result.stderr


def test_repair_rebuilds_and_reads_answer_again(stale_db: tuple[Path, int]) -> None:
    path, before = stale_db
    with Store.open(path, read_only=True) as store, pytest.raises(StoreError) as caught:
        repair(store)  # a read-only store is refused with a message, not a DuckDB error
    assert not isinstance(caught.value, StaleStoreError)
    assert "read-only" in caught.value.message
    with Store.open(path) as store:
        report = repair(store)
        assert report.was_stale is True
        assert report.lineage.models == before + 1
        assert store.meta("lineage_dirty") == "0"
    with Store.open(path, read_only=True) as store:
        late = lineage(store, LATE["id"])
        assert [(a.id, a.depth) for a in late.ancestors] == [("meta-llama/Llama-3.1-8B", 1)]
        assert lineage(store, "meta-llama/Llama-3.1-8B").descendants["total"] == 6  # 5 + late
        assert conflicts(store, model=LATE["id"]).conflicts == []  # named "Llama...", same license
    with Store.open(path) as store:
        assert repair(store).was_stale is False  # a fresh store: a repair is a plain rebuild


def test_a_store_rebuilt_before_models_were_counted_says_so_plainly(
    stale_db: tuple[Path, int],
) -> None:
    path, _ = stale_db
    with Store.open(path) as store:  # as a store whose last rebuild kept no model count
        store.con.execute("DELETE FROM meta WHERE key = 'lineage_models'")
    with Store.open(path, read_only=True) as store, pytest.raises(StaleStoreError) as caught:
        conflicts(store)
    assert caught.value.message == (
        "the lineage tables are out of date: a sync or an import stopped before it rebuilt them"
    )
