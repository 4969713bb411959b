"""Live sync against payloads in the Hub's confirmed shapes (tests/fixtures/lineage/README.md).

- the listing request huggingface_hub would make, and `Link` pagination with an opaque cursor;
- the Hub's 429 (`RateLimit: "api";r=0;t=55`), a proxy's 429 (`Retry-After`), and a 429 on the
  `resolvers` bucket while fetching a license file;
- `cardData.base_model` as a string and as a list, `base_model_relation`, the Hub's own
  `base_model:<relation>:<id>` tags, `config.peft`, the `gguf` block, `gated` "manual"/"auto",
  `license` as a list, and `license: other` files named by a Hub URL, split in LICENSE-MODEL /
  LICENSE-CODE, or behind a gate.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from collections.abc import Iterator

import httpx2
import pytest
from huggingface_hub import ModelInfo
from tests.lineage.fakehub import (
    SHAPES,
    FakeHub,
    install,
    load,
    page_of,
    rate_headers,
    rate_limited,
    uninstall,
)

from robinet.errors import SourceError
from robinet.sources.hub_sync import EXPAND, HubClient, rate_limit_reset
from robinet.store import Store
from robinet.store.hub import import_records, sync_hub

LLAMA = "meta-llama/Llama-3.1-8B"


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    fake = FakeHub(load(SHAPES), page_size=4)
    install(fake)
    yield fake
    uninstall()


def _client(sleeps: list[float], retries: int = 3) -> HubClient:
    return HubClient(sleep=sleeps.append, max_retries=retries)


def _listings(hub: FakeHub) -> list[httpx2.URL]:
    return [httpx2.URL(u) for u in hub.requests if httpx2.URL(u).path == "/api/models"]


# -- the listing and its pages ----------------------------------------------------------------
def test_listing_asks_what_huggingface_hub_asks_and_follows_link(hub: FakeHub) -> None:
    report = sync_hub(Store.memory(), everything=True, client=_client([]))
    assert report.models == 9 and report.pages == 3
    first, *following = _listings(hub)
    assert first.params["sort"] == "lastModified" and first.params["limit"] == "1000"
    assert "direction" not in first.params  # the Hub ignores it; huggingface_hub dropped it
    assert sorted(first.params.get_list("expand[]")) == sorted(EXPAND)
    assert "cursor" not in first.params
    # Each next page is the `Link` URL as given: same parameters, plus the opaque cursor.
    assert [page_of(u) for u in following] == [4, 8]
    for url in following:
        assert url.params.get_list("expand[]") == first.params.get_list("expand[]")
        assert url.params["sort"] == "lastModified"


def test_listing_refuses_detail_only_expansions(hub: FakeHub) -> None:
    # `baseModels`, `childrenModelCount`, `usedStorage` exist only on GET /api/models/{id}.
    assert not {"baseModels", "childrenModelCount", "usedStorage"} & set(EXPAND)


# -- rate limits ------------------------------------------------------------------------------
def test_hub_429_waits_for_the_reset_of_its_window(hub: FakeHub) -> None:
    calls = {"n": 0}

    def throttle(request: httpx2.Request) -> httpx2.Response | None:
        if request.url.path == "/api/models" and calls["n"] < 1:
            calls["n"] += 1
            return rate_limited("api", reset=55)
        return None

    hub.fail = throttle
    sleeps: list[float] = []
    progress: list[str] = []
    client = HubClient(sleep=sleeps.append, max_retries=3, progress=progress.append)
    report = sync_hub(Store.memory(), authors=["split-lab"], client=client)
    assert sleeps == [56.0]  # t=55, plus one second to land after the reset
    assert report.retries == 1 and report.models == 1
    assert "waiting 56s" in progress[0]


def test_429_on_the_resolvers_bucket_while_fetching_a_license(hub: FakeHub) -> None:
    calls = {"n": 0}

    def throttle(request: httpx2.Request) -> httpx2.Response | None:
        if "/resolve/" in request.url.path and calls["n"] < 2:
            calls["n"] += 1
            return rate_limited("resolvers", reset=10)
        return None

    hub.fail = throttle
    sleeps: list[float] = []
    report = sync_hub(Store.memory(), authors=["qwen-like"], client=_client(sleeps))
    assert sleeps == [11.0, 11.0]
    assert report.licenses_fetched == 1 and report.licenses_identified == 1


def test_a_proxy_429_with_retry_after_in_seconds_or_as_a_date(hub: FakeHub) -> None:
    when = email.utils.format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30), True)
    answers = iter(
        [
            httpx2.Response(429, headers={"Retry-After": "7"}),
            httpx2.Response(429, headers={"Retry-After": when}),
        ]
    )
    hub.fail = lambda r: next(answers, None) if r.url.path == "/api/models" else None
    sleeps: list[float] = []
    sync_hub(Store.memory(), authors=["split-lab"], client=_client(sleeps))
    assert sleeps[0] == 7.0 and 20.0 < sleeps[1] <= 30.0


def test_ratelimit_header_of_a_429_it_did_not_cause_is_not_a_wait(hub: FakeHub) -> None:
    # Every answer carries `RateLimit`; with requests left (r>0) it is not why the 429 came.
    answers = iter(
        [
            httpx2.Response(429, headers={**rate_headers("api", remaining=12, reset=200)}),
            httpx2.Response(
                429, headers={**rate_headers("api", remaining=3, reset=200), "Retry-After": "4"}
            ),
        ]
    )
    hub.fail = lambda r: next(answers, None) if r.url.path == "/api/models" else None
    sleeps: list[float] = []
    sync_hub(Store.memory(), authors=["split-lab"], client=_client(sleeps))
    assert sleeps == [1.0, 4.0]  # backoff, then Retry-After


def test_rate_limit_reset_parsing() -> None:
    assert rate_limit_reset(rate_limited("pages", reset=0)) == 1.0
    assert rate_limit_reset(httpx2.Response(429, headers=rate_headers(remaining=1))) is None
    assert rate_limit_reset(httpx2.Response(429)) is None
    assert rate_limit_reset(httpx2.Response(429, headers={"RateLimit": "garbage"})) is None


def test_giving_up_on_429_says_a_token_helps(hub: FakeHub) -> None:
    hub.fail = lambda r: rate_limited("api", reset=1)
    sleeps: list[float] = []
    with pytest.raises(SourceError) as raised:
        sync_hub(Store.memory(), authors=["split-lab"], client=_client(sleeps, retries=2))
    assert sleeps == [2.0, 2.0]
    assert "429" in str(raised.value) and "HF_TOKEN" in (raised.value.hint or "")


# -- payload shapes ---------------------------------------------------------------------------
@pytest.fixture
def synced(hub: FakeHub) -> tuple[Store, FakeHub, list[str]]:
    store = Store.memory()
    report = sync_hub(store, everything=True, client=_client([]))
    return store, hub, report.warnings


def _edges(store: Store, child: str) -> list[tuple[str, str]]:
    rows = store.con.execute(
        "SELECT parent, relation FROM edges WHERE child = ? AND origin <> 'robinet-inference' "
        "ORDER BY parent",
        [child],
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def test_declared_lineage_from_each_real_shape(synced: tuple[Store, FakeHub, list[str]]) -> None:
    store, _, _ = synced
    # card base_model (string) + base_model_relation + base_model:finetune: tag
    assert _edges(store, "nc-lab/Research-Llama-3.1-8B") == [(LLAMA, "finetune")]
    # card without relation; the Hub's base_model:adapter: tag and config.peft say adapter
    assert _edges(store, "lora-lab/llama-3.1-8b-sql-lora") == [(LLAMA, "adapter")]
    # card base_model as a list of one + base_model_relation: quantized; a `gguf` block
    assert _edges(store, "quant-lab/Llama-3.1-8B-GGUF") == [(LLAMA, "quantized")]
    # card base_model as a list of two, the Hub's base_model:merge: tags
    assert _edges(store, "merge-lab/Llama-3.1-8B-Slerp") == [
        (LLAMA, "merge"),
        ("nc-lab/Research-Llama-3.1-8B", "merge"),
    ]
    evidence = store.scalar(
        "SELECT evidence FROM edges WHERE child = ?", ["lora-lab/llama-3.1-8b-sql-lora"]
    )
    assert "adapter_config" in evidence and "base_model:adapter:" in evidence
    ancestors = store.con.execute(
        "SELECT DISTINCT ancestor FROM lineage_closure WHERE model = ? ORDER BY 1",
        ["merge-lab/Llama-3.1-8B-Slerp"],
    ).fetchall()
    assert [a[0] for a in ancestors] == [LLAMA, "nc-lab/Research-Llama-3.1-8B"]


def test_gated_license_lists_and_known_fields(synced: tuple[Store, FakeHub, list[str]]) -> None:
    store, _, _ = synced
    gated = dict(store.con.execute("SELECT hf_id, gated FROM models").fetchall())
    assert gated[LLAMA] == "manual" and gated["gate-lab/Restricted-7B"] == "auto"
    assert gated["multi-lab/Dual-1B"] is None  # `false` is not gated
    assert store.scalar("SELECT license FROM models WHERE hf_id = 'multi-lab/Dual-1B'") == (
        "mit OR apache-2.0"
    )
    # Every field of these payloads is one the import knows: nothing reported.
    assert store.query("SELECT field, message FROM import_warnings") == []


def test_license_other_files_as_repos_name_them(synced: tuple[Store, FakeHub, list[str]]) -> None:
    store, hub, warnings = synced
    resolved = sorted(httpx2.URL(u).path for u in hub.requests if "/resolve/" in u)
    assert resolved == [
        f"/gate-lab/Restricted-7B/resolve/{'08' * 20}/LICENSE.md",  # card license_link
        f"/qwen-like/Chat-72B/resolve/{'06' * 20}/LICENSE",  # a Hub URL to its own file
        f"/split-lab/Big-V3/resolve/{'07' * 20}/LICENSE-MODEL",  # the model's, not the code's
    ]
    refs = dict(
        store.con.execute(
            "SELECT subject, license_id FROM license_refs WHERE source = 'hf-hub-license-file'"
        ).fetchall()
    )
    assert refs == {"qwen-like/Chat-72B": "deepseek-la-1.0", "split-lab/Big-V3": "deepseek-la-1.0"}
    # The gated repo's file is refused until its terms are accepted: said, not hidden.
    assert warnings == [
        "gate-lab/Restricted-7B: LICENSE.md answered 403 (gated repo, auto approval: accept "
        "its terms on the Hub with the account of HF_TOKEN)"
    ]


def test_accepted_gate_is_fetched(hub: FakeHub) -> None:
    hub.accepted.add("gate-lab/Restricted-7B")
    report = sync_hub(Store.memory(), authors=["gate-lab"], client=_client([]))
    assert report.warnings == [] and report.licenses_fetched == 1


def test_family_follows_the_hubs_plain_base_model_tags(hub: FakeHub) -> None:
    store = Store.memory()
    report = sync_hub(store, family=LLAMA, client=_client([]))
    ids = {r[0] for r in store.con.execute("SELECT hf_id FROM models").fetchall()}
    assert ids == {
        LLAMA, "nc-lab/Research-Llama-3.1-8B", "lora-lab/llama-3.1-8b-sql-lora",
        "quant-lab/Llama-3.1-8B-GGUF", "merge-lab/Llama-3.1-8B-Slerp",
    }  # fmt: skip
    assert report.models == 6  # the merge is listed under both of its parents; stored once
    filters = {u.params.get("filter") for u in _listings(hub)}
    assert f"base_model:{LLAMA}" in filters
    assert "base_model:nc-lab/Research-Llama-3.1-8B" in filters
    # The root was asked for once, with the same expansions, by GET /api/models/{id}.
    detail = [httpx2.URL(u) for u in hub.requests if httpx2.URL(u).path == f"/api/models/{LLAMA}"]
    assert len(detail) == 1 and sorted(detail[0].params.get_list("expand[]")) == sorted(EXPAND)


# -- the same shapes in a dump ----------------------------------------------------------------
def test_a_full_model_info_payload_imports_without_warnings() -> None:
    """GET /api/models/{id} without `expand`: `modelId`, `widgetData`, `transformersInfo`,
    `spaces`, `usedStorage`, `inference` ... and a `gguf` block with its chat template."""
    payload = json.loads((SHAPES.parent / "model_info.json").read_text())
    store = Store.memory()
    report = import_records(store, [payload], source="dump")
    assert report.models == 1 and report.warnings == 0
    assert _edges(store, payload["id"]) == [("meta-llama/Llama-3.1-8B-Instruct", "quantized")]
    # ModelInfo, read the way huggingface_hub reads it, agrees on the fields robinet keeps.
    info = ModelInfo(**payload)
    row = store.query("SELECT * FROM models")[0]
    assert row["sha"] == info.sha and row["downloads"] == info.downloads
    assert info.gguf is not None and info.gguf["architecture"] == "llama"
    assert info.created_at is not None
    assert row["created_at"] == info.created_at.replace(tzinfo=None)


def test_huggingface_hub_attribute_names_are_known_fields() -> None:
    """A dump written from `ModelInfo` objects uses their snake_case names."""
    record = {
        "id": "snake/case-model", "author": "snake", "created_at": "2024-01-01T00:00:00.000Z",
        "last_modified": "2024-02-01T00:00:00.000Z", "card_data": {"license": "mit"},
        "downloads_all_time": 10, "trending_score": 1, "used_storage": 5, "base_models": None,
        "children_model_count": 0, "transformers_info": None, "widget_data": None,
        "model_index": None, "eval_results": None, "resource_group": None,
        "inference_provider_mapping": None, "security_repo_status": None, "xetEnabled": True,
    }  # fmt: skip
    store = Store.memory()
    report = import_records(store, [record], source="dump")
    assert report.warnings == 0
    row = store.query("SELECT license, created_at FROM models")[0]
    assert row["license"] == "mit" and row["created_at"] == dt.datetime(2024, 1, 1)
