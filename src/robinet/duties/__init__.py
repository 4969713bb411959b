"""Duties by jurisdiction, and the chips behind the models. Pure: no store, no network.

Public API (see docs/duties.md):

- `assess(facts, jurisdiction, role="provider", public_service=False, *, public_opinion=None)
  -> DutiesResult`: the EU AI Act's general-purpose AI model duties, or China's generative AI
  Measures, for one model; `DutiesResult.to_json()` is the JSON shape.
- `ModelFacts`, `DutiesResult`, `Duty`, `Finding`, `LicenseCheck`: the vocabulary.
- `check_license(license_id) -> LicenseCheck`: a free and open-source licence in the sense of
  Art. 53(2)?
- `jurisdiction(name) -> Jurisdiction`: the curated provisions (YAML, validated), `JURISDICTIONS`.
- `normalize_hardware(text, quantity=None) -> tuple[Chip, ...]`, `is_domestic(chip, region)`,
  `hardware_series(rows) -> HardwareSeries` (in `robinet.duties.hardware` / `.series`).

Names load their module on first use: the hardware functions never load pydantic or the
provisions.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from robinet.duties.catalog import Jurisdiction, Provision, jurisdiction
    from robinet.duties.engine import JURISDICTIONS, assess
    from robinet.duties.foss import check_license
    from robinet.duties.hardware import Chip, is_domestic, normalize_hardware
    from robinet.duties.model import (
        DutiesResult,
        Duty,
        Finding,
        LicenseCheck,
        LicenseReason,
        ModelFacts,
    )
    from robinet.duties.series import HardwareRow, HardwareSeries, hardware_series

_LAZY = {
    "Jurisdiction": "catalog",
    "Provision": "catalog",
    "jurisdiction": "catalog",
    "JURISDICTIONS": "engine",
    "assess": "engine",
    "check_license": "foss",
    "Chip": "hardware",
    "is_domestic": "hardware",
    "normalize_hardware": "hardware",
    "DutiesResult": "model",
    "Duty": "model",
    "Finding": "model",
    "LicenseCheck": "model",
    "LicenseReason": "model",
    "ModelFacts": "model",
    "HardwareRow": "series",
    "HardwareSeries": "series",
    "hardware_series": "series",
}

__all__ = [
    "JURISDICTIONS",
    "Chip",
    "DutiesResult",
    "Duty",
    "Finding",
    "HardwareRow",
    "HardwareSeries",
    "Jurisdiction",
    "LicenseCheck",
    "LicenseReason",
    "ModelFacts",
    "Provision",
    "assess",
    "check_license",
    "hardware_series",
    "is_domestic",
    "jurisdiction",
    "normalize_hardware",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
