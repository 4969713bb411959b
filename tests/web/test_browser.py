"""The site in a real browser: Debian's chromium driven by Playwright, against `robinet serve`
on a loopback port. Checks that every page loads without a CSP violation or a script error,
that the charts render, that the verdict form answers, and that a card's script payloads
stay text. Skipped, with the reason, when chromium or playwright is missing
(`apt-get install -y chromium`, `pip install playwright`: never a browser download)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.conftest import HOSTILE, LLAMA

CHROMIUM = next(
    (p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p and Path(p).exists()),
    None,
)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="pip install playwright to run the browser checks"
)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium: apt-get install -y chromium")


@pytest.fixture(scope="module")
def server(web_db: Path) -> Iterator[str]:
    """`robinet serve --port 0` in a subprocess; its first line names the URL."""
    env = {**os.environ, "ROBINET_DB": str(web_db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "robinet", "serve", "--port", "0", "--db", str(web_db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line, (line, proc.stderr.read() if proc.poll() else "")
        yield line.split()[2].rstrip("/")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--no-proxy-server"])
        yield b
        b.close()


def _open(browser: Any, url: str, width: int = 1400) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: (problems.append("dialog: " + d.message), d.dismiss()))
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    return page, problems


PAGES = [
    "/",
    "/releases",
    "/signals",
    "/labs/deepseek",
    f"/models/{LLAMA}",
    "/licenses",
    "/licenses/llama-3.1-license-2024",
    "/compare?ids=mit,llama-3.1-license-2024",
    "/docs",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_errors(server: str, browser: Any, path: str) -> None:
    page, problems = _open(browser, server + path)
    page.wait_for_timeout(300)
    if path == "/docs":
        page.wait_for_selector(".opblock", timeout=15000)  # swagger-ui drew the operations
    assert problems == [], problems
    page.close()


@pytest.mark.parametrize("path", ["/", "/labs/deepseek"])
def test_charts_render(server: str, browser: Any, path: str) -> None:
    page, problems = _open(browser, server + path)
    charts = page.locator(".chart").count()
    assert charts >= 1
    page.wait_for_function(
        f"document.querySelectorAll('.chart[data-rendered]').length === {charts}", timeout=30000
    )
    assert page.locator(".chart .main-svg").count() >= charts
    assert problems == [], problems
    page.close()


def test_verdict_form_answers(server: str, browser: Any) -> None:
    page, problems = _open(browser, server + f"/models/{LLAMA}")
    assert "conditional" in page.locator(".verdict").inner_text()
    page.fill("input[name=monthly_users]", "900000000")
    page.click("form.use button[type=submit]")
    page.wait_for_url("**monthly_users=900000000**")
    verdict = page.locator(".verdict").inner_text()
    assert "deny" in verdict and "exit code 1" in verdict
    assert problems == [], problems
    page.close()


def test_script_payloads_in_a_card_render_as_text(server: str, browser: Any) -> None:
    page, problems = _open(browser, server + f"/models/{HOSTILE}")
    page.wait_for_timeout(300)
    assert "<script>alert('xss')</script>" in page.locator("#license").inner_text()
    assert page.locator("#license script, #license img").count() == 0
    assert not [p for p in problems if p.startswith("dialog")], problems
    page.close()
