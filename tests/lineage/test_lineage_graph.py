"""Lineage, inheritance and conflicts on hand-built cases (tests/fixtures/lineage/built.jsonl)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from robinet.errors import NotFoundError, UsageError
from robinet.licenses import lineage_terms as licensing
from robinet.lineage.query import check, conflicts, lineage
from robinet.model import Decision
from robinet.store import Store


def _edge(store: Store, child: str) -> list[dict]:
    return store.query(
        "SELECT parent, relation, source, confidence, evidence FROM edges WHERE child = ? "
        "ORDER BY parent",
        [child],
    )


def test_each_declared_signal_gives_its_edge(built_store: Store) -> None:
    card = _edge(built_store, "acme/SuperChat-8B")[0]
    assert (card["relation"], card["source"], card["confidence"]) == ("finetune", "card", 1.0)
    assert "tag base_model:finetune:meta-llama/Llama-3.1-8B" in card["evidence"]
    gguf = _edge(built_store, "quanter/SuperChat-8B-GGUF")[0]
    assert (gguf["parent"], gguf["relation"], gguf["source"]) == (
        "acme/SuperChat-8B", "quantized", "gguf",
    )  # fmt: skip
    adapter = _edge(built_store, "lora/Research-7B-lora")[0]
    assert (adapter["relation"], adapter["source"]) == ("adapter", "adapter_config")
    tag = _edge(built_store, "orphan/ft")[0]
    assert (tag["parent"], tag["relation"], tag["source"]) == (
        "gone/deleted-model", "adapter", "tag",
    )  # fmt: skip
    # A URL in base_model is normalized to the repo id.
    assert _edge(built_store, "url/child")[0]["parent"] == "permissive/Base-7B"


def test_merge_of_two_parents_with_different_licenses(built_store: Store) -> None:
    edges = _edge(built_store, "merger/Merged-7B")
    assert [(e["parent"], e["relation"]) for e in edges] == [
        ("nclab/Research-7B", "merge"),
        ("permissive/Base-7B", "merge"),
    ]
    assert "mergekit config models" in edges[0]["evidence"]
    found = conflicts(built_store, model="merger/Merged-7B").conflicts
    assert [(c.type, c.ancestor, c.ancestor_license, c.clause) for c in found] == [
        ("noncommercial_ancestor", "nclab/Research-7B", "cc-by-nc-4.0", "1")
    ]
    assert "NonCommercial" in (found[0].quote or "")
    # Both parents' terms are inherited, next to the model's own.
    verdict = check(built_store, "merger/Merged-7B", licensing.make_use(use="commercial"))
    origins = {(o.origin, o.depth) for o in verdict.obligations}
    assert {o for o, _ in origins} == {
        "merger/Merged-7B", "nclab/Research-7B", "permissive/Base-7B",
    }  # fmt: skip
    assert ("merger/Merged-7B", 0) in origins
    assert verdict.decision == Decision.DENY
    assert [(v.license, v.models) for v in verdict.decided_by] == [
        ("cc-by-nc-4.0", ["nclab/Research-7B"])
    ]


def test_quantization_of_a_finetune_of_llama_3_1(built_store: Store) -> None:
    result = lineage(built_store, "quanter/SuperChat-8B-GGUF")
    assert [(a.id, a.relation, a.depth, a.source) for a in result.ancestors] == [
        ("acme/SuperChat-8B", "quantized", 1, "gguf"),
        ("meta-llama/Llama-3.1-8B", "finetune", 2, "card"),
    ]
    assert result.roots == ["meta-llama/Llama-3.1-8B"]
    # The fine-tune relabelled Apache-2.0 breaks the Llama 3.1 license twice.
    types = {c.type: c for c in conflicts(built_store, model="acme/SuperChat-8B").conflicts}
    assert set(types) == {"more_permissive", "missing_naming"}
    assert types["missing_naming"].clause == "1.b.i"
    assert "Llama" in (types["missing_naming"].quote or "")
    assert types["more_permissive"].ancestor == "meta-llama/Llama-3.1-8B"
    # The quantized copy declares no license: it inherits Llama 3.1's, not only Apache's.
    quant = conflicts(built_store, model="quanter/SuperChat-8B-GGUF").conflicts
    assert [(c.type, c.ancestor_license) for c in quant] == [
        ("missing_license", "llama-3.1-license-2024")
    ]
    verdict = check(built_store, "quanter/SuperChat-8B-GGUF", licensing.make_use(use="commercial"))
    kinds = {(o.origin, o.depth, o.kind) for o in verdict.obligations}
    assert ("meta-llama/Llama-3.1-8B", 2, "derivatives") in kinds
    assert ("meta-llama/Llama-3.1-8B", 2, "attribution") in kinds
    # Naming binds models that are made, not a quantized copy — but it binds the fine-tune.
    assert not any(kind == "naming" for _, _, kind in kinds)
    finetune = check(built_store, "acme/SuperChat-8B", licensing.make_use(use="commercial"))
    assert ("meta-llama/Llama-3.1-8B", 1, "naming") in {
        (o.origin, o.depth, o.kind) for o in finetune.obligations
    }
    assert verdict.decision == Decision.UNKNOWN  # an unresolved license fails the gate
    assert any(v.license is None for v in verdict.decided_by)  # its own license is unknown
    licenses = {v.license for v in verdict.licenses}
    assert {"llama-3.1-license-2024", "apache-2.0", None} <= licenses


def test_well_named_llama_finetune_has_no_conflict(built_store: Store) -> None:
    assert conflicts(built_store, model="goodname/Llama-3.1-Good-8B").conflicts == []


def test_cycle_is_reported_not_walked(built_store: Store) -> None:
    result = lineage(built_store, "loop/a", tree=True)
    assert [(a.id, a.depth) for a in result.ancestors] == [("loop/b", 1)]
    assert result.roots == []  # a pure cycle has no root
    assert {a.kind for a in result.anomalies} == {"cycle"}
    assert result.tree is not None
    assert result.tree["parents"][0]["parents"][0] == {
        "id": "loop/a", "relation": "finetune", "confidence": 1.0, "seen": True,
    }  # fmt: skip


def test_self_reference_and_dangling_parent(built_store: Store) -> None:
    assert _edge(built_store, "self/model") == []
    kinds = {
        (r["kind"], r["model"])
        for r in built_store.query("SELECT kind, model FROM lineage_anomalies")
    }
    assert ("self_reference", "self/model") in kinds
    assert ("dangling_parent", "orphan/ft") in kinds
    result = lineage(built_store, "orphan/ft")
    assert result.roots == ["gone/deleted-model"]
    assert result.ancestors[0].in_store is False
    # The dangling parent can itself be looked up.
    assert lineage(built_store, "gone/deleted-model").descendants["total"] == 1


def test_inferred_edges_have_evidence_and_confidence_below_one(built_store: Store) -> None:
    inferred = built_store.query(
        "SELECT child, parent, relation, confidence, evidence FROM edges WHERE source = 'name' "
        "ORDER BY child"
    )
    assert [(e["child"], e["parent"], e["relation"], e["confidence"]) for e in inferred] == [
        ("meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B", "finetune", 0.7),
        ("reup/Research-7B", "nclab/Research-7B", "finetune", 0.4),
        ("someoneelse/Llama-3.1-8B-Instruct-AWQ", "meta-llama/Llama-3.1-8B-Instruct",
         "quantized", 0.6),
    ]  # fmt: skip
    assert all(e["evidence"].startswith("name: ") for e in inferred)
    # A path through an inferred edge is marked inferred, with the product of confidences.
    result = lineage(built_store, "someoneelse/Llama-3.1-8B-Instruct-AWQ")
    assert [(a.id, a.inferred, a.confidence) for a in result.ancestors] == [
        ("meta-llama/Llama-3.1-8B-Instruct", True, 0.6),
        ("meta-llama/Llama-3.1-8B", True, 0.42),
    ]


def test_descendants_by_relation(built_store: Store) -> None:
    d = lineage(built_store, "meta-llama/Llama-3.1-8B").descendants
    assert d["total"] == 5
    assert d["by_relation"] == {
        "finetune": 3, "adapter": 0, "quantized": 2, "merge": 0, "distill": 0,
    }  # fmt: skip


def test_conflict_filters(built_store: Store) -> None:
    everything = conflicts(built_store)
    assert everything.counts == {
        "more_permissive": 1, "noncommercial_ancestor": 1, "missing_naming": 1,
        "missing_license": 1,
    }  # fmt: skip
    under_llama = conflicts(built_store, root="meta-llama/Llama-3.1-8B")
    assert {c.model for c in under_llama.conflicts} == {
        "acme/SuperChat-8B", "quanter/SuperChat-8B-GGUF",
    }  # fmt: skip
    naming = conflicts(built_store, type="missing_naming")
    assert [c.model for c in naming.conflicts] == ["acme/SuperChat-8B"]
    assert naming.counts["more_permissive"] == 1  # counts stay over every type
    with pytest.raises(UsageError):
        conflicts(built_store, type="nonsense")
    with pytest.raises(NotFoundError):
        lineage(built_store, "no/such-model")


def test_lookup_is_case_insensitive(built_store: Store) -> None:
    assert lineage(built_store, "ACME/superchat-8b").model == "acme/SuperChat-8B"


def test_same_name_rule_needs_a_known_base(memory_store: Store) -> None:
    from robinet.store.hub import import_records

    def model(hf_id: str, created: str) -> dict:
        return {"id": hf_id, "author": hf_id.split("/")[0], "createdAt": created, "tags": []}

    import_records(
        memory_store,
        [
            model("alice/test1", "2023-01-01T00:00:00Z"),
            model("bob/test1", "2024-01-01T00:00:00Z"),  # generic name, unrelated users
            model("meta-llama/Llama-2-7b-hf", "2023-07-18T00:00:00Z"),
            model("someone/Llama-2-7b-hf", "2023-08-01T00:00:00Z"),  # a re-upload of a lab base
        ],
        source="test",
    )
    edges = memory_store.query("SELECT child, parent, confidence FROM edges WHERE source = 'name'")
    assert edges == [
        {"child": "someone/Llama-2-7b-hf", "parent": "meta-llama/Llama-2-7b-hf", "confidence": 0.4}
    ]


# -- the name-prefix rule (issue "Verdicts", item 3) ------------------------------------------
# Llama 3.1 license 1.b.i (src/robinet/licenses/texts/llama-3.1-license-2024.txt): "If you use
# the Llama Materials or any outputs or results of the Llama Materials to create, train, fine
# tune, or otherwise improve an AI model, which is distributed or made available, you shall
# also include “Llama” at the beginning of any such AI model name."
# Llama 3 license 1.b.i (llama-3-license-2024.txt): "... you shall also include “Llama 3” at
# the beginning of any such AI model name."
# A Hub repo name holds no space: "Llama 3" is written "Llama-3", "Llama_3" or "Llama3" there.
# Each case: (name, prefix, does the name begin with the prefix?), decided by reading the clause.
PREFIX_CASES = [
    ("Llama-3-MyCorp-8B", "Llama 3", True),  # the example
    ("Llama3-Chinese-8B", "Llama 3", True),
    ("llama_3_mycorp_8b", "Llama 3", True),
    ("Llama-3.1-MyCorp-8B", "Llama 3", True),
    ("MyCorp-Llama-3-8B", "Llama 3", False),  # "Llama 3" is not at the beginning
    ("Llama-30B-MyCorp", "Llama 3", False),  # "Llama 30...", not "Llama 3"
    ("Llama-2-MyCorp-7B", "Llama 3", False),
    ("Llama-3-MyCorp-8B", "Llama", True),
    ("LLAMA-MyCorp-8B", "Llama", True),
    ("SuperChat-8B", "Llama", False),
]


def _llama_derivatives() -> list[dict]:
    """Two Meta bases, one fine-tune per case of each base's prefix, one quantized copy."""

    def record(hf_id: str, tags: list[str]) -> dict:
        return {"id": hf_id, "author": hf_id.split("/")[0], "tags": tags}

    bases = {"Llama 3": ("meta-llama/Meta-Llama-3-8B", "llama3"),
             "Llama": ("meta-llama/Llama-3.1-8B", "llama3.1")}  # fmt: skip
    records = [record(base, [f"license:{lic}"]) for base, lic in bases.values()]
    for i, (name, prefix, _) in enumerate(PREFIX_CASES):
        base, lic = bases[prefix]
        records.append(record(f"corp{i}/{name}", [f"license:{lic}", f"base_model:finetune:{base}"]))
    # A quantized copy only redistributes its parent: it owes no prefix whatever its name.
    records.append(
        record("quanter/MyCorp-Llama-3-8B-GGUF",
               ["license:llama3", "base_model:quantized:corp4/MyCorp-Llama-3-8B"])
    )  # fmt: skip
    return records


def test_name_prefix_rule_on_the_clause_cases() -> None:
    for name, prefix, begins in PREFIX_CASES:
        assert licensing.name_has_prefix(name, prefix) is begins, (name, prefix)
    # The owner of a Hub id is not part of the model's name.
    assert licensing.name_has_prefix("corp/Llama-3-MyCorp-8B", "Llama 3")


def test_missing_naming_conflicts_follow_the_same_rule(memory_store: Store) -> None:
    from robinet.store.hub import import_records

    import_records(memory_store, _llama_derivatives(), source="naming")
    flagged = {c.model for c in conflicts(memory_store, type="missing_naming").conflicts}
    expected = {f"corp{i}/{name}" for i, (name, _, begins) in enumerate(PREFIX_CASES)
                if not begins}  # fmt: skip
    assert flagged == expected
    assert "quanter/MyCorp-Llama-3-8B-GGUF" not in flagged
    cited = conflicts(memory_store, model="corp4/MyCorp-Llama-3-8B").conflicts
    assert [(c.type, c.clause) for c in cited] == [("missing_naming", "1.b.i")]
    assert "“Llama 3” at the beginning" in (cited[0].quote or "")


def test_check_verdict_on_a_derivative_name_follows_the_same_rule(memory_store: Store) -> None:
    from robinet.store.hub import import_records

    import_records(memory_store, _llama_derivatives(), source="naming")
    for name, prefix, begins in PREFIX_CASES:
        base = "meta-llama/Meta-Llama-3-8B" if prefix == "Llama 3" else "meta-llama/Llama-3.1-8B"
        use = licensing.make_use(use="commercial", redistribute=True, derivative_name=name)
        verdict = check(memory_store, base, use)
        named = [
            r for v in verdict.decided_by for r in v.verdict.reasons if "named" in r.explanation
        ]
        assert (verdict.decision == Decision.DENY and bool(named)) is (not begins), name


_SEPARATOR = st.sampled_from(["", "-", "_", ".", " "])


@given(
    prefix=st.sampled_from(["Llama", "Llama 3", "Gemma", "Qwen 2"]),
    separators=st.lists(_SEPARATOR, min_size=8, max_size=8),
    rest=st.text(alphabet="abcXYZ0123456789-_. ", max_size=12),
    upper=st.booleans(),
)
def test_name_prefix_rule_matches_an_independent_regex(
    prefix: str, separators: list[str], rest: str, upper: bool
) -> None:
    # The prefix written with any separators between its characters, any case, then anything.
    chars = [c for c in prefix if c != " "]
    spelled = "".join(c + s for c, s in zip(chars, separators, strict=False))
    name = (spelled.upper() if upper else spelled) + rest
    # Independent oracle: a regex. Separators optional between the prefix's characters; a
    # prefix ending in a digit must not run on into a longer number.
    pattern = r"[-_. ]*".join(re.escape(c) for c in chars)
    if chars[-1].isdigit():
        pattern += r"(?![0-9])"
    expected = re.match(r"[-_. ]*" + pattern, name, flags=re.IGNORECASE) is not None
    assert licensing.name_has_prefix(name, prefix) is expected
    # And a name that starts with another word never begins with the prefix.
    assert not licensing.name_has_prefix("Zz" + name, prefix)


# -- layering of the lineage code -------------------------------------------------------------
SRC = Path(__file__).resolve().parents[2] / "src" / "robinet"


def _robinet_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    found |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    return {m for m in found if m.startswith("robinet")}


def test_the_engine_reads_through_the_query_layer_only() -> None:
    tree = ast.parse((SRC / "lineage" / "query.py").read_text("utf-8"))
    touched = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert not touched & {"con", "query", "scalar", "execute", "meta"}


def test_store_lineage_imports_point_down_only() -> None:
    allowed = ("robinet.store", "robinet.licenses", "robinet.domain", "robinet.model",
               "robinet.errors")  # fmt: skip
    for path in sorted((SRC / "store" / "lineage").glob("*.py")):
        assert all(m.startswith(allowed) for m in _robinet_imports(path)), path.name
