"""Live sync when the network or the Hub fails: no connection is not a 429, 5xx is bounded,
`HF_HUB_OFFLINE=1` fails at once, and progress reaches stderr whether or not it is a terminal.

All through `huggingface_hub`'s mock transport (tests/lineage/fakehub.py): a handler that raises
`httpx2.ConnectError` is what the HTTP client raises when DNS or the connection fails.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2
import huggingface_hub.constants
import pytest
from tests.lineage.fakehub import FakeHub, install, load, page_of, rate_limited, uninstall
from typer.testing import CliRunner

from robinet.cli import app
from robinet.errors import SourceError
from robinet.sources.hub_sync import HubClient
from robinet.store import Store
from robinet.store.hub import import_records, sync_hub

FAKEHUB = Path(__file__).resolve().parent / "fakehub.py"
DNS = "[Errno -2] Name or service not known"


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    fake = FakeHub(load())
    install(fake)
    yield fake
    uninstall()


def _client(sleeps: list[float], progress: list[str] | None = None) -> HubClient:
    """The default retry policy, with sleeps recorded instead of slept."""
    return HubClient(sleep=sleeps.append, progress=None if progress is None else progress.append)


def _raise(exc: Exception) -> Callable[[httpx2.Request], httpx2.Response | None]:
    def fail(request: httpx2.Request) -> httpx2.Response | None:
        raise exc

    return fail


def _seeded(path: Path) -> Path:
    with Store.open(path) as store:  # not empty: the bundled snapshot is not loaded
        import_records(store, [{"id": "seed/model"}], source="seed")
    return path


# -- no connection ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "exc",
    [
        httpx2.ConnectError(DNS),
        httpx2.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
        httpx2.ConnectTimeout("timed out"),
        httpx2.ReadTimeout("The read operation timed out"),
        httpx2.RemoteProtocolError("Server disconnected without sending a response."),
    ],
    ids=["dns", "tls", "connect-timeout", "read-timeout", "dropped"],
)
def test_no_connection_is_not_a_rate_limit(hub: FakeHub, exc: Exception) -> None:
    hub.fail = _raise(exc)
    sleeps: list[float] = []
    progress: list[str] = []
    with pytest.raises(SourceError) as raised:
        sync_hub(Store.memory(), authors=["deepseek-ai"], client=_client(sleeps, progress))
    error = raised.value
    assert error.exit_code == 3
    assert error.message.startswith(f"cannot reach huggingface.co ({type(exc).__name__}: ")
    assert error.message.endswith("; check the network, or import a dump with --from FILE")
    assert sleeps == [0.5, 1.0]  # two quick retries, not minutes of backoff
    assert len([u for u in hub.requests if "/api/models" in u]) == 3
    waits = [p for p in progress if p.startswith("waiting")]
    assert waits == [
        f"waiting 0.5s: cannot reach huggingface.co ({type(exc).__name__}: {exc}), retry 1 of 2",
        f"waiting 1s: cannot reach huggingface.co ({type(exc).__name__}: {exc}), retry 2 of 2",
    ]
    assert not any("rate limited" in p for p in progress)


def test_an_unusable_answer_is_not_retried(hub: FakeHub) -> None:
    hub.fail = _raise(httpx2.TooManyRedirects("Exceeded maximum allowed redirects."))
    sleeps: list[float] = []
    with pytest.raises(SourceError, match=r"unusable \(TooManyRedirects: Exceeded") as raised:
        sync_hub(Store.memory(), authors=["deepseek-ai"], client=_client(sleeps))
    assert raised.value.exit_code == 3 and sleeps == []


def test_a_connection_that_comes_back_is_one_retry(hub: FakeHub) -> None:
    failures = iter([httpx2.ConnectError(DNS)])

    def flaky(request: httpx2.Request) -> httpx2.Response | None:
        exc = next(failures, None)
        if exc is not None:
            raise exc
        return None

    hub.fail = flaky
    sleeps: list[float] = []
    report = sync_hub(Store.memory(), authors=["deepseek-ai"], client=_client(sleeps))
    assert sleeps == [0.5] and report.retries == 1 and report.models == 4


def test_connection_lost_mid_run_keeps_the_checkpoint(hub: FakeHub) -> None:
    def cut(request: httpx2.Request) -> httpx2.Response | None:
        if page_of(request) == 2:
            raise httpx2.ConnectError(DNS)
        return None

    hub.fail = cut
    store = Store.memory()
    with pytest.raises(SourceError, match="cannot reach"):
        sync_hub(store, authors=["deepseek-ai"], client=_client([]))
    assert store.count("models") == 2  # page 1 committed with its cursor
    assert page_of(store.scalar("SELECT cursor FROM hub_sync_state")) == 2
    hub.fail = None
    hub.requests.clear()
    report = sync_hub(store, authors=["deepseek-ai"], client=_client([]))
    assert report.resumed and report.models == 2
    assert all(page_of(u) == 2 for u in hub.requests if "/api/models" in u)
    assert store.count("models") == 4


# -- 5xx and 429 ------------------------------------------------------------------------------
def test_5xx_backoff_is_bounded(hub: FakeHub) -> None:
    hub.fail = lambda request: httpx2.Response(502, text="Bad Gateway")
    sleeps: list[float] = []
    progress: list[str] = []
    with pytest.raises(SourceError) as raised:
        sync_hub(Store.memory(), authors=["deepseek-ai"], client=_client(sleeps, progress))
    assert sleeps == [1.0, 2.0, 4.0, 8.0]  # 15 s in all, then give up
    assert raised.value.exit_code == 3
    assert "huggingface.co answered 502" in raised.value.message
    assert "import a dump with --from FILE" in raised.value.message
    assert progress[-1] == "waiting 8s: huggingface.co answered 502, retry 4 of 4"


def test_5xx_retry_after_is_capped(hub: FakeHub) -> None:
    answers = iter([httpx2.Response(503, headers={"Retry-After": "3600"})] * 2)
    hub.fail = lambda request: next(answers, None)
    sleeps: list[float] = []
    report = sync_hub(Store.memory(), authors=["deepseek-ai"], client=_client(sleeps))
    assert sleeps == [30.0, 30.0] and report.models == 4


def test_429_keeps_its_own_longer_budget(hub: FakeHub) -> None:
    # Six 429s are more than the 5xx budget (4) but within the rate-limit one (8).
    answers = iter([rate_limited("api", reset=55)] * 6)
    hub.fail = lambda request: next(answers, None) if request.url.path == "/api/models" else None
    sleeps: list[float] = []
    progress: list[str] = []
    report = sync_hub(Store.memory(), authors=["deepseek-ai"], client=_client(sleeps, progress))
    assert sleeps == [56.0] * 6 and report.models == 4
    assert "waiting 56s: rate limited by huggingface.co (429: its window resets), retry 1 of 8" in (
        progress
    )


# -- HF_HUB_OFFLINE ---------------------------------------------------------------------------
def test_offline_mode_fails_at_once(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    store = Store.memory()
    sleeps: list[float] = []
    with pytest.raises(SourceError) as raised:
        sync_hub(store, authors=["deepseek-ai"], client=_client(sleeps))
    assert raised.value.exit_code == 3
    assert "HF_HUB_OFFLINE" in raised.value.message
    assert "--from FILE" in (raised.value.hint or "")
    assert not [u for u in hub.requests if "/api/models" in u] and sleeps == []
    assert store.count("models") == 0


def test_offline_mode_command(tmp_path: Path) -> None:
    """The environment variable itself, in a fresh process: exit 3 at once, no store created."""
    db = tmp_path / "offline.duckdb"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "robinet", "sync", "hub", "--author", "meta-llama", "--limit",
         "2", "--db", str(db), "--json"],
        capture_output=True, text=True, timeout=60, env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert time.monotonic() - started < 30
    error = json.loads(done.stdout)["error"]  # --json: the error is the one JSON document
    assert error["code"] == "source"
    assert "HF_HUB_OFFLINE is set" in error["message"] and "--from FILE" in error["hint"]
    assert not db.exists()


# -- the command: progress and errors ---------------------------------------------------------
def test_progress_lines_when_stderr_is_not_a_terminal(hub: FakeHub, tmp_path: Path) -> None:
    answers = iter([httpx2.Response(429, headers={"Retry-After": "0"})])
    hub.fail = lambda request: next(answers, None) if request.url.path == "/api/models" else None
    db = _seeded(tmp_path / "live.duckdb")
    result = CliRunner().invoke(
        app, ["sync", "hub", "--author", "deepseek-ai", "--db", str(db), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["models"] == 4  # stdout: one JSON document, nothing else
    assert result.stderr.splitlines() == [
        "syncing from the Hub…",
        "author:deepseek-ai: listing models",
        "waiting 0s: rate limited by huggingface.co (429), retry 1 of 8",
        "author:deepseek-ai: page 1, 2 models so far",
        "author:deepseek-ai: page 2, 4 models so far",
        "4 models synced; rebuilding lineage",
    ]


def test_no_connection_command_exits_3_quickly(hub: FakeHub, tmp_path: Path) -> None:
    hub.fail = _raise(httpx2.ConnectError(DNS))
    db = _seeded(tmp_path / "live.duckdb")
    started = time.monotonic()
    result = CliRunner().invoke(
        app, ["sync", "hub", "--author", "meta-llama", "--limit", "2", "--db", str(db), "--json"]
    )
    assert time.monotonic() - started < 10  # 0.5 s + 1 s of real waits
    assert result.exit_code == 3
    error = json.loads(result.stdout)["error"]  # --json: the error is the one JSON document
    assert error["code"] == "source"
    assert error["message"].startswith(
        f"cannot reach huggingface.co (ConnectError: {DNS}); check the network"
    )
    stderr = " ".join(result.stderr.split())
    assert "waiting 0.5s: cannot reach huggingface.co" in stderr
    assert "rate limited" not in stderr


TTY_SCRIPT = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("fakehub", sys.argv[1])
fake = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fake)
fake.install(fake.FakeHub(fake.load()))
from robinet.cli import main
sys.argv = ["robinet", "sync", "hub", "--author", "deepseek-ai", "--db", sys.argv[2], "--json"]
main()
"""


def test_a_terminal_gets_the_rich_status_not_lines(tmp_path: Path) -> None:
    db = _seeded(tmp_path / "tty.duckdb")
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        env.pop(name, None)
    proc = subprocess.Popen(
        [sys.executable, "-c", TTY_SCRIPT, str(FAKEHUB), str(db)],
        stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    os.close(slave)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    stdout, _ = proc.communicate(timeout=120)
    reader.join(timeout=10)
    os.close(master)
    terminal = b"".join(chunks).decode(errors="replace")
    assert proc.returncode == 0, terminal
    assert json.loads(stdout)["models"] == 4
    assert "\x1b[?25l" in terminal  # rich's live status hides the cursor while it spins
    assert "author:deepseek-ai: page 1, 2 models so far\r\n" not in terminal
