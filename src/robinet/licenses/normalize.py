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
    return unicodedata.normalize("NFKC", text).lower()


# List markers ("1.", "a.", "iv.", "(b)", "* ", "1\\.") are layout, not words: vendors renumber
# lists between revisions of the same text, and markdown conversions change them.
_MARKERS = re.compile(
    r"(?m)^[ \t>]*(?:[-*+\u2022]|\(?[a-z]\\?[.)])[ \t]+"
    r"|(?<![\w.])\(?(?:\d{1,2}|[ivx]{1,5})\\?[.)](?=\s|$)"
    r"|\((?:\d{1,2}|[a-z]|[ivx]{1,5})\)"
)


# One pass: a list marker matches the first (non-capturing) branch and yields '', a token the
# capturing group.
_SCAN = re.compile(f"(?m){_MARKERS.pattern[4:]}|({_TOKEN.pattern})")


def tokens(text: str) -> list[str]:
    """The token stream identification works on."""
    return [t for t in _SCAN.findall(fold(text)) if t]


def phrase(text: str) -> str:
    """A text as one space-joined token string (for phrase and quote matching)."""
    return " ".join(tokens(text))
