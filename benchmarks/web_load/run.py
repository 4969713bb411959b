"""Load benchmark of `robinet serve`: 16 concurrent clients on loopback, bounded.

    python benchmarks/web_load/run.py [--db PATH] [--requests 400] [--clients 16]

Starts `robinet serve --port 0` (loopback only) on the store, warms each endpoint once, then
for each endpoint runs --clients threads (one keep-alive connection each) sending --requests
GETs in all, and reports throughput, p50 and p99 latency and errors. `/healthz` (no store
access) runs first, as the same server's baseline. Target: p99 of the model page within 5x the
p99 of /healthz, no errors. Stops by itself: the request count is fixed and each request
times out after 30 s."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time

ENDPOINTS = {
    "healthz": "/healthz",
    "model page": "/models/meta-llama/Meta-Llama-3-8B-Instruct",
    "model API": "/api/models/meta-llama/Meta-Llama-3-8B-Instruct",
    "check API": "/api/models/meta-llama/Meta-Llama-3-8B-Instruct/check?monthly_users=900000000",
    "license API": "/api/licenses/llama-3.1-license-2024",
    "license page": "/licenses/llama-3.1-license-2024",
    "releases API": "/api/releases?org=deepseek",
    "releases page": "/releases?org=meta&limit=100",
}


def _client(port: int, path: str, count: int, out: list[float], errors: list[str]) -> None:
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(count):
        start = time.perf_counter()
        try:
            con.request("GET", path)
            response = con.getresponse()
            response.read()
            if response.status != 200:
                errors.append(str(response.status))
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            con.close()
            con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        out.append(time.perf_counter() - start)
    con.close()


def run(port: int, path: str, clients: int, requests: int) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[str] = []
    per = max(1, requests // clients)
    threads = [
        threading.Thread(target=_client, args=(port, path, per, latencies, errors))
        for _ in range(clients)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "errors": len(errors),
        "rps": len(ordered) / elapsed,
        "p50_ms": 1000 * statistics.median(ordered),
        "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=None)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    command = [sys.executable, "-m", "robinet", "serve", "--port", "0", "--host", "127.0.0.1"]
    if args.db:
        command += ["--db", args.db]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        for path in ENDPOINTS.values():  # warm: first hits build the per-process caches
            run(port, path, 1, 1)
        results = {
            name: run(port, path, args.clients, args.requests) for name, path in ENDPOINTS.items()
        }
        results["healthz (again)"] = run(port, "/healthz", args.clients, args.requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
    # The baseline is the stricter of the two /healthz runs (the first one pays the start of
    # the 16 connections and threads).
    base = min(results["healthz"]["p99_ms"], results["healthz (again)"]["p99_ms"])
    print(
        f"{'endpoint':<15} {'req':>5} {'err':>4} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'p99/healthz':>11}"
    )
    for name, r in results.items():
        print(
            f"{name:<15} {r['requests']:>5} {r['errors']:>4} {r['rps']:>8.0f} {r['p50_ms']:>8.1f} "
            f"{r['p99_ms']:>8.1f} {r['p99_ms'] / base:>11.1f}"
        )
    ratio = results["model page"]["p99_ms"] / base
    ok = ratio <= 5 and not any(r["errors"] for r in results.values())
    print(json.dumps({"model_page_p99_over_healthz_p99": round(ratio, 2), "target_met": ok}))


if __name__ == "__main__":
    main()
