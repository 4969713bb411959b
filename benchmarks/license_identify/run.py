"""License-identification benchmark: robinet vs ScanCode toolkit on the same files, one run.

    python benchmarks/license_identify/run.py [--scancode PATH] [--out DIR] [--seed N]

1. Builds the file set under OUT/files from robinet's reference texts (the real license texts
   shipped as package data: ScanCode LicenseDB texts and vendor texts) and their variants
   (variants.py: markdown, reflow, CRLF, typographic quotes, truncation, model-card README,
   light edits), plus short notices, two-license READMEs and texts with no license.
   OUT/manifest.json holds the expected license of each file.
2. Runs robinet (in this process, pinned to one CPU) and ScanCode (`scancode -n 0 --license`,
   pinned to the same CPU) on the same directory.
3. Scores version-exact accuracy for both and writes OUT/results.json and a Markdown table
   (OUT/results.md) that benchmarks/README.md quotes.

Version-exact: a file is right when the top license is the expected id (robinet) or when the
expected ScanCode key is among the keys ScanCode detects and no other knowledge-base license
is claimed (ScanCode). An abstention (robinet's `license: null`) is not right, but not wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from variants import VARIANTS  # noqa: E402

from robinet.licenses import identify_file, knowledge_base  # noqa: E402
from robinet.licenses.identify import default_index  # noqa: E402

NOTICES = {
    "llama-3.1-license-2024": "Llama 3.1 is licensed under the Llama 3.1 Community License, "
    "Copyright \u00a9 Meta Platforms, Inc. All Rights Reserved.",
    "llama-3.2-license-2024": "Llama 3.2 is licensed under the Llama 3.2 Community License, "
    "Copyright \u00a9 Meta Platforms, Inc. All Rights Reserved.",
    "llama-3-license-2024": "Meta Llama 3 is licensed under the Meta Llama 3 Community License, "
    "Copyright \u00a9 Meta Platforms, Inc. All Rights Reserved.",
    "llama-2-license-2023": "Llama 2 is licensed under the LLAMA 2 Community License, "
    "Copyright (c) Meta Platforms, Inc. All Rights Reserved.",
    "qwen-2024": "Qwen is licensed under the Qwen LICENSE AGREEMENT, Copyright (c) Alibaba "
    "Cloud. All Rights Reserved.",
    "tongyi-qianwen-2023": "Tongyi Qianwen is licensed under the Tongyi Qianwen LICENSE "
    "AGREEMENT, Copyright (c) Alibaba Cloud. All Rights Reserved.",
    "tencent-hunyuan-community-2024": "Tencent Hunyuan is licensed under the Tencent Hunyuan "
    "Community License Agreement, Copyright \u00a9 2024 Tencent. All Rights Reserved.",
    "apache-2.0": 'Licensed under the Apache License, Version 2.0 (the "License"); you may '
    "not use this file except in compliance with the License.",
}
NEGATIVES = [
    "# Tokenizer\n\nA byte-level BPE tokenizer trained on 2T tokens. Load it with "
    "`AutoTokenizer.from_pretrained`.\n",
    "## Evaluation\n\n| task | score |\n|---|---|\n| MMLU | 71.3 |\n| ARC | 64.0 |\n",
    "Copyright 2024 Example Corp. All rights reserved. No license is granted.\n",
    "This model card describes a chat model fine-tuned for customer support. " * 30,
]


def build(out: Path, seed: int) -> list[dict[str, object]]:
    files = out / "files"
    if files.exists():
        shutil.rmtree(files)
    files.mkdir(parents=True)
    rng = random.Random(seed)
    kb = knowledge_base()
    manifest: list[dict[str, object]] = []

    def add(name: str, text: str, expected: list[str], kind: str) -> None:
        (files / name).write_bytes(text.encode("utf-8"))
        manifest.append({"file": name, "expected": expected, "kind": kind})

    for entry in kb.entries:
        if not entry.terms_known:  # known by name only: there is no text to identify
            continue
        text = entry.text()
        for vname, fn in VARIANTS.items():
            add(f"{entry.id}--{vname}.txt", fn(text, rng), [entry.id], vname)
    for lid, notice in NOTICES.items():
        add(f"{lid}--notice.txt", notice + "\n", [lid], "notice")
    add(
        "two--mit-deepseek.md",
        "## Code\n\n"
        + kb.get("mit").text()
        + "\n\n## Model\n\n"
        + kb.get("deepseek-la-1.0").text(),
        ["deepseek-la-1.0", "mit"],
        "two-licenses",
    )
    for i, text in enumerate(NEGATIVES):
        add(f"none--{i}.md", text, [], "no-license")
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return manifest


def pin_one_cpu() -> str:
    try:
        cpu = sorted(os.sched_getaffinity(0))[0]
        os.sched_setaffinity(0, {cpu})
        return str(cpu)
    except (AttributeError, OSError):
        return "n/a"


def run_robinet(out: Path, manifest: list[dict[str, object]], repeat: int) -> dict[str, object]:
    """In process: accuracy, and CPU seconds of the scan loop alone, `repeat` times, each time
    with a freshly loaded index (so no run profits from an earlier one's caches). Each file's
    time is also booked by whether its token stream is a verbatim copy of a reference text
    (identified once, then answered from the first answer) or not."""
    from robinet.licenses.normalize import tokens

    paths = [out / "files" / str(row["file"]) for row in manifest]
    index_s: list[float] = []
    scan_s: list[float] = []
    verbatim_s: list[float] = []
    preds: dict[str, list[str | None]] = {}
    index = default_index()
    verbatim = {
        p.name
        for p in paths
        if index.verbatim_copy(index.token_ids(tokens(p.read_bytes().decode("utf-8-sig"))))
    }
    for _ in range(repeat):
        default_index.cache_clear()
        start = time.process_time()
        default_index()
        index_s.append(time.process_time() - start)
        in_verbatim = 0.0
        start = time.process_time()
        for path in paths:
            t0 = time.process_time()
            result = identify_file(path)
            if path.name in verbatim:
                in_verbatim += time.process_time() - t0
            preds[path.name] = [m.license for m in result.matches]
        scan_s.append(time.process_time() - start)
        verbatim_s.append(in_verbatim)
    return {
        "preds": preds,
        "index_seconds": index_s,
        "scan_seconds": scan_s,
        "verbatim_seconds": verbatim_s,
        "verbatim_files": len(verbatim),
    }


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(
    cmd: list[str], cpu: str, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """Run a command pinned to `cpu`: (process, wall seconds, CPU seconds)."""
    if cpu != "n/a" and shutil.which("taskset"):
        cmd = ["taskset", "-c", cpu, *cmd]
    cpu0, wall0 = child_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    return proc, time.perf_counter() - wall0, child_cpu() - cpu0


def run_robinet_cli(
    out: Path, manifest: list[dict[str, object]], cpu: str, repeat: int
) -> dict[str, list[float]]:
    """End to end, like ScanCode: a fresh `robinet license identify` process on every file,
    `repeat` times. robinet's modules are byte-compiled first (one untimed run), as a pip
    install does for ScanCode's: the compiled files go to OUT/pycache, not the source tree."""
    files = [str(out / "files" / str(row["file"])) for row in manifest]
    cmd = [sys.executable, "-m", "robinet", "license", "identify", "--json", *files]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(out / "pycache")
    walls: list[float] = []
    cpus: list[float] = []
    for n in range(repeat + 1):
        proc, wall, cpu_s = timed(cmd, cpu, env)
        if proc.returncode != 0:
            raise SystemExit(f"robinet CLI failed: {proc.stderr[-2000:]}")
        if n:  # the first run compiles
            walls.append(wall)
            cpus.append(cpu_s)
    return {"wall_seconds": walls, "cpu_seconds": cpus}


def spread(values: list[float], digits: int = 3) -> dict[str, float]:
    return {
        "min": round(min(values), digits),
        "median": round(statistics.median(values), digits),
        "max": round(max(values), digits),
    }


KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_-]*")
OPERATORS = {"AND", "OR", "WITH", "and", "or", "with"}


def run_scancode(exe: str, out: Path, cpu: str) -> dict[str, object]:
    result_file = out / "scancode.json"
    cmd = [exe, "-n", "0", "--license", "--timeout", "600", "--json", str(result_file)]
    cmd += [str(out / "files")]
    proc, total_s, cpu_s = timed(cmd, cpu)
    if proc.returncode != 0 or not result_file.exists():
        return {"error": (proc.stderr or proc.stdout)[-2000:], "total_seconds": total_s}
    data = json.loads(result_file.read_text())
    preds: dict[str, list[str]] = {}
    for f in data["files"]:
        if f.get("type") != "file":
            continue
        expr = f.get("detected_license_expression") or ""
        preds[Path(f["path"]).name] = [k for k in KEY.findall(expr) if k not in OPERATORS]
    header = data["headers"][0]
    timing = re.search(r"scan: ([0-9.]+)s", proc.stderr + proc.stdout)
    return {
        "preds": preds,
        "total_seconds": total_s,
        "cpu_seconds": cpu_s,
        "scan_seconds": float(timing.group(1)) if timing else None,
        "scancode_version": header.get("tool_version"),
        "duration_seconds": header.get("duration"),
    }


def score(
    manifest: list[dict[str, object]], preds: dict[str, list], tool: str
) -> dict[str, object]:
    kb = knowledge_base()
    known = {e.scancode_key or e.id for e in kb.entries}
    by_kind: dict[str, list[int]] = {}
    right = wrong = abstain = 0
    sc_right = sc_total = 0
    ai_right = ai_total = ai_sc_right = ai_sc_total = 0
    for row in manifest:
        name, expected = str(row["file"]), list(row["expected"])  # type: ignore[call-overload]
        got = preds.get(name, [])
        if tool == "robinet":
            exp_keys, claimed = set(expected), {g for g in got if g}
        else:  # ScanCode names licenses by ScanCode key; vendor-only texts it cannot name
            exp_keys = {kb.get(e).scancode_key or e for e in expected}
            claimed = {g for g in got if g in known}
        # the same rule for both: every expected license found, no other known license claimed
        ok = exp_keys == claimed
        bad = bool(claimed - exp_keys)
        abst = not ok and not bad
        right += ok
        wrong += bad
        abstain += abst
        by_kind.setdefault(str(row["kind"]), [0, 0])
        by_kind[str(row["kind"])][0] += ok
        by_kind[str(row["kind"])][1] += 1
        if all(kb.get(e).scancode_key for e in expected):
            sc_total += 1
            sc_right += ok
        if expected and all(kb.get(e).category != "generic" for e in expected):
            ai_total += 1
            ai_right += ok
            if all(kb.get(e).scancode_key for e in expected):
                ai_sc_total += 1
                ai_sc_right += ok
    n = len(manifest)
    return {
        "files": n,
        "right": right,
        "wrong": wrong,
        "no_answer": abstain,
        "accuracy": round(right / n, 4),
        "accuracy_on_scancode_known": round(sc_right / max(sc_total, 1), 4),
        "scancode_known_files": sc_total,
        "accuracy_on_ai_model_licenses": round(ai_right / max(ai_total, 1), 4),
        "ai_model_license_files": ai_total,
        "accuracy_on_ai_model_licenses_scancode_knows": round(ai_sc_right / max(ai_sc_total, 1), 4),
        "ai_model_license_files_scancode_knows": ai_sc_total,
        "by_kind": {k: round(v[0] / v[1], 3) for k, v in sorted(by_kind.items())},
    }


def add_ratios(results: dict) -> None:
    """Ratios of robinet to ScanCode, from results.json's own figures (also re-run by
    `--recompute` on a saved results.json).

    ScanCode reports its scan phase in wall seconds; on a shared machine its wall time exceeds
    its CPU time. Its scan CPU is estimated as its whole CPU time minus all of its non-scan
    *wall* time (as if its start-up and output had used the CPU all along): an upper bound on
    ScanCode's scan rate, so the scan ratio is a lower bound."""
    rob, sc = results["robinet"], results["scancode"]
    n = results["files"]
    sc_cpu = float(sc["cpu_seconds"])
    scan_cpu = sc_cpu
    if sc.get("scan_wall_seconds"):
        setup_wall = float(sc["wall_seconds"]) - float(sc["scan_wall_seconds"])
        scan_cpu = min(sc_cpu, max(sc_cpu - setup_wall, 0.5 * sc_cpu))
    sc["scan_cpu_seconds_estimate"] = round(scan_cpu, 2)
    sc["scan_files_per_cpu_second"] = round(n / scan_cpu, 3)
    rate = n / scan_cpu
    fps, cli = rob["scan_files_per_cpu_second"], rob["cli_cpu_seconds"]
    results["ratios"] = {
        "throughput_scan_only": {k: round(fps[k] / rate, 1) for k in ("min", "median", "max")},
        "throughput_scan_only_not_verbatim": {
            k: round(rob["scan_files_per_cpu_second_not_verbatim"][k] / rate, 1)
            for k in ("min", "median", "max")
        },
        "throughput_end_to_end_cpu": {
            "min": round(sc_cpu / cli["max"], 1),
            "median": round(sc_cpu / cli["median"], 1),
            "max": round(sc_cpu / cli["min"], 1),
        },
        "accuracy_robinet": rob["accuracy"],
        "accuracy_scancode": sc["accuracy"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE.parent / "out" / "license_identify")
    parser.add_argument(
        "--scancode",
        default=str(HERE.parent / "out" / "scancode-venv" / "bin" / "scancode"),
        help="ScanCode executable (see benchmarks/README.md for its venv)",
    )
    parser.add_argument("--seed", type=int, default=20240901)
    parser.add_argument(
        "--repeat", type=int, default=5, help="robinet timings repeated (min/median/max)"
    )
    parser.add_argument("--no-scancode", action="store_true", help="time robinet only")
    parser.add_argument(
        "--recompute", action="store_true", help="only recompute the ratios of OUT/results.json"
    )
    args = parser.parse_args()
    out: Path = args.out
    if args.recompute:
        saved = json.loads((out / "results.json").read_text())
        add_ratios(saved)
        (out / "results.json").write_text(json.dumps(saved, indent=2, sort_keys=True))
        print(json.dumps(saved["ratios"], indent=2, sort_keys=True))
        return
    out.mkdir(parents=True, exist_ok=True)
    manifest = build(out, args.seed)
    cpu = pin_one_cpu()
    print(f"{len(manifest)} files; pinned to CPU {cpu}", file=sys.stderr)

    rob = run_robinet(out, manifest, args.repeat)
    n = len(manifest)
    results: dict[str, object] = {"files": n, "cpu": cpu, "repeat": args.repeat}
    rob_score = score(manifest, rob["preds"], "robinet")  # type: ignore[arg-type]
    scans: list[float] = rob["scan_seconds"]  # type: ignore[assignment]
    verb: list[float] = rob["verbatim_seconds"]  # type: ignore[assignment]
    n_verb = int(rob["verbatim_files"])  # type: ignore[call-overload]
    cli = run_robinet_cli(out, manifest, cpu, args.repeat)
    results["robinet"] = {
        **rob_score,
        "index_cpu_seconds": spread(rob["index_seconds"]),  # type: ignore[arg-type]
        "scan_cpu_seconds": spread(scans),
        "scan_files_per_cpu_second": spread([n / t for t in scans], 1),
        "verbatim_files": n_verb,
        "scan_files_per_cpu_second_not_verbatim": spread(
            [(n - n_verb) / (t - v) for t, v in zip(scans, verb, strict=True)], 1
        ),
        "scan_cpu_seconds_runs": [round(t, 3) for t in scans],
        "cli_cpu_seconds_runs": [round(t, 2) for t in cli["cpu_seconds"]],
        "cli_wall_seconds": spread(cli["wall_seconds"], 2),
        "cli_cpu_seconds": spread(cli["cpu_seconds"], 2),
        "cli_files_per_cpu_second": spread([n / t for t in cli["cpu_seconds"]], 1),
    }
    print("robinet:", json.dumps(results["robinet"]), file=sys.stderr)

    if args.no_scancode:
        results["scancode"] = {"error": "not run (--no-scancode)"}
    elif Path(args.scancode).exists():
        sc = run_scancode(args.scancode, out, cpu)
        if "error" in sc:
            results["scancode"] = {"error": sc["error"]}
        else:
            sc_score = score(manifest, sc["preds"], "scancode")  # type: ignore[arg-type]
            sc_cpu = float(sc["cpu_seconds"])  # type: ignore[arg-type]
            sc_scan = sc["scan_seconds"]
            results["scancode"] = {
                **sc_score,
                "version": sc["scancode_version"],
                "wall_seconds": round(float(sc["total_seconds"]), 2),  # type: ignore[arg-type]
                "cpu_seconds": round(sc_cpu, 2),
                "files_per_cpu_second": round(n / sc_cpu, 2),
                "scan_wall_seconds": sc_scan,
                "scan_files_per_second": round(n / float(sc_scan), 2) if sc_scan else None,  # type: ignore[arg-type]
            }
            add_ratios(results)
        print("scancode:", json.dumps(results["scancode"]), file=sys.stderr)
    else:
        results["scancode"] = {"error": f"not installed at {args.scancode}"}
    (out / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True))
    print(json.dumps(results, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
