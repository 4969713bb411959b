"""Live sync against a fake Hub behind `huggingface_hub`'s mock transport: pages, 429 with
Retry-After, `license: other` files, incremental runs, interruption and `kill -9` resume.

The responses follow the Hub API's shape (tests/fixtures/lineage/hub_api/models.json); the
fake (tests/lineage/fakehub.py) serves them like `GET /api/models` does: newest
`lastModified` first, paginated by an opaque cursor in the `Link: <...>; rel="next"` header.
The shapes of other payloads, and the Hub's own 429, are in test_lineage_sync_shapes.py.
"""

from __future__ import annotations

import copy
import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from tests.lineage.fakehub import FakeHub, install, load, page_of, uninstall

from robinet.errors import SourceError
from robinet.sources.hub_sync import HubClient, retry_after
from robinet.store import Store
from robinet.store.hub import sync_hub

FAKEHUB = Path(__file__).resolve().parent / "fakehub.py"


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    fake = FakeHub(load())
    install(fake)
    yield fake
    uninstall()


def _client(sleeps: list[float]) -> HubClient:
    return HubClient(sleep=sleeps.append, max_retries=3)


def _ids(store: Store) -> list[str]:
    return [r[0] for r in store.con.execute("SELECT hf_id FROM models ORDER BY 1").fetchall()]


def test_author_sync_pages_licenses_and_lineage(hub: FakeHub) -> None:
    store = Store.memory()
    sleeps: list[float] = []
    report = sync_hub(store, authors=["deepseek-ai"], client=_client(sleeps))
    assert report.models == 4 and report.pages == 2
    assert _ids(store) == [
        "deepseek-ai/DeepSeek-V2-Lite", "deepseek-ai/DeepSeek-V2-Lite-Chat",
        "deepseek-ai/deepseek-coder-6.7b-base", "deepseek-ai/deepseek-coder-6.7b-instruct",
    ]  # fmt: skip
    # `license: other` -> LICENSE fetched at the pinned sha and identified.
    lite = "deepseek-ai/DeepSeek-V2-Lite"
    assert any(f"/{lite}/resolve/604d5664dddd88a0433dbae533b7fe9472482de0/LICENSE" in u
               for u in hub.requests)  # fmt: skip
    assert report.licenses_fetched == 4 and report.licenses_identified == 4
    assert store.scalar("SELECT license_id FROM models WHERE hf_id = ?", [lite]) == (
        "deepseek-la-1.0"
    )
    refs = store.query(
        "SELECT license_id, file FROM license_refs WHERE subject = ? AND source = ?",
        [lite, "hf-hub-license-file"],
    )
    assert refs[0]["license_id"] == "deepseek-la-1.0"
    assert refs[0]["file"].endswith("/LICENSE")
    edge = store.query("SELECT parent, relation FROM edges WHERE child = ?", [f"{lite}-Chat"])
    assert edge == [{"parent": lite, "relation": "finetune"}]
    assert report.lineage.with_declared_lineage == 2
    assert sleeps == []


def test_429_is_retried_after_retry_after(hub: FakeHub) -> None:
    calls = {"n": 0}

    def throttle(request: httpx2.Request) -> httpx2.Response | None:
        if request.url.path == "/api/models" and calls["n"] < 2:
            calls["n"] += 1
            return httpx2.Response(429, headers={"Retry-After": "7"}, json={"error": "slow"})
        return None

    hub.fail = throttle
    sleeps: list[float] = []
    store = Store.memory()
    report = sync_hub(store, authors=["deepseek-ai"], client=_client(sleeps))
    assert sleeps == [7.0, 7.0]
    assert report.retries == 2
    assert report.models == 4


def test_backoff_without_retry_after_and_giving_up(hub: FakeHub) -> None:
    hub.fail = lambda request: httpx2.Response(503, json={"error": "down"})
    sleeps: list[float] = []
    with pytest.raises(SourceError, match="503"):
        sync_hub(Store.memory(), authors=["deepseek-ai"], client=_client(sleeps))
    assert sleeps == [1.0, 2.0, 4.0]


def test_retry_after_parsing() -> None:
    assert retry_after("12") == 12.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: no wait
    assert retry_after("soon") is None
    assert retry_after(None) is None


def test_second_run_is_incremental(hub: FakeHub) -> None:
    store = Store.memory()
    sync_hub(store, authors=["deepseek-ai"], client=_client([]))
    watermark = store.scalar(
        "SELECT watermark FROM hub_sync_state WHERE key = 'author:deepseek-ai'"
    )
    assert watermark == "2024-06-25T09:13:02.000Z"
    newer = copy.deepcopy(hub.models[2])
    newer.update(id="deepseek-ai/deepseek-coder-1.3b-base", lastModified="2024-07-01T00:00:00.000Z")
    hub.models.append(newer)
    hub.requests.clear()
    report = sync_hub(store, authors=["deepseek-ai"], client=_client([]))
    assert report.models == 1 and report.pages == 1
    assert len([u for u in hub.requests if "/api/models" in u]) == 1
    assert store.count("models") == 5
    # --full ignores the watermark.
    assert sync_hub(store, authors=["deepseek-ai"], full=True, client=_client([])).models == 5


def test_limit_does_not_move_the_watermark(hub: FakeHub) -> None:
    store = Store.memory()
    report = sync_hub(store, authors=["deepseek-ai"], limit=1, client=_client([]))
    assert report.models == 1 and store.count("models") == 1
    assert store.query("SELECT cursor, watermark FROM hub_sync_state") == [
        {"cursor": None, "watermark": None}
    ]
    # The next run is not limited: it fetches what the first one left.
    assert sync_hub(store, authors=["deepseek-ai"], client=_client([])).models == 4
    assert store.count("models") == 4


def test_interrupted_run_resumes_where_it_stopped(hub: FakeHub) -> None:
    hub.fail = lambda r: httpx2.Response(500) if page_of(r) == 2 else None
    store = Store.memory()
    with pytest.raises(SourceError):
        sync_hub(store, authors=["deepseek-ai"], client=_client([]))
    state = store.query("SELECT * FROM hub_sync_state")[0]
    assert page_of(state["cursor"]) == 2 and state["pages"] == 1
    assert store.count("models") == 2  # page 1 committed
    hub.fail = None
    hub.requests.clear()
    report = sync_hub(store, authors=["deepseek-ai"], client=_client([]))
    assert report.resumed
    assert all(page_of(u) == 2 for u in hub.requests if "/api/models" in u)
    assert store.count("models") == 4
    assert store.query("SELECT cursor FROM hub_sync_state") == [{"cursor": None}]


KILL_SCRIPT = """
import importlib.util, os, signal, sys
spec = importlib.util.spec_from_file_location("fakehub", sys.argv[1])
fake = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fake)
hub = fake.FakeHub(fake.load(), page_size=1)
def die(request):
    if fake.page_of(request) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
hub.fail = die
fake.install(hub)
from robinet.store import Store
from robinet.store.hub import sync_hub
store = Store.open(sys.argv[2])
sync_hub(store, authors=["deepseek-ai"])
"""


def test_kill_9_loses_and_duplicates_nothing(hub: FakeHub, tmp_path: Path) -> None:
    db = tmp_path / "sync.duckdb"
    done = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, str(FAKEHUB), str(db)],
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()[-2000:]
    with Store.open(db) as store:
        assert store.count("models") == 3  # pages 0, 1, 2 committed, one model each
        assert page_of(store.scalar("SELECT cursor FROM hub_sync_state")) == 3
        # Each page's commit marked the derived lineage tables stale; no rebuild ran.
        assert store.meta("lineage_dirty") == "1"
        hub.page_size = 1
        report = sync_hub(store, authors=["deepseek-ai"], client=_client([]))
        assert report.resumed and report.models == 1
        assert store.count("models") == 4
        assert store.scalar("SELECT count(DISTINCT hf_id) FROM models") == 4
        assert store.meta("lineage_dirty") == "0"  # the final rebuild cleared the mark
        dupes = store.scalar(
            "SELECT count(*) FROM (SELECT subject, source FROM license_refs "
            "GROUP BY ALL HAVING count(*) > 1)"
        )
        assert dupes == 0
        assert store.scalar("SELECT count(*) FROM edges") == 2


def test_family_sync_follows_children(hub: FakeHub) -> None:
    store = Store.memory()
    report = sync_hub(store, family="deepseek-ai/deepseek-coder-6.7b-base", client=_client([]))
    assert _ids(store) == [
        "TheBloke/deepseek-coder-6.7B-instruct-GGUF", "deepseek-ai/deepseek-coder-6.7b-base",
        "deepseek-ai/deepseek-coder-6.7b-instruct",
    ]  # fmt: skip
    assert report.models == 3
    assert "children:deepseek-ai/deepseek-coder-6.7b-instruct" in report.queries
    chain = store.query(
        "SELECT ancestor, depth FROM lineage_closure WHERE model = ? ORDER BY depth",
        ["TheBloke/deepseek-coder-6.7B-instruct-GGUF"],
    )
    assert [c["ancestor"] for c in chain] == [
        "deepseek-ai/deepseek-coder-6.7b-instruct", "deepseek-ai/deepseek-coder-6.7b-base",
    ]  # fmt: skip


def test_nothing_to_sync_is_a_usage_error() -> None:
    from robinet.errors import UsageError

    with pytest.raises(UsageError):
        sync_hub(Store.memory())


def test_sync_hub_command_live(hub: FakeHub, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from robinet.cli import app
    from robinet.store.hub import import_records

    db = tmp_path / "live.duckdb"
    with Store.open(db) as store:  # not empty: the bundled snapshot is not loaded
        import_records(store, [{"id": "seed/model"}], source="seed")
    result = CliRunner().invoke(
        app, ["sync", "hub", "--author", "deepseek-ai", "--db", str(db), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["models"] == 4 and data["queries"] == ["author:deepseek-ai"]
    assert data["licenses_identified"] == 4
    assert data["lineage"]["models"] == 5


def test_the_gate_after_a_failed_live_sync_says_stale_and_repair_fixes_it(
    hub: FakeHub, tmp_path: Path
) -> None:
    """Hardening #2, the exact sequence: a Hub 503 mid-sync commits page 1 and leaves the
    lineage unbuilt; `lineage`/`check`/`conflicts` on that store (read-only) exit 3 naming the
    repair, never 4; after `robinet store repair` they answer."""
    from typer.testing import CliRunner

    from robinet.cli import app

    path = tmp_path / "gate.duckdb"
    hub.fail = lambda r: httpx2.Response(503, json={"error": "down"}) if page_of(r) == 2 else None
    with Store.open(path) as store, pytest.raises(SourceError):
        sync_hub(store, authors=["deepseek-ai"], client=_client([]))
    with Store.open(path, read_only=True) as store:
        committed = _ids(store)
    assert committed  # page 1 is in the store, its lineage is not
    runner = CliRunner()
    model = committed[0]
    for args in (["lineage", model], ["check", model], ["conflicts"]):
        result = runner.invoke(app, [*args, "--db", str(path), "--json"])
        assert result.exit_code == 3, result.output
        error = json.loads(result.stdout)["error"]
        assert error["code"] == "stale_store" and "robinet store repair" in error["hint"]
    repaired = runner.invoke(app, ["store", "repair", "--db", str(path), "--json"])
    assert repaired.exit_code == 0, repaired.output
    assert json.loads(repaired.stdout)["was_stale"] is True
    after = runner.invoke(app, ["lineage", model, "--db", str(path), "--json"])
    assert after.exit_code == 0, after.output
    assert json.loads(after.stdout)["model"] == model
