"""The curated releases catalog (data/catalog/releases/*.yaml, one file per primary developer):
dated facts the tables lack.

A source like the others: each entry becomes one `release_facts` row (source `catalog`, file
the YAML file, row the entry's number in it), ranked by the merge's precedence rule
(store/merge.py). Every fact of an entry carries the URL it was read at: `url` for all of
them, `urls` for a fact read elsewhere. An entry is validated by pydantic; a bad entry is kept
out with a warning naming the file, the entry and the field, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, model_validator

from robinet.domain import org_directory, slug
from robinet.sources.base import Batch, SourceInfo, provenance

FOLDER = "robinet/data/catalog/releases"  # as rows name their files (the package's copy)
NAME = "catalog"
INFO = SourceInfo(
    name=NAME,
    title="robinet's curated releases catalog (vendors' announcements, model cards, papers)",
    origin="https://github.com/robinet/robinet/tree/main/src/robinet/data/catalog/releases",
    version="bundled with the package",
    license="CC-BY-4.0",
    attribution="robinet contributors; each fact cites its source URL",
    files=(FOLDER,),
    retrieved_at=dt.datetime(2026, 11, 29),
)

CLOSED_TIERS = ("api", "hosted", "unreleased")
FACTS = ("announced", "available", "tier", "license", "hf_ids", "organization", "base_model")
_HF_ID = r"^[A-Za-z0-9][\w.-]*/[\w.-]+$"


class CatalogEntry(BaseModel):
    """One release. `license` (a knowledge-base id) is the weights' license: an open release's
    tier follows from its terms, so `tier` is given only for releases without open weights."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    organization: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    organizations: list[str] = Field(default_factory=list)  # co-authors, after the developer
    aliases: list[str] = Field(default_factory=list)  # names other sources use for it
    announced: dt.date | None = None  # paper, announcement or preview
    available: dt.date | None = None  # weights downloadable, or the API generally available
    tier: Literal["api", "hosted", "unreleased"] | None = None
    license: str | None = None
    hf_ids: list[str] = Field(default_factory=list)
    base_model: str | None = None  # the release it was built from (its license may pass through)
    url: HttpUrl  # where the entry's facts were read
    urls: dict[Literal[FACTS], HttpUrl] = Field(default_factory=dict)  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _consistent(self) -> CatalogEntry:
        if not (self.announced or self.available or self.license or self.tier):
            raise ValueError("an entry states no fact (a date, a license or a tier)")
        if self.announced and self.available and self.available < self.announced:
            raise ValueError("`available` precedes `announced`")
        if self.license and self.tier:
            raise ValueError("give `license` (open weights) or `tier` (api, hosted, unreleased)")
        if self.tier and self.hf_ids:
            raise ValueError(f"a {self.tier} release has no Hub weights (`hf_ids`)")
        for hf_id in self.hf_ids:
            if not _valid_hf_id(hf_id):
                raise ValueError(f"not a Hub model id: {hf_id!r}")
        return self

    def url_of(self, fact: str) -> str:
        return str(self.urls.get(fact, self.url))


def _valid_hf_id(text: str) -> bool:
    return re.fullmatch(_HF_ID, text) is not None


def default_path() -> Path:
    """The bundled catalog's folder."""
    return Path(str(files("robinet") / "data" / "catalog" / "releases"))


def catalog_files(path: Path) -> list[Path]:
    """The YAML files of a catalog: `path` itself, or a folder's `*.yaml` by name."""
    return sorted(path.glob("*.yaml")) if path.is_dir() else [path]


def load_entries(path: Path) -> list[Any]:
    """The raw entries of one catalog file (a list), or an InputDataError naming it."""
    from robinet.errors import InputDataError, KnowledgeBaseError
    from robinet.licenses.schema import load_yaml  # a key given twice is an error

    try:
        raw = load_yaml(path.read_text(encoding="utf-8"), file=str(path))
    except (OSError, KnowledgeBaseError) as exc:
        raise InputDataError(f"cannot read the releases catalog: {exc}", file=str(path)) from exc
    if not isinstance(raw, list):
        raise InputDataError("the releases catalog must be a list of entries", file=str(path))
    return raw


class CatalogSource:
    info = INFO

    def __init__(self, path: Path | None = None) -> None:
        self.path = path  # a catalog file or folder; the bundled folder by default

    def read(self, sources_dir: Path) -> Batch:
        """The catalog's facts (`sources_dir` is unused: the catalog ships with the package)."""
        batch = Batch(self.info)
        bundled = self.path is None
        for path in catalog_files(self.path or default_path()):
            name = f"{FOLDER}/{path.name}" if bundled else str(path)
            self._read_file(batch, path, name)
        return batch

    def _read_file(self, batch: Batch, path: Path, file: str) -> None:
        from robinet.licenses import knowledge_base

        raw = load_entries(path)
        kb_ids = set(knowledge_base().ids())
        directory = org_directory()
        for number, item in enumerate(raw, start=1):
            batch.rows_read += 1
            try:
                entry = CatalogEntry.model_validate(item)
            except ValidationError as exc:
                first = exc.errors()[0]
                field = ".".join(str(p) for p in first["loc"]) or "entry"
                batch.warn(file, number, f"{first['msg']}; entry kept out ({field})")
                continue
            if entry.license and entry.license not in kb_ids:
                batch.warn(file, number, f"unknown license id {entry.license!r}; entry kept out")
                continue
            orgs = [entry.organization] + [
                directory.resolve(o) for o in entry.organizations if o != entry.organization
            ]
            if entry.organization not in directory.entries:
                batch.warn(
                    file, number, f"organization {entry.organization!r} is not in "
                    "organizations.yaml; kept as its own", "organization",
                )  # fmt: skip
            batch.add("release_facts", _fact(entry, orgs, file, number))


def _fact(entry: CatalogEntry, orgs: list[str], file: str, number: int) -> dict[str, Any]:
    urls = {fact: entry.url_of(fact) for fact in FACTS if _has(entry, fact)}
    return {
        "release_id": None,
        "name_key": slug(entry.name),
        "name": entry.name,
        "organization": orgs[0],
        "organizations": orgs,
        "organization_raw": None,  # an id, not a spelling the sources use
        "countries": [],
        "org_countries": [None] * len(orgs),
        "date": entry.available or entry.announced,
        "announced": entry.announced,
        "available": entry.available,
        "tier": entry.tier,
        "tier_raw": entry.tier,
        "license_id": entry.license,
        "hf_id": entry.hf_ids[0] if entry.hf_ids else None,
        "hf_ids": list(entry.hf_ids),
        "aliases": list(entry.aliases),
        "urls": json.dumps(urls, sort_keys=True),
        "base_model": entry.base_model,
        "notable": False,
        "link": str(entry.url),
        **provenance(INFO, file, number),
    }


def _has(entry: CatalogEntry, fact: str) -> bool:
    value = getattr(entry, "license" if fact == "license" else fact)
    return bool(value)


SOURCES = [CatalogSource()]


def main(argv: list[str] | None = None) -> int:
    """`python -m robinet.sources.catalog [PATH]`: check a catalog file or folder (the bundled
    one by default): every entry kept, every warning with its file and entry; exit 1 on any
    warning, or when two entries of an organization share a name."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    batch = CatalogSource(Path(args[0]) if args else None).read(Path("."))
    facts = batch.rows.get("release_facts", [])
    seen: dict[tuple[str, str], str] = {}
    clashes = []
    for fact in facts:
        for name in [fact["name"], *fact["aliases"]]:
            key = (fact["organization"], slug(name))
            where = f"{fact['file']} entry {fact['row']}"
            if key in seen and seen[key] != where:
                clashes.append(f"{where}: {name!r} is also {seen[key]}")
            seen.setdefault(key, where)
    for fact in facts:
        print(f"{fact['file']}:{fact['row']}: {fact['organization']} {fact['name']} "
              f"{fact['date'] or '-'} {fact['license_id'] or fact['tier']}")  # fmt: skip
    for warning in batch.warnings:
        print(f"warning: {warning.file} entry {warning.row}: {warning.message}")
    for clash in clashes:
        print(f"duplicate: {clash}")
    print(f"{len(facts)} entries kept, {len(batch.warnings)} warnings, {len(clashes)} duplicates")
    return 1 if batch.warnings or clashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
