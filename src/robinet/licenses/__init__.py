"""The license engine: a clause-level knowledge base of AI-model licenses, version-exact
identification from text, Hub metadata resolution and use verdicts.

Public API (stable; see docs/licenses.md):

- `knowledge_base() -> KnowledgeBase`: `.get(id)`, `.entries`, `.ids()`
- `LicenseEntry`, `Term`, `TermKind`: the knowledge base's vocabulary
- `identify(text) -> list[Identification]`, `identify_file(path) -> FileIdentification`
- `resolve(license=, license_name=, license_link=) -> Resolution`
- `UseCase`, `check(license_id, use) -> robinet.model.Verdict`
- `compare(ids) -> Comparison`
"""

from __future__ import annotations

from robinet.licenses.compare import Comparison, compare
from robinet.licenses.files import FileIdentification, identify_bytes, identify_file
from robinet.licenses.identify import Identification, identify
from robinet.licenses.kb import (
    KnowledgeBase,
    LicenseEntry,
    Term,
    TermKind,
    knowledge_base,
    load_knowledge_base,
)
from robinet.licenses.resolve import Resolution, resolve
from robinet.licenses.verdicts import UseCase, check, purpose_categories

__all__ = [
    "Comparison",
    "FileIdentification",
    "Identification",
    "KnowledgeBase",
    "LicenseEntry",
    "Resolution",
    "Term",
    "TermKind",
    "UseCase",
    "check",
    "compare",
    "identify",
    "identify_bytes",
    "identify_file",
    "knowledge_base",
    "load_knowledge_base",
    "purpose_categories",
    "resolve",
]
