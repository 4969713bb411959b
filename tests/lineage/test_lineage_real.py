"""Lineage on real Hub rows (the 2024-09 top-models sample): five examples checked by hand,
and the whole sample's figures cross-checked against an independent count."""

from __future__ import annotations

import ast
import csv
from pathlib import Path

from robinet.lineage.query import ConflictRow, conflicts, lineage
from robinet.store import Store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "lineage"
REAL_CSV = Path(__file__).resolve().parents[2] / "data/sources/hf-top-models/hf_models.csv"


def _types(store: Store, model: str) -> dict[str, ConflictRow]:
    return {c.type: c for c in conflicts(store, model=model).conflicts}


def test_real_1_llama_31_instruct_is_a_clean_finetune(sample_store: Store) -> None:
    # Tags: base_model:finetune:meta-llama/Meta-Llama-3.1-8B, license:llama3.1 (Meta's own).
    result = lineage(sample_store, "meta-llama/Meta-Llama-3.1-8B-Instruct")
    assert [(a.id, a.relation, a.source, a.confidence) for a in result.ancestors] == [
        ("meta-llama/Meta-Llama-3.1-8B", "finetune", "tag", 1.0)
    ]
    assert result.license == "llama-3.1-license-2024"
    assert _types(sample_store, "meta-llama/Meta-Llama-3.1-8B-Instruct") == {}


def test_real_2_gguf_of_llama_31_70b_instruct(sample_store: Store) -> None:
    # Tags: base_model:quantized:meta-llama/Meta-Llama-3.1-70B-Instruct, license:llama3.1.
    result = lineage(sample_store, "bartowski/Meta-Llama-3.1-70B-Instruct-GGUF")
    assert [(a.id, a.relation, a.depth) for a in result.ancestors] == [
        ("meta-llama/Meta-Llama-3.1-70B-Instruct", "quantized", 1),
        ("meta-llama/Meta-Llama-3.1-70B", "finetune", 2),
    ]
    assert result.roots == ["meta-llama/Meta-Llama-3.1-70B"]
    # Same license as its ancestors, and a quantized copy owes no "Llama" name prefix.
    assert _types(sample_store, "bartowski/Meta-Llama-3.1-70B-Instruct-GGUF") == {}


def test_real_3_apache_derivative_of_llama_31_is_more_permissive(sample_store: Store) -> None:
    # Tags: base_model:quantized:meta-llama/Meta-Llama-3.1-8B-Instruct, license:apache-2.0.
    model = "Saxo/Linkbricks-Horizon-AI-Korean-llama-3.1-sft-dpo-8B"
    found = _types(sample_store, model)
    assert set(found) == {"more_permissive"}  # declared a quantization: no naming duty
    assert found["more_permissive"].ancestor == "meta-llama/Meta-Llama-3.1-8B-Instruct"
    assert found["more_permissive"].ancestor_license == "llama-3.1-license-2024"
    assert found["more_permissive"].clause == "1.b.i"
    assert found["more_permissive"].confidence == 1.0


def test_inferred_quant_of_gemma_is_more_permissive(sample_store: Store) -> None:
    # unsloth/gemma-7b-bnb-4bit declares no base model and license:apache-2.0; among these
    # rows its name makes it a 4-bit copy of google/gemma-7b (license:gemma, terms 3.1 pass
    # through). (In the whole sample unsloth's own re-upload unsloth/gemma-7b is there too,
    # and the same-author candidate wins.)
    result = lineage(sample_store, "unsloth/gemma-7b-bnb-4bit")
    assert [(a.id, a.relation, a.source, a.inferred) for a in result.ancestors] == [
        ("google/gemma-7b", "quantized", "name", True)
    ]
    found = _types(sample_store, "unsloth/gemma-7b-bnb-4bit")["more_permissive"]
    assert found.ancestor == "google/gemma-7b"
    assert found.clause == "3.1"
    assert found.confidence < 1


def test_real_4_merge_with_a_noncommercial_parent(sample_store: Store) -> None:
    # ChenWeiLi/Med-ChimeraLlama-3-8B_SHERP: merge of johnsnowlabs/JSL-MedLlama-3-8B-v2.0
    # (cc-by-nc-nd-4.0) and mlabonne/ChimeraLlama-3-8B-v3, declared license:llama3.
    found = _types(sample_store, "ChenWeiLi/Med-ChimeraLlama-3-8B_SHERP")
    assert found["noncommercial_ancestor"].ancestor == "johnsnowlabs/JSL-MedLlama-3-8B-v2.0"
    assert found["noncommercial_ancestor"].ancestor_license == "cc-by-nc-nd-4.0"
    # "Med-ChimeraLlama-3-8B" does not begin with "Llama 3" (Llama 3 license 1.b.i).
    assert found["missing_naming"].ancestor == "meta-llama/Meta-Llama-3-8B"
    assert found["missing_naming"].clause == "1.b.i"


def test_real_5_self_reference_and_missing_license(sample_store: Store) -> None:
    # vikp/surya_det3 tags base_model:finetune:vikp/surya_det3 — itself.
    assert lineage(sample_store, "vikp/surya_det3").ancestors == []
    anomalies = sample_store.query(
        "SELECT kind FROM lineage_anomalies WHERE model = 'vikp/surya_det3'"
    )
    assert anomalies == [{"kind": "self_reference"}]
    # MaziyarPanahi/Meta-Llama-3-8B-Instruct-GGUF quantizes Meta-Llama-3-8B-Instruct and
    # declares no license tag.
    found = _types(sample_store, "MaziyarPanahi/Meta-Llama-3-8B-Instruct-GGUF")
    assert set(found) == {"missing_license"}
    assert found["missing_license"].ancestor_license == "llama-3-license-2024"


def _independent_declared_count() -> tuple[int, int]:
    """Models whose tags name a base model other than themselves, counted in plain Python."""
    csv.field_size_limit(1 << 30)
    total = declared = 0
    with REAL_CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            total += 1
            tags = ast.literal_eval(row["tags"])
            parents = {t.split(":")[-1] for t in tags if t.startswith("base_model:")}
            if parents - {row["modelId"]}:
                declared += 1
    return total, declared


def test_whole_sample_figures(real_hub_store: Store) -> None:
    from robinet.store.lineage.build import lineage_summary

    total, declared = _independent_declared_count()
    summary = lineage_summary(real_hub_store)
    assert (summary.models, summary.with_declared_lineage) == (total, declared)
    assert 0.1 < summary.declared_share < 0.25  # far below half, as published studies say
    counts = conflicts(real_hub_store).counts
    assert all(counts[t] > 0 for t in counts)
    listed = conflicts(real_hub_store).conflicts
    assert all(c.ancestor and c.ancestor_license for c in listed)
    assert all(c.clause for c in listed if c.type != "missing_license")
