"""The CI gate and the AI-BOM: audit models under a policy, write SARIF, CycloneDX, SPDX.

    load_policy(path) -> Policy             policy.py (validated, errors name the key)
    collect(models, models_file)            specs.py: Hub ids, Hub URLs, local folders
    audit(store, specs, policy) -> AuditResult   runner.py (judge.py decides, local.py reads)
    FORMATS[name](result, ...) -> str       one module per output format

See docs/audit.md.
"""

from __future__ import annotations

from robinet.audit.policy import Policy, load_policy, parse_policy
from robinet.audit.result import AuditResult, ModelAudit
from robinet.audit.runner import audit
from robinet.audit.specs import collect

FORMATS = ("table", "json", "sarif", "cyclonedx", "spdx")

__all__ = [
    "FORMATS",
    "AuditResult",
    "ModelAudit",
    "Policy",
    "audit",
    "collect",
    "load_policy",
    "parse_policy",
]
