"""Hub-scale benchmark: import + lineage + obligations + conflicts vs DuckDB's bare read.

    python benchmarks/hub_scale/run.py --models 2500000   # work dir: benchmarks/out/hub_scale

Each phase runs in its own process so that its peak RSS is its own:

1. generate   the synthetic dump (generate.py), unless it already exists;
2. floor      DuckDB alone reads the same file into a table (read_json, every column):
              the least any importer of this file can cost;
3. import     `robinet.store.hub.import_dump` into a fresh on-disk store: parse,
              models/edges/license_refs, license resolution, inference, closure, anomalies,
              obligations, conflicts — end to end, one transaction;
4. lookup     `robinet.lineage.query.lineage(store, model)` for 300 models (leaves, mid-chain
              models and the largest roots), after one warm-up call: p50, p95, max;
5. split      (with --split) the same import in two transactions, in another store: the Hub
              import with `lineage=False` and its commit, then the lineage rebuild and its
              commit, so that the lineage tables' share (built in store/lineage/) is timed
              apart from the import's.

Each process reports its wall seconds and its CPU seconds (user + system, `getrusage`).

Prints one JSON document with every figure (also written to WORK/result-N.json).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

FLOOR = """
import duckdb, json, resource, sys, time
con = duckdb.connect()
con.execute("SET threads = {threads}")
con.execute("SET memory_limit = '{memory_limit}'")
t = time.perf_counter()
con.execute("CREATE TABLE t AS SELECT * FROM read_json(?, format = 'newline_delimited', "
            "ignore_errors = true, maximum_object_size = 268435456)", [sys.argv[1]])
rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({{"seconds": time.perf_counter() - t, "rows": rows,
                  "cpu_seconds": usage.ru_utime + usage.ru_stime,
                  "peak_rss_mb": usage.ru_maxrss / 1024}}))
"""

IMPORT = """
import dataclasses, json, resource, sys, time
from robinet.store import Store
from robinet.store.hub import import_dump
store = Store.open(sys.argv[2])
store.con.execute("SET threads = {threads}")
store.con.execute("SET memory_limit = '{memory_limit}'")
t = time.perf_counter()
report = import_dump(store, sys.argv[1], source='synthetic')
seconds = time.perf_counter() - t
store.con.execute("CHECKPOINT")
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({{"seconds": seconds, "models": report.models,
                  "edges_declared": report.edges_declared, "rejected": report.rejected,
                  "warnings": report.warnings, "timings": report.timings,
                  "lineage": dataclasses.asdict(report.lineage)
                  if dataclasses.is_dataclass(report.lineage) else report.lineage,
                  "cpu_seconds": usage.ru_utime + usage.ru_stime,
                  "peak_rss_mb": usage.ru_maxrss / 1024}},
                 default=str))
"""

SPLIT = """
import dataclasses, json, resource, sys, time
from robinet.store import Store
from robinet.store.hub import import_dump
from robinet.store.lineage.build import rebuild
store = Store.open(sys.argv[2])
store.con.execute("SET threads = {threads}")
store.con.execute("SET memory_limit = '{memory_limit}'")
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
t, c = time.perf_counter(), cpu()
report = import_dump(store, sys.argv[1], source='synthetic', lineage=False)
hub = {{"seconds": time.perf_counter() - t, "cpu_seconds": cpu() - c,
       "timings": report.timings}}
t, c = time.perf_counter(), cpu()
with store.transaction():
    summary = rebuild(store)
    built = time.perf_counter()
lineage = {{"seconds": time.perf_counter() - t, "commit": time.perf_counter() - built,
           "cpu_seconds": cpu() - c, "timings": dataclasses.asdict(summary)["timings"]
           if dataclasses.is_dataclass(summary) else summary["timings"]}}
print(json.dumps({{"hub_import": hub, "lineage_rebuild": lineage,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

LOOKUP = """
import json, random, resource, statistics, sys, time
from robinet.store import Store
from robinet.lineage.query import lineage
store = Store.open(sys.argv[2], read_only=True)
store.con.execute("SET threads = {threads}")
rng = random.Random(1)
leaves = [r[0] for r in store.con.execute(
    "SELECT child FROM edges USING SAMPLE 100 ROWS (reservoir, 1)").fetchall()]
mids = [r[0] for r in store.con.execute(
    "SELECT DISTINCT parent FROM edges WHERE parent IN (SELECT child FROM edges) "
    "LIMIT 100").fetchall()]
roots = [r[0] for r in store.con.execute(
    "SELECT ancestor FROM lineage_closure GROUP BY ancestor ORDER BY count(*) DESC "
    "LIMIT 100").fetchall()]
models = leaves + mids + roots
lineage(store, models[0])
times = []
for m in models:
    t = time.perf_counter()
    result = lineage(store, m)
    times.append((time.perf_counter() - t) * 1000)
times.sort()
biggest = lineage(store, roots[0]).descendants["total"] if roots else 0
print(json.dumps({{"lookups": len(times), "p50_ms": statistics.median(times),
                  "p95_ms": times[int(len(times) * 0.95) - 1], "max_ms": times[-1],
                  "largest_family_descendants": biggest,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def _run(code: str, *args: Path) -> dict:
    command = [sys.executable, "-c", code, *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-4000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=100_000)
    parser.add_argument(
        "--work", type=Path, default=HERE.parent / "out" / "hub_scale", help="dump, store, result"
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-limit", default="3GB", help="DuckDB memory_limit")
    parser.add_argument(
        "--split", action="store_true", help="also time the import and the lineage apart"
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    dump = args.work / f"hub-{args.models}.jsonl"
    db = args.work / f"hub-{args.models}.duckdb"
    result: dict = {"models": args.models, "threads": args.threads,
                    "memory_limit": args.memory_limit}  # fmt: skip
    if not dump.exists():  # in its own process too: a big parent would inflate children's RSS
        gen = subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--models", str(args.models),
             "--out", str(dump)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        result["generate"] = gen.stdout.strip().splitlines()[-1]
    result["dump_bytes"] = dump.stat().st_size
    split_db = db.with_name(f"hub-{args.models}-split.duckdb")
    for path in (db, db.with_suffix(".duckdb.wal"), split_db, split_db.with_suffix(".duckdb.wal")):
        path.unlink(missing_ok=True)
    fmt = {"threads": args.threads, "memory_limit": args.memory_limit}
    started = time.perf_counter()
    result["floor"] = _run(FLOOR.format(**fmt), dump)
    result["import"] = _run(IMPORT.format(**fmt), dump, db)
    result["lookup"] = _run(LOOKUP.format(**fmt), dump, db)
    if args.split:
        result["split"] = _run(SPLIT.format(**fmt), dump, split_db)
        split_db.unlink(missing_ok=True)
    result["ratio_import_to_floor"] = round(
        result["import"]["seconds"] / result["floor"]["seconds"], 2
    )
    result["cpu_ratio_import_to_floor"] = round(
        result["import"]["cpu_seconds"] / result["floor"]["cpu_seconds"], 2
    )
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    text = json.dumps(result, indent=2, sort_keys=True, default=str)
    (args.work / f"result-{args.models}.json").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
