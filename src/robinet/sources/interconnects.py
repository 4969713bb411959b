"""Interconnects' tracked open models (Hub ids), Hub-organization regions and date corrections.

Apache-2.0, from https://github.com/Interconnects-AI/tracked-models (the ATOM Project).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from robinet.domain import INTERCONNECTS_REGIONS, org_directory, slug
from robinet.sources.base import Batch, SourceInfo, csv_rows, provenance

INFO = SourceInfo(
    name="interconnects",
    title="Interconnects tracked open models and organization regions (ATOM Project)",
    origin="https://github.com/Interconnects-AI/tracked-models",
    version="3cd80206db5e47d4a3d0972700ace1815e508778",
    license="Apache-2.0",
    attribution="Interconnects AI, tracked-models (Apache-2.0)",
    files=(
        "interconnects/models.csv",
        "interconnects/extra_models.csv",
        "interconnects/organization_regions.csv",
        "interconnects/release_date_corrections.csv",
    ),
    retrieved_at=dt.datetime(2026, 11, 29),
)

_HF_ID = re.compile(r"[A-Za-z0-9][\w.-]*/[\w.-]+")


class InterconnectsSource:
    info = INFO

    def read(self, sources_dir: Path) -> Batch:
        batch = Batch(self.info)
        directory = org_directory()
        corrections = self._corrections(batch, sources_dir)
        seen: set[str] = set()
        for file in self.info.files[:2]:
            for number, raw in csv_rows(sources_dir / file):
                batch.rows_read += 1
                hf_id = (raw.get("modelId") or "").strip()
                if not _HF_ID.fullmatch(hf_id):
                    batch.warn(file, number, f"not a Hub model id: {hf_id!r}; row kept out")
                    continue
                if hf_id.lower() in seen:
                    batch.warn(file, number, f"{hf_id} listed twice; second row kept out")
                    continue
                seen.add(hf_id.lower())
                batch.add("release_facts", _fact(hf_id, corrections.get(hf_id), file, number))
        for hf_id, (date, file, number) in corrections.items():
            if hf_id.lower() not in seen:  # corrected models missing from the two lists
                batch.add("release_facts", _fact(hf_id, (date, file, number), file, number))
        file = self.info.files[2]
        for number, raw in csv_rows(sources_dir / file):
            batch.rows_read += 1
            namespace = (raw.get("hf_org") or "").strip()
            region_text = (raw.get("region") or "").strip().lower()
            if not namespace or (
                region_text not in INTERCONNECTS_REGIONS and region_text != "unknown"
            ):
                batch.warn(file, number, f"unreadable region row {raw!r}; row kept out")
                continue
            region = INTERCONNECTS_REGIONS.get(region_text)
            batch.add(
                "org_regions",
                {
                    "hf_org": namespace,
                    "organization": directory.resolve_hf(namespace),
                    "region": region.value if region else None,
                    "notes": (raw.get("notes") or "").strip() or None,
                    **provenance(self.info, file, number),
                },
            )
        return batch

    def _corrections(self, batch: Batch, sources_dir: Path) -> dict[str, tuple[dt.date, str, int]]:
        file = self.info.files[3]
        out: dict[str, tuple[dt.date, str, int]] = {}
        for number, raw in csv_rows(sources_dir / file):
            batch.rows_read += 1
            try:
                date = dt.date.fromisoformat((raw.get("actual_release_date") or "").strip())
            except ValueError:
                batch.warn(file, number, "unreadable actual_release_date; row kept out")
                continue
            out[(raw.get("model_id") or "").strip()] = (date, file, number)
        return out


def _fact(
    hf_id: str, correction: tuple[dt.date, str, int] | None, file: str, number: int
) -> dict[str, Any]:
    namespace, name = hf_id.split("/", 1)
    org = org_directory().resolve_hf(namespace)
    return {
        "release_id": None,
        "name_key": slug(name),
        "name": name,
        "organization": org,
        "organizations": [org],
        "organization_raw": namespace,
        "countries": [],
        # A correction is the "actual public release date" of the weights (the Hub's creation
        # time can precede it): an availability date. Without one, Interconnects dates nothing.
        "date": correction[0] if correction else None,
        "announced": None,
        "available": correction[0] if correction else None,
        # On the Hub, so open weights; the terms come from the repo's license (store/merge.py).
        "tier": None,
        "tier_raw": None,
        "hf_id": hf_id,
        "domain": None,
        "parameters": None,
        "training_compute": None,
        "base_model": None,
        "notable": False,
        "frontier": None,
        "license_raw": None,
        "training_code": None,
        "inference_code": None,
        "link": f"https://huggingface.co/{hf_id}",
        **provenance(INFO, file, number),
    }


SOURCES = [InterconnectsSource()]
