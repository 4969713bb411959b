"""Lineage closure on merge lattices: time and peak RSS of a whole import, before and after.

    python benchmarks/lineage_lattice/run.py                      # 22 and 200 layers, + before
    python benchmarks/lineage_lattice/run.py --layers 22 200 400 --no-before

A lattice of L layers holds two models per layer; each model of layer k > 1 merges both
models of layer k-1 (`cardData.base_model` lists both). A model of layer k has 2(k-1)
ancestors, so the closure holds sum 2 * 2(k-1) = 2L(L-1) pairs, while the number of paths
from a model to a root doubles with every layer. The Hub holds such lattices (merges of merges).

Each measurement is one child process that imports the lattice through the public importer
(`robinet.store.hub.import_records`, lineage rebuilt as every import does) into an
in-memory store; its parent — a small process of its own, so that nothing else is counted —
reads the child's peak RSS from `resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`.

"Before" runs the same import with the closure module of an older commit (`--before-rev`,
default the last commit whose closure walked every path) loaded from `git show` into a temp
module and put in place of the current one; lattices too deep for it are left out (each run
has a timeout).

Writes benchmarks/out/lineage_lattice/results.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "benchmarks" / "out" / "lineage_lattice"
# The last commit whose closure walked every path (a recursive CTE carrying the path).
BEFORE_REV = "757c7a2"
CLOSURE_PATH = "src/robinet/store/lineage/closure.py"

WORKER = r"""
import importlib.util, json, sys, time

def lattice(layers):
    for k in range(1, layers + 1):
        for side in "ab":
            record = {"id": f"lattice/L{k:04d}-{side}", "author": "lattice",
                      "tags": ["license:apache-2.0"]}
            if k > 1:
                record["cardData"] = {
                    "base_model": [f"lattice/L{k - 1:04d}-a", f"lattice/L{k - 1:04d}-b"]
                }
            yield record

layers, closure_file = int(sys.argv[1]), sys.argv[2]
if closure_file:
    import robinet.store.lineage.build as build
    spec = importlib.util.spec_from_file_location("closure_before", closure_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    build.graph = module  # build.py calls graph.build_closure / graph.find_anomalies
from robinet.store.hub import import_records
from robinet.store import Store

records = list(lattice(layers))
dump_bytes = sum(len(json.dumps(r)) + 1 for r in records)
store = Store.memory()
started = time.perf_counter()
report = import_records(store, records, source="lattice")
seconds = time.perf_counter() - started
pairs = store.con.execute("SELECT count(*) FROM lineage_closure").fetchone()[0]
lineage = report.lineage
timings = lineage["timings"] if isinstance(lineage, dict) else lineage.timings
print(json.dumps({"layers": layers, "models": report.models, "dump_bytes": dump_bytes,
                  "closure_rows": pairs, "seconds": round(seconds, 3),
                  "closure_seconds": timings["closure"]}))
"""


def measure(layers: int, closure_file: str, timeout: float) -> dict:
    """Run one import in a child of this (fresh) process; its result and peak RSS."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", WORKER, str(layers), closure_file],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"layers": layers, "timeout": timeout}
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    if done.returncode != 0:
        return {"layers": layers, "error": done.stderr.strip().splitlines()[-1:]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["peak_rss_mb"] = round(peak_mb, 1)
    result["expected_rows"] = 2 * layers * (layers - 1)
    return result


def run_isolated(layers: int, closure_file: str, timeout: float) -> dict:
    """`measure` in a process of its own, so RUSAGE_CHILDREN sees only that one child."""
    done = subprocess.run(
        [sys.executable, __file__, "--measure", str(layers), closure_file, str(timeout)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def closure_before(rev: str) -> str | None:
    """The closure module of `rev` written to a temp file, or None when git cannot give it."""
    try:
        text = subprocess.run(
            ["git", "show", f"{rev}:{CLOSURE_PATH}"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    with tempfile.NamedTemporaryFile("w", suffix="_closure_before.py", delete=False) as handle:
        handle.write(text)
    return handle.name


def row(label: str, r: dict) -> str:
    if "timeout" in r:
        return f"| {label} | {r['layers']} | — | — | > {r['timeout']:.0f} s (stopped) | — | — |"
    if "error" in r:
        return f"| {label} | {r['layers']} | — | — | failed: {r['error']} | — | — |"
    ok = "yes" if r["closure_rows"] == r["expected_rows"] else "NO"
    return (
        f"| {label} | {r['layers']} | {r['dump_bytes'] / 1024:.1f} KB | "
        f"{r['closure_rows']:,} ({ok}) | {r['seconds']:.2f} s | {r['closure_seconds']:.2f} s | "
        f"{r['peak_rss_mb']:,.0f} MB |"
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        layers, closure_file, timeout = int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
        print(json.dumps(measure(layers, closure_file, timeout)))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layers", type=int, nargs="+", default=[22, 200])
    parser.add_argument("--before-layers", type=int, nargs="+", default=[14, 16, 18, 20, 22])
    parser.add_argument("--before-rev", default=BEFORE_REV)
    parser.add_argument("--no-before", action="store_true")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run")
    args = parser.parse_args()

    results: dict[str, list[dict]] = {"after": [], "before": []}
    for layers in args.layers:
        results["after"].append(run_isolated(layers, "", args.timeout))
        print(row("after", results["after"][-1]), file=sys.stderr)
    before_file = None if args.no_before else closure_before(args.before_rev)
    if before_file:
        try:
            for layers in args.before_layers:
                results["before"].append(run_isolated(layers, before_file, args.timeout))
                print(row("before", results["before"][-1]), file=sys.stderr)
                if "timeout" in results["before"][-1]:
                    break  # deeper lattices take longer still
        finally:
            os.unlink(before_file)
    OUT.mkdir(parents=True, exist_ok=True)
    meta = {"before_rev": args.before_rev, "cpus": os.cpu_count(), "load": os.getloadavg()}
    (OUT / "results.json").write_text(json.dumps({**results, "meta": meta}, indent=2) + "\n")
    print(
        "| code | layers | dump | closure pairs (= 2L(L-1)?) | import | closure step | peak RSS |"
    )
    print("|---|---|---|---|---|---|---|")
    for label in ("before", "after"):
        for r in results[label]:
            print(row(f"{label} ({args.before_rev})" if label == "before" else label, r))
    print(f"load average at the end: {meta['load'][0]:.2f} on {meta['cpus']} CPUs")


if __name__ == "__main__":
    main()
