"""Use verdicts: may this use be made of a model under this license, and on what conditions?

`check(license_id, use)` reads the license's terms (and those of the policies it incorporates
by reference, such as Llama's acceptable-use policies) and returns a `robinet.model.Verdict`:
`deny` when a term forbids the use as described, `conditional` when it is allowed if the listed
conditions are met, `allow` otherwise. Every reason cites the license, clause and verbatim
quote of the term that decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from robinet.errors import UsageError
from robinet.licenses.kb import KnowledgeBase, LicenseEntry, Term, TermKind, knowledge_base
from robinet.licenses.naming import name_has_prefix
from robinet.licenses.vocabulary import (
    COUNTRY_ALIASES,
    MODALITIES,
    PURPOSES,
    REGION_GROUPS,
    USES,
    known_region,
)
from robinet.model import Decision, Reason, Verdict


@dataclass(frozen=True, slots=True)
class UseCase:
    """The use a verdict is asked about."""

    use: str = "commercial"  # commercial | research | personal
    monthly_users: int | None = None
    region: str | None = None  # ISO 3166-1 alpha-2 country code, or EU
    purpose: str | None = None
    train_on_outputs: bool = False
    redistribute: bool = False
    modality: str = "text"  # text | vision | multimodal
    derivative_name: str | None = None

    def __post_init__(self) -> None:
        if self.use not in USES:
            raise UsageError(f"use must be one of {', '.join(USES)}, not {self.use!r}")
        if self.modality not in MODALITIES:
            raise UsageError(
                f"modality must be one of {', '.join(MODALITIES)}, not {self.modality!r}"
            )
        if self.monthly_users is not None and self.monthly_users < 0:
            raise UsageError("monthly users cannot be negative")
        if self.region is not None and not known_region(self.region):
            raise UsageError(
                f"region must be an ISO 3166-1 alpha-2 code such as DE or EU, not {self.region!r}"
            )


def purpose_categories(purpose: str | None) -> set[str]:
    """The prohibited-use categories a free-text purpose falls into."""
    if not purpose:
        return set()
    text = purpose.lower()
    return {cat for cat, words in PURPOSES.items() if any(w in text for w in words)}


def _in_region(region: str, excluded: list[str]) -> str | None:
    code = COUNTRY_ALIASES.get(region.upper(), region.upper())
    for ex in excluded:
        ex = ex.upper()
        if code == ex or code in REGION_GROUPS.get(ex, ()):
            return ex
    return None


class _Builder:
    def __init__(self) -> None:
        self.denies: list[Reason] = []
        self.conditions: list[tuple[str, Reason]] = []
        self.infos: list[Reason] = []

    @staticmethod
    def reason(entry: LicenseEntry, term: Term, explanation: str) -> Reason:
        return Reason(
            license=entry.id, clause=term.clause, quote=term.quote, explanation=explanation
        )

    def deny(self, entry: LicenseEntry, term: Term, why: str) -> None:
        self.denies.append(self.reason(entry, term, why))

    def condition(self, entry: LicenseEntry, term: Term, condition: str) -> None:
        self.conditions.append((condition, self.reason(entry, term, condition)))

    def info(self, entry: LicenseEntry, term: Term, why: str) -> None:
        self.infos.append(self.reason(entry, term, why))


def _scope(entry: LicenseEntry, kb: KnowledgeBase) -> list[tuple[LicenseEntry, Term]]:
    out = [(entry, t) for t in entry.terms]
    for pid in entry.incorporates:
        if pid in kb:
            policy = kb.get(pid)
            out += [(policy, t) for t in policy.terms]
    return out


def _check_term(b: _Builder, e: LicenseEntry, t: Term, use: UseCase) -> None:
    p = t.params
    commercial = use.use == "commercial"
    if t.kind == TermKind.NONCOMMERCIAL:
        if commercial:
            b.deny(e, t, "the license allows non-commercial use only")
        else:
            b.info(e, t, f"{use.use} use is non-commercial")
    elif t.kind == TermKind.COMMERCIAL_USE:
        if p.get("allowed") is False and commercial:
            b.deny(e, t, f"commercial use is not granted ({p.get('effect', 'not allowed')})")
        elif p.get("allowed") and p.get("condition") and commercial:
            b.condition(e, t, str(p["condition"]))
        elif p.get("allowed") and commercial:
            b.info(e, t, "commercial use is granted")
    elif t.kind == TermKind.USER_THRESHOLD:
        limit = p.get("monthly_active_users")
        if limit is None or (p.get("commercial_only") and not commercial):
            return
        effect = p.get("effect", "separate license required")
        if use.monthly_users is None:
            b.condition(e, t, f"stay at or below {limit:,} monthly active users ({effect} above)")
        elif use.monthly_users > limit:
            if effect.startswith("separate license"):
                b.deny(e, t, f"{use.monthly_users:,} monthly users exceed {limit:,}: {effect}")
            else:
                b.condition(e, t, f"above {limit:,} monthly active users: {effect}")
        else:
            b.info(e, t, f"{use.monthly_users:,} monthly users are within the {limit:,} limit")
    elif t.kind == TermKind.TERRITORY:
        excluded = list(p.get("excluded", []))
        modalities = list(p.get("modalities") or [])
        binds = not modalities or use.modality in modalities
        if not binds:
            b.info(e, t, f"the territory exclusion binds only {', '.join(modalities)} models")
        elif use.region is None:
            cond = f"not be used in (or by a company based in) {', '.join(excluded)}"
            if modalities:
                cond += f" for {', '.join(modalities)} models"
            b.condition(e, t, cond)
        elif hit := _in_region(use.region, excluded):
            b.deny(e, t, f"{use.region.upper()} is in the excluded territory {hit}")
        else:
            b.info(e, t, f"{use.region.upper()} is not in the excluded territories")
    elif t.kind == TermKind.FIELD_OF_USE:
        banned = set(p.get("prohibited", []))
        hits = sorted(purpose_categories(use.purpose) & banned)
        if hits:
            b.deny(e, t, f"the purpose falls under prohibited uses: {', '.join(hits)}")
    elif t.kind == TermKind.ACCEPTABLE_USE:
        b.condition(e, t, f"comply with the incorporated use policy {p.get('policy', '')}".strip())
    elif t.kind == TermKind.OUTPUT_TRAINING:
        if not use.train_on_outputs:
            return
        if p.get("allowed") is False:
            b.deny(e, t, f"outputs may not be used to improve {p.get('scope', 'other models')}")
        elif p.get("condition"):
            b.condition(e, t, f"when training on outputs: {p['condition']}")
        else:
            b.info(e, t, "training other models on outputs is allowed")
    elif t.kind == TermKind.ATTRIBUTION:
        trigger = p.get("trigger", "redistribute")
        fires = (
            (trigger == "redistribute" and use.redistribute)
            or (trigger == "product" and (use.redistribute or commercial))
            or (trigger == "derivative" and (use.redistribute or use.train_on_outputs))
            or (
                trigger == "threshold"
                and commercial
                and use.monthly_users is not None
                and use.monthly_users > p.get("monthly_active_users", 0)
            )
            or trigger == "always"
        )
        if fires:
            b.condition(e, t, f"display '{p.get('notice', 'the attribution notice')}'")
    elif t.kind == TermKind.NAMING:
        prefix = p.get("prefix")
        if not prefix or not (use.redistribute or use.derivative_name):
            return
        if use.derivative_name and not name_has_prefix(use.derivative_name, prefix):
            b.deny(
                e,
                t,
                f"a distributed derivative must be named '{prefix}...', "
                f"not {use.derivative_name!r}",
            )
        else:
            b.condition(e, t, f"name a distributed derivative model starting with '{prefix}'")
    elif t.kind == TermKind.REDISTRIBUTION:
        if use.redistribute:
            what = "ship a copy of the license"
            if p.get("notice_file"):
                what += f' and a Notice file: "{p["notice_file"]}"'
            if p.get("source_required"):
                what += " and offer the corresponding source"
            b.condition(e, t, what)
    elif t.kind == TermKind.DERIVATIVES:
        if use.redistribute and p.get("pass_through_use_restrictions"):
            b.condition(e, t, "pass the use restrictions on to recipients of derivatives")
        if use.redistribute and p.get("same_license"):
            b.condition(e, t, "distribute derivatives under the same license")
        if use.redistribute and p.get("share_adaptations") is False:
            b.deny(e, t, "adapted material may not be shared")


def check(
    license_id: str, use: UseCase | None = None, *, kb: KnowledgeBase | None = None
) -> Verdict:
    """The verdict for `use` of a model under `license_id` (NotFoundError if unknown)."""
    kb = kb or knowledge_base()
    use = use or UseCase()
    entry = kb.get(license_id)
    b = _Builder()
    for e, t in _scope(entry, kb):
        _check_term(b, e, t, use)
    conditions = tuple(dict.fromkeys(c for c, _ in b.conditions))
    if b.denies:
        return Verdict(Decision.DENY, tuple(b.denies + [r for _, r in b.conditions]), conditions)
    if conditions:
        return Verdict(
            Decision.CONDITIONAL, tuple([r for _, r in b.conditions] + b.infos), conditions
        )
    return Verdict(Decision.ALLOW, tuple(b.infos), ())
