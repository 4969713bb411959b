"""Random bytes and random text into identification: never an exception, always a result of
the documented type, in bounded time.

`identify_bytes` is what `robinet license identify` runs on every file and on stdin, so it
meets whatever a user points it at; `identify` meets any decoded text. Besides pure noise,
the strategies splice noise into real reference texts, so that the text-matching and
version-telling paths run on damaged input too, not only the "nothing found" path.
"""

from __future__ import annotations

import random
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from robinet.licenses import (
    FileIdentification,
    Identification,
    identify,
    identify_bytes,
    knowledge_base,
)
from robinet.licenses.files import MAX_BYTES

KB = knowledge_base()
IDS = frozenset(KB.ids())
TEXTS = [KB.get(i).text() for i in ("llama-3.1-license-2024", "mit", "gemma-tou-2024-04-01")]
CPU_BOUND = 2.0  # CPU seconds for one input of at most ~70 kB (typically a few ms)

FUZZ = settings(
    max_examples=150,
    deadline=None,  # (a shared machine: the CPU-time bound below is the time check)
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _check(found: list[Identification]) -> None:
    assert isinstance(found, list)
    for f in found:
        assert isinstance(f, Identification)
        assert f.license is None or f.license in IDS
        assert set(f.candidates) <= IDS
        assert (f.license is None) == bool(f.candidates)  # undecided: the candidates
        assert 0.0 <= f.confidence <= 1.0 and 0.0 <= f.coverage <= 1.0
        assert f.method in ("text", "notice")
        assert all(isinstance(e, str) for e in f.evidence)
        if f.license is not None:
            assert (f.scancode_key, f.spdx) == (
                KB.get(f.license).scancode_key,
                KB.get(f.license).spdx,
            )


def _bounded(fn, *args):  # type: ignore[no-untyped-def]
    start = time.process_time()
    result = fn(*args)
    assert time.process_time() - start < CPU_BOUND
    return result


@st.composite
def spliced(draw: st.DrawFn, as_bytes: bool) -> bytes | str:
    """A slice of a reference text (UTF-8 encoded when `as_bytes`) with random bytes or
    characters inserted at a few places."""
    text = draw(st.sampled_from(TEXTS))
    start = draw(st.integers(0, len(text)))
    piece = text[start : start + draw(st.integers(0, 20_000))]
    if as_bytes:
        data = piece.encode("utf-8")
        for junk in draw(st.lists(st.binary(min_size=1, max_size=256), max_size=4)):
            at = draw(st.integers(0, len(data)))
            data = data[:at] + junk + data[at:]
        return data
    for chars in draw(st.lists(st.text(min_size=1, max_size=256), max_size=4)):
        at = draw(st.integers(0, len(piece)))
        piece = piece[:at] + chars + piece[at:]
    return piece


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    result = _bounded(identify_bytes, data)
    assert isinstance(result, FileIdentification) and result.path == "-"
    _check(list(result.matches))
    assert result.error is None or not result.matches
    assert isinstance(result.to_json(), dict)


@FUZZ
@given(st.text(max_size=4096))
def test_random_unicode(text: str) -> None:
    _check(_bounded(identify, text))


@FUZZ
@given(spliced(as_bytes=True))
def test_reference_texts_with_random_bytes_inside(data: bytes) -> None:
    result = _bounded(identify_bytes, data)
    assert isinstance(result, FileIdentification)
    _check(list(result.matches))


@FUZZ
@given(spliced(as_bytes=False))
def test_reference_texts_with_random_unicode_inside(text: str) -> None:
    _check(_bounded(identify, text))


def test_an_input_past_the_size_limit_is_cut_and_stays_bounded() -> None:
    rng = random.Random(20240901)
    words = TEXTS[0].split()
    salad = " ".join(rng.choice(words) for _ in range(600_000)).encode("utf-8")
    assert len(salad) > MAX_BYTES
    start = time.process_time()
    result = identify_bytes(salad)
    assert time.process_time() - start < 10 * CPU_BOUND  # (about 0.3 s here)
    assert any("only the start was read" in w for w in result.warnings)
    _check(list(result.matches))
