"""The pages, in process: each renders, links to its JSON twin, runs no inline script, and
shows untrusted Hub data as text."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.web.conftest import HOSTILE, LLAMA

PAGES = {
    "/": "/api/report",
    "/releases?org=deepseek&sort=date&order=desc": "/api/releases?org=deepseek",
    "/signals?direction=closing": "/api/alerts?direction=closing",
    "/labs/deepseek": "/api/labs/deepseek",
    f"/models/{LLAMA}": f"/api/models/{LLAMA}",
    "/licenses": "/api/licenses",
    "/licenses/llama-3.1-license-2024": "/api/licenses/llama-3.1-license-2024",
    "/compare?ids=mit,llama-3.1-license-2024": "/api/compare?ids=mit%2Cllama-3.1-license-2024",
    "/docs": None,
}


def _no_inline_script(html: str) -> None:
    for tag, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        assert 'src="/static/' in tag and not body.strip(), tag
    assert not re.search(r"<[a-z][^>]*\son[a-z]+=", html), "no inline event handler"
    assert 'style="' not in html, "no inline style (the CSP allows none)"


@pytest.mark.parametrize("url", sorted(PAGES))
def test_page_renders_with_its_json_twin(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    _no_inline_script(html)
    twin = PAGES[url]
    if twin:
        assert f'href="{twin.replace("&", "&amp;")}' in html, twin
        assert client.get(twin.replace("&amp;", "&")).status_code == 200
    assert "https://cdn" not in html and "//cdn." not in html


def test_home_has_the_reports_findings_and_charts(client: Any) -> None:
    html = client.get("/").text
    assert 'id="findings"' in html
    assert html.count('class="chart"') >= 5
    assert 'src="/static/plotly.min.js"' in html and 'src="/static/charts.js"' in html
    for link in ("/releases", "/signals", "/licenses", "/compare", "/labs/deepseek"):
        assert f'href="{link}' in html


def test_model_page_sections_and_verdict_form(client: Any) -> None:
    html = client.get(f"/models/{LLAMA}").text
    for section in (
        'id="license"',
        'id="verdict"',
        'id="lineage"',
        'id="conflicts"',
        'id="openness"',
    ):
        assert section in html
    assert 'name="monthly_users"' in html and 'name="purposes"' in html
    assert "decision-conditional" in html
    denied = client.get(f"/models/{LLAMA}?monthly_users=900000000").text
    assert "decision-deny" in denied and "exit code 1" in denied
    bad = client.get(f"/models/{LLAMA}?region=ZZ")
    assert bad.status_code == 422 and "ZZ" in bad.text


def test_page_errors_are_pages_with_the_hint(client: Any) -> None:
    response = client.get("/models/meta-llama/Meta-Llama-3-8B-Instrct")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert LLAMA in response.text and "did you mean" in response.text
    assert client.get("/no-such-page").status_code == 404
    assert client.get("/releases?limit=5000").status_code == 422


def test_goto_redirects_only_to_our_model_pages(client: Any) -> None:
    response = client.get(f"/go?model={LLAMA}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/models/{LLAMA}"
    sneaky = client.get("/go?model=//evil.example/x", follow_redirects=False)
    assert sneaky.headers["location"].startswith("/models/")


def test_releases_page_sorts_pages_and_downloads(client: Any) -> None:
    html = client.get("/releases?org=deepseek&limit=3").text
    assert "next →" in html and "/api/releases.csv?org=deepseek" in html
    assert 'aria-sort="ascending"' in html
    assert "<abbr title=" in html  # provenance of each release's sources, on hover


def test_hostile_card_renders_as_text(client: Any) -> None:
    response = client.get(f"/models/{HOSTILE}")
    assert response.status_code == 200
    html = response.text
    _no_inline_script(html)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html  # shown, escaped
    assert 'href="javascript:' not in html


def test_http_url_filter_links_only_http_urls() -> None:
    from robinet.web.render import http_url, model_url

    assert http_url("https://ai.meta.com/llama/license/") == "https://ai.meta.com/llama/license/"
    for bad in (
        "javascript:alert(1)",
        "data:text/html,x",
        "//evil",
        "ftp://x/y",
        "http://",
        None,
        3,
        "https://x/ y",
        "https://x/\nSet-Cookie",
    ):
        assert http_url(bad) is None, bad
    assert model_url("a/b c?d#e") == "/models/a/b%20c%3Fd%23e"
