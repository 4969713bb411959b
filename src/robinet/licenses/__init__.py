"""The license engine: a clause-level knowledge base of AI-model licenses, version-exact
identification from text, Hub metadata resolution and use verdicts.

Public API (stable; see docs/licenses.md):

- `knowledge_base() -> KnowledgeBase`: `.get(id)`, `.entries`, `.ids()`
- `LicenseEntry`, `Term`, `TermKind`: the knowledge base's vocabulary
- `identify(text) -> list[Identification]`, `identify_file(path) -> FileIdentification`
- `resolve(license=, license_name=, license_link=) -> Resolution`
- `UseContext`, `use_context(mapping)`, `check(license_id, use) -> UseVerdict`, `combine`
- `compare(ids) -> Comparison`

Every name loads its module on first use, so that a command pays only for what it uses
(`robinet license check` never compiles the identification regexes, `robinet license
identify` never reads the knowledge base), and neither imports PyYAML or pydantic: both read
the validated copies `prebuilt.py` ships.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from robinet.licenses.compare import Comparison, compare
    from robinet.licenses.context import UseContext, use_context
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
    from robinet.licenses.obligations import Obligation, ProhibitedUse, UseVerdict, combine
    from robinet.licenses.resolve import Resolution, resolve
    from robinet.licenses.verdicts import UseCase, check

_LAZY = {
    "Comparison": "compare",
    "compare": "compare",
    "FileIdentification": "files",
    "identify_bytes": "files",
    "identify_file": "files",
    "Identification": "identify",
    "identify": "identify",
    "KnowledgeBase": "kb",
    "LicenseEntry": "kb",
    "Term": "kb",
    "TermKind": "kb",
    "knowledge_base": "kb",
    "load_knowledge_base": "kb",
    "Resolution": "resolve",
    "resolve": "resolve",
    "UseCase": "verdicts",
    "check": "verdicts",
    "UseContext": "context",
    "use_context": "context",
    "Obligation": "obligations",
    "ProhibitedUse": "obligations",
    "UseVerdict": "obligations",
    "combine": "obligations",
}


# `compare`, `identify` and `resolve` name both a submodule and its function. The import
# system binds a submodule to its package's attribute when it loads it; this package keeps the
# function (what `from robinet.licenses import resolve` has always given).
_FUNCTIONS = {"compare", "identify", "resolve"}


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        if name in _FUNCTIONS and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "Comparison",
    "FileIdentification",
    "Identification",
    "KnowledgeBase",
    "LicenseEntry",
    "Obligation",
    "ProhibitedUse",
    "Resolution",
    "Term",
    "TermKind",
    "UseCase",
    "UseContext",
    "UseVerdict",
    "check",
    "combine",
    "compare",
    "identify",
    "identify_bytes",
    "identify_file",
    "knowledge_base",
    "load_knowledge_base",
    "resolve",
    "use_context",
]
