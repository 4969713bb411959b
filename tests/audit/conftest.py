"""Fixtures of the audit tests: a store from a recorded Hub dump, a local model folder, a
models file mixing Hub ids, a Hub URL and the folder, and a policy."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from robinet.store import Store
from robinet.store.hub import import_dump

HERE = Path(__file__).resolve().parent
DUMP = HERE / "fixtures" / "hub.jsonl"
REPO = HERE.parent.parent
SCHEMAS = REPO / "src" / "robinet" / "data" / "schemas"
MIT_TEXT = (REPO / "src" / "robinet" / "licenses" / "texts" / "mit.txt").read_text("utf-8")

POLICY = """\
context:
  use: commercial
  licensee_country: US
  market: [US, EU]
  monthly_users: 2000000
  distribution: modified
deny_licenses: [agpl-3.0]
deny_categories: []
allow_unknown: false
exceptions:
  - model: acme/legacy-model
    reason: separate agreement with the vendor
    until: 2999-06-30
"""


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    store = Store.memory()
    import_dump(store, DUMP, source="audit-fixture")
    yield store
    store.close()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same dump in a store file, for the CLI."""
    path = tmp_path_factory.mktemp("audit-db") / "robinet.duckdb"
    store = Store.open(path)
    import_dump(store, DUMP, source="audit-fixture")
    store.close()
    return path


def make_folder(
    root: Path,
    *,
    card_license: str = "apache-2.0",
    license_text: str = MIT_TEXT,
    base: str = "meta-llama/Llama-3.1-8B",
) -> Path:
    folder = root / "my-model"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "README.md").write_text(
        textwrap.dedent(
            f"""\
            ---
            language: [en]
            license: {card_license}
            base_model: {base}
            pipeline_tag: text-generation
            datasets:
              - acme/chat-mix
            ---
            # My model
            """
        ),
        "utf-8",
    )
    (folder / "LICENSE").write_text(license_text, "utf-8")
    (folder / "config.json").write_text(
        json.dumps({"model_type": "llama", "architectures": ["LlamaForCausalLM"]}), "utf-8"
    )
    (folder / "model.safetensors.index.json").write_text(
        json.dumps({"metadata": {"total_parameters": 8030261248}, "weight_map": {}}), "utf-8"
    )
    return folder


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A repository: a models file (line numbers matter), a policy, a local folder."""
    make_folder(tmp_path)
    (tmp_path / "models.txt").write_text(
        "# models of the product\n"  # line 1
        "acme/Llama-3.1-SuperChat-8B\n"  # 2
        "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/tree/main  # the Qwen one\n"  # 3
        "\n"  # 4
        "nclab/Research-7B\n"  # 5
        "./my-model\n"  # 6
        "acme/legacy-model\n",  # 7
        "utf-8",
    )
    (tmp_path / "policy.yaml").write_text(POLICY, "utf-8")
    return tmp_path


@pytest.fixture
def folder_factory():  # type: ignore[no-untyped-def]
    return make_folder
