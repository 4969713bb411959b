"""The 2024-09 sample of the 9,715 most-downloaded Hub models (hf_models.csv), as Hub records.

Its columns (modelId, author, downloads, lastModified, tags, ...) become dicts in the shape of
`GET /api/models/{id}`. The `tags` column is the repr of a Python list of strings, read by
`parse_tag_list` in one linear pass, never `eval`ed. Physical lines are read with a bounded
`readline`: a line over the cap is a warning naming it, the rest imports; a byte that is not
UTF-8 refuses the file (InputDataError naming it and the line).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from robinet.errors import InputDataError, SourceError
from robinet.sources.base import MAX_LINE_BYTES, HubBatch, ImportWarning, hub_batches

BATCH_ROWS = 50_000

_PY_STRING = re.compile(r"'((?:[^'\\]|\\.)*)'" + r'|"((?:[^"\\]|\\.)*)"', re.DOTALL)
_SPACE = re.compile(r"\s*")
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|.)", re.DOTALL)
_ESCAPES = {
    "\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r",
    "t": "\t", "v": "\v", "\n": "",
}  # fmt: skip


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] in "xuU" and len(code) > 1:
        return chr(int(code[1:], 16))
    if code[0] in "01234567":
        return chr(int(code, 8))
    return _ESCAPES.get(code, "\\" + code)  # an unknown escape stays as written, as in Python


def _skip_space(text: str, position: int) -> int:
    found = _SPACE.match(text, position)
    return found.end() if found else position


def parse_tag_list(text: str) -> list[str] | None:
    """The strings of a Python list (or tuple) repr such as `['a', "b's"]`; None if it is not one.

    One pass, linear in the length of `text`: the CSV's `tags` column is untrusted input, and
    `ast.literal_eval` costs hundreds of times its size in memory on a long field.
    """
    text = text.strip()
    if not text:
        return []
    if len(text) < 2 or (text[0], text[-1]) not in (("[", "]"), ("(", ")")):
        return None
    body = text[1:-1]
    items: list[str] = []
    position = _skip_space(body, 0)
    while position < len(body):
        string = _PY_STRING.match(body, position)
        if string is None:
            return None  # not a string literal: a number, a nested list, garbage
        raw = string.group(1) if string.group(1) is not None else string.group(2)
        try:
            items.append(_ESCAPE.sub(_unescape, raw) if "\\" in raw else raw)
        except (ValueError, OverflowError):  # an escape past the last code point
            return None
        position = _skip_space(body, string.end())
        if position == len(body):
            break
        if body[position] != ",":
            return None
        position = _skip_space(body, position + 1)
    return items


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


def _csv_int(value: str) -> Any:
    try:
        return int(value)
    except ValueError:
        return value or None


def _physical_lines(handle: IO[bytes], file: str, cap: int) -> Iterator[str | int]:
    """Decoded lines of a CSV, each at most `cap` bytes; a longer line gives its number instead.

    Lines are read with a bounded `readline`, so a huge line is never held whole.
    """
    number = 0
    while True:
        line = handle.readline(cap + 1)
        if not line:
            return
        number += 1
        if len(line) > cap and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # drop the rest of it as it streams past
                line = handle.readline(cap + 1)
            yield number
            continue
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputDataError(
                f"line {number} is not valid UTF-8 ({exc.reason} at byte {exc.start})",
                file=file,
                hint="save the CSV as UTF-8",
            ) from exc


def _top_models_items(
    path: Path, cap: int, label: str | None = None
) -> Iterator[tuple[int, dict[str, Any]] | ImportWarning]:
    """(data row, record) for each row of hf_models.csv, or a warning for a row kept out.

    `label` names the file in warnings and errors (default: the path)."""
    file = label or str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc}") from exc
    over_cap: list[int] = []  # physical lines dropped since the last row

    def lines() -> Iterator[str]:
        for item in _physical_lines(handle, file, cap):
            if isinstance(item, int):
                over_cap.append(item)
                yield "\n"  # an empty line: the csv reader skips it
            else:
                yield item

    limit = csv.field_size_limit()
    csv.field_size_limit(cap)
    try:
        with handle:
            reader = csv.reader(lines())
            try:
                header = next(reader, None)
            except csv.Error as exc:
                raise InputDataError(f"unreadable CSV header: {exc}", file=file) from exc
            if not header or "modelId" not in header:
                raise InputDataError("not a Hub models CSV: no modelId column", file=file)
            row = 0
            while True:
                try:
                    values = next(reader, None)
                except csv.Error as exc:
                    row += 1
                    yield ImportWarning(file, row, f"unreadable CSV row ({exc}): skipped")
                    continue
                for line in over_cap:
                    row += 1
                    yield ImportWarning(
                        file, row, f"line {line} is over the {cap:,}-byte cap: skipped"
                    )
                over_cap.clear()
                if values is None:
                    return
                if not values:
                    continue
                row += 1
                yield row, _top_model_record(dict(zip(header, values, strict=False)))
    finally:
        csv.field_size_limit(limit)


def _top_model_record(row: dict[str, str]) -> dict[str, Any]:
    tags_text = row.get("tags") or ""
    tags = parse_tag_list(tags_text)
    record: dict[str, Any] = {
        "id": (row.get("modelId") or "").strip(),
        "author": row.get("author") or None,
        "sha": row.get("sha") or None,
        "lastModified": _csv_time(row.get("lastModified") or ""),
        "private": (row.get("private") or "").strip().lower() == "true",
        "downloads": _csv_int(row.get("downloads") or ""),
        "pipeline_tag": row.get("pipeline_tag") or None,
        "tags": tags_text if tags is None else tags,  # kept raw: reported as malformed
    }
    if row.get("inference"):
        record["inference"] = row["inference"]
    return record


def read_top_models_csv(
    path: Path | str, *, max_line_bytes: int = MAX_LINE_BYTES
) -> Iterator[dict[str, Any]]:
    """Rows of hf_models.csv (top models, 2024-09) as dicts in the Hub API's shape.

    Rows that cannot be read are left out here; `top_models_batches` reports them.
    """
    for item in _top_models_items(Path(path), max_line_bytes):
        if not isinstance(item, ImportWarning):
            yield item[1]


def top_models_batches(
    path: Path,
    *,
    label: str | None = None,
    max_line_bytes: int = MAX_LINE_BYTES,
    batch_rows: int = BATCH_ROWS,
) -> Iterator[HubBatch]:
    """The top-models CSV as batches of JSON documents, with the rows kept out as warnings.

    `label` is the file name recorded as provenance (default: the path)."""
    file = label or str(path)
    return hub_batches(_top_models_items(path, max_line_bytes, file), file, batch_rows)
