"""Render the results table of benchmarks/README.md from results.json (figures never typed in).

python benchmarks/license_identify/report.py [RESULTS_JSON]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DEFAULT = Path(__file__).resolve().parent.parent / "out" / "license_identify" / "results.json"


def render(r: dict) -> str:
    rob, sc, x = r["robinet"], r["scancode"], r["ratios"]
    lines = [
        f"| | robinet | ScanCode {sc['version']} |",
        "|---|---|---|",
        f"| version-exact accuracy, all {rob['files']} files | **{rob['accuracy']:.1%}** "
        f"({rob['right']} right, {rob['wrong']} wrong, {rob['no_answer']} no answer) | "
        f"{sc['accuracy']:.1%} ({sc['right']} right, {sc['wrong']} wrong, "
        f"{sc['no_answer']} no answer) |",
        f"| accuracy, AI-model licenses and policies ({rob['ai_model_license_files']} files) | "
        f"**{rob['accuracy_on_ai_model_licenses']:.1%}** | "
        f"{sc['accuracy_on_ai_model_licenses']:.1%} |",
        f"| accuracy, AI-model licenses ScanCode has "
        f"({rob['ai_model_license_files_scancode_knows']} files) | "
        f"**{rob['accuracy_on_ai_model_licenses_scancode_knows']:.1%}** | "
        f"{sc['accuracy_on_ai_model_licenses_scancode_knows']:.1%} |",
        f"| accuracy, all licenses ScanCode has ({rob['scancode_known_files']} files) | "
        f"**{rob['accuracy_on_scancode_known']:.1%}** | {sc['accuracy_on_scancode_known']:.1%} |",
        f"| scan only: files per second | **{rob['scan_files_per_cpu_second']}** per CPU-second "
        f"(index build, {rob['index_cpu_seconds']} CPU-s, apart) | {sc['scan_files_per_second']} "
        f"(its own reported scan phase: {sc['scan_wall_seconds']:.0f} s wall; the whole run "
        f"used {sc['cpu_seconds']:.0f} CPU-s) |",
        f"| end to end, one process on all files: CPU seconds | **{rob['cli_cpu_seconds']}** "
        f"(`robinet license identify`) | {sc['cpu_seconds']} (`scancode -n 0 --license`) |",
        "",
        f"Ratios: **{x['throughput_scan_only']}x** ScanCode's throughput on the scan itself, "
        f"**{x['throughput_end_to_end_cpu']}x** end to end.",
        "",
        "| form | robinet | ScanCode |",
        "|---|---|---|",
    ]
    for kind in sorted(rob["by_kind"]):
        lines.append(f"| {kind} | {rob['by_kind'][kind]:.0%} | {sc['by_kind'][kind]:.0%} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    sys.stdout.write(render(json.loads(path.read_text())))
