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
import dataclasses
import datetime as dt
import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from robinet.errors import InputDataError, SourceError
from robinet.licenses import lineage_terms as licensing
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
            docs.append(json.dumps(record, default=str))
        except (TypeError, ValueError):
            docs.append(repr(record))
        if len(rows) >= _BATCH:
            flush()
    flush()


def _sql_str(path: Path) -> str:
    return str(path).replace("'", "''")


def file_relation(path: Path) -> str:
    """A SELECT of (row, doc, file) over a dump file, read by DuckDB as it is parsed.

    JSON Lines (.jsonl, .json, optionally .gz): one line = one document; the lines are read
    as text and parsed set-based later, so a malformed line is reported with its number
    instead of failing the file. Parquet: each row becomes one JSON document.
    """
    name = path.name.lower()
    p = _sql_str(path)
    if name.endswith((".parquet", ".pq")):
        return f"""
            SELECT row_number() OVER () AS row, to_json(t)::VARCHAR AS doc, '{p}' AS file
            FROM read_parquet('{p}') t
        """
    return f"""
        SELECT * FROM (
            SELECT row_number() OVER () AS row, line AS doc, '{p}' AS file FROM {_lines(path)}
        ) WHERE trim(doc) <> ''
    """


def _lines(path: Path) -> str:
    """The lines of a JSON Lines file as one VARCHAR column `line`, read by DuckDB."""
    return f"""read_csv('{_sql_str(path)}',
        columns = {{'line': 'VARCHAR'}}, header = false, delim = '\x01', quote = '',
        escape = '', auto_detect = false, compression = 'auto', max_line_size = 268435456,
        strict_mode = false)"""


_LINES = "_hub_lines"


def _stage_lines(store: Store, path: Path) -> str:
    """Read a JSON Lines file into the temp table _hub_lines; a SELECT of (row, doc, file).

    Numbering the lines with a window (`row_number() OVER ()`) would run the parse on one
    thread; the lines are instead written in file order (insertion order preserved), so that
    `rowid + 1` is the line number and the parse that follows runs on every thread.
    """
    con = store.con
    preserve = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
    con.execute("SET preserve_insertion_order = true")
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {_LINES} AS SELECT line FROM {_lines(path)}")
    except duckdb.Error as exc:
        if not path.name.lower().endswith(".gz"):
            raise InputDataError(
                f"cannot read the file as JSON Lines: {exc}",
                file=str(path),
                hint="a dump is JSON Lines (.jsonl, optionally .gz), Parquet or the Hub CSV",
            ) from exc
        _stage_damaged_gzip(store, path)
    finally:
        if preserve is not None and not preserve[0]:
            con.execute("SET preserve_insertion_order = false")
    return f"""
        SELECT rowid + 1 AS row, line AS doc, '{_sql_str(path)}' AS file FROM {_LINES}
        WHERE trim(line) <> ''
    """


def _stage_damaged_gzip(store: Store, path: Path) -> None:
    """A truncated or damaged .gz: keep every complete line before the damage, and say so.

    A download cut short is the commonest bad dump; its complete records are still good.
    """
    import gzip
    import zlib

    lines: list[str] = []
    problem: str | None = None
    try:
        with gzip.open(path, "rt", encoding="utf-8", errors="replace", newline="\n") as handle:
            for line in handle:
                lines.append(line)
    except (EOFError, OSError, zlib.error) as exc:
        problem = str(exc) or type(exc).__name__
    if problem is None:  # DuckDB failed on a stream Python reads whole: stage it as is
        complete = [line.rstrip("\n") for line in lines]
    else:
        # The last line read may be cut mid-record: only lines that ended are complete.
        complete = [line.rstrip("\n") for line in lines if line.endswith("\n")]
        if not lines and not complete:
            raise InputDataError(
                f"not a readable gzip file ({problem})",
                file=str(path),
                hint="check the download, or pass the uncompressed .jsonl",
            )
    staged = pa.table({"line": pa.array(complete, pa.string())})  # noqa: F841 (read by SQL)
    store.con.execute(f"CREATE OR REPLACE TEMP TABLE {_LINES} AS SELECT line FROM staged")
    if problem is not None:
        store.con.execute(
            "CREATE OR REPLACE TEMP TABLE _hub_stream_problem AS SELECT ? AS row, ? AS message",
            [
                len(complete) + 1,
                f"the gzip stream ends early ({problem}): the "
                f"{len(complete)} complete lines before it were read, the rest is lost",
            ],
        )


# -- the pipeline -----------------------------------------------------------------------------
def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")


def register_source(store: Store, source: str, file: str | None) -> None:
    """Write the `sources` row of a Hub import made outside the snapshot build (sync hub).

    Counts and dates are those of every row the source has in the store now; each file
    imported under the source name is listed.
    """
    with store.transaction():
        previous = store.con.execute(
            "SELECT files, rows_read FROM sources WHERE name = ?", [source]
        ).fetchone()
        files = sorted({*(previous[0] or [] if previous else []), *([file] if file else [])})
        models, first, last, newest = store.con.execute(
            "SELECT count(*), min(created_at)::DATE, max(coalesce(last_modified, created_at))"
            "::DATE, max(retrieved_at) FROM models WHERE source = ?",
            [source],
        ).fetchone() or (0, None, None, None)
        rejected = store.count_where("import_warnings", "source = ? AND field IS NULL", [source])
        store.con.execute("DELETE FROM sources WHERE name = ?", [source])
        store.con.execute(
            """
            INSERT INTO sources (name, title, origin, version, license, attribution, files,
                                 retrieved_at, imported_at, rows_read, rows_imported,
                                 rows_rejected, date_min, date_max)
            VALUES (?, 'Hugging Face Hub model metadata', 'https://huggingface.co/api/models',
                    NULL, 'public Hub metadata', 'Hugging Face Hub', ?, ?, now()::TIMESTAMP,
                    ?, ?, ?, ?, ?)
            """,
            [source, files, newest, models + rejected, models, rejected, first, last],
        )


def _import_staged(
    store: Store,
    *,
    source: str,
    file: str | None,
    lineage: bool,
    started: float,
    retrieved_at: dt.datetime | None,
    relation: str = hub_sql.STAGE,
) -> ImportReport:
    when = (
        retrieved_at.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
        if retrieved_at is not None and retrieved_at.tzinfo is not None
        else retrieved_at.isoformat(sep=" ")
        if retrieved_at is not None
        else _now()
    )
    try:
        hub_sql.parse_stage(store, relation)
    except duckdb.IOException as exc:
        raise SourceError(f"cannot read {file}: {exc}") from exc
    store.con.execute(f"DROP TABLE IF EXISTS {_LINES}")  # the file's text: free it early
    store.con.execute(
        "CREATE OR REPLACE TEMP TABLE _hub_warnings AS " + hub_sql.warnings_sql(source)
    )
    rejected = store.scalar(
        "SELECT (SELECT count(*) FROM _hub_parsed WHERE hf_id IS NULL) "
        "+ (SELECT count(*) FROM _hub_excluded WHERE NOT duplicate)"
    )
    with store.transaction():
        if file is not None:  # a re-import of the same file replaces its warnings
            store.con.execute(
                "DELETE FROM import_warnings WHERE source = ? AND file = ?", [source, file]
            )
        store.con.execute("INSERT INTO import_warnings SELECT * FROM _hub_warnings")
        counts = hub_sql.write_tables(
            store, source=source, retrieved_at=when, resolve=licensing.resolve
        )
        summary: dict[str, Any] = {}
        if lineage:
            from robinet.store.lineage.build import rebuild

            summary = rebuild(store)
        else:
            store.set_meta("lineage_dirty", "1")
    warnings = store.con.execute("SELECT count(*) FROM _hub_warnings").fetchone()
    sample = store.con.execute(
        "SELECT coalesce(file, '?') || ':' || coalesce(row::VARCHAR, '?') || ': ' || "
        "coalesce(field || ': ', '') || message FROM _hub_warnings t(s, file, row, field, "
        "message) ORDER BY row NULLS FIRST, field NULLS FIRST LIMIT 20"
    ).fetchall()
    for table in (
        "_hub_parsed", "_hub_signals", "_hub_signals_norm", "_hub_models",
        "_hub_warnings", "_hub_edges", "_hub_resolved", "_hub_excluded", _LINES, hub_sql.STAGE,
    ):  # fmt: skip
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
    retrieved_at: dt.datetime | None = None,
) -> ImportReport:
    """Write Hub records (API shape) into the store in one transaction; recompute lineage.

    `lineage=False` leaves the derived lineage tables for a later `rebuild` (a live sync
    rebuilds once at the end rather than after every page). `retrieved_at` (default: now) is
    when the records were taken from the Hub; it is the provenance of every row written.
    """
    started = time.perf_counter()
    _stage_records(store, records, file)
    return _import_staged(
        store,
        source=source,
        file=file,
        lineage=lineage,
        started=started,
        retrieved_at=retrieved_at,
    )


def import_dump(
    store: Store,
    path: Path | str,
    *,
    source: str = DEFAULT_SOURCE,
    lineage: bool = True,
    retrieved_at: dt.datetime | None = None,
) -> ImportReport:
    """Import a dump file: .jsonl / .jsonl.gz / .json (JSON Lines), .parquet, or the .csv sample."""
    path = Path(path)
    if not path.exists():
        raise SourceError(f"no such dump file: {path}")
    if not path.is_file():
        raise InputDataError(
            "is a folder, not a dump file",
            file=str(path),
            hint="pass one .jsonl, .jsonl.gz, .parquet or .csv file",
        )
    if path.name.lower().endswith((".parquet", ".pq")):
        try:
            store.con.execute(f"SELECT count(*) FROM read_parquet('{_sql_str(path)}')")
        except duckdb.Error as exc:
            raise InputDataError(f"not a readable Parquet file: {exc}", file=str(path)) from exc
    if path.name.lower().endswith(".csv"):
        return import_records(
            store,
            read_top_models_csv(path),
            source=source,
            file=str(path),
            lineage=lineage,
            retrieved_at=retrieved_at,
        )
    started = time.perf_counter()
    name = path.name.lower()
    store.con.execute("DROP TABLE IF EXISTS _hub_stream_problem")
    relation = (
        file_relation(path) if name.endswith((".parquet", ".pq")) else _stage_lines(store, path)
    )
    report = _import_staged(
        store,
        source=source,
        file=str(path),
        lineage=lineage,
        started=started,
        retrieved_at=retrieved_at,
        relation=f"({relation})",
    )
    extra = _file_level_warnings(store, path, report)
    if extra:
        with store.transaction():
            for row, message in extra:
                store.con.execute(
                    "INSERT INTO import_warnings VALUES (?, ?, ?, NULL, ?)",
                    [source, str(path), row, message],
                )
        report = dataclasses.replace(
            report,
            warnings=report.warnings + len(extra),
            warning_sample=(*(f"{path}:{r or ''} {m}" for r, m in extra), *report.warning_sample),
        )
    return report


def _file_level_warnings(
    store: Store, path: Path, report: ImportReport
) -> list[tuple[int | None, str]]:
    """Warnings about the file as a whole: a damaged stream, or no record at all."""
    found: list[tuple[int | None, str]] = []
    exists = store.con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = '_hub_stream_problem'"
    ).fetchone()
    if exists and exists[0]:
        for row, message in store.con.execute(
            "SELECT row, message FROM _hub_stream_problem"
        ).fetchall():
            found.append((int(row), str(message)))
        store.con.execute("DROP TABLE IF EXISTS _hub_stream_problem")
    if report.rows_read == 0:
        found.append((None, "the file holds no records"))
    return found
