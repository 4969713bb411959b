"""The European Union: Regulation (EU) 2024/1689 (the AI Act), Chapter V, read with the
Commission's guidelines on general-purpose AI models (C(2025) 5045).

Three statuses first, each `None` when a fact it needs is unknown (robinet never guesses a
training compute):

- general-purpose AI model: training compute above the guidelines' indicative threshold and
  the model generates language, images, audio or video (para. 17);
- systemic risk: presumed above Art. 51(2)'s threshold;
- open-source exemption (Art. 53(2), 54(6)): a free and open-source licence (`foss.py`),
  weights and architecture public, and no systemic risk.

Then the duties of a provider (Art. 52(1), 53(1)(a)-(d), 54, 55) with the dates they apply
from (Art. 113, 111(3)), or what passes down to a deployer. Every threshold and date is read
from `provisions/eu.yaml`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from robinet.duties.catalog import Jurisdiction, Provision, duty_from
from robinet.duties.foss import check_license
from robinet.duties.modality import generates
from robinet.duties.model import DutiesResult, Duty, Finding, LicenseCheck, ModelFacts
from robinet.licenses.vocabulary import EU as MEMBER_STATES

# EEA states outside the Union: whether the Act binds there depends on its incorporation into
# the EEA Agreement, which robinet does not follow.
_EEA_ONLY = frozenset({"IS", "LI", "NO"})

NEEDS: dict[str, tuple[str, ...]] = {
    "eu.guidelines.gpai-criterion": ("threshold_flop",),
    "eu.guidelines.gpai-exceptions": (),
    "eu.art-51-2": ("threshold_flop",),
    "eu.art-52-1": ("applies_from",),
    "eu.art-53-1-a": ("applies_from",),
    "eu.art-53-1-b": ("applies_from",),
    "eu.art-53-1-c": ("applies_from",),
    "eu.art-53-1-d": ("applies_from",),
    "eu.art-53-2": (),
    "eu.art-54-1": ("applies_from",),
    "eu.art-54-6": (),
    "eu.art-55-1": ("applies_from",),
    "eu.art-111-3": ("placed_before", "comply_by"),
    "eu.art-113-b": ("applies_from",),
    "eu.art-3-4": (),
    "eu.guidelines.downstream-modifier": ("threshold_fraction",),
    "eu.art-50-4": ("applies_from",),
}


def _flop(value: float) -> str:
    return f"{value:.3g} FLOP"


def _say(value: bool | None, yes: str, no: str, unknown: str) -> str:
    return unknown if value is None else yes if value else no


def _finding(finding_id: str, value: bool | None, p: Provision, why: str) -> Finding:
    return Finding(finding_id, value, p.article, why, p.quote, p.source, p.lang)


# ---- statuses -------------------------------------------------------------------------------


def _gpai(facts: ModelFacts, cat: Jurisdiction) -> Finding:
    p = cat.get("eu.guidelines.gpai-criterion")
    threshold = p.threshold_flop or 0.0
    compute = facts.training_compute_flop
    makes, makes_why = generates(facts.domains, facts.tasks)
    exceptional = (
        " The criterion is indicative: a narrow model above it is not one, and an "
        "exceptionally general model below it is (para. 20)."
    )
    if compute is None:
        return _finding(
            "gpai",
            None,
            p,
            f"training compute unknown: robinet does not guess it; the indicative criterion "
            f"needs more than {_flop(threshold)}.",
        )
    where = f" ({facts.compute_source})" if facts.compute_source else ""
    if compute <= threshold:
        return _finding(
            "gpai",
            False,
            p,
            f"training compute {_flop(compute)}{where} is not above {_flop(threshold)}: the "
            "indicative criterion is not met." + exceptional,
        )
    above = f"training compute {_flop(compute)}{where} is above {_flop(threshold)}"
    if makes is True:
        return _finding("gpai", True, p, f"{above} and {makes_why}." + exceptional)
    if makes is None:
        return _finding("gpai", None, p, f"{above}, but {makes_why}.")
    return _finding("gpai", False, p, f"{above}, but {makes_why}." + exceptional)


def _systemic(facts: ModelFacts, gpai: bool | None, cat: Jurisdiction) -> Finding:
    p = cat.get("eu.art-51-2")
    threshold = p.threshold_flop or 0.0
    compute = facts.training_compute_flop
    if gpai is False:
        return _finding("systemic_risk", False, p, "not a general-purpose AI model.")
    if compute is None:
        return _finding(
            "systemic_risk",
            None,
            p,
            f"training compute unknown: the presumption needs more than {_flop(threshold)}.",
        )
    if compute > threshold:
        if gpai is None:
            return _finding(
                "systemic_risk",
                None,
                p,
                f"training compute {_flop(compute)} is above {_flop(threshold)}: presumed, "
                "if it is a general-purpose AI model (unknown).",
            )
        return _finding(
            "systemic_risk",
            True,
            p,
            f"training compute {_flop(compute)} is above {_flop(threshold)}: high-impact "
            "capabilities are presumed (the provider may argue otherwise, Art. 52(2)).",
        )
    return _finding(
        "systemic_risk",
        False,
        p,
        f"training compute {_flop(compute)} is not above {_flop(threshold)}: no presumption. "
        "The Commission may still designate a model (Art. 51(1)(b)); robinet does not track "
        "designations.",
    )


def _exemption(
    facts: ModelFacts, systemic: bool | None, license_check: LicenseCheck, cat: Jurisdiction
) -> tuple[Finding, str]:
    """The Art. 53(2) finding, and a short note of the conditions that decide it."""
    p = cat.get("eu.art-53-2")
    no_risk = None if systemic is None else not systemic
    conditions: list[tuple[bool | None, str]] = [
        (license_check.free_open_source, license_check.why),
        (
            facts.weights_public,
            _say(
                facts.weights_public,
                "the weights are public.",
                "the weights are not public.",
                "whether the weights are public is unknown.",
            ),
        ),
        (
            facts.architecture_public,
            _say(
                facts.architecture_public,
                "the architecture is public.",
                "the architecture is not public.",
                "whether the architecture is public is unknown.",
            ),
        ),
        (
            no_risk,
            _say(
                no_risk,
                "it is not presumed to present systemic risk.",
                "it presents systemic risk: the exemption does not apply to it.",
                "whether it presents systemic risk is unknown.",
            ),
        ),
    ]
    values = [value for value, _ in conditions]
    value: bool | None = False if False in values else None if None in values else True
    why = " ".join(text for _, text in conditions)
    why += " Not checked: that the information on model usage is public."
    licence = f"license {license_check.license}" if license_check.license else "license"
    labels = (
        (f"{licence} not free and open-source", f"{licence} undecided"),
        ("weights not public", "weights unknown"),
        ("architecture not public", "architecture unknown"),
        ("systemic risk", "systemic risk unknown"),
    )
    if value is True:
        note = f"{licence} free and open-source, weights and architecture public"
    else:
        wanted = False if value is False else None
        note = ", ".join(
            labels[i][0 if wanted is False else 1] for i, v in enumerate(values) if v is wanted
        )
    return _finding("open_source_exemption", value, p, why), note


# ---- duties ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Status:
    gpai: bool | None
    systemic: bool | None
    exempt: bool | None
    gpai_note: str  # "a general-purpose AI model (training compute 3.8e+25 FLOP)"
    exempt_note: str  # "license llama-3.1-license-2024 not free and open-source, systemic risk"


def _gpai_note(facts: ModelFacts, gpai: bool | None) -> str:
    compute = facts.training_compute_flop
    at = f"training compute {_flop(compute)}" if compute is not None else "training compute unknown"
    said = _say(
        gpai,
        "a general-purpose AI model",
        "not a general-purpose AI model",
        "unknown whether it is a general-purpose AI model",
    )
    return f"{said} ({at})"


def _lifted(s: _Status) -> tuple[bool | None, str]:
    """Art. 53(1)(a)/(b): owed by a general-purpose AI model's provider, unless exempt."""
    if s.gpai is not True:
        return s.gpai, s.gpai_note + "."
    if s.exempt is True:
        return (
            False,
            f"{s.gpai_note}; lifted by the open-source exemption, Art. 53(2) ({s.exempt_note}).",
        )
    if s.exempt is False:
        return True, f"{s.gpai_note}; the open-source exemption does not apply ({s.exempt_note})."
    return (
        None,
        f"{s.gpai_note}; whether the open-source exemption applies is unknown ({s.exempt_note}).",
    )


def _owed(s: _Status, never_lifted: str = "") -> tuple[bool | None, str]:
    return s.gpai, s.gpai_note + (f"; {never_lifted}" if never_lifted and s.gpai else "") + "."


def _established_in_union(facts: ModelFacts) -> tuple[bool | None, str]:
    who = facts.organization or "the provider"
    country = (facts.organization_country or "").strip().upper()
    if country:
        if country in MEMBER_STATES:
            return True, f"{who} is established in {country}, a Member State."
        if country in _EEA_ONLY:
            return None, (
                f"{who} is established in {country}, an EEA state outside the Union: robinet "
                "does not follow the Act's incorporation into the EEA Agreement."
            )
        return False, f"{who} is established in {country}, a third country."
    region = facts.organization_region
    if region in ("US", "CN", "other"):
        return False, f"{who} is established in region {region}, outside the Union."
    if region == "EU":
        return None, (
            f"{who} is in robinet's EU region (Europe at large), which does not tell a Member "
            "State from the UK, Switzerland or Norway."
        )
    return None, f"where {who} is established is unknown."


def _comply_by(facts: ModelFacts, cat: Jurisdiction) -> tuple[dt.date | None, str]:
    p = cat.get("eu.art-111-3")
    assert p.placed_before and p.comply_by  # checked by NEEDS
    if facts.released is None:
        return None, (
            f" Release date unknown: a model placed on the market before "
            f"{p.placed_before.isoformat()} has until {p.comply_by.isoformat()} ({p.article})."
        )
    if facts.released < p.placed_before:
        return p.comply_by, (
            f" Released {facts.released.isoformat()}, before {p.placed_before.isoformat()}: "
            f"to comply by {p.comply_by.isoformat()} ({p.article})."
        )
    return None, (
        f" Released {facts.released.isoformat()}, not before {p.placed_before.isoformat()}: "
        "applies from its placing on the market."
    )


def _provider_duties(facts: ModelFacts, s: _Status, cat: Jurisdiction) -> tuple[Duty, ...]:
    deadline, when = _comply_by(facts, cat)
    duties: list[Duty] = []
    for pid in ("eu.art-53-1-a", "eu.art-53-1-b"):
        applies, why = _lifted(s)
        duties.append(duty_from(cat.get(pid), applies, why, comply_by_date=deadline, when=when))
    never = "the open-source exemption never lifts it (Art. 53(2) covers points (a) and (b))"
    for pid in ("eu.art-53-1-c", "eu.art-53-1-d"):
        applies, why = _owed(s, never)
        duties.append(duty_from(cat.get(pid), applies, why, comply_by_date=deadline, when=when))

    inside, where = _established_in_union(facts)
    exemption = f"the open-source exemption, Art. 54(6) ({s.exempt_note})"
    rep: bool | None
    if s.gpai is not True:
        rep, why = _owed(s)
    elif inside is True:
        rep, why = False, where
    elif inside is None:
        rep, why = None, where
    elif s.exempt is True:
        rep, why = False, f"{where} Lifted by {exemption}."
    elif s.exempt is False:
        rep, why = True, f"{where} Not lifted by {exemption}."
    else:
        rep, why = None, f"{where} Unknown whether lifted by {exemption}."
    duties.append(duty_from(cat.get("eu.art-54-1"), rep, why, comply_by_date=deadline, when=when))

    systemic = s.systemic
    risk_why = _say(
        systemic,
        "presumed to present systemic risk (Art. 51(2)).",
        "not presumed to present systemic risk.",
        "unknown whether it presents systemic risk.",
    )
    duties.append(
        duty_from(cat.get("eu.art-52-1"), systemic, risk_why, comply_by_date=deadline, when=when)
    )
    duties.append(
        duty_from(cat.get("eu.art-55-1"), systemic, risk_why, comply_by_date=deadline, when=when)
    )
    return tuple(duties)


def _deployer_duties(facts: ModelFacts, s: _Status, cat: Jurisdiction) -> tuple[Duty, ...]:
    definition = cat.get("eu.art-3-4")
    none = duty_from(
        definition,
        False,
        "Chapter V (Art. 51-56) addresses the providers of general-purpose AI models: the Act "
        "asks nothing of a deployer of the model as such. A deployer's duties attach to the AI "
        "system it uses (Art. 26 for high-risk systems, Art. 50 for certain systems), which "
        "robinet does not assess.",
        duty_id="eu.deployer.no-model-duties",
    )
    info = cat.get("eu.art-53-1-b")
    owed, why = _lifted(s)
    if owed is True:
        why = (
            "the provider owes you this information and documentation (Annex XII) if you "
            "integrate the model into an AI system: " + why
        )
    elif owed is False and s.exempt is True and s.gpai is True:
        why = (
            "the provider's duty is lifted by the open-source exemption, Art. 53(2) "
            f"({s.exempt_note}): rely on the information on model usage it must make public "
            "instead."
        )
    information = duty_from(info, owed, why, duty_id="eu.deployer.downstream-information")

    modifier = cat.get("eu.guidelines.downstream-modifier")
    share = modifier.threshold_fraction
    assert share is not None  # checked by NEEDS
    compute = facts.training_compute_flop
    if compute is not None:
        limit = compute * share.numerator / share.denominator
        mod_why = (
            f"if you modify the model with more than {share} of its training compute "
            f"({share} of {_flop(compute)} = {_flop(limit)}), you become the provider of the "
            "modified model, for the modification. robinet does not know your modification."
        )
    else:
        gpai_limit = cat.get("eu.guidelines.gpai-criterion").threshold_flop or 0.0
        risk_limit = cat.get("eu.art-51-2").threshold_flop or 0.0
        mod_why = (
            f"the original training compute is unknown: the guidelines then use {share} of "
            f"{_flop(risk_limit)} for a model with systemic risk, else {share} of "
            f"{_flop(gpai_limit)} (para. 64). robinet does not know your modification."
        )
    becoming = duty_from(modifier, None, mod_why, duty_id="eu.deployer.becoming-provider")

    deep_fakes = duty_from(
        cat.get("eu.art-50-4"),
        None,
        "follows from what your AI system produces, not from the model: applies if it "
        "generates or manipulates image, audio or video content constituting a deep fake.",
    )
    return (none, information, becoming, deep_fakes)


def assess(
    facts: ModelFacts, cat: Jurisdiction, *, role: str, public_service: bool
) -> DutiesResult:
    cat.require(NEEDS)
    gpai = _gpai(facts, cat)
    systemic = _systemic(facts, gpai.value, cat)
    license_check = check_license(facts.license)
    exemption, exempt_note = _exemption(facts, systemic.value, license_check, cat)
    status = _Status(
        gpai=gpai.value,
        systemic=systemic.value,
        exempt=exemption.value,
        gpai_note=_gpai_note(facts, gpai.value),
        exempt_note=exempt_note,
    )
    build = _provider_duties if role == "provider" else _deployer_duties
    duties = build(facts, status, cat)
    return DutiesResult(
        model=facts.name,
        jurisdiction=cat.id,
        jurisdiction_name=cat.name,
        role=role,
        public_service=public_service,
        compute_flop=facts.training_compute_flop,
        compute_source=facts.compute_source,
        gpai=gpai.value,
        systemic_risk=systemic.value,
        open_source_exemption=exemption.value,
        duties=duties,
        disclaimer=cat.disclaimer,
        findings=(gpai, systemic, exemption),
        license_check=license_check,
        facts=facts,
    )
