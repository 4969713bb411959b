"""What a verdict hands back: obligations as a checklist, prohibited uses to confirm, and the
verdict itself (`UseVerdict`, a `robinet.model.Verdict` with both)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from robinet.model import Decision, Reason, Verdict

# deny > unknown > conditional > allow: a license that forbids the use decides; one whose
# terms are unknown decides over any that only attaches conditions.
SEVERITY = {Decision.ALLOW: 0, Decision.CONDITIONAL: 1, Decision.UNKNOWN: 2, Decision.DENY: 3}


@dataclass(frozen=True, slots=True)
class Obligation:
    """One item of the checklist: what to do (`action`), the exact words to display or ship
    when the license gives them (`text`, whole), the clause and quote behind it, why it
    applies to this use, and `applies_if` when it hinges on a fact the use does not state."""

    kind: str  # vocabulary.OBLIGATION_KINDS
    action: str
    license: str
    clause: str
    quote: str
    why: str
    text: str | None = None
    applies_if: str | None = None


@dataclass(frozen=True, slots=True)
class ProhibitedUse:
    """One prohibited use of a license, on the purposes taxonomy, for a person to confirm."""

    category: str
    license: str
    clause: str
    quote: str
    unless: str | None = None


@dataclass(frozen=True, slots=True)
class UseVerdict(Verdict):
    """A verdict with its obligations (a checklist by kind) and, when the use was described in
    free text, the prohibited uses a person must confirm it avoids (`to_confirm`).

    `conditions` (inherited) repeats each obligation's action, in order."""

    obligations: tuple[Obligation, ...] = ()
    to_confirm: tuple[ProhibitedUse, ...] = ()


def unknown_verdict(license: str, why: str) -> UseVerdict:
    """The verdict for a license whose terms robinet does not know."""
    return UseVerdict(
        Decision.UNKNOWN,
        (Reason(license, "", "", why),),
        ("find and review the license that applies before use",),
    )


def _unique(items: list[Obligation]) -> tuple[Obligation, ...]:
    return tuple(dict.fromkeys(items))


def combine(verdicts: Sequence[Verdict]) -> UseVerdict:
    """One verdict over several licenses (a model and its ancestors): the strictest decision
    (deny > unknown > conditional > allow) with the reasons of the licenses that give it, and
    every license's obligations and prohibited uses to confirm (each once)."""
    if not verdicts:
        return unknown_verdict("unknown", "no license to judge")
    worst = max(SEVERITY[v.decision] for v in verdicts)
    decision = next(d for d, s in SEVERITY.items() if s == worst)
    reasons = tuple(dict.fromkeys(r for v in verdicts if v.decision == decision for r in v.reasons))
    obligations = _unique([o for v in verdicts for o in getattr(v, "obligations", ())])
    confirm = tuple(dict.fromkeys(p for v in verdicts for p in getattr(v, "to_confirm", ())))
    conditions = tuple(dict.fromkeys(c for v in verdicts for c in v.conditions))
    return UseVerdict(decision, reasons, conditions, obligations, confirm)
