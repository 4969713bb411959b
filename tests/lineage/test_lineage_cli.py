"""The commands: `sync hub --from`, `lineage`, `check`, `conflicts` (--json and exit codes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from robinet.cli import app
from robinet.store import Store
from robinet.store.hub import import_dump

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "lineage"
BUILT = FIXTURES / "built.jsonl"
SAMPLE = FIXTURES / "top_models_sample.jsonl"

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "lineage.duckdb"
    with Store.open(path) as store:
        import_dump(store, BUILT, source="built")
    return path


def _json(args: list[str], code: int = 0) -> dict:
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def test_lineage_json(db: Path) -> None:
    data = _json(["lineage", "quanter/SuperChat-8B-GGUF", "--db", str(db), "--json"])
    assert data["model"] == "quanter/SuperChat-8B-GGUF"
    assert data["roots"] == ["meta-llama/Llama-3.1-8B"]
    assert data["ancestors"][0] == {
        "confidence": 1.0, "depth": 1, "id": "acme/SuperChat-8B", "in_store": True,
        "inferred": False, "license": "apache-2.0", "relation": "quantized", "source": "gguf",
    }  # fmt: skip
    assert set(data["descendants"]) == {"total", "by_relation"}
    assert "tree" not in data
    tree = _json(["lineage", "quanter/SuperChat-8B-GGUF", "--tree", "--db", str(db), "--json"])
    assert tree["tree"]["parents"][0]["id"] == "acme/SuperChat-8B"


def test_lineage_text_and_unknown_model(db: Path) -> None:
    result = runner.invoke(app, ["lineage", "loop/a", "--tree", "--db", str(db)])
    assert result.exit_code == 0
    assert "loop/b" in result.stdout
    assert "cycle" in result.stderr
    missing = runner.invoke(app, ["lineage", "no/such", "--db", str(db)])
    assert missing.exit_code == 2
    assert "not in the store" in missing.stderr


def test_check_exit_codes(db: Path) -> None:
    denied = _json(["check", "merger/Merged-7B", "--use", "commercial", "--db", str(db),
                    "--json"], code=1)  # fmt: skip
    assert denied["verdict"]["decision"] == "deny"
    assert denied["verdict"]["reasons"] == denied["decided_by"][0]["verdict"]["reasons"]
    assert denied["decided_by"][0]["license"] == "cc-by-nc-4.0"
    assert denied["decided_by"][0]["models"] == ["nclab/Research-7B"]
    assert denied["decided_by"][0]["verdict"]["reasons"][0]["clause"]
    research = _json(["check", "merger/Merged-7B", "--use", "research", "--db", str(db),
                      "--json"])  # fmt: skip
    assert research["verdict"]["decision"] in ("allow", "conditional")
    text = runner.invoke(app, ["check", "merger/Merged-7B", "--db", str(db)])
    assert text.exit_code == 1
    assert "nclab/Research-7B" in text.stdout


def test_conflicts_json(db: Path) -> None:
    data = _json(["conflicts", "--db", str(db), "--json"])
    assert data["counts"]["noncommercial_ancestor"] == 1
    first = data["conflicts"][0]
    assert {"model", "type", "ancestor", "clause", "detail"} <= set(first)
    only = _json(["conflicts", "--type", "missing_naming", "--db", str(db), "--json"])
    assert [c["model"] for c in only["conflicts"]] == ["acme/SuperChat-8B"]
    bad = runner.invoke(app, ["conflicts", "--type", "nope", "--db", str(db)])
    assert bad.exit_code == 2


def test_sync_hub_from_file(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with Store.open(path) as store:
        import_dump(store, SAMPLE, source="hf-top-models")
    data = _json(["sync", "hub", "--from", str(BUILT), "--db", str(path), "--json"])
    assert data["models"] == 18
    assert data["warning_count"] == 6 and len(data["warnings"]) == 6
    assert data["lineage"]["models"] == 18 + 15
    missing = runner.invoke(app, ["sync", "hub", "--from", str(tmp_path / "x.jsonl"),
                                  "--db", str(path)])  # fmt: skip
    assert missing.exit_code == 3


def _card(
    i: int, hf_id: str, pipeline: str | None, license: str, base: str | None = None, **card: str
) -> dict:
    tags = [f"license:{license}"]
    data: dict = {"license": license, **card}
    if base:
        tags += [f"base_model:{base}", f"base_model:finetune:{base}"]
        data |= {"base_model": base, "base_model_relation": "finetune"}
    return {
        "_id": f"v{i}", "id": hf_id, "author": hf_id.split("/")[0], "sha": f"{i:040d}",
        "createdAt": "2024-10-01T00:00:00.000Z", "lastModified": "2024-10-01T00:00:00.000Z",
        "private": False, "gated": False, "downloads": 1, "likes": 0,
        "library_name": "transformers", "pipeline_tag": pipeline, "tags": tags,
        "cardData": data,
    }  # fmt: skip


@pytest.fixture(scope="module")
def vision_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Llama-3.2-11B-Vision, a fine-tune whose card says nothing of its modality, and FLUX.1-dev
    whose Hub tag is `other` with no license_name: nothing resolves it."""
    rows = [
        _card(1, "meta-llama/Llama-3.2-11B-Vision", "image-text-to-text", "llama3.2"),
        _card(2, "acme/Llama-3.2-11B-Vision-Radiology", None, "llama3.2",
              base="meta-llama/Llama-3.2-11B-Vision"),
        _card(3, "black-forest-labs/FLUX.1-dev", "text-to-image", "other"),
    ]  # fmt: skip
    folder = tmp_path_factory.mktemp("vision")
    dump = folder / "vision.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in rows))
    path = folder / "vision.duckdb"
    with Store.open(path) as store:
        import_dump(store, dump, source="vision")
    return path


def test_check_reads_the_modality_from_the_ancestors(vision_db: Path) -> None:
    """llama-3.2-aup-2024: "With respect to any multimodal models included in Llama 3.2, the
    rights granted under Section 1(a) ... are not being granted to you if you are ... a company
    with a principal place of business in, the European Union. This restriction does not apply
    to end users of a product or service that incorporates any such multimodal models." A
    fine-tune of the Vision model is one, though its own card names no pipeline tag."""
    model = "acme/Llama-3.2-11B-Vision-Radiology"
    eu = _json(["check", model, "--licensee-country", "FR", "--db", str(vision_db), "--json"],
               code=1)  # fmt: skip
    assert eu["verdict"]["decision"] == "deny"
    assert eu["modality"] == {
        "modality": "vision",
        "source": "pipeline tag 'image-text-to-text' of meta-llama/Llama-3.2-11B-Vision",
    }
    assert eu["verdict"]["reasons"][0]["license"] == "llama-3.2-aup-2024"
    # a US company serving German users: the end users are exempt
    us = _json(["check", model, "--licensee-country", "US", "--market", "DE",
                "--distribution", "hosted", "--db", str(vision_db), "--json"])  # fmt: skip
    assert us["verdict"]["decision"] == "conditional"
    kinds = {o["kind"] for o in us["verdict"]["obligations"]}
    assert {"attribution-display", "use-policy-compliance"} <= kinds
    # --modality given wins, and says so
    text = _json(["check", model, "--licensee-country", "FR", "--modality", "text",
                  "--db", str(vision_db), "--json"])  # fmt: skip
    assert text["modality"] == {"modality": "text", "source": "given"}


def test_an_unresolved_license_is_unknown_and_fails_a_gate(vision_db: Path) -> None:
    """FLUX.1-dev's Hub tag is `other` with no license name or link: its terms are unknown,
    so `check` answers unknown and exits 1 (a CI gate must not pass it), unless the caller
    accepts unknowns with --allow-unknown."""
    flux = "black-forest-labs/FLUX.1-dev"
    data = _json(["check", flux, "--db", str(vision_db), "--json"], code=1)
    assert data["verdict"]["decision"] == "unknown"
    assert data["decided_by"][0]["license"] is None
    _json(["check", flux, "--allow-unknown", "--db", str(vision_db), "--json"])


def test_check_suggests_close_model_ids(vision_db: Path) -> None:
    result = runner.invoke(app, ["check", "meta-llama/Llama-3.2-11B-Vison", "--db",
                                 str(vision_db), "--json"])  # fmt: skip
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert "did you mean 'meta-llama/Llama-3.2-11B-Vision'" in error["hint"]


def test_sync_hub_paths_are_literal_unless_glob(tmp_path: Path) -> None:
    """`a[1].jsonl` is the file of that name; a pattern is expanded only with --glob."""
    folder = tmp_path / "dumps"
    folder.mkdir()
    (folder / "a[1].jsonl").write_text(BUILT.read_text())
    (folder / "a1.jsonl").write_text("")  # what the pattern `a[1].jsonl` would match
    db = tmp_path / "g.duckdb"
    literal = _json(["sync", "hub", "--from", str(folder / "a[1].jsonl"), "--db", str(db),
                     "--json"])  # fmt: skip
    direct = _json(["sync", "hub", "--from", str(BUILT), "--db", str(tmp_path / "d.duckdb"),
                    "--json"])  # fmt: skip
    assert literal["models"] == direct["models"] > 0  # the bracketed file itself was read
    pattern = str(folder / "a[[]1].jsonl")
    refused = runner.invoke(app, ["sync", "hub", "--from", pattern, "--db", str(db), "--json"])
    assert refused.exit_code == 3  # no file has that literal name
    expanded = runner.invoke(
        app, ["sync", "hub", "--from", pattern, "--glob", "--db", str(db), "--json"]
    )
    assert expanded.exit_code == 0, expanded.output
