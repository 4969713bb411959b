"""Is a license a "free and open-source licence that allows for the access, usage,
modification, and distribution of the model" (AI Act, Art. 53(2) and 54(6))?

Decided from the license knowledge base's structured terms, read as the Commission's
guidelines read the Act (C(2025) 5045, paras. 78-84):

- disqualify: a non-commercial or research-only clause, commercial use refused or subject to
  a registration, a revenue cap or a separate licence, a user or revenue threshold, use
  restrictions (a field-of-use list, an acceptable-use policy, excluded territories, outputs
  that may not train other models), adaptations that may not be shared;
- compatible: attribution, naming, copyleft (same or compatible terms), notices, termination
  on breach or litigation;
- a license the knowledge base does not know, or whose terms do not show that every use is
  allowed (no commercial-use grant and not OSI-approved), gives `None`: robinet does not guess.

Monetisation (para. 85) and the Commission's case-by-case allowance for proportionate
safety-oriented terms (para. 84) are not decided here; the result says so.
"""

from __future__ import annotations

from robinet.duties.model import LicenseCheck, LicenseReason
from robinet.errors import NotFoundError
from robinet.licenses import knowledge_base
from robinet.licenses.kb import Term, TermKind

# the guidelines' paragraphs (provision ids of eu.yaml) each kind of restriction falls under
NONCOMMERCIAL = "eu.guidelines.licence-noncommercial"
USER_THRESHOLD = "eu.guidelines.licence-user-threshold"
COMMERCIAL_LICENCE = "eu.guidelines.licence-commercial-licence"
USAGE = "eu.guidelines.licence-usage"
RIGHTS = "eu.guidelines.licence-rights"
SAFETY_TERMS = "eu.guidelines.licence-safety-terms"
MONETISATION = "eu.guidelines.monetisation"

_MONETISATION = " Not checked: monetisation (guidelines para. 85)."
_SAFETY = (
    " A case-by-case assessment may accept narrow, proportionate safety-oriented use "
    "restrictions (guidelines para. 84): robinet does not."
)


_USE_RESTRICTIONS = {TermKind.FIELD_OF_USE.value, TermKind.ACCEPTABLE_USE.value}


def _disqualifier(term: Term) -> tuple[str, str] | None:
    """(provision id, explanation) when this term disqualifies the license, else None."""
    p = term.params
    kind = term.kind
    if kind == TermKind.NONCOMMERCIAL:
        uses = ", ".join(p.get("allowed_uses", ()))
        return NONCOMMERCIAL, f"use is limited to non-commercial purposes ({uses})"
    if kind == TermKind.COMMERCIAL_USE:
        if p.get("allowed") is False:
            return NONCOMMERCIAL, "commercial use is not granted"
        if p.get("annual_revenue_usd"):
            return COMMERCIAL_LICENCE, (
                f"commercial use is limited to licensees below US$ {p['annual_revenue_usd']:,} "
                "annual revenue"
            )
        if p.get("condition"):
            return COMMERCIAL_LICENCE, f"commercial use is conditional: {p['condition']}"
        return None
    if kind == TermKind.USER_THRESHOLD:
        limits = [
            f"{p[key]:,} {label}"
            for key, label in (
                ("monthly_active_users", "monthly active users"),
                ("monthly_revenue_usd", "US$ monthly revenue"),
                ("annual_revenue_usd", "US$ annual revenue"),
            )
            if p.get(key)
        ]
        provision = USER_THRESHOLD if p.get("monthly_active_users") else COMMERCIAL_LICENCE
        return provision, f"above {' or '.join(limits)}: {p.get('effect')}"
    if kind == TermKind.FIELD_OF_USE:
        prohibited = p.get("prohibited") or []
        listed = f" ({', '.join(prohibited)})" if prohibited else ""
        return USAGE, f"uses are prohibited{listed}"
    if kind == TermKind.ACCEPTABLE_USE:
        policy = p.get("policy") or "a policy whose text robinet does not hold"
        return USAGE, f"use is bound by an acceptable-use policy ({policy})"
    if kind == TermKind.TERRITORY:
        return USAGE, f"use is excluded in {', '.join(p.get('excluded', ()))}"
    if kind == TermKind.OUTPUT_TRAINING and p.get("allowed") is False:
        scope = p.get("scope") or "other models"
        return USAGE, f"outputs may not be used to train {scope}"
    if kind == TermKind.DERIVATIVES and p.get("share_adaptations") is False:
        return RIGHTS, "modified versions may not be shared"
    return None


def check_license(license_id: str | None) -> LicenseCheck:
    """Whether the license qualifies for the open-source exemption (True/False/None)."""
    if not license_id:
        return LicenseCheck(None, None, "the model's license is unknown.")
    try:
        entry = knowledge_base().get(license_id)
    except NotFoundError:
        return LicenseCheck(
            license_id, None, f"license {license_id!r} is not in robinet's knowledge base."
        )
    reasons: list[LicenseReason] = []
    grants_every_use = bool(entry.osi_approved)
    for term in entry.terms:
        found = _disqualifier(term)
        if found:
            provision, explanation = found
            reasons.append(
                LicenseReason(
                    kind=term.kind.value,
                    clause=term.clause,
                    quote=term.quote,
                    qualifies=False,
                    provision=provision,
                    explanation=explanation,
                )
            )
        elif term.kind == TermKind.COMMERCIAL_USE and term.params.get("allowed") is True:
            grants_every_use = True
            reasons.append(
                LicenseReason(
                    kind=term.kind.value,
                    clause=term.clause,
                    quote=term.quote,
                    qualifies=True,
                    provision=USAGE,
                    explanation="commercial use is granted without condition",
                )
            )
    name = f"{entry.name} ({entry.id})"
    disqualifying = [r for r in reasons if not r.qualifies]
    if disqualifying:
        listed = "; ".join(f"clause {r.clause}: {r.explanation}" for r in disqualifying)
        only_uses = all(r.kind in _USE_RESTRICTIONS for r in disqualifying)
        return LicenseCheck(
            entry.id,
            False,
            f"{name} is not a free and open-source licence in the sense of Art. 53(2): "
            f"{listed}." + (_SAFETY if only_uses else ""),
            tuple(reasons),
        )
    if not grants_every_use:
        return LicenseCheck(
            entry.id,
            None,
            f"{name}: the knowledge base records no restriction, but no grant of every use "
            "either (no commercial-use term, not OSI-approved).",
            tuple(reasons),
        )
    return LicenseCheck(
        entry.id,
        True,
        f"{name} allows access, use, modification and distribution; its remaining "
        "conditions (attribution, notices, same terms for derivatives) are compatible "
        "(guidelines para. 80)." + _MONETISATION,
        tuple(reasons),
    )
