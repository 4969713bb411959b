"""Start-up benchmark: one robinet command against a bare `python -c pass`, side by side.

    python benchmarks/startup/run.py [--runs N] [--out DIR] [--cpu N] [--no-importtime]

Each round runs every command once, in a rotating order, as a fresh process of
`sys.executable` (never a pyenv shim: a shim is itself a process start). The floor (bare
Python) runs in the same rounds as the measured commands, so both see the same machine load;
the ratio is the median over rounds of (command / floor of that round), with the ratio of the
medians beside it.

Commands:

- `floor`: `python -c pass` (every ratio is against it)
- `floor-no-site`: `python -S -c pass`, to show what site-packages and its `.pth` start-up
  hooks add to every start on this machine
- `engine`: the license engine alone, as a library (`check` of Llama 3.1 at 800M users)
- `license-check`: `python -m robinet license check llama-3.1-license-2024
  --monthly-users 800000000`
- `check`: `python -m robinet check meta-llama/Meta-Llama-3.1-8B-Instruct --db OUT/store.duckdb`
  (a model of the bundled store; the store is seeded once, untimed, before the rounds)

Modules are byte-compiled into OUT/pycache by one untimed run of each command (an installed
package is compiled by pip; without a cache each start would compile robinet from source).
With `--importtime` on (the default), each command also runs K times under `-X importtime` and
OUT/importtime.json gets the median cumulative import time of every top-level module and of
every module robinet imports directly, so that the cost of each import can be named.
Results: OUT/results.json and a Markdown table on stdout (quoted in benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct"
ENGINE = (
    "from robinet.licenses import UseCase, check; "
    "check('llama-3.1-license-2024', UseCase(monthly_users=800_000_000))"
)


def commands(out: Path) -> dict[str, list[str]]:
    py = sys.executable
    return {
        "floor": [py, "-c", "pass"],
        # information only: the floor without site-packages (.pth start-up hooks included)
        "floor-no-site": [py, "-S", "-c", "pass"],
        "engine": [py, "-c", ENGINE],
        "license-check": [
            *(py, "-m", "robinet", "license", "check", "llama-3.1-license-2024"),
            *("--monthly-users", "800000000"),
        ],
        "check": [py, "-m", "robinet", "check", MODEL, "--db", str(out / "store.duckdb")],
    }


def environment(out: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(out / "pycache")
    return env


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the child, exit code)"""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def measure(cmds: dict[str, list[str]], env: dict[str, str], runs: int) -> dict:
    names = list(cmds)
    wall: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    codes: dict[str, set[int]] = defaultdict(set)
    for r in range(runs):
        order = names[r % len(names) :] + names[: r % len(names)]  # rotate who goes first
        for name in order:
            w, c, code = run_once(cmds[name], env)
            wall[name].append(w)
            cpu[name].append(c)
            codes[name].add(code)
    results: dict[str, dict] = {}
    for name in names:
        per_round = [w / f for w, f in zip(wall[name], wall["floor"], strict=True)]
        results[name] = {
            "command": " ".join(Path(a).name if a == sys.executable else a for a in cmds[name]),
            "exit_codes": sorted(codes[name]),
            "wall_median_s": round(statistics.median(wall[name]), 4),
            "wall_min_s": round(min(wall[name]), 4),
            "wall_max_s": round(max(wall[name]), 4),
            "cpu_median_s": round(statistics.median(cpu[name]), 4),
            "ratio_median_of_rounds": round(statistics.median(per_round), 2),
            "ratio_of_medians": round(
                statistics.median(wall[name]) / statistics.median(wall["floor"]), 2
            ),
        }
    return results


_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


def importtimes(cmd: list[str], env: dict[str, str], repeat: int) -> dict[str, dict[str, float]]:
    """Median cumulative import time (ms) of every module imported at top level, and of every
    module a robinet module imports directly ("robinet.x -> y")."""
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(repeat):
        done = subprocess.run(
            [cmd[0], "-X", "importtime", *cmd[1:]],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        # importtime prints children before their parent: keep a stack of pending children
        pending: list[tuple[int, str, float]] = []
        for line in done.stderr.splitlines():
            m = _LINE.match(line)
            if not m:
                continue
            cumulative, depth, name = int(m.group(2)) / 1000, len(m.group(3)) // 2, m.group(4)
            children = [p for p in pending if p[0] == depth + 1]
            pending = [p for p in pending if p[0] <= depth]
            if name.startswith("robinet"):
                for _, child, ms in children:
                    samples[f"{name} -> {child}"].append(ms)
            if depth == 0:
                samples[name].append(cumulative)
            pending.append((depth, name, cumulative))
    return {
        k: {"median_ms": round(statistics.median(v), 2), "seen": len(v)}
        for k, v in sorted(samples.items(), key=lambda kv: -statistics.median(kv[1]))
    }


def table(results: dict) -> str:
    rows = [
        "| command | wall, median (min–max) | CPU, median | × bare Python (median of rounds) "
        "| × (ratio of medians) |",
        "|---|---|---|---|---|",
    ]
    for name, r in results.items():
        rows.append(
            f"| `{name}` | {r['wall_median_s'] * 1000:.0f} ms "
            f"({r['wall_min_s'] * 1000:.0f}–{r['wall_max_s'] * 1000:.0f}) "
            f"| {r['cpu_median_s'] * 1000:.0f} ms | {r['ratio_median_of_rounds']:.2f}x "
            f"| {r['ratio_of_medians']:.2f}x |"
        )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="rounds (default 30)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "startup")
    parser.add_argument("--importtime-runs", type=int, default=7)
    parser.add_argument("--no-importtime", action="store_true")
    parser.add_argument("--cpu", type=int, help="pin this process and its children to one CPU")
    args = parser.parse_args()
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    env = environment(out)
    cmds = commands(out)
    for name, cmd in cmds.items():  # untimed: seed the store, byte-compile every module
        _, _, code = run_once(cmd, env)
        if code not in (0, 1):  # 1 is the deny verdict both checks give
            print(f"{name} failed (exit {code}): {' '.join(cmd)}", file=sys.stderr)
            return 2
    results = measure(cmds, env, args.runs)
    doc: dict = {
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "runs": args.runs,
        "cpu": args.cpu,
        "results": results,
    }
    if not args.no_importtime:
        doc["importtime"] = {
            name: importtimes(cmd, env, args.importtime_runs) for name, cmd in cmds.items()
        }
        (out / "importtime.json").write_text(json.dumps(doc["importtime"], indent=2) + "\n")
    (out / "results.json").write_text(json.dumps(doc, indent=2) + "\n")
    print(table(results))
    print(f"\n{args.runs} rounds; load average {doc['load_average']}; {out / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
