"""Writing a file the user named (`report --out`): never clobber what is not ours.

A path given on the command line may be a typo for something precious (the store itself,
a document, a symlink into another tree). robinet writes only:
- a new file, or a file it wrote before (recognized by `marker` in its first bytes), or
  any regular file with `--force`;
- never the DuckDB store, never through a symbolic link, never a folder;
- atomically: a temporary file in the same folder, then a rename, so a crash leaves either
  the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from robinet.errors import UsageError

_DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
_HEAD = 4096


def resolve_output(path: Path, default_name: str) -> Path:
    """`path`, or `default_name` inside it when it is a folder; `~` expanded."""
    path = path.expanduser()
    if path.is_dir() and not path.is_symlink():
        return path / default_name
    return path


def check_writable(path: Path, *, markers: Sequence[str], force: bool) -> None:
    """Raise UsageError unless `path` may be (over)written under the rules above."""
    if path.is_symlink():
        raise UsageError(
            f"{path} is a symbolic link: robinet does not write through links",
            hint="pass the real path of the file (or a new file name)",
        )
    if not path.exists():
        return
    if not path.is_file():
        raise UsageError(f"{path} exists and is not a regular file", hint="pass a new file name")
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if head[8:12] == _DUCKDB_MAGIC:
        raise UsageError(
            f"{path} is a DuckDB database (a robinet store?): it is never overwritten",
            hint="pass another --out PATH",
        )
    text = head.decode("utf-8", errors="replace")
    if not force and not any(marker in text for marker in markers):
        raise UsageError(
            f"{path} exists and is not a file robinet wrote: not overwritten",
            hint="pass --force to replace it, or another --out PATH",
        )


def write_atomically(path: Path, text: str) -> Path:
    """Write `text` to `path` through a temporary file and a rename; return the real path."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, 0o644)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UsageError(
            f"cannot write {path}: {exc.strerror or exc}",
            hint="pass --out with a file path in a folder you can write to",
        ) from exc
    return path.resolve()
