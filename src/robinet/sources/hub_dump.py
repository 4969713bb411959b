"""Hub model records from dump files: JSON Lines (optionally gzipped), Parquet, the top-models CSV.

A dump source only reads. It checks what the path is, streams the file in bounded chunks and
yields `HubBatch`es (one JSON document per record, with its line number); `store.hub` stages
them in DuckDB, parses them set-based and writes the tables (`store.hub.import_dump`).

- Paths are literal: `a[1].jsonl` is the file of that name. `dump_files(pattern, glob=True)`
  expands a pattern with Python's glob, sorted, and each file is read and recorded as itself.
- Bounded memory: a file is read CHUNK_BYTES at a time; a line longer than `max_line_bytes` is
  dropped as it streams past, with a warning naming it, so a 1 GiB line costs no more memory
  than a short one.
- One bad line never rejects a file: a line over the cap, or with bytes that are not UTF-8, is
  a warning naming the line; a gzip stream cut short keeps every complete line before the cut.
- Encodings: UTF-8 (a BOM is dropped); UTF-16 and UTF-32, by their BOM or by the NUL bytes
  around the first character, are transcoded; other NUL-led input is an unknown encoding.
- Refused with InputDataError naming the file: a folder, a FIFO, a device, a socket (found by
  `stat`, so a FIFO is never opened); a gzip or Parquet file that cannot be read; a Parquet
  table without an `id`/`modelId` column; a CSV that is not UTF-8.
- The top-models CSV is read by sources/hub_csv.py (`read_top_models_csv`, also importable
  from here).
"""

from __future__ import annotations

import codecs
import gzip
import itertools
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from robinet.errors import InputDataError, SourceError
from robinet.sources.base import MAX_LINE_BYTES, HubBatch, ImportWarning, hub_batches
from robinet.sources.hub_csv import read_top_models_csv as read_top_models_csv  # its old home
from robinet.sources.hub_csv import top_models_batches

DEFAULT_SOURCE = "hf-hub"
CHUNK_BYTES = 8 << 20
BATCH_ROWS = 50_000  # records per batch, from dicts and from Parquet row groups
DUMP_HINT = "a dump is JSON Lines (.jsonl, optionally .gz), Parquet or the Hub top-models CSV"

_GZIP_MAGIC = b"\x1f\x8b"
_PARQUET_MAGIC = b"PAR1"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
# UTF-32 before UTF-16: a UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
# Without a BOM: which of the first four bytes are NUL, for text that starts with an ASCII char.
_NUL_PATTERNS = {
    (False, True, True, True): "utf-32-le",
    (True, True, True, False): "utf-32-be",
    (False, True, False, True): "utf-16-le",
    (True, False, True, False): "utf-16-be",
}
_NOT_FILES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


# -- which files ------------------------------------------------------------------------------
def check_dump_file(path: Path) -> Path:
    """`path` if it is a regular file; what it is otherwise (found by stat: nothing is opened)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        pattern = any(c in str(path) for c in "*?[")
        raise SourceError(
            f"no such dump file: {path}",
            hint="paths are taken literally; ask for glob expansion to read every file a "
            "pattern matches"
            if pattern
            else None,
        ) from None
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if stat.S_ISREG(mode):
        return path
    kind = next((what for test, what in _NOT_FILES if test(mode)), "not a regular file")
    raise InputDataError(
        f"is {kind}, not a dump file",
        file=str(path),
        hint="pass one .jsonl, .jsonl.gz, .parquet or .csv file",
    )


def dump_files(path: Path | str, *, glob: bool = False) -> list[Path]:
    """The files to import: `path` itself, or with `glob` every file it matches, sorted."""
    if not glob:
        return [check_dump_file(Path(path))]
    import glob as globbing

    matches = sorted(globbing.glob(str(path), recursive=True))
    if not matches:
        raise SourceError(f"no file matches {path}", hint="check the pattern")
    return [check_dump_file(Path(match)) for match in matches]


@dataclass(frozen=True)
class DumpFile:
    """One dump file, checked, with what its first bytes say it is.

    `batches()` reads it in Python (any kind). A plain UTF-8 JSON Lines file whose path DuckDB
    reads literally (`duckdb_readable`) may instead be staged by DuckDB's own multi-threaded
    line reader (store/hub/stage.py), which falls back to `batches()` when any line is one it
    cannot take (bytes that are not UTF-8, a line over the cap): the per-line warnings are
    this reader's.
    """

    path: Path
    kind: str  # "jsonl", "jsonl.gz", "parquet", "csv"
    encoding: str = "utf-8"  # of JSON Lines text: utf-8, utf-16-le, ... (BOM included)
    max_line_bytes: int = MAX_LINE_BYTES

    @property
    def file(self) -> str:
        return str(self.path)

    @property
    def duckdb_readable(self) -> bool:
        """Whether DuckDB can read this file by name as plain UTF-8 lines, the name literal.

        DuckDB reads `*`, `?`, `[`, `{` in a name as a pattern, and `~` or `scheme://` at its
        start as a location: such a path is read by `batches()` instead, never escaped.
        """
        name = str(self.path.absolute())
        return (
            self.kind == "jsonl"
            and self.encoding == "utf-8"
            and not any(c in name for c in "*?[]{}\\")
            and name.startswith("/")
        )

    def batches(self) -> Iterator[HubBatch]:
        if self.kind == "parquet":
            return read_parquet_dump(self.path)
        if self.kind == "csv":
            return top_models_batches(self.path, max_line_bytes=self.max_line_bytes)
        return JsonLines(self.path, max_line_bytes=self.max_line_bytes).batches()


def open_dump(path: Path, *, max_line_bytes: int = MAX_LINE_BYTES) -> DumpFile:
    """What the dump at `path` is, by its content (magic bytes) and then its name."""
    check_dump_file(path)  # never open a FIFO: it would block
    with path.open("rb") as handle:
        head = handle.read(4)
    name = path.name.lower()
    if head.startswith(_PARQUET_MAGIC) or name.endswith((".parquet", ".pq")):
        return DumpFile(path, "parquet", max_line_bytes=max_line_bytes)
    if name.endswith(".csv"):
        return DumpFile(path, "csv", max_line_bytes=max_line_bytes)
    if head.startswith(_ZSTD_MAGIC):
        raise InputDataError(
            "zstd-compressed: not supported", file=str(path), hint="decompress it, or gzip it"
        )
    if head.startswith(_GZIP_MAGIC):
        return DumpFile(path, "jsonl.gz", max_line_bytes=max_line_bytes)
    encoding, bom = sniff_encoding(head, str(path))
    return DumpFile(
        path, "jsonl", encoding if not bom else f"{encoding} (BOM)", max_line_bytes=max_line_bytes
    )


def read_dump(path: Path, *, max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[HubBatch]:
    """The records of one dump file, read in Python (see `DumpFile`)."""
    return open_dump(path, max_line_bytes=max_line_bytes).batches()


# -- JSON Lines -------------------------------------------------------------------------------
class JsonLines:
    """The lines of a JSON Lines file (plain or gzip), numbered, in bounded memory."""

    def __init__(
        self, path: Path, *, max_line_bytes: int = MAX_LINE_BYTES, chunk_bytes: int = CHUNK_BYTES
    ) -> None:
        self.path = path
        self.file = str(path)
        self.cap = max_line_bytes
        self.chunk_bytes = chunk_bytes
        self.line = 0  # number of the last line read
        self.warnings: list[ImportWarning] = []
        self.problem: str | None = None  # why a gzip stream ended early

    def batches(self) -> Iterator[HubBatch]:
        with self.path.open("rb") as raw:
            gzipped = raw.read(2) == _GZIP_MAGIC
            raw.seek(0)
            if not gzipped and self.path.name.lower().endswith(".gz"):
                raise InputDataError(
                    "not a gzip file (no gzip header)", file=self.file, hint=DUMP_HINT
                )
            # A gzip stream is read with `read1` (one decompression step at a time) so that
            # what was decompressed before damage is kept: `read(n)` loses it with the error.
            read = gzip.GzipFile(fileobj=raw, mode="rb").read1 if gzipped else raw.read
            yield from self._split_lines(self._text(self._chunks(read, gzipped)))

    def _chunks(self, read: Callable[[int], bytes], gzipped: bool) -> Iterator[bytes]:
        """The bytes of the stream, about `chunk_bytes` at a time; a damaged gzip stream ends
        them early (`self.problem` says why), unless nothing at all could be read."""
        started = False
        parts: list[bytes] = []
        size = 0
        while True:
            try:
                part = read(self.chunk_bytes)
            except (EOFError, OSError, zlib.error) as exc:
                if not gzipped:
                    raise SourceError(f"cannot read {self.file}: {exc}") from exc
                reason = str(exc) or type(exc).__name__
                if not started and not parts:
                    raise InputDataError(
                        f"not a readable gzip file ({reason})",
                        file=self.file,
                        hint="check the download, or pass the uncompressed .jsonl",
                    ) from exc
                self.problem = reason
                part = b""
            if part:
                parts.append(part)
                size += len(part)
                if size < self.chunk_bytes:
                    continue
            if parts:
                started = True
                yield b"".join(parts)
                parts, size = [], 0
            if not part:
                return

    def _text(self, chunks: Iterator[bytes]) -> Iterator[bytes]:
        """UTF-8 bytes: UTF-8 as is (without its BOM), UTF-16/32 transcoded."""
        first = next(chunks, b"")
        while len(first) < 4:  # the encoding is read from the first four bytes
            more = next(chunks, b"")
            if not more:
                break
            first += more
        encoding, skip = sniff_encoding(first[:4], self.file)
        if encoding == "utf-8":
            yield first[skip:]
            yield from chunks
            return
        decoder = codecs.getincrementaldecoder(encoding)()
        offset = 0
        try:
            for chunk in itertools.chain([first[skip:]], chunks):
                offset += len(chunk)
                yield decoder.decode(chunk).encode("utf-8")
            yield decoder.decode(b"", final=True).encode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputDataError(
                f"not valid {encoding.upper()} ({exc.reason}) within its first {offset:,} bytes",
                file=self.file,
            ) from exc

    def _split_lines(self, chunks: Iterator[bytes]) -> Iterator[HubBatch]:
        pending = b""  # the start of a line whose end is in a later chunk
        skipped: int | None = None  # bytes so far of a line over the cap, being dropped
        for chunk in chunks:
            if skipped is not None:
                end = chunk.find(b"\n")
                if end < 0:
                    skipped += len(chunk)
                    continue
                self._drop_line(skipped + end)
                skipped = None
                chunk = chunk[end + 1 :]
            buffer = pending + chunk if pending else chunk
            cut = buffer.rfind(b"\n") + 1
            pending = buffer[cut:]
            if cut:
                yield self._batch(buffer[:cut])
            if len(pending) > self.cap:
                skipped, pending = len(pending), b""
        if skipped is not None:
            self._drop_line(skipped)
        elif pending and self.problem is None:  # a last line without its newline is complete
            yield self._batch(pending + b"\n")
        if self.problem is not None:
            # The line cut by the damage is incomplete: only lines that ended are kept.
            self.warnings.append(
                ImportWarning(
                    self.file,
                    self.line + 1,
                    f"the gzip stream ends early ({self.problem}): the {self.line} complete "
                    "lines before it were read, the rest is lost",
                )
            )
        if self.warnings:
            yield self._batch(b"")

    def _drop_line(self, size: int) -> None:
        self.line += 1
        self.warnings.append(
            ImportWarning(
                self.file,
                self.line,
                f"line of {size:,} bytes is over the {self.cap:,}-byte cap: skipped",
            )
        )

    def _batch(self, body: bytes) -> HubBatch:
        """One batch of the complete lines in `body` (which ends with a newline)."""
        first = self.line + 1
        if body:
            lines = pc.split_pattern(pa.array([body], pa.large_binary()), b"\n").values
            lines = lines.slice(0, len(lines) - 1)  # the empty piece after the last newline
        else:
            lines = pa.array([], pa.large_binary())
        self.line += len(lines)
        rows = pa.array(range(first, first + len(lines)), pa.int64())
        lengths = pc.binary_length(lines)
        too_long = pc.greater(lengths, self.cap)
        if len(lines) and pc.any(too_long).as_py():
            for index in pc.indices_nonzero(too_long).to_pylist():
                size = lengths[index].as_py()
                self.warnings.append(
                    ImportWarning(
                        self.file,
                        first + index,
                        f"line of {size:,} bytes is over the {self.cap:,}-byte cap: skipped",
                    )
                )
            keep = pc.invert(too_long)
            lines, rows = lines.filter(keep), rows.filter(keep)
        try:
            docs = lines.cast(pa.large_string())
        except pa.ArrowInvalid:  # some line is not UTF-8: find which, keep the others
            docs, rows = self._utf8_lines(lines, rows)
        warnings, self.warnings = tuple(self.warnings), []
        return HubBatch(self.file, rows, docs=docs, warnings=warnings)

    def _utf8_lines(self, lines: pa.Array, rows: pa.Array) -> tuple[pa.Array, pa.Array]:
        kept_docs: list[str] = []
        kept_rows: list[int] = []
        for line, row in zip(lines.to_pylist(), rows.to_pylist(), strict=True):
            try:
                kept_docs.append(line.decode("utf-8"))
            except UnicodeDecodeError as exc:
                self.warnings.append(
                    ImportWarning(
                        self.file,
                        row,
                        f"not valid UTF-8 ({exc.reason} at byte {exc.start} of the line): "
                        "line skipped",
                    )
                )
                continue
            kept_rows.append(row)
        return pa.array(kept_docs, pa.large_string()), pa.array(kept_rows, pa.int64())


def sniff_encoding(head: bytes, file: str) -> tuple[str, int]:
    """(codec, BOM length) of a text that starts with `head` (its first four bytes)."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    if b"\x00" not in head:
        return "utf-8", 0
    nuls = (head[0] == 0, head[1] == 0, head[2] == 0, head[3] == 0) if len(head) == 4 else None
    found = _NUL_PATTERNS.get(nuls) if nuls else None
    if found is None:
        raise InputDataError(
            f"unknown text encoding (first bytes {head.hex(' ')})",
            file=file,
            hint="a dump is UTF-8 text (UTF-16 and UTF-32 are read too), or gzip, or Parquet",
        )
    return found, 0


# -- Parquet ----------------------------------------------------------------------------------
def read_parquet_dump(path: Path, *, batch_rows: int = BATCH_ROWS) -> Iterator[HubBatch]:
    """The rows of a Parquet table of Hub models, as typed columns, a row group at a time."""
    import pyarrow.parquet as pq

    file = str(path)
    unreadable = (OSError, ValueError, pa.ArrowException)
    with path.open("rb") as handle:  # a file object: pyarrow never reads the name as a pattern
        try:
            parquet = pq.ParquetFile(handle)
            names = set(parquet.schema_arrow.names)
        except unreadable as exc:
            raise InputDataError(f"not a readable Parquet file: {exc}", file=file) from exc
        if not names & {"id", "modelId"}:
            raise InputDataError(
                "not a table of Hub models: no id or modelId column "
                f"(columns: {', '.join(sorted(names)[:12]) or 'none'})",
                file=file,
                hint=DUMP_HINT,
            )
        first = 1
        batches = parquet.iter_batches(batch_size=batch_rows)
        while True:
            try:
                batch = next(batches, None)
            except unreadable as exc:
                raise InputDataError(
                    f"damaged Parquet data after row {first - 1}: {exc}", file=file
                ) from exc
            if batch is None:
                return
            rows = pa.array(range(first, first + batch.num_rows), pa.int64())
            first += batch.num_rows
            yield HubBatch(file, rows, columns=pa.Table.from_batches([batch]))


# -- records (dicts) --------------------------------------------------------------------------
def record_batches(
    records: Iterable[Any], file: str | None = None, *, batch_rows: int = BATCH_ROWS
) -> Iterator[HubBatch]:
    """Records in the API shape (dicts) as batches of JSON documents, numbered from 1."""
    return hub_batches(enumerate(records, start=1), file, batch_rows)
