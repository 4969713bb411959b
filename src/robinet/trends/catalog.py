"""The curated events catalog (data/catalog/events/*.yaml, one file per organization): tap events
the data sources lack.

Every entry is validated by pydantic; an entry without a source URL, with an unknown direction
or a malformed date is rejected with an `InputDataError` naming the file, the entry and the
field.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError

from robinet.errors import InputDataError
from robinet.trends.signals import HIGH, Alert


class Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    organization: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    date: dt.date
    direction: Literal["closing", "opening"]
    signal: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    evidence: str = Field(min_length=10)
    models: list[str] = Field(default_factory=list)
    sources: list[HttpUrl] = Field(min_length=1)

    def alert(self) -> Alert:
        return Alert(
            organization=self.organization,
            date=self.date,
            direction=self.direction,
            signal=self.signal,
            evidence=" ".join(self.evidence.split()),
            sources=tuple(str(u) for u in self.sources),
            confidence=HIGH,  # the lab's own announcement or license text
        )


def default_path() -> Path:
    """The bundled catalog's folder."""
    return Path(str(files("robinet") / "data" / "catalog" / "events"))


def load_events(path: Path) -> list[Event]:
    """Read and validate a catalog file, or a folder's `*.yaml` files; by date."""
    if path.is_dir():
        events = [e for file in sorted(path.glob("*.yaml")) for e in load_events(file)]
        return sorted(events, key=lambda e: (e.date, e.organization, e.signal))
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputDataError(f"cannot read the events catalog: {exc}", file=str(path)) from exc
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputDataError("the events catalog must be a list of entries", file=str(path))
    events = []
    for i, item in enumerate(raw):
        try:
            events.append(Event.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"]) or None
            raise InputDataError(first["msg"], file=str(path), row=i, field=loc) from None
    return sorted(events, key=lambda e: (e.date, e.organization, e.signal))


@cache
def bundled_events() -> tuple[Event, ...]:
    return tuple(load_events(default_path()))
