"""Load the HTML report in headless Chromium and check that every chart rendered.

Skipped, with the reason printed, when no Chromium binary is installed
(`apt-get install -y chromium`)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from robinet.report.build import render_html

CHROMIUM = next(
    (p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p),
    None,
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium binary: apt-get install -y chromium to run this check"
)


def _dump_dom(page: Path) -> str:
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=20000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_every_chart_renders_with_a_title(built_report, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(built_report.report), encoding="utf-8")
    dom = _dump_dom(page)
    figures = [s for s in built_report.report.sections if s.figure is not None]
    # Plotly draws one "main-svg" root per rendered chart (two per chart: plot and overlay).
    drawn = len(re.findall(r'class="main-svg"', dom))
    assert drawn >= len(figures), (drawn, len(figures))
    titles = re.findall(r'class="gtitle"[^>]*>([^<]+)<', dom)
    for s in figures:
        assert s.figure.layout.title.text in html.unescape(" ".join(titles)), s.key
    assert 'id="findings"' in dom and dom.index('id="findings"') < dom.index('id="sources"')
