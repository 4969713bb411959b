"""Screenshots of the five main pages at 1400 px and 390 px wide, with Debian's chromium.

    python benchmarks/web_load/screenshots.py --url http://127.0.0.1:8765 --out /tmp/shots

Start `robinet serve` first. Writes PAGE-WIDTH.png files (full page) into --out."""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = {
    "home": "/",
    "releases": "/releases?org=deepseek",
    "signals": "/signals",
    "model": "/models/meta-llama/Meta-Llama-3-8B-Instruct?monthly_users=900000000",
    "license": "/licenses/llama-3.1-license-2024",
    "lab": "/labs/deepseek",
    "compare": "/compare?ids=llama-3.1-license-2024,qwen-2024,deepseek-la-1.0,mit",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8765")
    parser.add_argument("--out", type=Path, default=Path("/tmp/robinet-shots"))
    parser.add_argument("--full", action="store_true", help="full-page screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--no-proxy-server"]
        )
        for width in (1400, 390):
            page = browser.new_page(viewport={"width": width, "height": 1000})
            for name, path in PAGES.items():
                page.goto(args.url + path, wait_until="networkidle")
                page.wait_for_timeout(800)  # charts finish drawing
                target = args.out / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=args.full)
                print(target)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
