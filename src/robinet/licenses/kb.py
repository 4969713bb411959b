"""The license knowledge base: one YAML file per license version, validated by a schema.

Each entry (src/robinet/licenses/kb/<id>.yaml) names one version of one license text, its
metadata (publisher, version, release date, SPDX / ScanCode key, Hub spellings) and its
**terms**: structured conditions, each with the clause it comes from and a short verbatim
quote that occurs in the reference text (src/robinet/licenses/texts/<id>.txt).

The vocabulary (`TermKind`, `Term`, `LicenseEntry`, `KnowledgeBase`) is defined in
`entries.py` and exported here. `load_knowledge_base` validates every file (`schema.py`:
pydantic, one parameter model per term kind, quotes checked against the texts) and raises
`KnowledgeBaseError` naming the file and the key. `knowledge_base()` gives the bundled
entries, once per process, from the validated copy `prebuilt.py` ships: neither needs PyYAML
nor pydantic until the YAML itself must be read.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from robinet.licenses.entries import (
    HERE,
    KB_DIR,
    TEXTS,
    KnowledgeBase,
    LicenseEntry,
    Term,
    TermKind,
)

__all__ = [
    "HERE",
    "KB_DIR",
    "TEXTS",
    "KnowledgeBase",
    "LicenseEntry",
    "Term",
    "TermKind",
    "knowledge_base",
    "load_knowledge_base",
    "parse_entry",
]


def parse_entry(data: Any, *, file: str) -> LicenseEntry:
    """Validate one YAML document and turn it into a LicenseEntry (KnowledgeBaseError if bad)."""
    from robinet.licenses.schema import parse_entry as parse

    return parse(data, file=file)


def load_knowledge_base(directory: Path) -> KnowledgeBase:
    """Load and validate every `*.yaml` entry under `directory` (see `schema.py` for what is
    checked; KnowledgeBaseError names the file and the key of the first problem)."""
    from robinet.licenses.schema import read_entries

    return KnowledgeBase(read_entries(Path(directory)))


@functools.cache
def knowledge_base() -> KnowledgeBase:
    """The bundled knowledge base, loaded once per process: the prebuilt one shipped with
    robinet when it is fresh (built from the same YAML, texts and schema), else validated
    from the YAML now."""
    from robinet.licenses.prebuilt import load_knowledge_base as load_prebuilt

    return load_prebuilt() or load_knowledge_base(KB_DIR)
