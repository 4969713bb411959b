"""The real Epoch AI rows, and ModelFacts built from them, for the duties tests.

Compute, dates, countries and domains come from the repo's copies of the Epoch CSVs
(data/sources/epoch); what Epoch does not hold — the license, whether weights and
architecture are public — each test states with the model's published facts."""

from __future__ import annotations

import csv
import datetime as dt
import functools
from pathlib import Path

from robinet.domain import UnknownCountry, country_code
from robinet.duties import ModelFacts

EPOCH = Path(__file__).resolve().parents[2] / "data" / "sources" / "epoch"
FILES = ("all_ai_models.csv", "large_scale_ai_models.csv", "notable_ai_models.csv")


@functools.cache
def epoch_rows(file: str) -> tuple[dict[str, str], ...]:
    with (EPOCH / file).open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def epoch_row(name: str, file: str = "all_ai_models.csv") -> dict[str, str]:
    """The one row of `file` whose Model is `name`."""
    rows = [r for r in epoch_rows(file) if r.get("Model") == name]
    assert len(rows) == 1, f"{name!r}: {len(rows)} rows in {file}"
    return rows[0]


def _first_country(joined: str) -> str | None:
    for part in joined.split(","):
        try:
            code = country_code(part)
        except UnknownCountry:
            continue
        if code:
            return code
    return None


def facts_from_epoch(
    name: str,
    *,
    license: str | None,
    file: str = "all_ai_models.csv",
    weights_public: bool | None = True,
    architecture_public: bool | None = True,
) -> ModelFacts:
    row = epoch_row(name, file)
    compute = row.get("Training compute (FLOP)") or ""
    countries = row.get("Country (from Organization)") or row.get("Country (of organization)")
    organizations = (row.get("Organization") or "").split(",")
    published = row.get("Publication date") or ""
    return ModelFacts(
        name=name,
        organization=organizations[0].strip() or None,
        organization_country=_first_country(countries or ""),
        training_compute_flop=float(compute) if compute else None,
        compute_source=f"Epoch AI, {file}" if compute else None,
        domains=tuple(d for d in (row.get("Domain") or "").split(",") if d),
        tasks=tuple(t for t in (row.get("Task") or "").split(",") if t),
        license=license,
        weights_public=weights_public,
        architecture_public=architecture_public,
        released=dt.date.fromisoformat(published) if published else None,
    )
