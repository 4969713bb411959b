"""The one door from lineage to the license engine (`robinet.licenses`).

Lineage needs four things from it: resolve a Hub license declaration to a knowledge-base id,
identify a license file, the structured terms of a license (what it imposes on derivatives),
and a verdict for a use. Everything in lineage/ and sources/hub_* calls this module only.

It also holds the name-prefix rule (`name_has_prefix`), pure and without imports from the
engine, so that the conflicts SQL (store/lineage/obligations.py) and the verdicts share it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from robinet.licenses.naming import name_has_prefix as name_has_prefix  # one rule, re-exported
from robinet.model import Verdict

# `derivatives` term params that make a derivative carry the ancestor's terms.
DERIVATIVE_MODES = ("same_license", "pass_through_use_restrictions")


@dataclass(frozen=True, slots=True)
class TermRow:
    """One term of one license, flattened for a DuckDB table."""

    license_id: str
    kind: str  # 'derivatives', 'naming', 'noncommercial', 'attribution', ...
    clause: str
    quote: str
    summary: str
    mode: str | None = None  # derivatives: same_license | pass_through_use_restrictions
    prefix: str | None = None  # naming: the required name prefix


# Characters a name may use between words: the Hub allows "-", "_" and "." in repo names
# (no spaces), a license writes "Llama 3" with one.
@functools.lru_cache(maxsize=65536)
def resolve(
    license: str | None, license_name: str | None = None, license_link: str | None = None
) -> str | None:
    """Knowledge-base id of a Hub license declaration, or None when unknown."""
    if not license and not license_name:
        return None
    from robinet.licenses import resolve as engine_resolve

    resolution = engine_resolve(
        license=license, license_name=license_name, license_link=license_link
    )
    return getattr(resolution, "license_id", None)


def identify(text: str) -> str | None:
    """Knowledge-base id of a license text (a repo's LICENSE file), or None."""
    from robinet.licenses import identify as engine_identify

    for found in engine_identify(text):  # best first
        if found.license:
            return str(found.license)
    return None


@functools.lru_cache(maxsize=4096)
def terms(license_id: str) -> tuple[TermRow, ...]:
    """The terms of one license, flattened; () when the knowledge base does not know it."""
    from robinet.errors import NotFoundError
    from robinet.licenses import knowledge_base

    try:
        entry = knowledge_base().get(license_id)
    except NotFoundError:
        return ()
    rows: list[TermRow] = []
    for term in entry.terms:
        kind = str(getattr(term.kind, "value", term.kind))
        params = dict(term.params or {})
        mode = None
        if kind == "derivatives":
            mode = next((m for m in DERIVATIVE_MODES if params.get(m)), None)
        prefix = params.get("prefix") if kind == "naming" else None
        rows.append(TermRow(license_id, kind, term.clause, term.quote, term.summary, mode, prefix))
    return tuple(rows)


def make_use(**options: Any) -> Any:
    """A `robinet.licenses.UseContext` from the CLI's use options (`use_context` keys)."""
    from robinet.licenses.context import use_context

    return use_context(options)


def check(license_id: str | None, use: Any) -> Verdict:
    """The engine's verdict for `use` under `license_id`; `unknown` when no license could be
    resolved (its terms are unknown: never a pass)."""
    from robinet.licenses.obligations import unknown_verdict

    if license_id is None:
        return unknown_verdict("unknown", "no license could be resolved: its terms are unknown")
    from robinet.licenses import check as engine_check

    return engine_check(license_id, use)


def combine(verdicts: list[Verdict]) -> Verdict:
    """One verdict over the licenses of a lineage (deny > unknown > conditional > allow)."""
    from robinet.licenses.obligations import combine as engine_combine

    return engine_combine(verdicts)
