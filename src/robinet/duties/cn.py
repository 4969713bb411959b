"""Mainland China: the Interim Measures for the Management of Generative AI Services (in force
15 August 2023) and the Measures for Labelling AI-Generated Synthetic Content (in force
1 September 2025).

They attach to a service, not to a model: whoever offers a generative AI service to the
public within mainland China (Art. 2(1)) is its provider, whatever its role upstream, and an
organisation that develops or applies generative AI without offering such a service to the
public is outside them (Art. 2(3)). So `public_service` decides: False gives `applies=False`
for every duty, with Art. 2(3) as the reason. The security assessment and algorithm filing of
Art. 17 attach to services "with public-opinion attributes or social mobilisation capacity":
`public_opinion` says whether the service has them (`None`, unknown, by default).

The EU statuses (general-purpose AI model, systemic risk, open-source exemption) have no
counterpart here: they are `None`.
"""

from __future__ import annotations

from robinet.duties.catalog import Jurisdiction, duty_from
from robinet.duties.model import DutiesResult, Duty, Finding, ModelFacts

NEEDS: dict[str, tuple[str, ...]] = {
    "cn.genai.art-2-1": (),
    "cn.genai.art-2-3": (),
    "cn.genai.art-4": ("applies_from",),
    "cn.genai.art-12": ("applies_from",),
    "cn.genai.art-17": ("applies_from",),
    "cn.labelling.art-5": ("applies_from",),
}


def _scope(facts: ModelFacts, cat: Jurisdiction, public_service: bool) -> Finding:
    """Whether the Interim Measures attach: the provision that decides, quoted."""
    p = cat.get("cn.genai.art-2-1" if public_service else "cn.genai.art-2-3")
    why = (
        f"{facts.name} is offered as a generative AI service to the public in mainland China."
        if public_service
        else f"{facts.name} is not offered as a generative AI service to the public in "
        "mainland China."
    )
    return Finding("in_scope", public_service, p.article, why, p.quote, p.source, p.lang)


def assess(
    facts: ModelFacts,
    cat: Jurisdiction,
    *,
    role: str,
    public_service: bool,
    public_opinion: bool | None = None,
) -> DutiesResult:
    cat.require(NEEDS)
    duty_ids = ("cn.genai.art-4", "cn.genai.art-12", "cn.genai.art-17", "cn.labelling.art-5")
    duties: list[Duty] = []
    if not public_service:
        why = (
            f"{facts.name} is used without a generative AI service offered to the public in "
            "mainland China: Art. 2(3) of the Interim Measures puts such development and use "
            "outside them, and the Labelling Measures bind the providers of such services. "
            "These duties attach to whoever offers the public service."
        )
        duties = [duty_from(cat.get(pid), False, why) for pid in duty_ids]
    else:
        who = (
            "you offer"
            if role == "deployer"
            else "the provider offers (a developer that only publishes weights offers no "
            "service: these duties then fall on whoever does)"
        )
        base = (
            f"{who} a generative AI service built on {facts.name} to the public in mainland "
            "China (Art. 2(1) of the Interim Measures)"
        )
        duties.append(duty_from(cat.get("cn.genai.art-4"), True, base + "."))
        duties.append(duty_from(cat.get("cn.genai.art-12"), True, base + "."))
        filing = cat.get("cn.genai.art-17")
        if public_opinion is None:
            duties.append(
                duty_from(
                    filing,
                    None,
                    base + ", but whether the service has public-opinion attributes or social "
                    "mobilisation capacity is not known.",
                )
            )
        else:
            has = "has" if public_opinion else "does not have"
            duties.append(
                duty_from(
                    filing,
                    public_opinion,
                    f"{base}, and it {has} public-opinion attributes or social "
                    "mobilisation capacity.",
                )
            )
        duties.append(
            duty_from(
                cat.get("cn.labelling.art-5"),
                True,
                base + "; the Labelling Measures bind the providers of such services.",
            )
        )
    return DutiesResult(
        model=facts.name,
        jurisdiction=cat.id,
        jurisdiction_name=cat.name,
        role=role,
        public_service=public_service,
        compute_flop=facts.training_compute_flop,
        compute_source=facts.compute_source,
        gpai=None,
        systemic_risk=None,
        open_source_exemption=None,
        duties=tuple(duties),
        disclaimer=cat.disclaimer,
        findings=(_scope(facts, cat, public_service),),
        facts=facts,
    )
