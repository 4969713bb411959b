"""The knowledge base's schema: what a YAML entry may say, checked before anything uses it.

A misspelled key that loads without error is worse than a crash: `monthly_active_user` for
the threshold once turned an 800M-user `deny` into `allow`, because the verdict read the
missing key as "no threshold". So every entry is checked here, and any of these fails the
load with a `KnowledgeBaseError` naming the file and the key:

- an unknown or misspelled key (entry, term or term parameter; pydantic `extra="forbid"`),
  a key given twice in one mapping (YAML would keep only the last), a wrong type (strict:
  no "700000000" for an int, no "yes" for a bool), a value outside its vocabulary (a term
  kind, a purpose category, a modality, an attribution trigger, a region code);
- a quote that does not occur, token by token, in the entry's reference text;
- a reference to an entry that does not exist (predecessor, successor, incorporated policy).

Each term kind has its own parameter model (`PARAMS`); `docs/licenses.md` describes them.
This module needs pydantic and PyYAML: it runs when the knowledge base is built from its
YAML (`load_knowledge_base`, `python -m robinet.licenses.prebuilt`), never when the prebuilt
knowledge base is loaded.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal, NoReturn

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from robinet.errors import KnowledgeBaseError
from robinet.licenses.entries import TEXTS, LicenseEntry, Term, TermKind
from robinet.licenses.normalize import phrase
from robinet.licenses.params import PARAMS, did_you_mean

# ---- entries ---------------------------------------------------------------------------------


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{value!r} is listed twice")
        seen.add(value)
    return values


# Strict: YAML has already typed every value, so a wrong type is a slip to report (a quoted
# "700000000", a `version: 3.1` read as a float), not something to convert.
_STRICT = ConfigDict(extra="forbid", strict=True)


class _TermModel(BaseModel):
    model_config = _STRICT

    kind: TermKind = Field(strict=False)  # (from its value: strict would want the enum)
    clause: str = Field(min_length=1)
    quote: str = Field(min_length=3, max_length=400)
    summary: str = Field(min_length=3)
    params: dict[str, Any] = Field(default_factory=dict)  # checked by PARAMS[kind]

    @field_validator("quote")
    @classmethod
    def _stripped(cls, quote: str) -> str:
        if quote != quote.strip():
            raise ValueError("a quote may not start or end with white space")
        return quote


class _EntryModel(BaseModel):
    model_config = _STRICT

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
    text: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")] | None
    source: str = Field(min_length=1)
    osi_approved: bool | None = None
    terms_known: bool = True  # false: known by name only (no text, terms unknown)
    terms: list[_TermModel]

    @field_validator("release_date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        # YAML reads an unquoted 2024-07-23 as a date; a quoted string or a time is a slip
        if value is not None and type(value) is not dt.date:
            raise ValueError("release_date must be an unquoted YYYY-MM-DD date")
        return value

    @field_validator("hub_ids", "license_names")
    @classmethod
    def _lower(cls, values: list[str]) -> list[str]:
        return _unique([v.strip().lower() for v in values])

    @field_validator("license_links", "notices", "incorporates")
    @classmethod
    def _no_repeats(cls, values: list[str]) -> list[str]:
        return _unique(values)


def _first_error(exc: ValidationError, prefix: str = "") -> tuple[str, str]:
    """(field path, message) of a pydantic error, worded for someone editing the YAML."""
    errors = exc.errors()
    first = errors[0]
    loc = ".".join(str(p) for p in first["loc"])
    field = f"{prefix}.{loc}" if prefix and loc else prefix or loc
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        key, loc_path = str(first["loc"][-1]), first["loc"]
        model = _TermModel if loc_path[0] == "terms" and len(loc_path) == 3 else _EntryModel
        message = f"unknown key {key!r}{did_you_mean(key, set(model.model_fields))}"
    elif str(first["type"]).endswith("_type"):  # a wrong type: say what was found
        found = first.get("input")
        message += f", not the {type(found).__name__} {_short(found)}"
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' * (len(errors) > 2)} here)"
    return field, message


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_params(term: _TermModel, index: int, file: str) -> None:
    model = PARAMS[term.kind]
    prefix = f"terms.{index}.params"
    try:
        model.model_validate(term.params)
    except ValidationError as exc:
        field, message = _first_error(exc, prefix)
        first = exc.errors()[0]
        if first["type"] == "extra_forbidden":
            key = str(first["loc"][-1])
            message = (
                f"unknown parameter {key!r} of a {term.kind.value} term"
                f"{did_you_mean(key, set(model.model_fields))}"
            )
        raise KnowledgeBaseError(message, file=file, field=field) from None


def read_text(name: str) -> str | None:
    path = TEXTS / name
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def parse_entry(data: Any, *, file: str) -> LicenseEntry:
    """Validate one YAML document and turn it into a LicenseEntry (KnowledgeBaseError if bad)."""
    if not isinstance(data, dict):
        raise KnowledgeBaseError("entry is not a mapping", file=file)
    try:
        model = _EntryModel.model_validate(data)
    except ValidationError as exc:
        field, message = _first_error(exc)
        raise KnowledgeBaseError(message, file=file, field=field) from None
    for i, term in enumerate(model.terms):
        _check_params(term, i, file)
    _check_name_only(model, file)
    _check_quotes(model, file)
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
        terms_known=model.terms_known,
        terms=tuple(
            Term(
                kind=t.kind,
                clause=t.clause,
                quote=t.quote,
                summary=t.summary,
                params=_derived(t.kind, t.params),
            )
            for t in model.terms
        ),
    )


def _derived(kind: TermKind, params: dict[str, Any]) -> dict[str, Any]:
    """A field_of_use term's `prohibited` categories, from its `prohibitions`."""
    if kind != TermKind.FIELD_OF_USE or not params.get("prohibitions"):
        return params
    categories = dict.fromkeys(p["category"] for p in params["prohibitions"])
    return {**params, "prohibited": list(categories)}


def _check_name_only(model: _EntryModel, file: str) -> None:
    """An entry known by name only has no text and no terms; every other one has both
    (a policy or license whose terms robinet records must be checkable against its text)."""
    if model.terms_known:
        if model.text is None and not model.terms:  # (with terms: _check_quotes says why)
            raise KnowledgeBaseError(
                "an entry needs a reference text (or `terms_known: false` when it is known "
                "by name only)",
                file=file,
                field="text",
            )
        return
    if model.text is not None or model.terms:
        raise KnowledgeBaseError(
            "an entry known by name only (`terms_known: false`) has no text and no terms",
            file=file,
            field="terms_known",
        )


def _check_quotes(model: _EntryModel, file: str) -> None:
    """Every quote occurs, token by token, in the reference text (what `phrase` keeps)."""
    if model.text is None:
        if model.terms:
            raise KnowledgeBaseError(
                "an entry with terms needs a reference text to check their quotes against",
                file=file,
                field="text",
            )
        return
    text = read_text(model.text)
    if text is None:
        raise KnowledgeBaseError(
            f"reference text {model.text!r} not found in {TEXTS}", file=file, field="text"
        )
    reference = f" {phrase(text)} "
    for i, term in enumerate(model.terms):
        quotes = [(f"terms.{i}.quote", term.quote)]
        if term.kind == TermKind.FIELD_OF_USE:
            quotes += [
                (f"terms.{i}.params.prohibitions.{j}.quote", str(p.get("quote", "")))
                for j, p in enumerate(term.params.get("prohibitions") or [])
            ]
        for field, quote in quotes:
            words = phrase(quote)
            if not words or f" {words} " not in reference:
                raise KnowledgeBaseError(
                    f"quote not found in the reference text {model.text}: {quote!r}",
                    file=file,
                    field=field,
                )


# ---- files -----------------------------------------------------------------------------------

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it


def load_yaml(source: str, *, file: str) -> Any:
    """One YAML document; a key given twice in a mapping is an error, not "the last wins"."""
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _no_duplicate_keys(node, (), file)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"not valid YAML: {exc}", file=file) from None
    finally:
        loader.dispose()


def _no_duplicate_keys(
    node: yaml.Node, path: tuple[str, ...], file: str, seen: set[int] | None = None
) -> None:
    seen = set() if seen is None else seen
    if id(node) in seen:  # an alias: checked where its anchor is (and it may be recursive)
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in lines:
                raise KnowledgeBaseError(
                    f"key {key!r} is given twice (lines {lines[key]} and {line}); "
                    "YAML would keep only the last",
                    file=file,
                    field=".".join((*path, key)),
                )
            lines[key] = line
            _no_duplicate_keys(value_node, (*path, key), file, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _no_duplicate_keys(item, (*path, str(i)), file, seen)


def read_entries(directory: Path) -> tuple[LicenseEntry, ...]:
    """Every `*.yaml` entry under `directory`, validated, with its references checked."""
    entries: list[LicenseEntry] = []
    files: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        file = str(path)
        try:
            source = path.read_text("utf-8")
        except UnicodeDecodeError as exc:
            raise KnowledgeBaseError(f"not valid UTF-8: {exc}", file=file) from None
        except OSError as exc:
            raise KnowledgeBaseError(f"cannot read: {exc.strerror or exc}", file=file) from None
        entry = parse_entry(load_yaml(source, file=file), file=file)
        if entry.id != path.stem:
            raise KnowledgeBaseError(
                f"id {entry.id!r} differs from the file name", file=file, field="id"
            )
        entries.append(entry)
        files[entry.id] = file
    if not entries:
        raise KnowledgeBaseError("no license entries found", file=str(directory))
    _check_references(entries, files)
    return tuple(entries)


def _check_references(entries: list[LicenseEntry], files: dict[str, str]) -> None:
    """Every id an entry names is an entry; incorporated policies are policies, and an
    acceptable-use term names one of them (verdicts apply only what `incorporates` lists)."""
    by_id = {e.id: e for e in entries}

    def fail(entry: LicenseEntry, field: str, message: str) -> NoReturn:
        raise KnowledgeBaseError(message, file=files[entry.id], field=field)

    for e in entries:
        named: list[tuple[str, str | None]] = [
            ("predecessor", e.predecessor),
            ("successor", e.successor),
            *((f"incorporates.{i}", pid) for i, pid in enumerate(e.incorporates)),
        ]
        for i, t in enumerate(e.terms):
            if t.kind == TermKind.ACCEPTABLE_USE:
                named.append((f"terms.{i}.params.policy", t.params.get("policy")))
        for field, other in named:
            if other is not None and other not in by_id:
                known = did_you_mean(other, set(by_id), listed=False)
                fail(e, field, f"{other!r} is not an entry of the knowledge base{known}")
            if other == e.id:
                fail(e, field, "an entry cannot name itself")
        for i, pid in enumerate(e.incorporates):
            if by_id[pid].kind != "policy":
                fail(e, f"incorporates.{i}", f"{pid!r} is a {by_id[pid].kind}, not a policy")
        for i, t in enumerate(e.terms):
            policy = t.params.get("policy") if t.kind == TermKind.ACCEPTABLE_USE else None
            if policy is not None and policy not in e.incorporates:
                fail(e, f"terms.{i}.params.policy", f"{policy!r} is not in `incorporates`")
