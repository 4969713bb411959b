"""Hostile dumps: time and peak memory of `import_dump` on inputs built to hurt it.

    python benchmarks/hostile_inputs/run.py                 # work dir: benchmarks/out/hostile
    python benchmarks/hostile_inputs/run.py --line-mib 1024 # the issue's case (the default)

Each case is generated streaming (never held in memory), then imported by a fresh process
(so its peak RSS, `ru_maxrss`, is its own) into an in-memory store:

- `large-line.jsonl.gz`: 3 good records, one record whose line is `--line-mib` MiB of one
  string (1 GiB compresses to about 1 MB), 3 good records. The issue measured 5.37 GB of
  peak memory for it (the damaged-gzip fallback read the whole line into Python).
- `large-tags.csv`: the top-models CSV with one `tags` field of `--tags-mib` MiB (a Python
  list repr of short strings: `ast.literal_eval` cost hundreds of times its size), over the
  16 MiB line cap; `large-tags-under-cap.csv` the same with `--tags-under-mib` MiB, under the
  cap, so that the tag parser itself is timed.

`--code DIR` imports with another copy of robinet's sources (e.g. `git archive HEAD src`
unpacked in DIR), to measure the code before a change on the same inputs in the same run.
Prints one JSON document; also written to WORK/result.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MIB = 1 << 20

IMPORT = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[2]) if sys.argv[2] else None
from robinet.store import Store
try:
    from robinet.store.hub import import_dump
except ImportError:  # the code before the loader moved under store/
    from robinet.store.hub import import_dump
store = Store.memory()
started = time.perf_counter()
outcome = {}
try:
    report = import_dump(store, sys.argv[1], source="hostile")
    outcome = {"models": report.models, "warnings": list(report.warning_sample)[:5]}
except Exception as exc:  # the figure is what it cost, whatever the answer
    outcome = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
outcome["seconds"] = round(time.perf_counter() - started, 2)
outcome["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(outcome))
"""


def _good(i: int) -> bytes:
    return json.dumps({"id": f"org/good{i}", "tags": ["license:mit"]}).encode() + b"\n"


def large_line_gzip(path: Path, line_mib: int) -> int:
    """Write the large-line dump streaming; return its size on disk."""
    block = b"a" * MIB
    with gzip.open(path, "wb", compresslevel=9) as out:
        for i in range(3):
            out.write(_good(i))
        out.write(b'{"id": "org/huge", "note": "')
        for _ in range(line_mib):
            out.write(block)
        out.write(b'"}\n')
        for i in range(3, 6):
            out.write(_good(i))
    return path.stat().st_size


def large_tags_csv(path: Path, tags_mib: int) -> int:
    """The top-models CSV header, a few rows, one row whose tags field is `tags_mib` MiB."""
    header = "modelId,author,downloads,lastModified,tags\n"
    tag = "'x',"
    with path.open("w", encoding="utf-8") as out:
        out.write(header)
        out.write("org/a,org,1,2024-01-01T00:00:00.000Z,\"['license:mit']\"\n")
        out.write('org/big,org,1,2024-01-01T00:00:00.000Z,"[')
        for _ in range(tags_mib * MIB // len(tag)):
            out.write(tag)
        out.write("'y']\"\n")
        out.write("org/b,org,1,2024-01-01T00:00:00.000Z,\"['license:mit']\"\n")
    return path.stat().st_size


def _import(path: Path, code: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT, str(path), code],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"crashed": done.returncode, "stderr": done.stderr[-1000:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=HERE.parent / "out" / "hostile")
    parser.add_argument("--line-mib", type=int, default=1024)
    parser.add_argument("--tags-mib", type=int, default=64)
    parser.add_argument("--tags-under-mib", type=int, default=12)
    parser.add_argument("--code", default="", help="a folder holding another robinet package")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    result: dict = {"code": args.code or "this checkout"}
    cases = {
        "large-line.jsonl.gz": (large_line_gzip, args.line_mib),
        "large-tags.csv": (large_tags_csv, args.tags_mib),
        "large-tags-under-cap.csv": (large_tags_csv, args.tags_under_mib),
    }
    for name, (build, size) in cases.items():
        path = args.work / name
        started = time.perf_counter()
        on_disk = build(path, size)
        result[name] = {
            "uncompressed_mib": size,
            "bytes_on_disk": on_disk,
            "generate_seconds": round(time.perf_counter() - started, 2),
            "import": _import(path, args.code),
        }
    text = json.dumps(result, indent=2, sort_keys=True)
    (args.work / "result.json").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
