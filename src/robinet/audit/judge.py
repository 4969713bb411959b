"""From a lineage's licenses to a model's decision, reasons, obligations and findings.

Pure: it reads the license engine (verdicts, terms) and a policy, never the store. Each
license of the lineage is checked for every use object of the context (one per region) and
the strictest verdict wins; the model's decision is the strictest of its licenses'
(allow < conditional < unknown < deny). A license that cannot be resolved, or a decision the
engine gives that is not allow/conditional/deny, is `unknown`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from robinet.audit.policy import Policy
from robinet.audit.result import SEVERITY, Finding, LicenseUse, Obligation, Reason
from robinet.licenses import lineage_terms
from robinet.model import Verdict


@dataclass(frozen=True, slots=True)
class Member:
    """The model (depth 0) or an ancestor, with its license (None: unresolved)."""

    id: str
    depth: int
    license: str | None
    declared: str | None


@dataclass(frozen=True, slots=True)
class Judgement:
    decision: str
    deciding: Reason | None
    reasons: tuple[Reason, ...]
    obligations: tuple[Obligation, ...]
    findings: tuple[Finding, ...]
    licenses: tuple[LicenseUse, ...]


def decision_of(verdict: Verdict | None) -> str:
    """allow | conditional | deny, or unknown for anything else (and for no verdict)."""
    value = str(getattr(verdict.decision, "value", verdict.decision)) if verdict else "unknown"
    return value if value in ("allow", "conditional", "deny") else "unknown"


def _verdict(license_id: str, uses: Sequence[Any]) -> Verdict:
    """The strictest verdict over the use objects; conditions of all of them."""
    verdicts = [lineage_terms.check(license_id, use) for use in uses]
    if len(verdicts) == 1:
        return verdicts[0]
    worst = max(verdicts, key=lambda v: SEVERITY[decision_of(v)])
    conditions = tuple(dict.fromkeys(c for v in verdicts for c in v.conditions))
    reasons = list(worst.reasons)
    for v in verdicts:  # the conditions only another region gave keep their reason
        reasons += [r for r in v.reasons if r.explanation in conditions and r not in reasons]
    return Verdict(worst.decision, tuple(reasons), conditions)


@functools.lru_cache(maxsize=1024)
def _terms(license_id: str, with_policies: bool = True) -> tuple[Any, ...]:
    from robinet.licenses import knowledge_base

    kb = knowledge_base()
    if license_id not in kb:
        return ()
    entry = kb.get(license_id)
    terms = list(entry.terms)
    if with_policies:
        for policy in entry.incorporates:
            if policy in kb:
                terms += kb.get(policy).terms
    return tuple(terms)


def kind_of(license_id: str | None, clause: str | None, quote: str | None) -> str:
    """The term kind behind a reason (its license, clause and quote); `other` if unknown."""
    if license_id is None:
        return "other"
    for term in _terms(license_id, False):
        if term.clause == clause and term.quote == quote:
            return str(getattr(term.kind, "value", term.kind))
    return "other"


def categories(license_id: str) -> set[str]:
    """The policy categories (policy.CATEGORIES) a license falls into, from its terms."""
    found: set[str] = set()
    for term in _terms(license_id):
        kind = str(getattr(term.kind, "value", term.kind))
        p = term.params or {}
        if kind == "noncommercial" or (kind == "commercial_use" and p.get("allowed") is False):
            found.add("non-commercial")
        elif kind == "commercial_use" and p.get("condition"):
            found.add("registration")
        elif kind in ("field_of_use", "acceptable_use"):
            found.add("field-of-use")
        elif kind == "derivatives":
            if p.get("same_license"):
                found.add("copyleft")
            if p.get("pass_through_use_restrictions"):
                found.add("pass-through")
            if p.get("share_adaptations") is False:
                found.add("no-derivatives")
        elif kind == "redistribution" and p.get("network_use_is_distribution"):
            found.add("network-copyleft")
        elif kind == "territory":
            found.add("territory")
        elif kind == "user_threshold":
            found.add("user-threshold")
        elif kind == "output_training" and p.get("allowed") is False:
            found.add("output-training")
        elif kind in ("naming", "attribution"):
            found.add(kind)
    return found


def _obligations(verdict: Verdict | None) -> list[Obligation]:
    """The verdict's obligations: the engine's own (with their kind) where it gives them,
    else its conditions, each with the term kind of its reason."""
    if verdict is None:
        return []
    native = getattr(verdict, "obligations", None)
    if native is not None:
        return [Obligation(str(o.kind), str(o.action), o.license, o.clause or None) for o in native]
    out = []
    for r in verdict.reasons:
        if r.explanation in verdict.conditions:
            out.append(
                Obligation(
                    kind_of(r.license, r.clause, r.quote),
                    r.explanation,
                    r.license,
                    r.clause or None,
                )
            )
    return out


def _carriers(members: Sequence[Member]) -> dict[str | None, list[Member]]:
    by_license: dict[str | None, list[Member]] = {}
    for m in sorted(members, key=lambda m: (m.depth, m.id)):
        by_license.setdefault(m.license, []).append(m)
    return by_license


def _who(carriers: Sequence[Member]) -> str:
    first = carriers[0]
    who = "the model itself" if first.depth == 0 else f"{first.id} (depth {first.depth})"
    more = len(carriers) - 1
    return who + (f" and {more} other model(s)" if more else "")


def _policy_findings(
    license_id: str | None, carriers: Sequence[Member], policy: Policy
) -> list[Finding]:
    who = _who(carriers)
    model = carriers[0].id
    if license_id is None:
        declared = carriers[0].declared
        said = f" (declared {declared!r})" if declared else " (none declared)"
        return [
            Finding(
                "unknown-license",
                "warning" if policy.allow_unknown else "error",
                f"the license of {who} is unknown{said}: its terms cannot be checked",
                model=model,
            )
        ]
    out: list[Finding] = []
    if license_id in policy.deny_licenses:
        out.append(
            Finding(
                "denied-license",
                "error",
                f"{license_id} ({who}) is denied by the policy",
                license=license_id,
                model=model,
            )
        )
    if policy.allow_licenses and license_id not in policy.allow_licenses:
        out.append(
            Finding(
                "license-not-allowed",
                "error",
                f"{license_id} ({who}) is not among the policy's allowed licenses",
                license=license_id,
                model=model,
            )
        )
    hit = sorted(categories(license_id) & set(policy.deny_categories))
    if hit:
        out.append(
            Finding(
                "denied-category",
                "error",
                f"{license_id} ({who}) falls in denied categories: {', '.join(hit)}",
                license=license_id,
                model=model,
            )
        )
    return out


def _reasons(verdict: Verdict | None, carrier: Member) -> list[Reason]:
    if verdict is None:
        declared = f" (declared {carrier.declared!r})" if carrier.declared else ""
        return [
            Reason(
                carrier.id,
                carrier.depth,
                None,
                None,
                None,
                f"no license could be resolved for {carrier.id}{declared}: its terms are unknown",
            )
        ]
    return [
        Reason(
            carrier.id, carrier.depth, r.license, r.clause or None, r.quote or None, r.explanation
        )
        for r in verdict.reasons
        if r.license != "unknown"
    ]


def judge(members: Sequence[Member], uses: Sequence[Any], policy: Policy) -> Judgement:
    """Decision, reasons, obligations and policy findings for a lineage under a policy."""
    licenses: list[LicenseUse] = []
    verdicts: dict[str | None, Verdict | None] = {}
    findings: list[Finding] = []
    obligations: dict[tuple[str, str, str | None, str | None], Obligation] = {}
    carriers = _carriers(members)
    for license_id, carried in carriers.items():
        verdict = _verdict(license_id, uses) if license_id else None
        verdicts[license_id] = verdict
        decision = decision_of(verdict)
        licenses.append(
            LicenseUse(
                license_id,
                carried[0].declared,
                tuple(m.id for m in carried),
                carried[0].depth,
                decision,
            )
        )
        findings += _policy_findings(license_id, carried, policy)
        for o in _obligations(verdict):
            key = (o.kind, o.text, o.license, o.clause)
            if key not in obligations:
                obligations[key] = Obligation(
                    o.kind, o.text, o.license, o.clause, tuple(m.id for m in carried)
                )
    decision = max((u.decision for u in licenses), key=SEVERITY.__getitem__, default="unknown")
    deciding_licenses = [u for u in licenses if u.decision == decision]
    reasons: list[Reason] = []
    for use in sorted(deciding_licenses, key=lambda u: (u.depth, u.license or "")):
        reasons += _reasons(verdicts[use.license], carriers[use.license][0])
    deciding = reasons[0] if reasons and decision != "allow" else (reasons[0] if reasons else None)
    if decision == "deny" and deciding is not None:
        findings.insert(
            0,
            Finding(
                "verdict-deny",
                "error",
                f"denied: {deciding.explanation}",
                license=deciding.license,
                clause=deciding.clause,
                model=deciding.model,
            ),
        )
    elif decision == "conditional":
        findings.append(
            Finding(
                "verdict-conditional",
                "note",
                f"allowed on {len(obligations)} condition(s): see the obligations",
                model=members[0].id if members else None,
            )
        )
    return Judgement(
        decision,
        deciding,
        tuple(reasons),
        tuple(obligations.values()),
        tuple(findings),
        tuple(licenses),
    )
