"""Policy files: what a product may ship, validated with clear errors naming the key.

```yaml
context: {use: commercial, licensee_country: US, market: [US, EU], monthly_users: 2000000}
deny_licenses: [agpl-3.0]            # knowledge-base, Hub or SPDX ids
allow_licenses: []                   # if set, any other license is a violation
deny_categories: [non-commercial]    # see CATEGORIES
allow_unknown: false
exceptions:
  - {model: acme/legacy-model, reason: separate agreement, until: 2027-06-30}
```

A broken file raises `InputDataError(file=..., field=...)` (exit code 3): `field` is the key's
path (`context.monthly_users`, `exceptions[0].until`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from robinet.audit.context import CONTEXT_KEYS, UseContext, use_context
from robinet.errors import InputDataError
from robinet.licenses import lineage_terms

# Categories a policy may deny, each read from a license's terms (incorporated policies too).
CATEGORIES = {
    "non-commercial": "commercial use is not granted",
    "field-of-use": "use-based restrictions (prohibited uses, an acceptable-use policy)",
    "copyleft": "derivatives must carry the same license",
    "pass-through": "derivatives must pass the use restrictions on",
    "no-derivatives": "adapted material may not be shared",
    "network-copyleft": "network use counts as distribution",
    "territory": "excluded territories",
    "user-threshold": "a separate license above a number of users",
    "output-training": "outputs may not train other models",
    "naming": "derivatives must carry a name prefix",
    "attribution": "a notice must be displayed",
    "registration": "commercial use on a condition (registration, request)",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Context(_Strict):
    use: str | None = None
    licensee_country: str | None = None
    market: list[str] = Field(default_factory=list)
    monthly_users: int | None = Field(default=None, ge=0)
    group_monthly_users: int | None = Field(default=None, ge=0)
    annual_revenue: float | None = Field(default=None, ge=0)
    distribution: str | None = None
    purposes: list[str] = Field(default_factory=list)
    modality: str | None = None
    train_on_outputs: bool | None = None

    @field_validator("market", "purposes", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class _Exception(_Strict):
    model: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    until: dt.date | None = None


class _Policy(_Strict):
    context: _Context = Field(default_factory=_Context)
    deny_licenses: list[str] = Field(default_factory=list)
    allow_licenses: list[str] = Field(default_factory=list)
    deny_categories: list[str] = Field(default_factory=list)
    allow_unknown: bool = False
    exceptions: list[_Exception] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PolicyException:
    model: str  # a Hub id or a folder, or a glob (`acme/*`)
    reason: str
    until: dt.date | None = None

    def matches(self, model: str) -> bool:
        return fnmatch.fnmatchcase(model.lower(), self.model.lower())

    def expired(self, today: dt.date) -> bool:
        return self.until is not None and today > self.until


@dataclass(frozen=True, slots=True)
class Policy:
    context: dict[str, Any] = field(default_factory=dict)  # the keys set, as written
    deny_licenses: tuple[str, ...] = ()  # knowledge-base ids
    allow_licenses: tuple[str, ...] = ()
    deny_categories: tuple[str, ...] = ()
    allow_unknown: bool = False
    exceptions: tuple[PolicyException, ...] = ()
    file: str | None = None

    def uses(self, model_modality: str | None = None) -> UseContext:
        return use_context(self.context, model_modality=model_modality)

    def exception_for(self, model: str) -> PolicyException | None:
        return next((e for e in self.exceptions if e.matches(model)), None)


def _loc(parts: tuple[int | str, ...]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _license_ids(values: list[str], key: str, file: str | None) -> tuple[str, ...]:
    from robinet.licenses import knowledge_base

    ids: list[str] = []
    for n, value in enumerate(values):
        found = lineage_terms.resolve(value)
        if found is None:
            close = difflib.get_close_matches(value.lower(), knowledge_base().ids(), n=3)
            raise InputDataError(
                f"unknown license {value!r}",
                file=file,
                field=f"{key}[{n}]",
                hint=(f"did you mean {', '.join(close)}? " if close else "")
                + "`robinet license list` shows the knowledge-base ids; SPDX and Hub ids work too",
            )
        ids.append(found)
    return tuple(dict.fromkeys(ids))


def parse_policy(data: Any, *, file: str | None = None) -> Policy:
    """A validated Policy from the parsed YAML (None: an empty file, the defaults)."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise InputDataError(f"a policy is a mapping of keys, not {type(data).__name__}", file=file)
    try:
        model = _Policy.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = _loc(tuple(error["loc"]))
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            known = CONTEXT_KEYS if where.startswith("context.") else tuple(_Policy.model_fields)
            if where.startswith("exceptions"):
                known = tuple(_Exception.model_fields)
            message = f"unknown key {where.rsplit('.', 1)[-1]!r} (known: {', '.join(known)})"
        raise InputDataError(message, file=file, field=where or None) from None
    for n, category in enumerate(model.deny_categories):
        if category not in CATEGORIES:
            raise InputDataError(
                f"unknown category {category!r} (known: {', '.join(CATEGORIES)})",
                file=file,
                field=f"deny_categories[{n}]",
            )
    context = model.context.model_dump(exclude_defaults=True)
    policy = Policy(
        context=context,
        deny_licenses=_license_ids(model.deny_licenses, "deny_licenses", file),
        allow_licenses=_license_ids(model.allow_licenses, "allow_licenses", file),
        deny_categories=tuple(dict.fromkeys(model.deny_categories)),
        allow_unknown=model.allow_unknown,
        exceptions=tuple(PolicyException(e.model, e.reason, e.until) for e in model.exceptions),
        file=file,
    )
    try:
        policy.uses()  # the engine's own checks of each value, named by key
    except InputDataError as exc:
        raise InputDataError(_bare(exc), file=file, field=exc.field, hint=exc.hint) from None
    return policy


def _bare(exc: InputDataError) -> str:
    """The message without the location prefix InputDataError added."""
    prefix = f"field {exc.field!r}: "
    return exc.message[len(prefix) :] if exc.message.startswith(prefix) else exc.message


def load_policy(path: Path | str) -> Policy:
    """Read and validate a policy file (YAML, safe loader)."""
    import yaml

    name = str(path)
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputDataError(f"cannot read the policy: {exc}", file=name) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputDataError(
            f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            file=name,
            row=mark.line + 1 if mark is not None else None,
        ) from None
    return parse_policy(data, file=name)
