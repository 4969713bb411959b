"""The closure is built over nodes, not paths: merge lattices, cycles, diamonds, deep chains.

Every expected closure here comes from a plain breadth-first search over the records the test
builds (their `base_model` lists), never from the code under test.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable

from robinet.lineage.query import lineage
from robinet.store import Store
from robinet.store.hub import import_records


def _model(hf_id: str, bases: Iterable[str] = (), *, license: str = "apache-2.0") -> dict:
    """A Hub record in the API shape; several bases in the card make a merge."""
    record: dict = {"id": hf_id, "author": hf_id.split("/")[0], "tags": [f"license:{license}"]}
    bases = list(bases)
    if bases:
        record["cardData"] = {"base_model": bases if len(bases) > 1 else bases[0]}
    return record


def _lattice(layers: int) -> list[dict]:
    """Two models per layer; each model of layer k > 1 merges both models of layer k - 1."""
    records = []
    for k in range(1, layers + 1):
        above = [f"lattice/L{k - 1:03d}-{s}" for s in "ab"] if k > 1 else []
        records += [_model(f"lattice/L{k:03d}-{s}", above) for s in "ab"]
    return records


def _bfs_depths(records: list[dict]) -> dict[tuple[str, str], int]:
    """(model, ancestor) -> shortest number of hops, by BFS from each model over its bases."""
    parents: dict[str, list[str]] = {}
    for r in records:
        base = r.get("cardData", {}).get("base_model", [])
        parents[r["id"]] = [base] if isinstance(base, str) else list(base)
    pairs: dict[tuple[str, str], int] = {}
    for start in parents:
        seen = {start: 0}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for parent in parents.get(node, []):
                if parent not in seen:
                    seen[parent] = seen[node] + 1
                    queue.append(parent)
        pairs.update({(start, a): d for a, d in seen.items() if a != start})
    return pairs


def _closure(store: Store) -> dict[tuple[str, str], int]:
    rows = store.con.execute("SELECT model, ancestor, depth FROM lineage_closure").fetchall()
    return {(m, a): d for m, a, d in rows}


def test_22_layer_lattice_imports_in_seconds(memory_store: Store) -> None:
    records = _lattice(22)
    started = time.perf_counter()
    import_records(memory_store, records, source="lattice")
    elapsed = time.perf_counter() - started
    # The path-walking closure took 32.6 s and 8.8 GB here (issue "Hardening", item 1).
    assert elapsed < 10, f"{elapsed:.1f} s"
    expected = _bfs_depths(records)
    # A model of layer k has 2(k-1) ancestors: 2 * sum over k of 2(k-1) = 924 pairs.
    assert len(expected) == sum(2 * 2 * (k - 1) for k in range(1, 23)) == 924
    assert _closure(memory_store) == expected
    # Depth is the layer difference: the shortest of the 2^(k-j) paths, each of k-j hops.
    deepest = lineage(memory_store, "lattice/L022-a")
    assert len(deepest.ancestors) == 42
    assert {(a.id, a.depth) for a in deepest.ancestors if a.id.startswith("lattice/L001")} == {
        ("lattice/L001-a", 21), ("lattice/L001-b", 21),
    }  # fmt: skip
    assert deepest.roots == ["lattice/L001-a", "lattice/L001-b"]
    assert lineage(memory_store, "lattice/L001-a").descendants["total"] == 42


def test_cycle_terminates_and_each_closing_edge_is_an_anomaly(memory_store: Store) -> None:
    # a -> b -> c -> a (each fine-tunes the next), and x fine-tunes a from outside the loop.
    records = [
        _model("loop/a", ["loop/b"]),
        _model("loop/b", ["loop/c"]),
        _model("loop/c", ["loop/a"]),
        _model("loop/x", ["loop/a"]),
    ]
    import_records(memory_store, records, source="cycle")
    expected = _bfs_depths(records)
    assert _closure(memory_store) == expected
    assert expected[("loop/x", "loop/c")] == 3
    assert ("loop/a", "loop/a") not in _closure(memory_store)  # never its own ancestor
    # An edge child -> parent closes a cycle when the child is reachable from the parent.
    closing = {
        (r["id"], r["cardData"]["base_model"])
        for r in records
        if (r["cardData"]["base_model"], r["id"]) in expected
    }
    assert closing == {("loop/a", "loop/b"), ("loop/b", "loop/c"), ("loop/c", "loop/a")}
    found = memory_store.con.execute(
        "SELECT model, parent, detail FROM lineage_anomalies WHERE kind = 'cycle'"
    ).fetchall()
    assert {(m, p) for m, p, _ in found} == closing
    assert all(detail.startswith("cycle of 3 edge(s)") for _, _, detail in found)
    assert lineage(memory_store, "loop/x").roots == []  # every ancestor has a parent


def test_diamond_keeps_the_shortest_depth_and_the_best_confidence(memory_store: Store) -> None:
    # d merges p and r. p declares nothing: its name makes it a GGUF copy of v/Alpha
    # (inferred, confidence 0.6: another author). r -> s -> v/Alpha is declared.
    #   d -> p -> v/Alpha        depth 2, confidence 1 * 0.6
    #   d -> r -> s -> v/Alpha   depth 3, confidence 1
    records = [
        _model("v/Alpha"),
        _model("u/Alpha-GGUF"),
        _model("s/S", ["v/Alpha"]),
        _model("r/R", ["s/S"]),
        _model("d/D", ["u/Alpha-GGUF", "r/R"]),
    ]
    import_records(memory_store, records, source="diamond")
    inferred = memory_store.con.execute(
        "SELECT child, parent, confidence FROM edges WHERE source = 'name'"
    ).fetchall()
    assert inferred == [("u/Alpha-GGUF", "v/Alpha", 0.6)]
    row = memory_store.con.execute(
        "SELECT depth, confidence, inferred, first_relation, relation, source "
        "FROM lineage_closure WHERE model = 'd/D' AND ancestor = 'v/Alpha'"
    ).fetchall()
    # Shortest depth 2 (through p); best confidence 1 and not inferred (the declared path
    # through r and s); the relations are the shortest path's: d merges p, p quantizes Alpha.
    assert row == [(2, 1.0, False, "merge", "quantized", "name")]
    # The model below p alone is reached through the inferred edge only.
    only_inferred = lineage(memory_store, "u/Alpha-GGUF").ancestors
    assert [(a.id, a.depth, a.confidence, a.inferred) for a in only_inferred] == [
        ("v/Alpha", 1, 0.6, True)
    ]


def test_chain_deeper_than_the_old_depth_cap(memory_store: Store) -> None:
    # The path walk stopped at depth 64; a set-based closure has no cap to stop at.
    records = [_model("chain/m000")] + [
        _model(f"chain/m{i:03d}", [f"chain/m{i - 1:03d}"]) for i in range(1, 100)
    ]
    import_records(memory_store, records, source="chain")
    assert _closure(memory_store) == _bfs_depths(records)
    result = lineage(memory_store, "chain/m099")
    assert result.roots == ["chain/m000"]
    assert max(a.depth for a in result.ancestors) == 99
