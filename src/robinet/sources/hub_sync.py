"""Live sync from the Hugging Face Hub, through `huggingface_hub`'s HTTP session.

    sync_hub(store, authors=[...] | search=... | family=ROOT | everything=True)

- Pages of `GET /api/models?sort=lastModified&direction=-1&expand=...` (the Hub API's own
  shape, so a page goes through the same import as a dump: `hub_dump.import_records`).
- Incremental: each query keeps a watermark (the newest `lastModified` of its last finished
  run) in `hub_sync_state`; a run stops at the first model not newer than it.
- Resumable: each page is imported and the next-page cursor saved in ONE transaction, so after
  a `kill -9` the next run resumes at the first page not committed — nothing lost, and rows are
  upserted by id, so nothing duplicated.
- Rate limits: 429 and 5xx are retried after `Retry-After` (seconds or an HTTP date), else an
  exponential backoff; the wait is reported through `progress`.
- `license: other`: the license file at the pinned revision (`sha`) is fetched and identified by
  the license engine; the result is stored in `models.license_id` and `license_refs`.
- Family: all models whose `base_model:*` tags name the root, then their children, and so on.

Authentication: `huggingface_hub.utils.build_hf_headers` (HF_TOKEN or the user's login);
public data needs none. Tests install a mock transport with `huggingface_hub.set_client_factory`.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from robinet.errors import SourceError
from robinet.sources.hub_dump import DEFAULT_SOURCE, import_records, register_source
from robinet.store.db import Store

EXPAND = (
    "author", "cardData", "config", "createdAt", "downloads", "gated", "gguf", "lastModified",
    "library_name", "likes", "pipeline_tag", "private", "sha", "siblings", "tags",
)  # fmt: skip
PAGE_SIZE = 1000
MAX_RETRIES = 8
LICENSE_FILE = re.compile(r"^(LICEN[SC]E|COPYING)(\.(md|txt))?$", re.IGNORECASE)
LICENSE_SOURCE = "hf-hub-license-file"

Progress = Callable[[str], None]


@dataclass
class SyncReport:
    queries: list[str]
    pages: int = 0
    models: int = 0
    resumed: bool = False
    retries: int = 0
    licenses_fetched: int = 0
    licenses_identified: int = 0
    warnings: list[str] = field(default_factory=list)
    lineage: dict[str, Any] = field(default_factory=dict)


class HubClient:
    """GET with the Hub session, the user's token, and 429/5xx backoff."""

    def __init__(
        self,
        *,
        token: str | bool | None = None,
        endpoint: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        progress: Progress | None = None,
        max_retries: int = MAX_RETRIES,
    ) -> None:
        from huggingface_hub import constants
        from huggingface_hub.utils import build_hf_headers

        self.endpoint = (endpoint or constants.ENDPOINT).rstrip("/")
        self.headers = build_hf_headers(token=token, library_name="robinet")
        self.sleep = sleep
        self.progress = progress
        self.max_retries = max_retries
        self.retries = 0

    def get(self, url: str, params: dict[str, Any] | None = None) -> Any:
        """The response for `url` (an httpx2.Response), retried on 429 and 5xx."""
        from huggingface_hub import get_session

        wait = 1.0
        for attempt in range(self.max_retries + 1):
            try:
                response = get_session().get(
                    url, params=params, headers=self.headers, follow_redirects=True
                )
            except Exception as exc:  # network errors of the HTTP client
                if attempt == self.max_retries:
                    raise SourceError(f"the Hub cannot be reached: {exc}") from exc
                delay = wait
            else:
                if response.status_code != 429 and response.status_code < 500:
                    return response
                if attempt == self.max_retries:
                    raise SourceError(
                        f"the Hub answered {response.status_code} for {url} "
                        f"after {self.max_retries} retries",
                        hint="run the same command again later: it resumes where it stopped",
                    )
                delay = retry_after(response.headers.get("retry-after")) or wait
            self.retries += 1
            if self.progress:
                self.progress(f"rate limited or unavailable: waiting {delay:.0f}s")
            self.sleep(delay)
            wait = min(wait * 2, 60.0)
        raise SourceError(f"the Hub cannot be reached: {url}")  # pragma: no cover

    def json(self, url: str, params: dict[str, Any] | None = None) -> tuple[Any, str | None]:
        """(JSON body, next-page URL from the Link header) of a successful GET."""
        response = self.get(url, params)
        if response.status_code >= 400:
            raise SourceError(f"the Hub answered {response.status_code} for {url}")
        try:
            body = response.json()
        except ValueError as exc:
            raise SourceError(f"the Hub sent a body that is not JSON for {url}") from exc
        link = response.links.get("next", {}).get("url")
        return body, link


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


# -- checkpoints ------------------------------------------------------------------------------
def _state(store: Store, key: str) -> dict[str, Any] | None:
    rows = store.query("SELECT * FROM hub_sync_state WHERE key = ?", [key])
    return rows[0] if rows else None


def _save_state(store: Store, key: str, **values: Any) -> None:
    current = _state(store, key) or {
        "key": key, "cursor": None, "run_started": None, "watermark": None, "pages": 0,
        "models": 0,
    }  # fmt: skip
    current.update(values)
    store.con.execute(
        "INSERT OR REPLACE INTO hub_sync_state VALUES (?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
        [
            key,
            current["cursor"],
            current["run_started"],
            current["watermark"],
            current["pages"],
            current["models"],
        ],
    )


# -- license files ----------------------------------------------------------------------------
def _license_file(record: dict[str, Any]) -> str | None:
    card = record.get("cardData") if isinstance(record.get("cardData"), dict) else {}
    link = str((card or {}).get("license_link") or "")
    if link and "://" not in link and LICENSE_FILE.match(link.split("/")[-1]):
        return link.lstrip("./")
    siblings = record.get("siblings") or []
    names = [s.get("rfilename", "") for s in siblings if isinstance(s, dict)]
    matches = sorted(n for n in names if LICENSE_FILE.match(n))
    return matches[0] if matches else None


def _fetch_licenses(
    client: HubClient, records: list[dict[str, Any]], report: SyncReport
) -> list[tuple[str, str, str | None]]:
    """(model, url, license id) for each `license: other` record with a license file."""
    from robinet.lineage import licensing

    found = []
    for record in records:
        card = record.get("cardData") if isinstance(record.get("cardData"), dict) else {}
        tags = record.get("tags") or []
        license_tag = (card or {}).get("license") or next(
            (t[8:] for t in tags if isinstance(t, str) and t.startswith("license:")), None
        )
        if license_tag != "other" or not record.get("id"):
            continue
        name = _license_file(record)
        if name is None:
            report.warnings.append(f"{record['id']}: license other and no license file")
            continue
        revision = record.get("sha") or "main"
        url = f"{client.endpoint}/{record['id']}/resolve/{revision}/{name}"
        response = client.get(url)
        if response.status_code >= 400:
            report.warnings.append(f"{record['id']}: {name} answered {response.status_code}")
            continue
        report.licenses_fetched += 1
        license_id = licensing.identify(response.text)
        report.licenses_identified += license_id is not None
        found.append((str(record["id"]), url, license_id))
    return found


def _store_licenses(store: Store, found: list[tuple[str, str, str | None]]) -> None:
    for model, url, license_id in found:
        store.con.execute(
            "DELETE FROM license_refs WHERE subject = ? AND source = ?", [model, LICENSE_SOURCE]
        )
        store.con.execute(
            "INSERT INTO license_refs VALUES (?, 'model', 'other', ?, ?, ?, NULL, "
            "now()::TIMESTAMP)",
            [model, license_id, LICENSE_SOURCE, url],
        )
        if license_id:
            store.con.execute(
                "UPDATE models SET license_id = ? WHERE hf_id = ?", [license_id, model]
            )


# -- the sync ---------------------------------------------------------------------------------
def _pages(
    client: HubClient, store: Store, key: str, start_url: str, report: SyncReport
) -> Iterator[tuple[list[dict[str, Any]], str | None]]:
    state = _state(store, key) or {}
    url: str | None = state.get("cursor") or start_url
    report.resumed = report.resumed or bool(state.get("cursor"))
    while url is not None:
        body, next_url = client.json(url)
        if not isinstance(body, list):
            raise SourceError(f"the Hub sent an unexpected page for {key}: not a list")
        yield [r for r in body if isinstance(r, dict)], next_url
        url = next_url


def _sync_query(
    client: HubClient,
    store: Store,
    key: str,
    start_url: str,
    report: SyncReport,
    *,
    source: str,
    full: bool,
    limit: int | None,
    progress: Progress | None,
) -> list[str]:
    """Run one listing to its end (or its watermark); return the ids seen."""
    seen: list[str] = []
    state = _state(store, key) or {}
    watermark = None if full else state.get("watermark")
    run_started = state.get("run_started") if state.get("cursor") else None
    for records, next_url in _pages(client, store, key, start_url, report):
        if run_started is None:
            run_started = max((str(r.get("lastModified") or "") for r in records), default="")
        fresh = [r for r in records if not watermark or str(r.get("lastModified", "")) > watermark]
        done = next_url is None or len(fresh) < len(records)
        limited = limit is not None and report.models + len(fresh) >= limit
        if limited:
            # Stopped early: the older models of this listing are not fetched, so the
            # watermark must not move; the next run lists from the top again.
            fresh = fresh[: max(0, (limit or 0) - report.models)]
            done = True
        found = _fetch_licenses(client, fresh, report)
        with store.transaction():
            if fresh:
                import_records(store, fresh, source=source, file=None, lineage=False)
            _store_licenses(store, found)
            pages = int(state.get("pages") or 0) + 1
            state = {**state, "pages": pages}
            _save_state(
                store,
                key,
                cursor=None if done else next_url,
                run_started=None if done else run_started,
                watermark=(
                    state.get("watermark")
                    if limited
                    else (run_started or watermark)
                    if done
                    else watermark
                ),
                pages=pages,
                models=int(state.get("models") or 0) + len(fresh),
            )
        report.pages += 1
        report.models += len(fresh)
        seen += [str(r["id"]) for r in fresh if r.get("id")]
        if progress:
            progress(f"{key}: {report.models} models, {report.pages} pages")
        if done:
            break
    return seen


def sync_hub(
    store: Store,
    *,
    authors: list[str] | tuple[str, ...] = (),
    search: str | None = None,
    family: str | None = None,
    everything: bool = False,
    full: bool = False,
    limit: int | None = None,
    token: str | bool | None = None,
    source: str = DEFAULT_SOURCE,
    progress: Progress | None = None,
    client: HubClient | None = None,
) -> SyncReport:
    """Sync models from the Hub into the store, then rebuild lineage once."""
    if not (authors or search or family or everything):
        from robinet.errors import UsageError

        raise UsageError(
            "say what to sync", hint="--author NAME, --search TEXT, --family ROOT or --all"
        )
    client = client or HubClient(token=token, progress=progress)
    base = {
        "sort": "lastModified",
        "direction": "-1",
        "limit": str(PAGE_SIZE),
    }
    expand = "&".join(urlencode({"expand[]": e}) for e in EXPAND)
    queries: list[tuple[str, dict[str, Any]]] = []
    for author in authors:
        queries.append((f"author:{author}", {**base, "author": author}))
    if search:
        queries.append((f"search:{search}", {**base, "search": search}))
    if everything:
        queries.append(("all", dict(base)))
    report = SyncReport(queries=[k for k, _ in queries])
    register_source(store, source, None)

    def run(key: str, params: dict[str, Any]) -> list[str]:
        # `expand[]` repeats, so the query string is built here rather than from a dict.
        start_url = f"{client.endpoint}/api/models?{urlencode(params)}&{expand}"
        return _sync_query(
            client,
            store,
            key,
            start_url,
            report,
            source=source,
            full=full,
            limit=limit,
            progress=progress,
        )

    for key, params in queries:
        run(key, params)
    if family:
        root_url = f"{client.endpoint}/api/models/{family}?{expand}"
        root, _ = client.json(root_url)
        if isinstance(root, dict) and root.get("id"):
            found = _fetch_licenses(client, [root], report)
            with store.transaction():
                import_records(store, [root], source=source, file=None, lineage=False)
                _store_licenses(store, found)
            report.models += 1
        frontier, visited = [family], {family.lower()}
        while frontier and (limit is None or report.models < limit):
            node = frontier.pop(0)
            key = f"children:{node}"
            report.queries.append(key)
            children = run(key, {**base, "filter": f"base_model:{node}"})
            known = [
                r[0]
                for r in store.con.execute(
                    "SELECT child FROM edges WHERE lower(parent) = lower(?)", [node]
                ).fetchall()
            ]
            for child in sorted({*children, *known}):
                if child.lower() not in visited:
                    visited.add(child.lower())
                    frontier.append(child)
    from robinet.lineage.build import rebuild

    report.retries = client.retries
    report.lineage = rebuild(store)
    return report
