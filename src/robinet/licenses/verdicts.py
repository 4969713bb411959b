"""Use verdicts: may this use be made of a model under this license, and what must be done?

`check(license_id, use)` reads the license's terms and those of the policies it incorporates
by reference (Llama's acceptable-use policies, Gemma's prohibited-use policy), applies one
rule per term kind (`rules.py`) to the `UseContext`, and returns a `UseVerdict`:

- `deny` when a term forbids the use as described;
- `conditional` when the use is allowed if the obligations are met. Use restrictions that bind
  every use (DeepSeek's Attachment A, OpenRAIL, an incorporated use policy) are themselves an
  obligation: such a license is never a plain `allow`;
- `unknown` when robinet knows the license by name only (its terms are not recorded);
- `allow` otherwise.

Every reason and obligation cites the license, clause and verbatim quote that decide.
"""

from __future__ import annotations

from robinet.licenses.context import UseContext, use_context
from robinet.licenses.entries import KnowledgeBase, LicenseEntry, Term, TermKind
from robinet.licenses.kb import knowledge_base
from robinet.licenses.obligations import Obligation, UseVerdict, combine, unknown_verdict
from robinet.licenses.rules import RULES, Findings, Scope
from robinet.model import Decision, Reason

UseCase = UseContext  # the name of the first releases

__all__ = ["UseCase", "UseContext", "UseVerdict", "check", "combine", "use_context"]


def _scope(entry: LicenseEntry, kb: KnowledgeBase) -> list[tuple[LicenseEntry, Term, str | None]]:
    out: list[tuple[LicenseEntry, Term, str | None]] = [(entry, t, None) for t in entry.terms]
    for pid in entry.incorporates:
        if pid in kb:
            policy = kb.get(pid)
            out += [(policy, t, entry.id) for t in policy.terms]
    return out


def _prohibited(entry: LicenseEntry) -> tuple[str, ...]:
    cats: dict[str, None] = {}
    for t in entry.terms_of(TermKind.FIELD_OF_USE):
        cats.update(dict.fromkeys(pr["category"] for pr in t.params.get("prohibitions") or []))
    return tuple(cats)


def check(
    license_id: str, use: UseContext | None = None, *, kb: KnowledgeBase | None = None
) -> UseVerdict:
    """The verdict for `use` of a model under `license_id` (NotFoundError if unknown)."""
    kb = kb or knowledge_base()
    use = use or UseContext()
    entry = kb.get(license_id)
    if not entry.terms_known:
        return unknown_verdict(
            entry.id,
            f"{entry.name} is known by name only: its terms are not in robinet's knowledge "
            f"base ({entry.source})",
        )
    policies = {pid: kb.get(pid) for pid in entry.incorporates if pid in kb}
    found = Findings()
    for e, t, by in _scope(entry, kb):
        rule = RULES.get(t.kind)
        if rule is None:
            continue
        scope = Scope(
            incorporated_by=by,
            policies={pid: p.name for pid, p in policies.items()},
            prohibited={pid: _prohibited(p) for pid, p in policies.items()},
        )
        rule(found, e, t, use, scope)
    obligations = tuple(dict.fromkeys(found.obligations))
    conditions = tuple(dict.fromkeys(o.action for o in obligations))
    confirm = tuple(dict.fromkeys(found.to_confirm))
    reasons_of_obligations = tuple(dict.fromkeys(_reason(o) for o in obligations))
    if found.denies:
        return UseVerdict(
            Decision.DENY,
            (*found.denies, *reasons_of_obligations),
            conditions,
            obligations,
            confirm,
        )
    if obligations:
        return UseVerdict(
            Decision.CONDITIONAL,
            (*reasons_of_obligations, *found.notes),
            conditions,
            obligations,
            confirm,
        )
    return UseVerdict(Decision.ALLOW, tuple(found.notes), (), (), confirm)


def _reason(o: Obligation) -> Reason:
    explanation = f"{o.action}: {o.why}" + (f" (if {o.applies_if})" if o.applies_if else "")
    return Reason(o.license, o.clause, o.quote, explanation)


def check_many(license_ids: list[str | None], use: UseContext) -> UseVerdict:
    """One verdict over several licenses (None: a license that could not be resolved)."""
    verdicts = [
        check(lid, use) if lid else unknown_verdict("unknown", "no license could be resolved")
        for lid in license_ids
    ]
    return combine(verdicts)
