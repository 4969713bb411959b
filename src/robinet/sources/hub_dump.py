"""Hub model records in, `models` + `edges` + `license_refs` out, lineage recomputed.

Three ways in, one pipeline (sources/hub_sql.py):

- `import_dump(store, path)`: a dump file read by DuckDB itself — JSON Lines (optionally
  gzipped), one object per model in the shape of `GET /api/models/{id}`, or a Parquet table
  with those columns; the CSV sample of the top Hub models is read through the converter below.
- `import_records(store, records)`: any iterable of dicts in that shape (a live sync page, the
  CSV converter, tests).
- `read_top_models_csv(path)`: the 2024-09 sample of the 9,715 most-downloaded models
  (modelId, author, downloads, lastModified, tags, ...) converted to the API shape.

Bad rows never stop a batch: they are kept out and reported in `import_warnings` with file and
row. The whole import is one transaction.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from robinet.errors import InputDataError, SourceError
from robinet.sources import hub_sql
from robinet.store.db import Store

DEFAULT_SOURCE = "hf-hub"
_BATCH = 50_000


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What one import did: counts, warnings (a sample; all are in import_warnings), lineage."""

    source: str
    file: str | None
    rows_read: int
    models: int
    edges_declared: int
    rejected: int
    warnings: int
    warning_sample: tuple[str, ...] = ()
    lineage: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


# -- readers ----------------------------------------------------------------------------------
def _csv_time(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return value  # kept raw: the import reports it as malformed
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _csv_tags(value: str) -> Any:
    try:
        tags = ast.literal_eval(value) if value.strip() else []
    except (ValueError, SyntaxError):
        return value  # kept raw: reported as a malformed `tags` field
    return [str(t) for t in tags] if isinstance(tags, list | tuple) else value


def _csv_int(value: str) -> Any:
    try:
        return int(value)
    except ValueError:
        return value or None


def read_top_models_csv(path: Path | str) -> Iterator[dict[str, Any]]:
    """Rows of hf_models.csv (top models, 2024-09) as dicts in the Hub API's shape."""
    path = Path(path)
    csv.field_size_limit(1 << 30)
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc}") from exc
    with handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "modelId" not in reader.fieldnames:
            raise InputDataError("not a Hub models CSV: no modelId column", file=str(path))
        for row in reader:
            record: dict[str, Any] = {
                "id": (row.get("modelId") or "").strip(),
                "author": row.get("author") or None,
                "sha": row.get("sha") or None,
                "lastModified": _csv_time(row.get("lastModified") or ""),
                "private": (row.get("private") or "").strip().lower() == "true",
                "downloads": _csv_int(row.get("downloads") or ""),
                "pipeline_tag": row.get("pipeline_tag") or None,
                "tags": _csv_tags(row.get("tags") or ""),
            }
            if row.get("inference"):
                record["inference"] = row["inference"]
            yield record


# -- staging ----------------------------------------------------------------------------------
def _stage_records(store: Store, records: Iterable[dict[str, Any]], file: str | None) -> None:
    hub_sql.create_stage(store)
    rows: list[int] = []
    docs: list[str | None] = []

    def flush() -> None:
        if not rows:
            return
        table = pa.table(
            {
                "row": pa.array(rows, pa.int64()),
                "doc": pa.array(docs, pa.string()),
                "file": pa.array([file] * len(rows), pa.string()),
            }
        )
        store.con.register("_hub_batch", table)
        store.con.execute(f"INSERT INTO {hub_sql.STAGE} SELECT * FROM _hub_batch")
        store.con.unregister("_hub_batch")
        rows.clear()
        docs.clear()

    for number, record in enumerate(records, start=1):
        rows.append(number)
        try:
            docs.append(json.dumps(record, default=str) if isinstance(record, dict) else None)
        except (TypeError, ValueError):
            docs.append(None)
        if len(rows) >= _BATCH:
            flush()
    flush()


def _sql_str(path: Path) -> str:
    return str(path).replace("'", "''")


def stage_file(store: Store, path: Path) -> None:
    """Load a JSON Lines (.jsonl, .json, .gz) or Parquet dump into the stage, by DuckDB."""
    hub_sql.create_stage(store)
    name = path.name.lower()
    p = _sql_str(path)
    if name.endswith((".parquet", ".pq")):
        sql = f"""
            INSERT INTO {hub_sql.STAGE}
            SELECT row_number() OVER (), to_json(t)::VARCHAR, '{p}' FROM read_parquet('{p}') t
        """
    else:
        # One line = one document; DuckDB reads the lines, JSON is validated set-based later,
        # so a malformed line is reported with its number instead of failing the file.
        sql = f"""
            INSERT INTO {hub_sql.STAGE}
            SELECT row_number() OVER (), line, '{p}' FROM read_csv('{p}',
                columns = {{'line': 'VARCHAR'}}, header = false, delim = '\x01', quote = '',
                escape = '', auto_detect = false, compression = 'auto',
                max_line_size = 268435456, strict_mode = false)
        """
    try:
        store.con.execute(sql)
    except Exception as exc:  # duckdb.Error subclasses; IO errors
        raise SourceError(f"cannot read the dump {path}: {exc}") from exc


# -- the pipeline -----------------------------------------------------------------------------
def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")


def resolve_licenses(store: Store) -> int:
    """Fill models.license_id / license_refs.license_id for licenses not resolved yet."""
    from robinet.lineage import licensing

    pending = store.con.execute(
        "SELECT DISTINCT license, license_name, license_link FROM models "
        "WHERE license_id IS NULL AND coalesce(license, license_name) IS NOT NULL"
    ).fetchall()
    if not pending:
        return 0
    resolved = [
        (lic, name, link, licensing.resolve(lic, name, link)) for lic, name, link in pending
    ]
    table = pa.table(
        {
            "license": [r[0] for r in resolved],
            "license_name": [r[1] for r in resolved],
            "license_link": [r[2] for r in resolved],
            "license_id": [r[3] for r in resolved],
        }
    )
    store.con.register("_hub_resolved", table)
    store.con.execute(
        """
        UPDATE models SET license_id = r.license_id FROM _hub_resolved r
        WHERE models.license_id IS NULL AND r.license_id IS NOT NULL
          AND models.license IS NOT DISTINCT FROM r.license
          AND models.license_name IS NOT DISTINCT FROM r.license_name
          AND models.license_link IS NOT DISTINCT FROM r.license_link
        """
    )
    store.con.execute(
        """
        UPDATE license_refs SET license_id = m.license_id FROM models m
        WHERE license_refs.subject_kind = 'model' AND license_refs.subject = m.hf_id
          AND license_refs.license_id IS NULL AND m.license_id IS NOT NULL
        """
    )
    store.con.unregister("_hub_resolved")
    return len(resolved)


def _register_source(store: Store, source: str, file: str | None) -> None:
    store.con.execute(
        """
        INSERT OR IGNORE INTO sources (name, title, origin, license, files, imported_at)
        VALUES (?, 'Hugging Face Hub model metadata', 'https://huggingface.co/api/models',
                'public Hub metadata', ?, now()::TIMESTAMP)
        """,
        [source, [file] if file else []],
    )


def _import_staged(
    store: Store, *, source: str, file: str | None, lineage: bool, started: float
) -> ImportReport:
    retrieved_at = _now()
    hub_sql.parse_stage(store)
    warn_sql = hub_sql.warnings_sql(source)
    with store.transaction():
        store.con.execute(f"INSERT INTO import_warnings {warn_sql}")
        counts = hub_sql.write_tables(store, source=source, retrieved_at=retrieved_at)
        _register_source(store, source, file)
        resolve_licenses(store)
        summary: dict[str, Any] = {}
        if lineage:
            from robinet.lineage.build import rebuild

            summary = rebuild(store)
        else:
            store.set_meta("lineage_dirty", "1")
    warnings = store.con.execute(f"SELECT count(*) FROM ({warn_sql})").fetchone()
    sample = store.con.execute(
        f"SELECT coalesce(file, '?') || ':' || coalesce(row::VARCHAR, '?') || ': ' || "
        f"coalesce(field || ': ', '') || message FROM ({warn_sql}) t(s, file, row, field, "
        "message) ORDER BY row NULLS FIRST LIMIT 20"
    ).fetchall()
    rejected = store.scalar(
        f"SELECT count(*) FROM {hub_sql.STAGE} WHERE trim(coalesce(doc, '')) <> ''"
    ) - store.scalar("SELECT count(DISTINCT row) FROM _hub_parsed WHERE hf_id IS NOT NULL")
    for table in ("_hub_docs", "_hub_parsed", "_hub_signals", "_hub_signals_norm", "_hub_models"):
        store.con.execute(f"DROP TABLE IF EXISTS {table}")
    return ImportReport(
        source=source,
        file=file,
        rows_read=counts["rows"],
        models=counts["models"],
        edges_declared=counts["edges"],
        rejected=int(rejected),
        warnings=int(warnings[0]) if warnings else 0,
        warning_sample=tuple(r[0] for r in sample),
        lineage=summary,
        seconds=round(time.perf_counter() - started, 3),
    )


def import_records(
    store: Store,
    records: Iterable[dict[str, Any]],
    *,
    source: str = DEFAULT_SOURCE,
    file: str | None = None,
    lineage: bool = True,
) -> ImportReport:
    """Write Hub records (API shape) into the store in one transaction; recompute lineage.

    `lineage=False` leaves the derived lineage tables for a later `rebuild` (a live sync
    rebuilds once at the end rather than after every page).
    """
    started = time.perf_counter()
    _stage_records(store, records, file)
    return _import_staged(store, source=source, file=file, lineage=lineage, started=started)


def import_dump(
    store: Store, path: Path | str, *, source: str = DEFAULT_SOURCE, lineage: bool = True
) -> ImportReport:
    """Import a dump file: .jsonl / .jsonl.gz / .json (JSON Lines), .parquet, or the .csv sample."""
    path = Path(path)
    if not path.exists():
        raise SourceError(f"no such dump file: {path}")
    if path.name.lower().endswith(".csv"):
        return import_records(
            store, read_top_models_csv(path), source=source, file=str(path), lineage=lineage
        )
    started = time.perf_counter()
    stage_file(store, path)
    return _import_staged(store, source=source, file=str(path), lineage=lineage, started=started)
