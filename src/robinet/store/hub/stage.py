"""Staging Hub records in DuckDB: what a Hub source yields, parsed batch by batch.

    _hub_files          (file_no, file)                   the files of this import, in order
    _hub_parsed         one row per document (store/hub/parse.py), filled batch by batch
    _hub_read_warnings  (file_no, row, field, message)    records the reader kept out

Each batch of documents (a few hundred thousand) is registered as an Arrow table and parsed
into `_hub_parsed` at once: the documents' text is never held whole, in Python or in DuckDB.
`seq` orders every record of the import (file by file, then by row): a later record of the
same model wins. Documents come as text (JSON Lines, records) or as typed columns (Parquet),
which DuckDB turns into JSON here.

A plain UTF-8 JSON Lines file is read by DuckDB's multi-threaded line reader on a cursor of
its own, its path bound as a parameter (and only a path DuckDB takes literally:
`DumpFile.duckdb_readable`). Any line DuckDB cannot take (not UTF-8, over the size cap) fails
that reader, not the import: the file's parsed rows are taken out again and the file is read
by the source in Python instead, which names each bad line.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from robinet.errors import InputDataError
from robinet.sources.base import HubBatch
from robinet.sources.hub_dump import DumpFile
from robinet.store.db import Store
from robinet.store.hub.parse import PARSED, READ_WARNINGS, create_parsed, parse_into

FILES = "_hub_files"
_FILE_SHIFT = 40  # seq = file_no << 40 | row: rows up to a trillion per file
_READER_ROWS = 25_000  # rows per batch from DuckDB's line reader
# Documents parsed per statement: DuckDB scans an Arrow stream on more than one thread only
# from about half a million rows (200,000 rows ran on one of two threads), so a batch is
# parsed when it holds that many documents, or that much text.
_PARSE_ROWS = 500_000
_PARSE_BYTES = 256 << 20
_BATCH = "_hub_batch"
_DOCS_SCHEMA = pa.schema(
    [("seq", pa.int64()), ("row", pa.int64()), ("file_no", pa.int32()), ("doc", pa.large_string())]
)
# Blank lines are not records; a document is whatever else a line holds.
_NOT_BLANK = "doc IS NOT NULL AND ltrim(doc, ' \t\r\n') <> ''"


class Stage:
    """The temp tables of one import, in the store's connection."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.files: dict[str | None, int] = {}
        self.pending: list[pa.RecordBatch] = []  # documents not parsed yet
        self.pending_rows = 0
        self.pending_bytes = 0
        self.parse_seconds = 0.0  # of the time staging took, what parsing took
        con = store.con
        con.execute(f"CREATE OR REPLACE TEMP TABLE {FILES} (file_no INTEGER, file VARCHAR)")
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {READ_WARNINGS} "
            "(file_no INTEGER, row BIGINT, field VARCHAR, message VARCHAR)"
        )
        create_parsed(store)

    def file_no(self, file: str | None) -> int:
        """The number of `file` in this import, registering it on first sight."""
        if file not in self.files:
            self.files[file] = len(self.files)
            self.store.con.execute(f"INSERT INTO {FILES} VALUES (?, ?)", [self.files[file], file])
        return self.files[file]

    def add(self, item: HubBatch | DumpFile) -> None:
        """Stage a batch, or a whole dump file (read by DuckDB when it can, else by the source)."""
        if isinstance(item, HubBatch):
            self.append(item)
            return
        if item.duckdb_readable:
            number = self.file_no(item.file)
            lines = read_lines(self.store, item)
            while True:
                try:
                    batch = next(lines, None)
                except LinesUnreadable:  # the reader's own connection failed, not the import's
                    self.flush()
                    self.store.con.execute(f"DELETE FROM {PARSED} WHERE file_no = ?", [number])
                    break
                if batch is None:
                    return
                self.append(batch)
        for batch in item.batches():
            self.append(batch)

    def append(self, batch: HubBatch) -> None:
        number = self.file_no(batch.file)
        if batch.columns is not None:
            docs = self._columns_as_json(batch)
        elif batch.docs is not None:
            docs = batch.docs
        else:
            docs = None
        if docs is not None and len(docs):
            if docs.type != pa.large_string():  # one type for every batch of a parse
                docs = docs.cast(pa.large_string())
            seq = pc.add(batch.rows, pa.scalar(number << _FILE_SHIFT, pa.int64()))
            numbers = pa.repeat(pa.scalar(number, pa.int32()), len(batch.rows))
            table = pa.table({"seq": seq, "row": batch.rows, "file_no": numbers, "doc": docs})
            table = table.cast(_DOCS_SCHEMA)
            self.pending += table.combine_chunks().to_batches()
            self.pending_rows += table.num_rows
            self.pending_bytes += table.nbytes
            if self.pending_rows >= _PARSE_ROWS or self.pending_bytes >= _PARSE_BYTES:
                self.flush()
        if batch.warnings:
            self._warn(number, batch)

    def flush(self) -> None:
        """Parse the documents staged so far."""
        if not self.pending:
            return
        con = self.store.con
        started = time.perf_counter()
        # A stream, not a table: DuckDB keeps a registered table alive until the transaction
        # ends (the import's, so every batch would stay in memory); a stream it just reads.
        con.register(_BATCH, pa.RecordBatchReader.from_batches(_DOCS_SCHEMA, self.pending))
        try:
            parse_into(self.store, f"(SELECT * FROM {_BATCH} WHERE {_NOT_BLANK})")
        finally:
            con.unregister(_BATCH)
        self.pending, self.pending_rows, self.pending_bytes = [], 0, 0
        self.parse_seconds += time.perf_counter() - started

    def _columns_as_json(self, batch: HubBatch) -> pa.ChunkedArray:
        """Typed columns (a Parquet row group) as one JSON document per row, by DuckDB."""
        con = self.store.con
        assert batch.columns is not None
        con.register("_hub_batch_columns", batch.columns.to_reader())  # a stream: see flush
        try:
            json = con.sql("SELECT to_json(c)::VARCHAR AS doc FROM _hub_batch_columns c")
            return json.to_arrow_table().column(0)
        except (duckdb.ConversionException, duckdb.NotImplementedException) as exc:
            # Columns DuckDB cannot turn into JSON (an Arrow type it does not read).
            raise InputDataError(f"cannot read the records: {exc}", file=batch.file) from exc
        finally:
            con.unregister("_hub_batch_columns")

    def _warn(self, number: int, batch: HubBatch) -> None:
        con = self.store.con
        warnings = pa.table(
            {
                "file_no": pa.array([number] * len(batch.warnings), pa.int32()),
                "row": pa.array([w.row for w in batch.warnings], pa.int64()),
                "field": pa.array([w.field for w in batch.warnings], pa.string()),
                "message": pa.array([w.message for w in batch.warnings], pa.string()),
            }
        )
        con.register("_hub_batch_warnings", warnings)
        try:
            con.execute(f"INSERT INTO {READ_WARNINGS} SELECT * FROM _hub_batch_warnings")
        finally:
            con.unregister("_hub_batch_warnings")

    def drop(self) -> None:
        for table in (FILES, READ_WARNINGS, PARSED):
            self.store.con.execute(f"DROP TABLE IF EXISTS {table}")


# DuckDB's CSV reader as a line reader: one VARCHAR column, no quoting, lines split on \n only
# (as the Python reader splits them), each at most the cap. Its buffers are twice the cap (the
# least it takes): by default they are 16 times the cap, and the reader alone held 700 MB to
# read a 486 MB file (380 MB with these).
_READ_LINES = """
    SELECT line FROM read_csv(?, columns = {{'line': 'VARCHAR'}}, header = false,
        delim = '\x01', quote = '', escape = '', new_line = '\\n', auto_detect = false,
        compression = 'none', max_line_size = {cap}, buffer_size = {buffer},
        strict_mode = false)
"""


class LinesUnreadable(Exception):
    """DuckDB's line reader could not read a file (the source's reader is used instead)."""


def read_lines(store: Store, dump: DumpFile) -> Iterator[HubBatch]:
    """Every line of `dump`, read by DuckDB on a cursor of its own (multi-threaded, in file
    order), in batches; raises LinesUnreadable when DuckDB cannot read some line (not UTF-8,
    over the cap) or the file, at the start or after some batches.

    The cursor is a connection with its own transaction: its failure leaves the import's
    intact, and the file is then read by the source instead, which names each line it keeps
    out. The path is bound as a parameter (and is one DuckDB reads literally:
    `DumpFile.duckdb_readable`).
    """
    cursor = store.con.cursor()
    try:
        cursor.execute("SET preserve_insertion_order = true")  # rows in file order
        cap = int(dump.max_line_bytes)
        sql = _READ_LINES.format(cap=cap, buffer=max(2 * cap, 1 << 20))
        try:
            relation = cursor.sql(sql, params=[str(dump.path.absolute())])
            reader = relation.to_arrow_reader(_READER_ROWS)
        except duckdb.Error as exc:
            raise LinesUnreadable(str(exc)) from exc
        first = 1
        while True:
            try:  # an error past the first batch comes through Arrow's reader, as an OSError
                chunk = reader.read_next_batch()
            except StopIteration:
                return
            except (duckdb.Error, OSError, pa.ArrowException) as exc:
                raise LinesUnreadable(str(exc)) from exc
            rows = pa.array(range(first, first + chunk.num_rows), pa.int64())  # blanks are rows
            first += chunk.num_rows
            yield HubBatch(dump.file, rows, docs=chunk.column(0))
    finally:
        cursor.close()
