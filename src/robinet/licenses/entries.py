"""The knowledge base's vocabulary: license entries, their terms, and the set of them.

These are plain frozen dataclasses, read by every part of the license engine; how the
entries are validated (`schema.py`) and loaded (`kb.py`, `prebuilt.py`) lives apart, so this
module imports nothing heavy and depends on nothing but the errors.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from robinet.errors import KnowledgeBaseError, NotFoundError

HERE = Path(__file__).resolve().parent
KB_DIR = HERE / "kb"  # the bundled entries, one YAML file each
TEXTS = HERE / "texts"  # their reference texts


class TermKind(StrEnum):
    """What a term is about. Its `params` shape depends on the kind (see docs/licenses.md)."""

    COMMERCIAL_USE = "commercial_use"
    USER_THRESHOLD = "user_threshold"
    TERRITORY = "territory"
    FIELD_OF_USE = "field_of_use"
    OUTPUT_TRAINING = "output_training"
    ATTRIBUTION = "attribution"
    NAMING = "naming"
    DERIVATIVES = "derivatives"
    REDISTRIBUTION = "redistribution"
    TERMINATION = "termination"
    NONCOMMERCIAL = "noncommercial"
    ACCEPTABLE_USE = "acceptable_use"


@dataclass(frozen=True, slots=True)
class Term:
    """One structured condition of a license, with the clause and verbatim words behind it."""

    kind: TermKind
    clause: str
    quote: str
    summary: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LicenseEntry:
    """One version of one license, as the knowledge base describes it."""

    id: str
    name: str
    publisher: str
    version: str | None
    family: str
    release_date: dt.date | None
    spdx: str | None
    scancode_key: str | None
    predecessor: str | None
    successor: str | None
    hub_ids: tuple[str, ...]
    license_names: tuple[str, ...]
    terms: tuple[Term, ...]
    category: str = "model"
    kind: str = "license"
    license_links: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    incorporates: tuple[str, ...] = ()
    text_file: str | None = None
    source: str = ""
    osi_approved: bool | None = None
    terms_known: bool = True  # False: known by name only, its terms are unknown

    def terms_of(self, kind: TermKind | str) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.kind == kind)

    def text(self) -> str:
        """The reference text shipped with robinet ('' when the entry has none)."""
        if not self.text_file:
            return ""
        return _read_text(self.text_file)


def _read_text(name: str) -> str:
    return (TEXTS / name).read_text("utf-8")


class KnowledgeBase:
    """All license entries, by id."""

    def __init__(self, entries: tuple[LicenseEntry, ...]) -> None:
        self.entries = tuple(sorted(entries, key=lambda e: e.id))
        self._by_id = {e.id: e for e in self.entries}
        if len(self._by_id) != len(self.entries):
            dups = sorted(i for i, n in Counter(e.id for e in self.entries).items() if n > 1)
            raise KnowledgeBaseError(f"duplicate license ids: {', '.join(dups)}")

    def get(self, license_id: str) -> LicenseEntry:
        try:
            return self._by_id[license_id]
        except KeyError:
            raise NotFoundError(
                f"unknown license {license_id!r}",
                hint="`robinet license list` shows the known ids",
            ) from None

    def __contains__(self, license_id: object) -> bool:
        return license_id in self._by_id

    def __len__(self) -> int:
        return len(self.entries)

    def ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.entries)
