"""Text normalization shared by identification and quote checks.

License texts reach us in markdown, reflowed, with CRLF line ends, typographic quotes,
full-width characters and HTML tags. Identification works on a token stream where none of
that matters: NFKC, lower case, and tokens that are runs of ASCII letters/digits (keeping
version numbers such as `3.1` whole) or single CJK characters. Punctuation, markup and
whitespace are dropped.
"""

from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)*(?:\+\+)?|[\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def fold(text: str) -> str:
    """NFKC (full-width forms, ligatures) and lower case."""
    if text.isascii():
        return text.lower()
    # typographic quotes, dashes and no-break spaces need no folding: they are not token
    # characters, so they vanish like their ASCII twins
    if unicodedata.is_normalized("NFKC", text):  # (a quick check, much cheaper)
        return text.lower()
    return unicodedata.normalize("NFKC", text).lower()


# List markers ("1.", "a.", "iv.", "(b)", "* ", "1\\.") are layout, not words: vendors renumber
# lists between revisions of the same text, and markdown conversions change them.
_MARKERS = re.compile(
    r"(?m)^[ \t>]*(?:[-*+\u2022]|\(?[a-z]\\?[.)])[ \t]+"
    r"|(?<![\w.])\(?(?:\d{1,2}|[ivx]{1,5})\\?[.)](?=\s|$)"
    r"|\((?:\d{1,2}|[a-z]|[ivx]{1,5})\)"
)


# One pass: a list marker matches a non-capturing branch and yields '', anything else the
# capturing group. For speed the group also takes a whole *run* of plain words, each followed
# by separators that cannot change how the next word is read (space, tab, CR and ASCII
# punctuation other than `.+()\\`): the run is split afterwards by `str.split`, in C, instead
# of one regex match per token. A run gives exactly the tokens token-by-token matching would
# (a word followed by a separator is a whole token and never a list marker, which needs `.`
# or `)` right after it; a separator is never part of a token; the run never crosses a line
# end, where a marker may start). tests/licenses/test_license_normalize.py checks the
# equivalence against the plain token-by-token scan.
_SEPARATORS = "".join(c for c in map(chr, range(33, 127)) if not (c.isalnum() or c in ".+()\\"))
_SEP = f"[ \\t\\r{re.escape(_SEPARATORS)}]"
# `[a-z0-9](?:[a-z0-9]|SEP)*SEP` is `(?:[a-z0-9]+SEP+)+` written as one character-class loop
_SCAN = re.compile(f"{_MARKERS.pattern}|([a-z0-9][a-z0-9{_SEP[1:-1]}]*{_SEP}|{_TOKEN.pattern})")
_TO_SPACE = str.maketrans(_SEPARATORS + "\t\r", " " * (len(_SEPARATORS) + 2))
# Typographic quotes and dashes are no token characters, no word characters, no spaces and no
# marker characters, exactly like the ASCII apostrophe: replacing them keeps the token stream
# and lets the runs above span them.
_INERT = "\u201c\u201d\u2018\u2019\u2013\u2014"


def tokens(text: str) -> list[str]:
    """The token stream identification works on."""
    folded = fold(text)
    if not folded.isascii():
        for ch in _INERT:
            if ch in folded:
                folded = folded.replace(ch, "'")
    return " ".join(_SCAN.findall(folded)).translate(_TO_SPACE).split()


def tokens_reference(text: str) -> list[str]:
    """`tokens`, one regex match per token: the plain definition `tokens` must equal."""
    return [t for t in _REFERENCE_SCAN.findall(fold(text)) if t]


_REFERENCE_SCAN = re.compile(f"(?m){_MARKERS.pattern[4:]}|({_TOKEN.pattern})")


def phrase(text: str) -> str:
    """A text as one space-joined token string (for phrase and quote matching)."""
    return " ".join(tokens(text))
