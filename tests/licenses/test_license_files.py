"""Bad input: empty, binary, huge, invalid UTF-8, unreadable — bounded, clear, never fatal."""

from __future__ import annotations

import time
from pathlib import Path

from robinet.licenses import identify_bytes, identify_file, knowledge_base
from robinet.licenses.files import MAX_BYTES


def test_empty_and_blank(tmp_path: Path) -> None:
    for name, data in (("empty", b""), ("blank", b"  \n\r\n\t ")):
        p = tmp_path / name
        p.write_bytes(data)
        result = identify_file(p)
        assert result.error == "empty input" and result.best is None
        assert result.to_json()["license"] is None


def test_binary(tmp_path: Path) -> None:
    p = tmp_path / "model.safetensors"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 50)
    result = identify_file(p)
    assert result.error and "binary" in result.error
    controls = bytes([1, 2, 3, 4, 5, 6, 7, 8, 11, 14, 15, 16]) * 500
    assert "binary" in (identify_bytes(controls).error or "")


def test_invalid_utf8_is_decoded_with_a_warning() -> None:
    text = knowledge_base().get("qwen-2024").text().encode()
    data = text[:2000] + b"\xff\xfe\xc3(" + text[2000:]
    result = identify_bytes(data, path="qwen.txt")
    assert result.best and result.best.license == "qwen-2024"
    assert any("invalid UTF-8 at byte 2000" in w for w in result.warnings)


def test_utf16_and_bom() -> None:
    text = knowledge_base().get("mit").text()
    assert identify_bytes(text.encode("utf-16")).best.license == "mit"  # type: ignore[union-attr]
    assert identify_bytes(b"\xef\xbb\xbf" + text.encode()).best.license == "mit"  # type: ignore[union-attr]


def test_50_mb_text_is_bounded(tmp_path: Path) -> None:
    license_text = knowledge_base().get("llama-3.1-license-2024").text()
    p = tmp_path / "huge.txt"
    filler = ("lorem ipsum dolor sit amet consectetur " * 1000 + "\n").encode()
    with open(p, "wb") as fh:
        fh.write(license_text.encode())
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(filler)
    start = time.perf_counter()
    result = identify_file(p)
    elapsed = time.perf_counter() - start
    assert elapsed < 20, elapsed
    assert result.best and result.best.license == "llama-3.1-license-2024"
    assert any(f"{MAX_BYTES:,} bytes" in w for w in result.warnings)


def test_cut_multibyte_character_at_the_limit() -> None:
    data = ("é" * (MAX_BYTES // 2 + 10)).encode()
    result = identify_bytes(data)
    assert not [w for w in result.warnings if "invalid UTF-8" in w]


def test_missing_and_directory(tmp_path: Path) -> None:
    assert "cannot read" in (identify_file(tmp_path / "nope.txt").error or "")
    assert identify_file(tmp_path).error == "is a directory"
