"""`assess`: the duties of a provider or deployer of one model in one jurisdiction. Pure: no
store, no network; the provisions come from the bundled YAML catalog (`catalog.py`)."""

from __future__ import annotations

from robinet.duties import cn, eu
from robinet.duties.catalog import jurisdiction as load_jurisdiction
from robinet.duties.model import ROLES, DutiesResult, ModelFacts
from robinet.errors import NotFoundError, UsageError

JURISDICTIONS: tuple[str, ...] = ("cn", "eu")


def assess(
    facts: ModelFacts,
    jurisdiction: str,
    role: str = "provider",
    public_service: bool = False,
    *,
    public_opinion: bool | None = None,
) -> DutiesResult:
    """The duties `role` ("provider" or "deployer") has for the model in `jurisdiction`
    ("eu", "cn"). `public_service`: the model is offered as a service to the public there
    (decides China's Measures); `public_opinion`: that service has public-opinion attributes
    or social mobilisation capacity (China, Art. 17; None when unknown).

    Raises NotFoundError for an unknown jurisdiction, UsageError for an unknown role, and
    KnowledgeBaseError when the bundled provisions fail validation."""
    if role not in ROLES:
        raise UsageError(f"unknown role {role!r}", hint=f"roles: {', '.join(ROLES)}")
    key = jurisdiction.strip().lower()
    if key not in JURISDICTIONS:
        raise NotFoundError(
            f"unknown jurisdiction {jurisdiction!r}",
            hint=f"known jurisdictions: {', '.join(JURISDICTIONS)}",
        )
    cat = load_jurisdiction(key)
    if key == "eu":
        return eu.assess(facts, cat, role=role, public_service=public_service)
    return cn.assess(
        facts, cat, role=role, public_service=public_service, public_opinion=public_opinion
    )
