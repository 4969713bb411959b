"""Live evidence for any Hub model: a card fetched through huggingface_hub's mock transport,
stored with provenance, scored; offline, a NotFoundError saying how to fetch it.

The recorded payloads (tests/fixtures/openness/hub/models.json) have the shape of
`GET /api/models/{id}` without `expand`: the keys huggingface_hub's `ModelInfo.__init__` reads
(`_id`, `id`, `modelId`, `author`, `sha`, `lastModified`, `createdAt`, `private`, `gated`,
`disabled`, `downloads`, `likes`, `library_name`, `pipeline_tag`, `tags`, `cardData`,
`config`, `transformersInfo`, `siblings` [{`rfilename`}], `spaces`, `widgetData`,
`safetensors`, `usedStorage`, `inference`), as in tests/fixtures/lineage/hub_api/model_info.json
(see tests/fixtures/lineage/README.md for where each key was confirmed). Files are served at
`/{id}/resolve/{sha}/{file}`, 404 with `X-Error-Code: EntryNotFound` when missing. Ids, cards
and values are invented; the shapes are the Hub's.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx2
import pytest

from robinet.errors import NotFoundError
from robinet.openness.engine import openness, openness_json
from robinet.openness.live import openness_or_fetch
from robinet.openness.rubric import DIMENSIONS
from robinet.store import Store

HUB = Path(__file__).resolve().parent.parent / "fixtures" / "openness" / "hub"
LICENSE_TEXT = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "robinet"
    / "licenses"
    / "texts"
    / "apache-2.0.txt"
)


class RecordedHub:
    def __init__(self) -> None:
        self.models = {m["id"]: m for m in json.loads((HUB / "models.json").read_text())}
        self.files = {
            ("open-lab/Open-7B", "README.md"): (HUB / "Open-7B.README.md").read_text(),
            ("open-lab/Open-7B", "LICENSE"): LICENSE_TEXT.read_text(),
            ("shut-lab/Shut-7B", "README.md"): (HUB / "Shut-7B.README.md").read_text(),
        }
        self.requests: list[str] = []

    def handler(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request.url.path)
        path = request.url.path
        if path.startswith("/api/models/"):
            model = self.models.get(path.removeprefix("/api/models/"))
            if model is None:
                return httpx2.Response(
                    404,
                    json={"error": "Repository not found"},
                    headers={"X-Error-Code": "RepoNotFound"},
                )
            return httpx2.Response(200, json=model)
        repo, _, rest = path.strip("/").partition("/resolve/")
        sha, _, name = rest.partition("/")
        model = self.models.get(repo)
        text = self.files.get((repo, name))
        if model is None or sha != model["sha"] or text is None:
            return httpx2.Response(
                404, json={"error": "Entry not found"}, headers={"X-Error-Code": "EntryNotFound"}
            )
        return httpx2.Response(200, text=text)


@pytest.fixture
def hub():
    import huggingface_hub
    from huggingface_hub.utils._http import default_client_factory

    recorded = RecordedHub()
    huggingface_hub.set_client_factory(
        lambda: httpx2.Client(transport=httpx2.MockTransport(recorded.handler))
    )
    yield recorded
    huggingface_hub.set_client_factory(default_client_factory)


def _values(doc: dict) -> dict[str, str]:
    return {name: d["value"] for name, d in doc["dimensions"].items()}


def test_an_open_model_is_scored_from_its_fetched_card(
    memory_store: Store, hub: RecordedHub
) -> None:
    doc = openness_json(openness_or_fetch(memory_store, "open-lab/Open-7B"))
    values = _values(doc)
    # Read off the fixture by hand: Apache-2.0 (tag, card and LICENSE file), scripts/train.py and
    # modeling_open.py in the repo, a dataset named, a data section, a paper, an evaluation table.
    assert values == {
        "weights": "open",
        "weights_license": "open",
        "inference_code": "open",
        "training_code": "open",
        "training_data": "partial",
        "data_documentation": "partial",
        "paper": "partial",
        "model_card": "open",
        "evaluation": "partial",
    }
    total = sum(w for w, _, _ in DIMENSIONS.values())  # 11
    assert doc["coverage"] == 1.0
    assert doc["index"] == round((2 + 2 + 1 + 1 + 0.5 + 0.5 + 0.5 + 1 + 0.5) / total, 4)
    assert doc["mof_class"] == 3  # OSI weights license: the conditional pass
    assert "scripts/train.py" in doc["dimensions"]["training_code"]["evidence"]
    assert doc["dimensions"]["training_code"]["source"] == "hf-hub-card"
    assert "/api/models/open-lab/Open-7B" in hub.requests


def test_a_closed_card_makes_what_it_lacks_closed(memory_store: Store, hub: RecordedHub) -> None:
    doc = openness_json(openness_or_fetch(memory_store, "shut-lab/Shut-7B"))
    values = _values(doc)
    assert values["weights_license"] == "closed"  # CC-BY-NC-4.0: non-commercial terms
    assert "noncommercial" in doc["dimensions"]["weights_license"]["evidence"]
    for name in ("training_code", "training_data", "data_documentation", "paper", "evaluation"):
        assert values[name] == "closed", name
        assert "card read" in doc["dimensions"][name]["evidence"]
    assert values["model_card"] == "partial"
    assert values["inference_code"] == "unknown"  # a card's silence says nothing of it
    # known: 11 - 1 (inference code); earned: weights 2 + model card 0.5
    assert doc["coverage"] == round(10 / 11, 4)
    assert doc["index"] == round(2.5 / 10, 4)
    assert doc["index_min"] == round(2.5 / 11, 4) and doc["index_max"] == round(3.5 / 11, 4)


def test_fetched_evidence_is_stored_with_provenance_and_read_offline(
    memory_store: Store, hub: RecordedHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = openness_json(openness_or_fetch(memory_store, "open-lab/Open-7B"))
    rows = memory_store.query(
        "SELECT DISTINCT source, subject_kind, retrieved_at IS NOT NULL AS dated "
        "FROM openness_evidence"
    )
    assert rows == [{"source": "hf-hub-card", "subject_kind": "model", "dated": True}]
    files = {r["file"] for r in memory_store.query("SELECT file FROM openness_evidence")}
    assert (
        "https://huggingface.co/open-lab/Open-7B/blob/1f2e3d4c5b6a79881726354453627180f9e8d7c6/README.md"
        in files
    )
    n = memory_store.count("openness_evidence")
    openness_or_fetch(memory_store, "open-lab/Open-7B")  # known now: no second fetch
    assert hub.requests.count("/api/models/open-lab/Open-7B") == 1
    assert memory_store.count("openness_evidence") == n
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    assert openness_json(openness(memory_store, "open-lab/Open-7B")) == first


def test_offline_an_unknown_model_is_not_found_with_how_to_fetch_it(
    memory_store: Store, hub: RecordedHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(NotFoundError) as exc:
        openness_or_fetch(memory_store, "open-lab/Open-7B")
    assert "unknown" in exc.value.message
    assert "robinet sync hub --author open-lab" in str(exc.value.hint)
    assert hub.requests == []  # offline: not one request
    assert memory_store.count("openness_evidence") == 0


def test_a_model_the_hub_does_not_have_is_not_found(memory_store: Store, hub: RecordedHub) -> None:
    with pytest.raises(NotFoundError, match="the Hub has no model"):
        openness_or_fetch(memory_store, "nobody/Nothing-1B")
    with pytest.raises(NotFoundError):
        openness_or_fetch(memory_store, "not-a-hub-id-and-unknown")
