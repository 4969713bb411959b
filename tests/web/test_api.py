"""The JSON API, in process: every route answers in the contract's shapes (docs/json.md),
every error is the contract's error object with a 4xx status, never a 500."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.web.conftest import HOSTILE, LLAMA

OK_ROUTES = [
    "/healthz",
    "/api/releases?org=deepseek",
    "/api/releases?sort=name&order=desc&limit=5&offset=2",
    "/api/orgs",
    "/api/labs/deepseek",
    f"/api/models/{LLAMA}",
    f"/api/models/{LLAMA}/check?monthly_users=800000000",
    "/api/licenses",
    "/api/licenses/mit",
    "/api/compare?ids=mit,apache-2.0,llama-3.1-license-2024",
    "/api/alerts?direction=closing",
    "/api/gap?view=arena",
    "/api/trends?metric=open_share&by=region",
    "/api/report",
]
LISTINGS = {
    "/api/releases": "releases",
    "/api/orgs": "organizations",
    "/api/licenses": "licenses",
    "/api/alerts": "alerts",
}


def _keys(value: Any, where: str = ""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield where, key, item
            yield from _keys(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _keys(item, f"{where}[{i}]")


@pytest.mark.parametrize("url", OK_ROUTES)
def test_routes_answer_one_object_in_the_contract_shapes(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    doc = response.json()
    assert isinstance(doc, dict)
    if url.startswith("/api/"):  # sorted keys: the same bytes for the same answer
        assert response.text == json.dumps(doc, sort_keys=True, ensure_ascii=False)
    for where, key, value in _keys(doc):
        if key == "license":
            assert value is None or isinstance(value, str), f"{where}.license"
        if key == "warnings":
            assert isinstance(value, list)
    listed = LISTINGS.get(url.split("?")[0])
    if listed:
        assert isinstance(doc[listed], list) and doc["count"] == len(doc[listed])


def test_releases_filter_sort_and_page(client: Any) -> None:
    everything = client.get("/api/releases?org=deepseek&limit=1000").json()
    assert everything["total"] == everything["count"] > 3
    assert all(
        "deepseek" in (r["organizations"] or [r["organization"]]) for r in everything["releases"]
    )
    page = client.get("/api/releases?org=deepseek&limit=2&offset=1").json()
    assert page["releases"] == everything["releases"][1:3] and page["total"] == everything["total"]
    names = [
        r["name"]
        for r in client.get("/api/releases?org=deepseek&sort=name&limit=1000").json()["releases"]
    ]
    assert names == sorted(names, key=str.lower)
    assert page["filters"]["org"] == "deepseek"


def test_releases_csv_is_every_row_and_defuses_formulas(client: Any) -> None:
    from robinet.web.api import releases_csv_text

    response = client.get("/api/releases.csv?org=deepseek")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    total = client.get("/api/releases?org=deepseek").json()["total"]
    assert len(response.text.strip().splitlines()) == total + 1
    text = releases_csv_text([{"name": '=HYPERLINK("http://x")', "sources": ["a", "b"]}])
    assert "'=HYPERLINK" in text and "a;b" in text


def test_model_document_has_lineage_license_terms_and_openness(client: Any) -> None:
    doc = client.get(f"/api/models/{LLAMA}").json()
    assert doc["model"] == LLAMA
    assert doc["license"] == doc["lineage"]["license"]
    assert doc["license_terms"]["terms"], "the license's clauses"
    assert {"total", "by_relation"} <= set(doc["lineage"]["descendants"])
    assert doc["lineage"]["tree"]["id"] == LLAMA
    assert {"conflicts", "count", "counts", "total"} <= set(doc["conflicts"])


def test_check_gives_the_verdict_and_the_exit_code(client: Any) -> None:
    small = client.get(f"/api/models/{LLAMA}/check").json()
    assert small["verdict"]["decision"] == "conditional" and small["exit_code"] == 0
    assert small["verdict"]["reasons"] and small["obligations"]
    big = client.get(f"/api/models/{LLAMA}/check?monthly_users=900000000").json()
    assert big["verdict"]["decision"] == "deny" and big["exit_code"] == 1
    assert big["use"]["monthly_users"] == 900000000
    eu = client.get(f"/api/models/{LLAMA}/check?region=DE&purposes=military").json()
    assert eu["use"]["licensee_country"] == "DE" and eu["use"]["purposes"] == ["military"]


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "hint", "location"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


def test_unknown_model_is_404_with_close_matches(client: Any) -> None:
    error = _error(client.get("/api/models/meta-llama/Meta-Llama-3-8B-Instrct"), 404, "not_found")
    assert LLAMA in error["hint"]
    _error(client.get("/api/models/no-such/model/check"), 404, "not_found")


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/licenses/no-such-license", 404, "not_found"),
        ("/api/labs/No Such Lab Anywhere", 404, "not_found"),
        ("/api/compare?ids=mit,no-such-license", 404, "not_found"),
        ("/api/releases?tier=leaked", 422, "usage"),
        ("/api/releases?limit=0", 422, "usage"),
        ("/api/releases?limit=abc", 422, "usage"),
        ("/api/releases?since=yesterday", 422, "usage"),
        ("/api/releases?bogus=1", 422, "usage"),
        ("/api/trends?metric=nope", 422, "usage"),
        ("/api/gap?view=nope", 422, "usage"),
        ("/api/alerts?direction=sideways", 422, "usage"),
        ("/api/alerts?since=2024-13-45", 422, "usage"),
        (f"/api/models/{LLAMA}/check?use=stealing", 422, "usage"),
        (f"/api/models/{LLAMA}/check?region=ZZ", 422, "usage"),
        (f"/api/models/{LLAMA}/check?monthly_users=-1", 422, "usage"),
        (f"/api/models/{LLAMA}/check?purposes=nope", 422, "usage"),
        ("/api/compare?ids=" + ",".join(["mit"] * 3 + [f"x{i}" for i in range(9)]), 422, "usage"),
        ("/api/compare?ids=<script>", 422, "usage"),
        ("/api/nothing-here", 404, "not_found"),
    ],
)
def test_errors_are_contract_objects_with_4xx(
    client: Any, url: str, status: int, code: str
) -> None:
    error = _error(client.get(url), status, code)
    if code == "usage" and "bogus" in url:
        assert error["location"] == {"field": "query.bogus"}


def test_the_site_is_read_only_and_bounded(client: Any) -> None:
    assert client.post("/api/orgs").status_code == 405
    assert client.delete(f"/api/models/{LLAMA}").status_code == 405
    _error(client.post("/api/orgs", content=b"x" * 10), 413, "usage")
    _error(client.get("/api/releases?q=" + "a" * 5000), 414, "usage")
    _error(client.get("/api/models/" + "a/" * 600), 414, "usage")


def test_every_response_carries_the_security_headers(client: Any) -> None:
    for url in ("/healthz", "/api/orgs", "/", "/api/no-such", "/static/app.css"):
        headers = client.get(url).headers
        csp = headers["content-security-policy"]
        script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
        assert script_src == "script-src 'self'"  # no inline script, no eval
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"


def test_openapi_and_offline_docs(client: Any) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in (
        "/api/releases",
        "/api/orgs",
        "/api/models/{hf_id}",
        "/api/models/{hf_id}/check",
        "/api/licenses",
        "/api/licenses/{license_id}",
        "/api/alerts",
        "/api/gap",
        "/api/trends",
    ):
        assert path in paths, path
    check_params = {p["name"] for p in paths["/api/models/{hf_id}/check"]["get"]["parameters"]}
    assert {"use", "monthly_users", "licensee_country", "purposes", "distribution"} <= check_params
    docs = client.get("/docs").text
    assert (
        "/static/swagger/swagger-ui-bundle.js" in docs
        and "http" not in docs.split("<body>")[1].split("swagger-ui")[0]
    )
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_hostile_card_comes_back_as_plain_json_values(client: Any) -> None:
    doc = client.get(f"/api/models/{HOSTILE}").json()
    assert doc["model"] == HOSTILE
    assert "<script>" in json.dumps(doc["hub"])  # the data as it is: JSON does not render


def test_concurrent_requests_each_get_their_own_cursor(client: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor

    urls = [
        "/api/releases?org=deepseek",
        f"/api/models/{LLAMA}/check?monthly_users=5",
        "/api/orgs",
    ] * 8
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda u: client.get(u).status_code, urls))
    assert statuses == [200] * len(urls)


def test_check_is_the_cli_object_and_an_unknown_license_exits_1(client: Any, web_db: Path) -> None:
    """The API's check is `robinet check --json`'s object (one library function shapes both),
    plus the exit code the command gives: the hostile model's license tag names no license
    robinet knows, so the decision is `unknown`, and a gate exits 1 on it."""
    from typer.testing import CliRunner

    from robinet.cli import app

    api = client.get(f"/api/models/{HOSTILE}/check").json()
    cli = CliRunner().invoke(app, ["check", HOSTILE, "--db", str(web_db), "--json"])
    assert cli.exit_code == 1, cli.output
    assert api.pop("exit_code") == cli.exit_code
    assert api == json.loads(cli.stdout)
    assert api["verdict"]["decision"] == "unknown"
