"""Importing Hub model records: a source's batches staged, parsed, written, lineage rebuilt.

Three ways in, one pipeline (store/pipeline.py):

- `import_dump(store, path)`: a dump file (or, with `glob=True`, every file a pattern
  matches), read by sources/hub_dump.py — JSON Lines (optionally gzipped), one object per
  model in the shape of `GET /api/models/{id}`, a Parquet table with those columns, or the CSV
  sample of the top Hub models;
- `import_records(store, records)`: any iterable of dicts in that shape (a live sync page,
  tests);
- `import_batches(store, batches)`: the batches of any Hub source (the bundled samples).

Bad rows never stop a batch: they are kept out and reported in `import_warnings` with file and
row. A file that yields no model at all is refused (InputDataError naming it). The whole
import is one transaction: a failure half-way leaves the store as it was.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from robinet.errors import InputDataError
from robinet.licenses import lineage_terms as licensing
from robinet.sources import hub_dump
from robinet.sources.base import MAX_LINE_BYTES, HubBatch
from robinet.sources.hub_dump import DEFAULT_SOURCE
from robinet.store import pipeline
from robinet.store.db import Store
from robinet.store.hub import parse
from robinet.store.hub.parse import PARSED, READ_WARNINGS
from robinet.store.hub.stage import FILES, Stage
from robinet.store.hub.write import WRITE_TABLES, WRITE_VIEWS, write_tables, write_warnings

SAMPLE_SIZE = 20  # warnings quoted in the report (all of them are in import_warnings)


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
    lineage: Any = None  # the lineage rebuild's summary, passed through as it comes
    seconds: float = 0.0
    files: tuple[str, ...] = ()  # every file imported (several with glob)
    # seconds per step: read (and stage), parse, warning_rows, write, lineage, commit
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Loaded:
    rows_read: int
    models: int
    edges: int
    rejected: int
    warnings: int
    sample: tuple[str, ...]


def _timestamp(retrieved_at: dt.datetime | None) -> str:
    """`retrieved_at` (default: now) as a naive UTC timestamp for the store."""
    when = retrieved_at or dt.datetime.now(dt.UTC)
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when.isoformat(sep=" ")


def _require_records(store: Store) -> None:
    """InputDataError for the first file of the import that yields no model record."""
    empty = store.con.execute(
        f"""
        SELECT f.file,
               (SELECT count(*) FROM {PARSED} s WHERE s.file_no = f.file_no)
             + (SELECT count(*) FROM {READ_WARNINGS} r WHERE r.file_no = f.file_no
                AND r.field IS NULL) AS lines,
               (SELECT arg_min(coalesce('row ' || w.row || ': ', '')
                               || coalesce(w.field || ': ', '') || w.message, w.row)
                FROM _hub_warnings w WHERE w.file_no = f.file_no) AS first_problem
        FROM {FILES} f
        WHERE NOT EXISTS (SELECT 1 FROM _hub_parsed p
                          WHERE p.file_no = f.file_no AND p.hf_id IS NOT NULL)
        ORDER BY f.file_no LIMIT 1
        """
    ).fetchone()
    if empty is None:
        return
    file, lines, first_problem = empty
    detail = f": {first_problem}" if first_problem else ""
    raise InputDataError(
        f"holds no model records ({lines} non-blank line(s) or row(s) read{detail})",
        file=file,
        hint="each line (or Parquet row) is one model object with an `id`: " + hub_dump.DUMP_HINT,
    )


def _lap(timings: dict[str, float], name: str, started: float) -> float:
    now = time.perf_counter()
    timings[name] = round(now - started, 3)
    return now


def _load(
    store: Store,
    stage: Stage,
    *,
    source: str,
    when: str,
    require_records: bool,
    timings: dict[str, float],
) -> _Loaded:
    parsed_while_reading = stage.parse_seconds
    t = time.perf_counter()
    stage.flush()  # the last documents staged
    parse.finish_parse(store)
    t = _lap(timings, "parse", t)
    timings["parse"] = round(timings["parse"] + parsed_while_reading, 3)
    timings["read"] = -parsed_while_reading  # with the fetch's time, added by the caller
    parse.build_warnings(store)
    t = _lap(timings, "warning_rows", t)
    if require_records:
        _require_records(store)
    rejected = int(
        store.scalar(
            f"""SELECT (SELECT count(*) FROM _hub_parsed WHERE hf_id IS NULL)
                     + (SELECT count(*) FROM _hub_excluded WHERE NOT duplicate)
                     + (SELECT count(*) FROM {READ_WARNINGS} WHERE field IS NULL)"""
        )
    )
    skipped = int(store.scalar(f"SELECT count(*) FROM {READ_WARNINGS} WHERE field IS NULL"))
    write_warnings(store, source=source, replace_files=True)
    counts = write_tables(store, source=source, retrieved_at=when, resolve=licensing.resolve)
    t = _lap(timings, "write", t)
    n_warnings = int(store.scalar("SELECT count(*) FROM _hub_warnings"))
    sample = store.con.execute(
        f"""
        SELECT coalesce(f.file, '?') || ':' || coalesce(w.row::VARCHAR, '?') || ': ' ||
               coalesce(w.field || ': ', '') || w.message
        FROM _hub_warnings w JOIN {FILES} f USING (file_no)
        ORDER BY w.file_no, w.row NULLS FIRST, w.field NULLS FIRST LIMIT {SAMPLE_SIZE}
        """
    ).fetchall()
    return _Loaded(
        rows_read=counts.rows + skipped,
        models=counts.models,
        edges=counts.edges,
        rejected=rejected,
        warnings=n_warnings,
        sample=tuple(str(r[0]) for r in sample),
    )


def import_batches(
    store: Store,
    batches: Iterable[HubBatch | hub_dump.DumpFile],
    *,
    source: str = DEFAULT_SOURCE,
    files: Sequence[str | None] = (None,),
    lineage: bool = True,
    retrieved_at: dt.datetime | None = None,
    require_records: bool = False,
) -> ImportReport:
    """Write a Hub source's batches (or dump files) into the store in one transaction;
    recompute lineage.

    `files` are the files the batches come from, in order (a file that yields no batch is
    still one of the import's: with `require_records` it is refused for holding nothing).
    `lineage=False` leaves the derived lineage tables for a later rebuild and marks them
    stale (a live sync rebuilds once at the end rather than after every page).
    `retrieved_at` (default: now) is when the records were taken from the Hub: the
    provenance of every row written.
    """
    started = time.perf_counter()
    when = _timestamp(retrieved_at)
    stage = Stage(store)
    for file in files:
        stage.file_no(file)
    steps: dict[str, float] = {}
    timings: dict[str, float] = {}
    try:
        loaded, summary = pipeline.run(
            store,
            fetch=batches,
            stage=stage.add,
            load=lambda: _load(
                store,
                stage,
                source=source,
                when=when,
                require_records=require_records,
                timings=timings,
            ),
            rebuild=pipeline.rebuild_lineage if lineage else pipeline.mark_lineage_stale,
            timings=steps,
        )
    finally:
        for view in WRITE_VIEWS:
            store.con.execute(f"DROP VIEW IF EXISTS {view}")
        for table in (*parse.PARSE_TABLES, *WRITE_TABLES):
            store.con.execute(f"DROP TABLE IF EXISTS {table}")
        stage.drop()
    named = tuple(f for f in files if f is not None)
    return ImportReport(
        source=source,
        file=named[0] if len(named) == 1 else None,
        rows_read=loaded.rows_read,
        models=loaded.models,
        edges_declared=loaded.edges,
        rejected=loaded.rejected,
        warnings=loaded.warnings,
        warning_sample=loaded.sample,
        lineage=summary if lineage else {},
        seconds=round(time.perf_counter() - started, 3),
        files=named,
        timings={
            # reading the files (and staging them), apart from parsing them as they came
            **timings,
            "read": round(steps.get("fetch_stage", 0.0) + timings.get("read", 0.0), 3),
            "lineage": steps.get("rebuild", 0.0),
            "commit": steps.get("commit", 0.0),
        },
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
    """Write Hub records (API shape) into the store in one transaction; recompute lineage."""
    return import_batches(
        store,
        hub_dump.record_batches(records, file),
        source=source,
        files=[file],
        lineage=lineage,
        retrieved_at=retrieved_at,
    )


def import_dump(
    store: Store,
    path: Path | str,
    *,
    source: str = DEFAULT_SOURCE,
    lineage: bool = True,
    retrieved_at: dt.datetime | None = None,
    glob: bool = False,
    max_line_bytes: int = MAX_LINE_BYTES,
) -> ImportReport:
    """Import a dump: .jsonl / .jsonl.gz / .json (JSON Lines), .parquet, or the .csv sample.

    `path` is one file, taken literally; with `glob=True` it is a pattern (Python's glob,
    `**` included) and every file it matches is imported, in sorted order, each recorded as
    itself. A line longer than `max_line_bytes` is kept out with a warning.
    """
    paths = hub_dump.dump_files(path, glob=glob)
    pipeline.ensure_writable(store)  # before reading: a read-only store fails at once
    # Opened one by one as the stage reaches them: a file's first bytes are read then.
    dumps = (hub_dump.open_dump(each, max_line_bytes=max_line_bytes) for each in paths)
    report = import_batches(
        store,
        dumps,
        source=source,
        files=[str(p) for p in paths],
        lineage=lineage,
        retrieved_at=retrieved_at,
        require_records=True,
    )
    if not glob:  # the path as given, which is the one file imported
        return report
    from dataclasses import replace

    return replace(report, file=str(path))
