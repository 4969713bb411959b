"""Live sync from the Hugging Face Hub into the store: pages committed one by one.

    sync_hub(store, authors=[...] | search=... | family=ROOT | everything=True)

The network side is sources/hub_sync.py (pages, retries, license files); this side writes.

- Incremental: each query keeps a watermark (the newest `lastModified` of its last finished
  run) in `hub_sync_state`; a run stops at the first model not newer than it.
- Resumable: each page is imported, its license files stored and the next-page cursor saved
  in ONE transaction, which also marks the derived lineage tables stale (`lineage_dirty` = 1);
  after a `kill -9` the next run resumes at the first page not committed — nothing lost, and
  rows are upserted by id, so nothing duplicated. The rebuild at the end clears the mark.
- Family: all models whose `base_model:*` tags name the root, then their children, and so on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from robinet.sources import hub_sync as hub
from robinet.sources.hub_dump import DEFAULT_SOURCE
from robinet.store import pipeline
from robinet.store.db import Store
from robinet.store.hub.load import import_records
from robinet.store.hub.write import register_source

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
    lineage: Any = field(default_factory=dict)


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
        "INSERT OR REPLACE INTO hub_sync_state "
        "(key, cursor, run_started, watermark, pages, models, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
        [
            key,
            current["cursor"],
            current["run_started"],
            current["watermark"],
            current["pages"],
            current["models"],
        ],
    )


def _store_licenses(store: Store, found: tuple[hub.LicenseFile, ...]) -> None:
    for license_file in found:
        store.con.execute(
            "DELETE FROM license_refs WHERE subject = ? AND source = ?",
            [license_file.model, hub.LICENSE_SOURCE],
        )
        store.con.execute(
            "INSERT INTO license_refs (subject, subject_kind, license_raw, license_id, source, "
            "file, row, retrieved_at) VALUES (?, 'model', 'other', ?, ?, ?, NULL, "
            "now()::TIMESTAMP)",
            [license_file.model, license_file.license_id, hub.LICENSE_SOURCE, license_file.url],
        )
        if license_file.license_id:
            store.con.execute(
                "UPDATE models SET license_id = ? WHERE hf_id = ?",
                [license_file.license_id, license_file.model],
            )


def _fetch_licenses(
    client: hub.HubClient, records: list[dict[str, Any]], report: SyncReport
) -> tuple[hub.LicenseFile, ...]:
    fetch = hub.fetch_licenses(client, records)
    report.warnings.extend(fetch.warnings)
    report.licenses_fetched += fetch.fetched
    report.licenses_identified += fetch.identified
    return fetch.found


def _commit_page(
    store: Store,
    records: list[dict[str, Any]],
    found: tuple[hub.LicenseFile, ...],
    *,
    source: str,
    key: str | None = None,
    state: dict[str, Any] | None = None,
) -> None:
    """One page, its license files and its checkpoint, in one transaction; lineage stale."""
    with store.transaction():
        if records:
            import_records(store, records, source=source, file=None, lineage=False)
        _store_licenses(store, found)
        if key is not None:
            _save_state(store, key, **(state or {}))
        pipeline.mark_lineage_stale(store)


# -- the sync ---------------------------------------------------------------------------------
def _sync_query(
    client: hub.HubClient,
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
    if progress:
        if state.get("cursor"):
            progress(f"{key}: resuming the interrupted run at its checkpoint")
        else:
            progress(
                f"{key}: listing models" + (f" modified after {watermark}" if watermark else "")
            )
    report.resumed = report.resumed or bool(state.get("cursor"))
    listing = hub.pages(client, state.get("cursor") or start_url, key)
    for page, (records, next_url) in enumerate(((p.records, p.next_url) for p in listing), start=1):
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
        pages = int(state.get("pages") or 0) + 1
        state = {**state, "pages": pages}
        checkpoint = {
            "cursor": None if done else next_url,
            "run_started": None if done else run_started,
            "watermark": (
                state.get("watermark") if limited else (run_started or watermark) if done
                else watermark
            ),
            "pages": pages,
            "models": int(state.get("models") or 0) + len(fresh),
        }  # fmt: skip
        _commit_page(store, fresh, found, source=source, key=key, state=checkpoint)
        report.pages += 1
        report.models += len(fresh)
        seen += [str(r["id"]) for r in fresh if isinstance(r.get("id"), str)]
        if progress:
            progress(f"{key}: page {page}, {report.models} models so far")
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
    client: hub.HubClient | None = None,
) -> SyncReport:
    """Sync models from the Hub into the store, then rebuild lineage once."""
    if not (authors or search or family or everything):
        from robinet.errors import UsageError

        raise UsageError(
            "say what to sync", hint="--author NAME, --search TEXT, --family ROOT or --all"
        )
    client = client or hub.HubClient(token=token, progress=progress)
    hub.ensure_online(client.host)
    pipeline.ensure_writable(store)
    # Newest first is the Hub's only order (it ignores `direction`); 1000 is its largest page.
    base = {"sort": "lastModified", "limit": str(hub.PAGE_SIZE)}
    queries: list[tuple[str, dict[str, str]]] = []
    for author in authors:
        queries.append((f"author:{author}", {**base, "author": author}))
    if search:
        queries.append((f"search:{search}", {**base, "search": search}))
    if everything:
        queries.append(("all", dict(base)))
    report = SyncReport(queries=[k for k, _ in queries])
    register_source(store, source, None)

    def run(key: str, params: dict[str, str]) -> list[str]:
        return _sync_query(
            client,
            store,
            key,
            hub.listing_url(client.endpoint, params),
            report,
            source=source,
            full=full,
            limit=limit,
            progress=progress,
        )

    for key, params in queries:
        run(key, params)
    if family:
        root = hub.model_info(client, family)
        if root is not None:
            _commit_page(store, [root], _fetch_licenses(client, [root], report), source=source)
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
    report.retries = client.retries
    if progress:
        progress(f"{report.models} models synced; rebuilding lineage")
    report.lineage = pipeline.rebuild_lineage(store)
    return report
