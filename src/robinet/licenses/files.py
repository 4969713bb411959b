"""Identification of files and byte strings: bounded reads, binary and encoding checks.

Bad input never stops a batch: an empty, binary or unreadable file gives a result with
`license: None` and an `error` or `warnings` saying why. Only the first `MAX_BYTES` of a file
are read, so a 50 MB input costs the same as a 2 MB one.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from robinet.licenses.identify import MAX_CHARS, Identification, identify

MAX_BYTES = MAX_CHARS  # bytes read from one input
BINARY_SNIFF = 8192
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


@dataclass(frozen=True, slots=True)
class FileIdentification:
    """What identification found in one input (a file path or '-' for stdin)."""

    path: str
    matches: tuple[Identification, ...]
    warnings: tuple[str, ...] = ()
    error: str | None = None

    @property
    def best(self) -> Identification | None:
        return self.matches[0] if self.matches else None

    def to_json(self) -> dict[str, object]:
        best = self.best
        return {
            "path": self.path,
            "license": best.license if best else None,
            "scancode_key": best.scancode_key if best else None,
            "spdx": best.spdx if best else None,
            "confidence": best.confidence if best else 0.0,
            "evidence": list(best.evidence) if best else [],
            "candidates": list(best.candidates) if best else [],
            "matches": [
                {
                    "license": m.license,
                    "scancode_key": m.scancode_key,
                    "spdx": m.spdx,
                    "confidence": m.confidence,
                    "coverage": m.coverage,
                    "method": m.method,
                    "evidence": list(m.evidence),
                    "candidates": list(m.candidates),
                }
                for m in self.matches
            ],
            "warnings": list(self.warnings),
            "error": self.error,
        }


def decode(data: bytes) -> tuple[str | None, list[str], str | None]:
    """(text, warnings, error): UTF-8/UTF-16 by BOM, invalid bytes replaced with a warning;
    binary data (NUL bytes, not UTF-16) is an error."""
    warnings: list[str] = []
    if not data.strip():
        return None, warnings, "empty input"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), warnings, None
    head = data[:BINARY_SNIFF]
    if b"\x00" in head:
        return None, warnings, "binary data (NUL bytes), not a text"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and len(data) >= MAX_BYTES:
            text = data[: exc.start].decode("utf-8-sig")  # a character cut by the size limit
        else:
            text = data.decode("utf-8-sig", errors="replace")
            warnings.append(f"invalid UTF-8 at byte {exc.start}; undecodable bytes replaced")
    controls = len(_CONTROLS.findall(text, 0, BINARY_SNIFF))
    if controls > len(text[:BINARY_SNIFF]) * 0.1:
        return None, warnings, "binary data (control characters), not a text"
    return text, warnings, None


def identify_bytes(data: bytes, *, path: str = "-", truncated: bool = False) -> FileIdentification:
    text, warnings, error = decode(data[:MAX_BYTES])
    if truncated or len(data) > MAX_BYTES:
        warnings.append(f"input larger than {MAX_BYTES:,} bytes: only the start was read")
    if error or text is None:
        return FileIdentification(path, (), tuple(warnings), error)
    return FileIdentification(path, tuple(identify(text)), tuple(warnings))


def read_bounded(stream: BinaryIO) -> tuple[bytes, bool]:
    """At most MAX_BYTES from a stream, and whether more was left."""
    data = stream.read(MAX_BYTES + 1)
    return data[:MAX_BYTES], len(data) > MAX_BYTES


def identify_file(path: str | Path) -> FileIdentification:
    """Identify the licenses in one file; unreadable files give an `error`, never raise."""
    name = str(path)
    try:
        with open(path, "rb") as fh:
            data, more = read_bounded(fh)
    except IsADirectoryError:
        return FileIdentification(name, (), (), "is a directory")
    except OSError as exc:
        return FileIdentification(name, (), (), f"cannot read: {exc.strerror or exc}")
    return identify_bytes(data, path=name, truncated=more)
