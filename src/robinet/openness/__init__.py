"""Openness: MOF components and class, the versioned 0-1 openness index, license restrictiveness.

Entry points (pure functions over the store or over records):

- `openness(store, model) -> ReleaseOpenness`, `openness_json(result)`: one release
- `all_openness(store)`, `openness_by(results, key)`: every release, grouped
- `mot_agreement(store)`: the rubric measured against the 273 MOT evaluations
- `restrictiveness(license_id, terms)`, `license_restrictiveness(license_id)`
"""

from robinet.openness.engine import (
    ReleaseOpenness,
    all_openness,
    mot_agreement,
    openness,
    openness_by,
    openness_json,
)
from robinet.openness.restrictiveness import (
    RESTRICTIVENESS_VERSION,
    Restrictiveness,
    license_restrictiveness,
    restrictiveness,
)
from robinet.openness.rubric import RUBRIC_VERSION, OpennessScore, score

__all__ = [
    "RESTRICTIVENESS_VERSION",
    "RUBRIC_VERSION",
    "OpennessScore",
    "ReleaseOpenness",
    "Restrictiveness",
    "all_openness",
    "license_restrictiveness",
    "mot_agreement",
    "openness",
    "openness_by",
    "openness_json",
    "restrictiveness",
    "score",
]
