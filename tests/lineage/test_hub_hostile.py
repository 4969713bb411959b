"""Hostile dumps (issue "Hardening", items 4, 5, 8, 9): each refused with a message naming the
file (exit 3), or its good records kept with a warning naming the bad ones; memory bounded.
"""

from __future__ import annotations

import ast
import csv
import ctypes
import gzip
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.lineage.fakehub import FakeHub, install, load, uninstall

from robinet.errors import InputDataError, SourceError, StoreError
from robinet.sources.base import HubBatch
from robinet.sources.hub_csv import parse_tag_list, read_top_models_csv
from robinet.sources.hub_dump import DumpFile, JsonLines
from robinet.sources.hub_sync import HubClient
from robinet.store import Store
from robinet.store.hub import import_dump, sync_hub

REAL_CSV = Path(__file__).resolve().parents[2] / "data/sources/hf-top-models/hf_models.csv"


def _line(model: str, **fields: object) -> bytes:
    return json.dumps({"id": model, "tags": ["license:mit"], **fields}).encode() + b"\n"


def _models(store: Store) -> list[str]:
    return [r[0] for r in store.con.execute("SELECT hf_id FROM models ORDER BY 1").fetchall()]


def _warnings(store: Store) -> list[tuple[int, str | None, str]]:
    return store.con.execute(
        "SELECT row, field, message FROM import_warnings ORDER BY row, field"
    ).fetchall()


# -- paths are literal ------------------------------------------------------------------------
def test_a_path_with_pattern_characters_is_literal(memory_store: Store, tmp_path: Path) -> None:
    (tmp_path / "a[1].jsonl").write_bytes(_line("org/literal"))
    (tmp_path / "a1.jsonl").write_bytes(_line("org/globbed"))
    report = import_dump(memory_store, tmp_path / "a[1].jsonl", source="t")
    assert _models(memory_store) == ["org/literal"]
    assert report.files == (str(tmp_path / "a[1].jsonl"),)
    files = memory_store.con.execute("SELECT DISTINCT file FROM models").fetchall()
    assert files == [(str(tmp_path / "a[1].jsonl"),)]


def test_glob_expands_sorted_and_records_each_file(memory_store: Store, tmp_path: Path) -> None:
    for name, model in (("b2.jsonl", "org/two"), ("b*.jsonl", "org/star"), ("b1.jsonl", "org/one")):
        (tmp_path / name).write_bytes(_line(model))
    assert import_dump(memory_store, tmp_path / "b*.jsonl", source="t").models == 1
    assert _models(memory_store) == ["org/star"]  # literal: the file named b*.jsonl alone
    report = import_dump(memory_store, tmp_path / "b*.jsonl", source="t", glob=True)
    # '*' sorts before digits: the three files, in that order, each the file of its model.
    expected = [str(tmp_path / n) for n in ("b*.jsonl", "b1.jsonl", "b2.jsonl")]
    assert list(report.files) == expected and report.models == 3
    by_file = dict(memory_store.con.execute("SELECT file, hf_id FROM models").fetchall())
    assert by_file == dict(zip(expected, ["org/star", "org/one", "org/two"], strict=True))


def test_glob_matching_nothing_and_a_missing_literal_path(
    memory_store: Store, tmp_path: Path
) -> None:
    with pytest.raises(SourceError, match="no file matches"):
        import_dump(memory_store, tmp_path / "none-*.jsonl", glob=True)
    with pytest.raises(SourceError, match="no such dump file") as caught:
        import_dump(memory_store, tmp_path / "none-*.jsonl")
    assert "glob" in (caught.value.hint or "")


def test_a_folder_with_an_apostrophe(memory_store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "it's"
    folder.mkdir()
    (folder / "d.jsonl").write_bytes(_line("org/quoted") + _line("org/other"))
    report = import_dump(memory_store, folder / "d.jsonl", source="it's a source")
    assert report.models == 2
    rows = memory_store.con.execute("SELECT DISTINCT source, file FROM models").fetchall()
    assert rows == [("it's a source", str(folder / "d.jsonl"))]


# -- what a path is ---------------------------------------------------------------------------
def test_a_fifo_is_named_and_never_opened(memory_store: Store, tmp_path: Path) -> None:
    fifo = tmp_path / "stream.jsonl"
    os.mkfifo(fifo)
    # Opening a FIFO without a writer blocks forever: reaching the assertion proves it was not.
    with pytest.raises(InputDataError, match="is a FIFO") as caught:
        import_dump(memory_store, fifo)
    assert caught.value.exit_code == 3 and caught.value.file == str(fifo)


def test_a_character_device_is_named(memory_store: Store) -> None:
    with pytest.raises(InputDataError, match="is a character device"):
        import_dump(memory_store, "/dev/null")


# -- files that yield nothing -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("blank.jsonl", b"\n  \n\t\n"),
        ("array.json", json.dumps([{"id": "org/a"}, {"id": "org/b"}]).encode()),
        ("no-ids.jsonl", b'{"author": "x"}\n{"id": 12}\n'),
    ],
)
def test_a_file_that_yields_nothing_is_refused(
    memory_store: Store, tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputDataError, match="holds no model records") as caught:
        import_dump(memory_store, path)
    assert caught.value.exit_code == 3 and caught.value.file == str(path)
    assert memory_store.count("import_warnings") == 0  # rolled back with the import


def test_a_parquet_table_of_something_else_is_refused(memory_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "other.parquet"
    pq.write_table(pa.table({"name": ["a", "b"], "size": [1, 2]}), path)
    with pytest.raises(InputDataError, match="no id or modelId column") as caught:
        import_dump(memory_store, path)
    assert caught.value.file == str(path)


def test_one_empty_file_among_several_refuses_the_import(
    memory_store: Store, tmp_path: Path
) -> None:
    (tmp_path / "part-1.jsonl").write_bytes(_line("org/one"))
    (tmp_path / "part-2.jsonl").write_bytes(b"")
    with pytest.raises(InputDataError) as caught:
        import_dump(memory_store, tmp_path / "part-*.jsonl", glob=True)
    assert caught.value.file == str(tmp_path / "part-2.jsonl")
    assert memory_store.count("models") == 0


# -- damaged files ----------------------------------------------------------------------------
def test_damaged_parquet_pages_are_bad_input(memory_store: Store, tmp_path: Path) -> None:
    good = tmp_path / "good.parquet"
    ids = [f"org/m{i}" for i in range(20_000)]
    pq.write_table(
        pa.table({"id": ids, "downloads": list(range(20_000))}),
        good,
        compression="snappy",
        row_group_size=5_000,
    )
    data = bytearray(good.read_bytes())
    middle = len(data) // 3  # inside the column chunks, far from the footer
    data[middle : middle + 400] = b"\xff" * 400
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(bytes(data))
    assert import_dump(Store.memory(), good).models == 20_000
    with pytest.raises(InputDataError) as caught:
        import_dump(memory_store, bad)
    assert caught.value.exit_code == 3 and caught.value.file == str(bad)
    assert memory_store.count("models") == 0


def test_a_csv_with_one_byte_that_is_not_utf8(memory_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "top.csv"
    path.write_bytes(b'modelId,author,tags\norg/a,org,"[\'license:mit\']"\norg/b\xff,org,"[]"\n')
    with pytest.raises(InputDataError, match="line 3 is not valid UTF-8") as caught:
        import_dump(memory_store, path)
    assert caught.value.exit_code == 3 and caught.value.file == str(path)


# -- one bad line never rejects a file --------------------------------------------------------
def _mixed(cap: int) -> bytes:
    lines = [_line(f"org/m{i}") for i in range(10)]
    lines[3] = b'{"id": "org/m3-\xff"}\n'  # a byte that is not UTF-8
    lines[6] = _line("org/m6-long", note="x" * (cap + 1))  # over the cap
    return b"".join(lines)


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_bad_lines_are_warnings_and_good_lines_import(
    memory_store: Store, tmp_path: Path, compress: bool
) -> None:
    cap = 1000
    path = tmp_path / ("mixed.jsonl.gz" if compress else "mixed.jsonl")
    path.write_bytes(gzip.compress(_mixed(cap)) if compress else _mixed(cap))
    report = import_dump(memory_store, path, source="t", max_line_bytes=cap)
    assert _models(memory_store) == sorted(f"org/m{i}" for i in (0, 1, 2, 4, 5, 7, 8, 9))
    rows = [
        (row, message.split(" (")[0].split(" of ")[0])
        for row, _, message in _warnings(memory_store)
    ]
    assert rows == [(4, "not valid UTF-8"), (7, "line")]
    assert "over the 1,000-byte cap" in _warnings(memory_store)[1][2]
    assert report.rejected == 2 and report.rows_read == 10


def test_a_bad_line_deep_in_a_file_duckdb_reads(
    memory_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB's line reader fails on the bad line only after batches of good lines were
    parsed: those are taken out again, and the Python reader reads the file once more."""
    from robinet.store.hub import stage

    monkeypatch.setattr(stage, "_READER_ROWS", 1_000)
    monkeypatch.setattr(stage, "_PARSE_ROWS", 3_000)
    lines = [_line(f"org/m{i}") for i in range(200_000)]
    lines[190_000] = b'{"id": "org/bad\xff"}\n'
    path = tmp_path / "late.jsonl"
    path.write_bytes(b"".join(lines))
    seen: list[int] = []
    real = stage.read_lines

    def counted(store: Store, dump: DumpFile) -> Iterator[HubBatch]:
        for batch in real(store, dump):
            seen.append(len(batch))
            yield batch

    monkeypatch.setattr(stage, "read_lines", counted)
    report = import_dump(memory_store, path, source="t", max_line_bytes=1024)
    assert sum(seen) >= 3_000  # DuckDB's batches were parsed before it failed
    assert report.models == 199_999 and memory_store.count("models") == 199_999
    assert memory_store.scalar("SELECT count(DISTINCT hf_id) FROM models") == 199_999
    ((row, _, message),) = _warnings(memory_store)
    assert row == 190_001 and message.startswith("not valid UTF-8")


def test_a_line_longer_than_every_chunk_is_dropped_as_it_streams(tmp_path: Path) -> None:
    # Chunks of 16 KiB, a cap of 64 KiB: the long line spans many chunks and is never held;
    # the last line, over the cap too, ends the file without a newline.
    path = tmp_path / "long.jsonl"
    with path.open("wb") as out:
        out.write(_line("org/before"))
        out.write(b'{"id": "org/huge", "x": "' + b"a" * (3 << 20) + b'"}\n')
        out.write(_line("org/after"))
        out.write(b'{"id": "org/tail", "x": "' + b"b" * (200 << 10) + b'"}')
    reader = JsonLines(path, max_line_bytes=64 << 10, chunk_bytes=16 << 10)
    rows: list[int] = []
    warned: list[int | None] = []
    for batch in reader.batches():
        rows += batch.rows.to_pylist()
        assert batch.docs is None or all(len(d) <= 64 << 10 for d in batch.docs.to_pylist())
        warned += [w.row for w in batch.warnings]
    assert rows == [1, 3] and warned == [2, 4]
    store = Store.memory()
    import_dump(store, path, source="t", max_line_bytes=64 << 10)
    assert _models(store) == ["org/after", "org/before"]


def test_wrong_typed_values_are_named_and_never_text(memory_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "typed.jsonl"
    path.write_text(
        '{"id": true}\n{"id": 5}\n{"id": ["org/in-a-list"]}\n{"id": {"a": 1}}\n'
        '{"id": "org/ok", "author": 5, "sha": {"a": 1}, "library_name": [1],'
        ' "cardData": {"license": 5, "base_model": 7}}\n'
    )
    import_dump(memory_store, path, source="t")
    assert _models(memory_store) == ["org/ok"]  # no model named "true", "5" ...
    warnings = _warnings(memory_store)
    assert [(row, field) for row, field, _ in warnings] == [
        (1, "id"), (2, "id"), (3, "id"), (4, "id"),
        (5, "author"), (5, "cardData.base_model"), (5, "cardData.license"),
        (5, "library_name"), (5, "sha"),
    ]  # fmt: skip
    assert all("row skipped" in m for _, f, m in warnings[:4])
    row = memory_store.query("SELECT author, sha, library_name, license FROM models")[0]
    # The author falls back to the id's owner; the other wrong values are dropped.
    assert row == {"author": "org", "sha": None, "library_name": None, "license": None}


# -- encodings --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "encoding",
    ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"],
)
def test_utf16_and_utf32_are_told_apart_and_read(tmp_path: Path, encoding: str) -> None:
    text = "".join(
        json.dumps({"id": f"org/m{i}", "cardData": {"license": "mit"}, "author": "Zoë"}) + "\n"
        for i in range(50)
    )
    path = tmp_path / f"{encoding}.jsonl"
    path.write_bytes(text.encode(encoding))
    store = Store.memory()
    assert import_dump(store, path).models == 50
    assert store.scalar("SELECT DISTINCT author FROM models") == "Zoë"


def test_an_unknown_encoding_says_so(memory_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_bytes(b"\x00{\x00\x00\x00\x00garbage\n")
    with pytest.raises(InputDataError, match="unknown text encoding"):
        import_dump(memory_store, path)


# -- bounded memory ---------------------------------------------------------------------------
# The child's own peak: VmHWM belongs to its address space, which exec starts afresh
# (ru_maxrss would start from this test process's size at the fork).
MEMORY_SCRIPT = """
import json, re, sys
from pathlib import Path
from robinet.store import Store
from robinet.store.hub import import_dump
report = import_dump(Store.memory(), sys.argv[1], source="t")
peak_kb = int(re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text())[1])
print(json.dumps({"models": report.models, "warnings": report.warnings, "peak_mb": peak_kb / 1024}))
"""


def test_a_huge_gzipped_line_costs_no_more_memory_than_a_short_one(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(_line("org/before"))
        out.write(b'{"id": "org/huge", "x": "')
        block = b"a" * (1 << 20)
        for _ in range(256):  # 256 MiB in one line, written streaming
            out.write(block)
        out.write(b'"}\n')
        out.write(_line("org/after"))
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["models"] == 2 and result["warnings"] == 1
    # The line alone is 256 MiB; the reader holds at most a chunk and the 16 MiB cap of it.
    assert result["peak_mb"] < 256, result


# -- the CSV's tags ---------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=12), max_size=8), st.sampled_from([list, tuple]))
def test_tag_lists_read_back_what_python_wrote(tags: list[str], kind: type) -> None:
    # The oracle is Python's own repr: what the CSV's writer produced.
    assert parse_tag_list(repr(kind(tags))) == tags


@pytest.mark.parametrize("text", ["[1, 2]", "['a' 'b']", "['a'", "a, b", "[['a']]", "{'a'}"])
def test_not_a_list_of_strings_is_none(text: str) -> None:
    assert parse_tag_list(text) is None


def test_tags_of_the_real_csv_read_as_literal_eval_reads_them() -> None:
    csv.field_size_limit(1 << 24)
    with REAL_CSV.open(newline="", encoding="utf-8") as handle:
        expected = [ast.literal_eval(row["tags"]) for row in csv.DictReader(handle)]
    got = [record["tags"] for record in read_top_models_csv(REAL_CSV)]
    assert got == expected and len(got) == 9715


def test_an_over_long_csv_line_is_a_warning_and_the_rest_imports(
    memory_store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "top.csv"
    path.write_text(
        "modelId,author,tags\n"
        "org/a,org,\"['license:mit']\"\n"
        f'org/big,org,"[{", ".join(["x"] * 5000)}]"\n'
        "org/b,org,\"['license:apache-2.0']\"\n"
    )
    import_dump(memory_store, path, source="t", max_line_bytes=4096)
    assert _models(memory_store) == ["org/a", "org/b"]
    ((row, field, message),) = _warnings(memory_store)
    assert (row, field) == (2, None) and "line 3 is over the 4,096-byte cap" in message
    licenses = dict(memory_store.con.execute("SELECT hf_id, license FROM models").fetchall())
    assert licenses == {"org/a": "mit", "org/b": "apache-2.0"}


# -- the live sync ----------------------------------------------------------------------------
@pytest.fixture
def hub() -> Iterator[FakeHub]:
    fake = FakeHub(load())
    install(fake)
    yield fake
    uninstall()


def test_a_listing_that_repeats_its_cursor_is_a_source_error(hub: FakeHub) -> None:
    first: dict[str, str] = {}

    def same_cursor(request: httpx2.Request) -> httpx2.Response | None:
        if request.url.path != "/api/models":
            return None
        answer = hub._list(request)
        # Every page points at the second page: the second page points at itself.
        link = answer.headers.get("link")
        if link:
            first.setdefault("link", link)
        return httpx2.Response(200, json=json.loads(answer.content), headers=first)

    hub.fail = same_cursor
    store = Store.memory()
    with pytest.raises(SourceError, match="already read"):
        sync_hub(store, authors=["deepseek-ai"], client=HubClient(sleep=lambda s: None))
    assert len([u for u in hub.requests if "/api/models" in u]) == 2  # not forever
    assert store.count("models") == 2  # the first page, committed with its checkpoint
    assert store.meta("lineage_dirty") == "1"  # no rebuild ran: the store says it is stale


# -- a read-only store ------------------------------------------------------------------------
_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def _without_dac_override() -> None:
    """In the child: drop root's power to write where permissions say no (as any user)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)


READ_ONLY_SCRIPT = """
import json, sys
from robinet.errors import RobinetError
from robinet.store import Store
from robinet.store.hub import import_dump
store = Store.open(sys.argv[1])
try:
    import_dump(store, sys.argv[2], source="t")
except RobinetError as exc:
    print(json.dumps({"error": type(exc).__name__, "message": exc.message}))
"""


def test_a_read_only_store_folder_fails_before_the_import(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    db = folder / "s.duckdb"
    with Store.open(db) as store:
        store.con.execute("CHECKPOINT")
    dump = tmp_path / "d.jsonl"
    dump.write_bytes(_line("org/a"))
    dump.chmod(0)  # unreadable: reading it first would fail differently
    folder.chmod(0o555)
    try:
        done = subprocess.run(
            [sys.executable, "-c", READ_ONLY_SCRIPT, str(db), str(dump)],
            capture_output=True,
            text=True,
            preexec_fn=_without_dac_override if os.geteuid() == 0 else None,
        )
    finally:
        folder.chmod(0o755)
        dump.chmod(0o644)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["error"] == StoreError.__name__
    assert f"the folder {folder} of the store s.duckdb is not writable" in result["message"]
