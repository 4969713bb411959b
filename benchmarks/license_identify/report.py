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
    fps, nv = rob["scan_files_per_cpu_second"], rob["scan_files_per_cpu_second_not_verbatim"]
    cli = rob["cli_cpu_seconds"]
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
        f"| scan only: files per CPU-second, median of {r['repeat']} runs (min–max) | "
        f"**{fps['median']}** ({fps['min']}–{fps['max']}; index load "
        f"{rob['index_cpu_seconds']['median']} CPU-s, apart) | "
        f"{sc['scan_files_per_cpu_second']:.2f} "
        f"(its reported scan phase took {sc['scan_wall_seconds']:.0f} s wall of a "
        f"{sc['wall_seconds']:.0f} s run that used {sc['cpu_seconds']:.0f} CPU-s: scan CPU "
        f"taken as at least {sc['scan_cpu_seconds_estimate']:.0f} s) |",
        f"| scan only, the {rob['files'] - rob['verbatim_files']} files that are not verbatim "
        f"copies of a reference text | **{nv['median']}** ({nv['min']}–{nv['max']}) | "
        f"not timed apart (compared with its {sc['scan_files_per_cpu_second']:.2f} on all) |",
        f"| end to end, one process on all files: CPU seconds, median (min–max) | "
        f"**{cli['median']}** ({cli['min']}–{cli['max']}; `robinet license identify`) | "
        f"{sc['cpu_seconds']} (`scancode -n 0 --license`) |",
        "",
        f"Ratios (median, min–max over the {r['repeat']} robinet runs): "
        f"**{x['throughput_scan_only']['median']}x** "
        f"({x['throughput_scan_only']['min']}–{x['throughput_scan_only']['max']}x) ScanCode's "
        f"throughput on the scan itself "
        f"(**{x['throughput_scan_only_not_verbatim']['median']}x** on the files that are not "
        f"verbatim copies), **{x['throughput_end_to_end_cpu']['median']}x** "
        f"({x['throughput_end_to_end_cpu']['min']}–{x['throughput_end_to_end_cpu']['max']}x) "
        "end to end.",
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
