"""The curated provisions: one YAML file per jurisdiction, validated before anything uses it.

Each file (`src/robinet/duties/provisions/<jurisdiction>.yaml`) names the jurisdiction, the
instruments it draws on (a regulation, the Commission's guidelines, a set of measures) and
their **provisions**: an article, a short verbatim quote of it, the URL of its official text,
the date it applies from, and the numbers the engine reads (thresholds, cut-off dates). No
threshold or date lives in Python: the engine asks this catalog for them.

A provision without its source, a misspelled key, a value of the wrong type or a provision the
engine needs and does not find fails the load with a `KnowledgeBaseError` naming the file and
the key (`provisions.3.source`), so that a slip in the YAML cannot turn into a silent answer.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from fractions import Fraction
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from robinet.duties.model import Duty
from robinet.errors import KnowledgeBaseError, NotFoundError
from robinet.licenses.schema import load_yaml

_ID = r"^[a-z0-9][a-z0-9.-]*$"
_URL = r"^https?://\S+$"
_STRICT = ConfigDict(extra="forbid", strict=True)


class _InstrumentModel(BaseModel):
    model_config = _STRICT

    id: str = Field(pattern=_ID)
    title: str = Field(min_length=3)
    source: str = Field(pattern=_URL)
    in_force: dt.date | None = None


class _ProvisionModel(BaseModel):
    model_config = _STRICT

    id: str = Field(pattern=_ID)
    instrument: str = Field(pattern=_ID)
    article: str = Field(min_length=1)
    title: str = Field(min_length=3)
    quote: str = Field(min_length=3, max_length=700)
    lang: Literal["en", "zh"] = "en"
    summary: str = Field(min_length=3)
    source: str = Field(pattern=_URL)
    read_in: str | None = None  # where the quote was read, when not at `source` itself
    applies_from: dt.date | None = None
    threshold_flop: float | None = Field(default=None, gt=0)
    threshold_fraction: str | None = Field(default=None, pattern=r"^[1-9][0-9]*/[1-9][0-9]*$")
    placed_before: dt.date | None = None
    comply_by: dt.date | None = None

    @field_validator("quote")
    @classmethod
    def _stripped(cls, quote: str) -> str:
        if quote != quote.strip():
            raise ValueError("a quote may not start or end with white space")
        return quote


class _FileModel(BaseModel):
    model_config = _STRICT

    jurisdiction: str = Field(pattern=_ID)
    name: str = Field(min_length=2)
    disclaimer: str = Field(min_length=20)
    instruments: list[_InstrumentModel] = Field(min_length=1)
    provisions: list[_ProvisionModel] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Instrument:
    """A legal text or guidance document: the AI Act, the Commission's guidelines..."""

    id: str
    title: str
    source: str
    in_force: dt.date | None


@dataclass(frozen=True, slots=True)
class Provision:
    """One article (or paragraph of guidance), with the verbatim words it is quoted by."""

    id: str
    instrument: str
    article: str
    title: str
    quote: str
    lang: str
    summary: str
    source: str
    read_in: str | None = None
    applies_from: dt.date | None = None
    threshold_flop: float | None = None
    threshold_fraction: Fraction | None = None
    placed_before: dt.date | None = None
    comply_by: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """Every provision robinet records for one jurisdiction, by id."""

    id: str
    name: str
    disclaimer: str
    instruments: tuple[Instrument, ...]
    provisions: tuple[Provision, ...]
    file: str

    def get(self, provision_id: str) -> Provision:
        for provision in self.provisions:
            if provision.id == provision_id:
                return provision
        raise KnowledgeBaseError(
            f"provision {provision_id!r} is not in the catalog", file=self.file, field="provisions"
        )

    def instrument(self, instrument_id: str) -> Instrument:
        for instrument in self.instruments:
            if instrument.id == instrument_id:
                return instrument
        raise KnowledgeBaseError(
            f"instrument {instrument_id!r} is not in the catalog",
            file=self.file,
            field="instruments",
        )

    def require(self, needs: dict[str, tuple[str, ...]]) -> None:
        """Fail now, naming file and key, if a provision or one of its fields is missing."""
        for provision_id, fields in needs.items():
            provision = self.get(provision_id)
            index = self.provisions.index(provision)
            for name in fields:
                if getattr(provision, name) is None:
                    raise KnowledgeBaseError(
                        f"provision {provision_id!r} needs {name!r}",
                        file=self.file,
                        field=f"provisions.{index}.{name}",
                    )


# ---- loading --------------------------------------------------------------------------------


def _first_error(exc: ValidationError, data: Any) -> tuple[str, str]:
    first = exc.errors()[0]
    loc = first["loc"]
    field = ".".join(str(part) for part in loc)
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = f"unknown key {loc[-1]!r}"
    elif first["type"] == "missing":
        message = f"missing key {loc[-1]!r}"
    elif str(first["type"]).endswith("_type"):  # a wrong type: say what was found
        found = first.get("input")
        message += f", not the {type(found).__name__} {found!r}"
        if isinstance(found, str) and re.fullmatch(r"[0-9.]+e[+-]?[0-9]+", found.strip()):
            message += " (YAML reads 1e25 as a string: write 1.0e+25)"
    if len(loc) >= 2 and loc[0] == "provisions" and isinstance(loc[1], int):
        try:
            ident = data["provisions"][loc[1]].get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            ident = None
        if ident:
            message = f"provision {ident!r}: {message}"
    return field, message


def parse_file(source: str, *, file: str) -> Jurisdiction:
    """Validate one YAML file of provisions (KnowledgeBaseError naming file and key if bad)."""
    # The knowledge base's loader: a key given twice is an error naming it, not "the last wins".
    data = load_yaml(source, file=file)
    if not isinstance(data, dict):
        raise KnowledgeBaseError("a provisions file is a mapping", file=file)
    try:
        model = _FileModel.model_validate(data)
    except ValidationError as exc:
        field, message = _first_error(exc, data)
        raise KnowledgeBaseError(message, file=file, field=field) from None
    instruments = {i.id for i in model.instruments}
    seen: set[str] = set()
    for index, p in enumerate(model.provisions):
        if p.id in seen:
            raise KnowledgeBaseError(
                f"provision id {p.id!r} is given twice", file=file, field=f"provisions.{index}.id"
            )
        seen.add(p.id)
        if p.instrument not in instruments:
            raise KnowledgeBaseError(
                f"provision {p.id!r}: unknown instrument {p.instrument!r} "
                f"(known: {', '.join(sorted(instruments))})",
                file=file,
                field=f"provisions.{index}.instrument",
            )
    return Jurisdiction(
        id=model.jurisdiction,
        name=model.name,
        disclaimer=model.disclaimer,
        instruments=tuple(
            Instrument(id=i.id, title=i.title, source=i.source, in_force=i.in_force)
            for i in model.instruments
        ),
        provisions=tuple(
            Provision(
                id=p.id,
                instrument=p.instrument,
                article=p.article,
                title=p.title,
                quote=p.quote,
                lang=p.lang,
                summary=p.summary,
                source=p.source,
                read_in=p.read_in,
                applies_from=p.applies_from,
                threshold_flop=p.threshold_flop,
                threshold_fraction=Fraction(p.threshold_fraction) if p.threshold_fraction else None,
                placed_before=p.placed_before,
                comply_by=p.comply_by,
            )
            for p in model.provisions
        ),
        file=file,
    )


def load_file(path: Path) -> Jurisdiction:
    """Read and validate one provisions file; its `jurisdiction` must match the file name."""
    file = str(path)
    try:
        source = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeBaseError(f"cannot read: {exc}", file=file) from None
    jurisdiction = parse_file(source, file=file)
    if jurisdiction.id != Path(path).stem:
        raise KnowledgeBaseError(
            f"jurisdiction {jurisdiction.id!r} differs from the file name",
            file=file,
            field="jurisdiction",
        )
    return jurisdiction


def bundled_directory() -> Path:
    return Path(str(files("robinet.duties") / "provisions"))


def jurisdictions() -> tuple[str, ...]:
    """The jurisdictions robinet has provisions for (one YAML file each)."""
    return tuple(sorted(p.stem for p in bundled_directory().glob("*.yaml")))


@functools.cache
def jurisdiction(name: str) -> Jurisdiction:
    """The bundled provisions of one jurisdiction, loaded and validated once per process."""
    path = bundled_directory() / f"{name}.yaml"
    if name not in jurisdictions():
        raise NotFoundError(
            f"unknown jurisdiction {name!r}",
            hint=f"known jurisdictions: {', '.join(jurisdictions())}",
        )
    return load_file(path)


def duty_from(
    p: Provision,
    applies: bool | None,
    why: str,
    *,
    duty_id: str | None = None,
    comply_by_date: dt.date | None = None,
    when: str = "",
) -> Duty:
    """A duty from its provision; `when` (the Art. 111(3) note) is said only if it may apply."""
    return Duty(
        id=duty_id or p.id,
        article=p.article,
        title=p.title,
        applies=applies,
        why=why + (when if applies is not False else ""),
        quote=p.quote,
        source=p.source,
        applies_from=p.applies_from,
        comply_by=comply_by_date if applies is not False else None,
        lang=p.lang,
        summary=p.summary,
    )
