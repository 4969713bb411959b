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


def run_robinet(out: Path, manifest: list[dict[str, object]]) -> dict[str, object]:
    """In process: accuracy, and CPU seconds of the scan loop alone (index built first)."""
    start = time.process_time()
    default_index()
    index_s = time.process_time() - start
    preds: dict[str, list[str | None]] = {}
    start = time.process_time()
    for row in manifest:
        result = identify_file(out / "files" / str(row["file"]))
        preds[str(row["file"])] = [m.license for m in result.matches]
    scan_s = time.process_time() - start
    return {"preds": preds, "index_seconds": index_s, "scan_seconds": scan_s}


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], cpu: str) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """Run a command pinned to `cpu`: (process, wall seconds, CPU seconds)."""
    if cpu != "n/a" and shutil.which("taskset"):
        cmd = ["taskset", "-c", cpu, *cmd]
    cpu0, wall0 = child_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return proc, time.perf_counter() - wall0, child_cpu() - cpu0


def run_robinet_cli(out: Path, manifest: list[dict[str, object]], cpu: str) -> dict[str, float]:
    """End to end, like ScanCode: a fresh `robinet license identify` process on every file."""
    files = [str(out / "files" / str(row["file"])) for row in manifest]
    cmd = [sys.executable, "-m", "robinet", "license", "identify", "--json", *files]
    proc, wall, cpu_s = timed(cmd, cpu)
    if proc.returncode != 0:
        raise SystemExit(f"robinet CLI failed: {proc.stderr[-2000:]}")
    return {"wall_seconds": wall, "cpu_seconds": cpu_s}


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE.parent / "out" / "license_identify")
    parser.add_argument(
        "--scancode",
        default=str(HERE.parent / "out" / "scancode-venv" / "bin" / "scancode"),
        help="ScanCode executable (see benchmarks/README.md for its venv)",
    )
    parser.add_argument("--seed", type=int, default=20240901)
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    manifest = build(out, args.seed)
    cpu = pin_one_cpu()
    print(f"{len(manifest)} files; pinned to CPU {cpu}", file=sys.stderr)

    rob = run_robinet(out, manifest)
    n = len(manifest)
    results: dict[str, object] = {"files": n, "cpu": cpu}
    rob_score = score(manifest, rob["preds"], "robinet")  # type: ignore[arg-type]
    scan_s = float(rob["scan_seconds"])  # type: ignore[arg-type]
    cli = run_robinet_cli(out, manifest, cpu)
    results["robinet"] = {
        **rob_score,
        "index_cpu_seconds": round(float(rob["index_seconds"]), 3),  # type: ignore[arg-type]
        "scan_cpu_seconds": round(scan_s, 3),
        "scan_files_per_cpu_second": round(n / scan_s, 1),
        "cli_wall_seconds": round(cli["wall_seconds"], 2),
        "cli_cpu_seconds": round(cli["cpu_seconds"], 2),
        "cli_files_per_cpu_second": round(n / cli["cpu_seconds"], 1),
    }
    print("robinet:", json.dumps(results["robinet"]), file=sys.stderr)

    if Path(args.scancode).exists():
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
            results["ratios"] = {
                "throughput_end_to_end_cpu": round(sc_cpu / cli["cpu_seconds"], 1),
                "throughput_scan_only": (
                    round((n / scan_s) / (n / float(sc_scan)), 1) if sc_scan else None  # type: ignore[arg-type]
                ),
                "accuracy_robinet": rob_score["accuracy"],
                "accuracy_scancode": sc_score["accuracy"],
            }
        print("scancode:", json.dumps(results["scancode"]), file=sys.stderr)
    else:
        results["scancode"] = {"error": f"not installed at {args.scancode}"}
    (out / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True))
    print(json.dumps(results, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
