"""The license knowledge base: one YAML file per license version, validated by a schema.

Each entry (src/robinet/licenses/kb/<id>.yaml) names one version of one license text, its
metadata (publisher, version, release date, SPDX / ScanCode key, Hub spellings) and its
**terms**: structured conditions, each with the clause it comes from and a short verbatim
quote that occurs in the reference text (src/robinet/licenses/texts/<id>.txt).

The loader validates every file with pydantic and raises `KnowledgeBaseError` naming the
file and the field; `knowledge_base()` loads the bundled entries once per process.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from robinet.errors import KnowledgeBaseError, NotFoundError


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

    def terms_of(self, kind: TermKind | str) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.kind == kind)

    def text(self) -> str:
        """The reference text shipped with robinet ('' when the entry has none)."""
        if not self.text_file:
            return ""
        return _read_text(self.text_file)


# ---- the schema ------------------------------------------------------------------------------


class _TermModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: TermKind
    clause: str = Field(min_length=1)
    quote: str = Field(min_length=3)
    summary: str = Field(min_length=3)
    params: dict[str, Any] = Field(default_factory=dict)


class _EntryModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.+-]*$")
    name: str = Field(min_length=2)
    publisher: str = Field(min_length=1)
    version: str | None
    family: str = Field(min_length=1)
    release_date: dt.date | None
    spdx: str | None
    scancode_key: str | None
    predecessor: str | None = None
    successor: str | None = None
    hub_ids: list[str] = Field(default_factory=list)
    license_names: list[str] = Field(default_factory=list)
    license_links: list[str] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)
    incorporates: list[str] = Field(default_factory=list)
    category: Literal["model", "generic", "policy"]
    kind: Literal["license", "policy", "terms"] = "license"
    text: str | None
    source: str = Field(min_length=1)
    osi_approved: bool | None = None
    terms: list[_TermModel]

    @field_validator("hub_ids", "license_names")
    @classmethod
    def _lower(cls, values: list[str]) -> list[str]:
        return [v.strip().lower() for v in values]


def _read_text(name: str) -> str:
    return resources.files("robinet.licenses").joinpath("texts", name).read_text("utf-8")


def parse_entry(data: Any, *, file: str) -> LicenseEntry:
    """Validate one YAML document and turn it into a LicenseEntry (KnowledgeBaseError if bad)."""
    if not isinstance(data, dict):
        raise KnowledgeBaseError("entry is not a mapping", file=file)
    try:
        model = _EntryModel.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise KnowledgeBaseError(first["msg"], file=file, field=loc) from None
    return LicenseEntry(
        id=model.id,
        name=model.name,
        publisher=model.publisher,
        version=model.version,
        family=model.family,
        release_date=model.release_date,
        spdx=model.spdx,
        scancode_key=model.scancode_key,
        predecessor=model.predecessor,
        successor=model.successor,
        hub_ids=tuple(model.hub_ids),
        license_names=tuple(model.license_names),
        license_links=tuple(model.license_links),
        notices=tuple(model.notices),
        incorporates=tuple(model.incorporates),
        category=model.category,
        kind=model.kind,
        text_file=model.text,
        source=model.source,
        osi_approved=model.osi_approved,
        terms=tuple(
            Term(kind=t.kind, clause=t.clause, quote=t.quote, summary=t.summary, params=t.params)
            for t in model.terms
        ),
    )


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


def load_knowledge_base(directory: Path) -> KnowledgeBase:
    """Load and validate every `*.yaml` entry under `directory`."""
    entries = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise KnowledgeBaseError(f"not valid YAML: {exc}", file=str(path)) from None
        entry = parse_entry(data, file=str(path))
        if entry.id != path.stem:
            raise KnowledgeBaseError(
                f"id {entry.id!r} differs from the file name", file=str(path), field="id"
            )
        entries.append(entry)
    if not entries:
        raise KnowledgeBaseError("no license entries found", file=str(directory))
    return KnowledgeBase(tuple(entries))


@functools.cache
def knowledge_base() -> KnowledgeBase:
    """The bundled knowledge base, loaded once per process."""
    root = resources.files("robinet.licenses").joinpath("kb")
    with resources.as_file(root) as directory:
        return load_knowledge_base(Path(directory))
