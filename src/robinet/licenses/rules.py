"""One rule per term kind: what a term says about one use (`UseContext`).

Each rule reads the term's params (`params.py` declares them) and records, in a `Findings`,
a denial, an obligation (with the clause and quote it comes from, and why it applies to this
use) or a note. `verdicts.check` turns the findings into a verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from robinet.licenses.context import UseContext, in_region
from robinet.licenses.entries import LicenseEntry, Term, TermKind
from robinet.licenses.naming import name_has_prefix
from robinet.licenses.obligations import Obligation, ProhibitedUse
from robinet.model import Reason


@dataclass
class Findings:
    denies: list[Reason] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    notes: list[Reason] = field(default_factory=list)
    to_confirm: list[ProhibitedUse] = field(default_factory=list)

    def deny(
        self, e: LicenseEntry, t: Term, why: str, *, clause: str = "", quote: str = ""
    ) -> None:
        self.denies.append(Reason(e.id, clause or t.clause, quote or t.quote, why))

    def note(self, e: LicenseEntry, t: Term, why: str) -> None:
        self.notes.append(Reason(e.id, t.clause, t.quote, why))

    def owe(
        self,
        e: LicenseEntry,
        t: Term,
        kind: str,
        action: str,
        why: str,
        *,
        text: str | None = None,
        applies_if: str | None = None,
        clause: str = "",
        quote: str = "",
    ) -> None:
        self.obligations.append(
            Obligation(
                kind=kind,
                action=action,
                license=e.id,
                clause=clause or t.clause,
                quote=quote or t.quote,
                why=why,
                text=text,
                applies_if=applies_if,
            )
        )


Rule = Callable[[Findings, LicenseEntry, Term, UseContext, "Scope"], None]


@dataclass(frozen=True)
class Scope:
    """What a rule may need beyond its term: the entry that incorporates a policy, and the
    names of the policies in scope (id -> name)."""

    incorporated_by: str | None = None
    policies: dict[str, str] = field(default_factory=dict)
    prohibited: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _n(value: int) -> str:
    return f"{value:,}"


# -- who may use it, for what ------------------------------------------------------------------
def noncommercial(f: Findings, e: LicenseEntry, t: Term, u: UseContext, s: Scope) -> None:
    allowed = list(t.params.get("allowed_uses", []))
    if u.use in allowed:
        f.note(e, t, f"{u.use} use is within the uses granted ({', '.join(allowed)})")
    else:
        f.deny(e, t, f"the license grants {' or '.join(allowed)} use only, not {u.use} use")


def commercial_use(f: Findings, e: LicenseEntry, t: Term, u: UseContext, s: Scope) -> None:
    p = t.params
    if not u.commercial:
        if p.get("allowed"):
            f.note(e, t, f"the grant covers {u.use} use")
        return
    if p.get("allowed") is False:
        f.deny(e, t, f"commercial use is not granted ({p.get('effect') or 'not allowed'})")
    elif p.get("condition"):
        kind = p.get("condition_kind") or "registration"
        f.owe(e, t, kind, str(p["condition"]), "the license attaches this to commercial use")
    else:
        f.note(e, t, "commercial use is granted")


def _limit_state(p: dict[str, Any], u: UseContext) -> tuple[str, str]:
    """('above' | 'within' | 'unknown', explanation) for a threshold's limits (any exceeded)."""
    group = p.get("counts") == "group"
    whose = "all products of the licensee and its affiliates" if group else "the product"
    when = " in the month before the version's release date" if p.get("on_release_date") else ""
    states: list[tuple[str, str]] = []
    if (limit := p.get("monthly_active_users")) is not None:
        users = u.group_users if group else u.monthly_users
        measure = f"monthly active users of {whose}{when}"
        if users is None:
            states.append(("unknown", f"{measure} not given (limit {_n(limit)})"))
        elif users > limit:
            states.append(("above", f"{_n(users)} {measure} exceed {_n(limit)}"))
        else:
            states.append(("within", f"{_n(users)} {measure} are within {_n(limit)}"))
    if (limit := p.get("annual_revenue_usd")) is not None:
        if u.annual_revenue is None:
            states.append(("unknown", f"annual revenue not given (limit USD {_n(limit)})"))
        elif u.annual_revenue >= limit:
            states.append(
                ("above", f"annual revenue USD {_n(u.annual_revenue)} reaches USD {_n(limit)}")
            )
        else:
            states.append(
                ("within", f"annual revenue USD {_n(u.annual_revenue)} is below USD {_n(limit)}")
            )
    if (limit := p.get("monthly_revenue_usd")) is not None:
        rev = u.annual_revenue
        if rev is None:
            states.append(("unknown", f"revenue not given (monthly limit USD {_n(limit)})"))
        elif rev <= limit:
            states.append(
                ("within", f"annual revenue USD {_n(rev)} cannot exceed USD {_n(limit)} in a month")
            )
        elif rev / 12 > limit:
            states.append(
                ("above", f"annual revenue USD {_n(rev)} averages over USD {_n(limit)} a month")
            )
        else:
            states.append(
                (
                    "unknown",
                    f"whether any month's revenue exceeds USD {_n(limit)} (annual USD {_n(rev)})",
                )
            )
    for wanted in ("above", "unknown", "within"):
        hits = [why for state, why in states if state == wanted]
        if hits:
            return wanted, "; ".join(hits)
    return "within", ""


def user_threshold(f: Findings, e: LicenseEntry, t: Term, u: UseContext, s: Scope) -> None:
    p = t.params
    if p.get("commercial_only") and not u.commercial:
        return
    effect = str(p.get("effect", "separate license required"))
    licensed = effect.startswith(("separate license", "enterprise license"))
    state, why = _limit_state(p, u)
    if state == "above" and licensed:
        f.deny(e, t, f"{why}: {effect}")
    elif state == "unknown":
        f.owe(
            e,
            t,
            "user-limit",
            f"stay within the threshold ({effect} above it)",
            f"the threshold counts what this use does not state: {why}",
            applies_if=None,
        )
    elif state == "above":
        f.note(e, t, f"{why}: {effect}")
    else:
        f.note(e, t, why)


# -- where ---------------------------------------------------------------------------------------
def territory(f: Findings, e: LicenseEntry, t: Term, u: UseContext, s: Scope) -> None:
    p = t.params
    excluded = list(p.get("excluded", []))
    modalities = list(p.get("modalities") or [])
    binds = list(p.get("binds") or ["licensee", "market"])
    places = ", ".join(excluded)
    if modalities and u.modality is not None and u.modality not in modalities:
        f.note(
            e, t, f"the exclusion binds {', '.join(modalities)} models; this one is {u.modality}"
        )
        return
    for_models = f" ({', '.join(modalities)} models)" if modalities else ""
    missing: list[str] = []
    if "licensee" in binds:
        if u.licensee_country is None:
            missing.append("the licensee's principal place of business")
        elif hit := in_region(u.licensee_country, excluded):
            why = f"the licensee's principal place of business {u.licensee_country} is in {hit}"
            if modalities and u.modality is None:
                f.owe(
                    e,
                    t,
                    "territory-limit",
                    f"do not use a {'/'.join(modalities)} model",
                    f"{why}, excluded for {', '.join(modalities)} models{_exempt(p)}",
                    applies_if=f"the model is {' or '.join(modalities)}",
                )
                return
            f.deny(e, t, f"{why}, excluded{for_models}{_exempt(p)}")
            return
    if "market" in binds:
        if not u.market:
            missing.append("where the model, its outputs or the product are used or offered")
        elif hits := [m for m in u.market if in_region(m, excluded)]:
            why = f"use in {', '.join(hits)} is outside the licensed territory (excluded: {places})"
            if modalities and u.modality is None:
                f.owe(
                    e,
                    t,
                    "territory-limit",
                    f"do not use a {'/'.join(modalities)} model there",
                    why,
                    applies_if=f"the model is {' or '.join(modalities)}",
                )
                return
            f.deny(e, t, why + for_models)
            return
    if missing:
        f.owe(
            e,
            t,
            "territory-limit",
            f"keep {' and '.join(missing)} out of {places}{for_models}",
            f"the license excludes {places}; this use does not state {' or '.join(missing)}"
            + _exempt(p),
            applies_if=f"the model is {' or '.join(modalities)}"
            if modalities and u.modality is None
            else None,
        )
    else:
        f.note(e, t, f"neither the licensee nor the market is in {places}{_exempt(p)}")


def _exempt(p: dict[str, Any]) -> str:
    return f" (exempt: {p['exempt']})" if p.get("exempt") else ""


# -- what for ------------------------------------------------------------------------------------
def field_of_use(f: Findings, e: LicenseEntry, t: Term, u: UseContext, s: Scope) -> None:
    prohibitions = list(t.params.get("prohibitions") or [])
    for pr in prohibitions:
        if pr["category"] not in u.purposes:
            continue
        if pr.get("unless"):
            f.owe(
                e,
                t,
                "use-policy-compliance",
                f"{pr['category']} only if {pr['unless']}",
                f"the declared purpose {pr['category']} is prohibited unless {pr['unless']}",
                clause=pr["clause"],
                quote=pr["quote"],
                applies_if=None,
            )
        else:
            f.deny(
                e,
                t,
                f"the declared purpose {pr['category']} is a prohibited use",
                clause=pr["clause"],
                quote=pr["quote"],
            )
    if u.purpose_text:
        f.to_confirm += [
            ProhibitedUse(pr["category"], e.id, pr["clause"], pr["quote"], pr.get("unless"))
            for pr in prohibitions
        ]
    if s.incorporated_by is not None:  # the incorporating license's acceptable_use says it
        return
    cats = ", ".join(dict.fromkeys(pr["category"] for pr in prohibitions)) or t.summary
    f.owe(
        e,
        t,
        "use-policy-compliance",
        "keep every use (yours and your users') out of the prohibited uses",
        "the use restrictions bind every use of the model, whatever the purpose: " + cats,
    )


def acceptable_use(f: Findings, e: LicenseEntry, t: Term, u: UseContext, s: Scope) -> None:
    policy = t.params.get("policy")
    if policy and policy in s.policies:
        cats = ", ".join(s.prohibited.get(policy, ()))
        f.owe(
            e,
            t,
            "use-policy-compliance",
            f"comply with {s.policies[policy]} ({policy})",
            "the policy is incorporated by reference and binds every use"
            + (f"; it prohibits: {cats}" if cats else ""),
        )
        return
    name = t.params.get("policy_name") or "the use policy the license incorporates"
    f.owe(
        e,
        t,
        "use-policy-compliance",
        f"comply with {name}",
        f"{name} binds every use; its text is not in robinet's knowledge base, so read it "
        "before use",
    )


def output_training(f: Findings, e: LicenseEntry, t: Term, u: UseContext, s: Scope) -> None:
    if not u.train_on_outputs:
        return
    p = t.params
    if p.get("allowed") is False:
        scope = p.get("scope") or "other models"
        extra = f" (except {p['exception']})" if p.get("exception") else ""
        f.deny(e, t, f"outputs may not be used to improve {scope}{extra}")
    elif p.get("condition"):
        f.owe(e, t, "output-use", str(p["condition"]), "outputs are used to train a model")
    else:
        f.note(e, t, "training other models on outputs is allowed")


# -- what to do when it reaches others ----------------------------------------------------------
def attribution(f: Findings, e: LicenseEntry, t: Term, u: UseContext, s: Scope) -> None:
    p = t.params
    trigger = p.get("trigger", "redistribute")
    applies_if = None
    if trigger == "product":
        fires, why = u.distribution != "none", f"the model reaches others ({u.distribution})"
    elif trigger == "redistribute":
        fires, why = u.copies, f"copies are distributed ({u.distribution})"
    elif trigger == "derivative":
        fires = u.distribution == "modified" or (u.train_on_outputs and u.distribution != "none")
        why = "a model built with this one is distributed or made available"
    elif trigger == "threshold":
        if not u.commercial:
            return
        state, why = _limit_state(p, u)
        fires = state != "within"
        if state == "unknown":
            applies_if = f"the threshold is exceeded ({why})"
    else:
        fires, why = True, "the license asks for it in every case"
    if fires:
        notice = str(p.get("notice", ""))
        if p.get("notice_exact", True):
            action, text = f"display {notice!r}", notice
        else:
            action, text = f"give appropriate credit ({notice})", None
        f.owe(e, t, "attribution-display", action, why, text=text, applies_if=applies_if)


def naming(f: Findings, e: LicenseEntry, t: Term, u: UseContext, s: Scope) -> None:
    prefix = t.params.get("prefix")
    made = (
        u.distribution == "modified"
        or u.derivative_name is not None
        or (u.train_on_outputs and u.distribution != "none")
    )
    if not prefix or not made:
        return
    if u.derivative_name and not name_has_prefix(u.derivative_name, prefix):
        f.deny(
            e, t, f"a distributed derivative must be named '{prefix}...', not {u.derivative_name!r}"
        )
        return
    f.owe(
        e,
        t,
        "name-prefix",
        f"begin the derivative model's name with {prefix!r}",
        "a model built with this one is distributed or made available",
        text=prefix,
    )


def redistribution(f: Findings, e: LicenseEntry, t: Term, u: UseContext, s: Scope) -> None:
    p = t.params
    if u.distribution not in (p.get("applies_to") or ["unmodified", "modified"]):
        return
    how = f"the model reaches others ({u.distribution})"
    if p.get("copy_of_license"):
        f.owe(e, t, "license-copy", "give every recipient a copy of the license", how)
    if p.get("notice_file"):
        f.owe(
            e,
            t,
            "notice-file",
            "ship a Notice file with this exact text",
            how,
            text=str(p["notice_file"]),
        )
    if p.get("carry_notices"):
        f.owe(
            e,
            t,
            "notice-file",
            "keep the work's copyright, patent, trademark and attribution notices, and the "
            "attribution notices of its NOTICE file",
            how,
            applies_if="for the NOTICE file: the work includes one",
        )
    if p.get("mark_modifications") and u.distribution == "modified":
        f.owe(
            e,
            t,
            "modification-notice",
            "make modified files carry prominent notices stating that you changed them",
            "modified files are distributed",
        )
    if p.get("source_required"):
        if p.get("network_use_is_distribution"):
            f.owe(
                e,
                t,
                "source-offer",
                "offer every user interacting with it over the network the Corresponding "
                "Source of your version",
                "the model is offered as a hosted service",
                applies_if="you modified the model",
            )
        else:
            f.owe(e, t, "source-offer", "provide or offer the corresponding source", how)


def derivatives(f: Findings, e: LicenseEntry, t: Term, u: UseContext, s: Scope) -> None:
    p = t.params
    if u.distribution == "none":
        return
    if p.get("share_adaptations") is False and u.distribution == "modified":
        f.deny(e, t, "adapted (modified) material may not be shared")
        return
    if p.get("pass_through_use_restrictions"):
        f.owe(
            e,
            t,
            "use-policy-passthrough",
            "make the use restrictions an enforceable part of your terms for recipients and "
            "users, and tell them the model is subject to them",
            f"the model reaches others ({u.distribution})",
        )
    if (
        p.get("same_license")
        and u.distribution == "modified"
        and p.get("share_adaptations") is not False
    ):
        f.owe(
            e,
            t,
            "share-alike",
            "license the derivative under the same license",
            "a modified version is distributed",
        )


RULES: dict[TermKind, Rule] = {
    TermKind.NONCOMMERCIAL: noncommercial,
    TermKind.COMMERCIAL_USE: commercial_use,
    TermKind.USER_THRESHOLD: user_threshold,
    TermKind.TERRITORY: territory,
    TermKind.FIELD_OF_USE: field_of_use,
    TermKind.ACCEPTABLE_USE: acceptable_use,
    TermKind.OUTPUT_TRAINING: output_training,
    TermKind.ATTRIBUTION: attribution,
    TermKind.NAMING: naming,
    TermKind.REDISTRIBUTION: redistribution,
    TermKind.DERIVATIVES: derivatives,
}
