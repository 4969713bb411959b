"""`robinet sync epoch`: refresh Epoch AI's tables, online from Epoch's published CSVs or
offline from a file.

Epoch publishes its tables as daily-updated CSV files (`EPOCH_URLS`). `fetch` reads one with a
short timeout and fails fast offline with a `SourceError` naming the URL; `read_file` turns a
CSV on disk (a download, a colleague's copy, a recorded file in the tests) into the batch of
the table its file name or its header names. The batch replaces that table's rows in the store
(`store.ingest.ingest`: one transaction, then the merge), with the provenance of the copy: the
URL or the file, its SHA-256, when it was read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

from robinet.errors import InputDataError, SourceError
from robinet.sources.base import Batch
from robinet.sources.epoch import ALL, ECI, LARGE_SCALE, NOTABLE, EpochSource, EpochTable

EPOCH_URLS: dict[str, str] = {
    "epoch-notable": "https://epoch.ai/data/notable_ai_models.csv",
    "epoch-all": "https://epoch.ai/data/all_ai_models.csv",
    "epoch-large-scale": "https://epoch.ai/data/large_scale_ai_models.csv",
}
TABLES: dict[str, EpochTable] = {t.info.name: t for t in (LARGE_SCALE, NOTABLE, ALL, ECI)}
TIMEOUT_SECONDS = 20.0


def table_of(path: Path) -> EpochTable:
    """The Epoch table a CSV holds: by its file name, else by its header."""
    for table in TABLES.values():
        if path.name == Path(table.info.files[0]).name:
            return table
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            header = handle.readline()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputDataError(f"cannot read {path}: {exc}", file=str(path)) from exc
    columns = {c.strip().strip('"') for c in header.split(",")}
    if "ECI Score" in columns:
        return ECI
    if "Task" in columns and "Country (of organization)" in columns:
        return LARGE_SCALE
    if "Frontier model" in columns:
        return NOTABLE
    if "Organization categorization" in columns:
        return ALL
    raise InputDataError(
        "not one of Epoch AI's tables (notable, all, large-scale, capabilities index): "
        "its header has none of their columns",
        file=str(path),
    )


def read_file(path: Path, *, origin: str | None = None) -> Batch:
    """The batch of an Epoch CSV at `path`; `origin` is the URL it was fetched from."""
    if not path.is_file():
        raise InputDataError(f"no such file: {path}", file=str(path))
    table = table_of(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    info = replace(
        table.info,
        origin=origin or str(path),
        version=f"sha256:{digest[:16]}",
        files=(origin or path.name,),
        retrieved_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
    )
    return EpochSource(table, info).read_path(path)


def fetch(url: str, folder: Path, *, timeout: float = TIMEOUT_SECONDS) -> Path:
    """Download `url` into `folder`; SourceError naming the URL when it cannot be reached."""
    target = folder / url.rsplit("/", 1)[-1]
    request = urllib.request.Request(url, headers={"User-Agent": "robinet (epoch sync)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            target.write_bytes(response.read())
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SourceError(
            f"cannot download {url}: {reason}",
            hint="offline? download the CSV elsewhere and run `robinet sync epoch --from FILE`",
        ) from exc
    return target


def online_batches(*, timeout: float = TIMEOUT_SECONDS) -> list[Batch]:
    """Every table Epoch publishes, fetched (all fetched before any is imported)."""
    with tempfile.TemporaryDirectory(prefix="robinet-epoch-") as tmp:
        paths = {url: fetch(url, Path(tmp), timeout=timeout) for url in EPOCH_URLS.values()}
        return [read_file(path, origin=url) for url, path in paths.items()]
