"""Chatbot Arena (LMArena) leaderboard snapshots: organization, license and score per model.

88 dated snapshots, 2024-06 to 2025-07, from https://github.com/fboulnois/llm-leaderboard-csv
(MPL-2.0). Column names changed over time (arena_elo -> arena_score, style control added).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from robinet.domain import org_directory
from robinet.model import Tier
from robinet.sources.base import Batch, SourceInfo, csv_rows, provenance

INFO = SourceInfo(
    name="arena",
    title="Chatbot Arena leaderboard snapshots (2024-06 to 2025-07)",
    origin="https://github.com/fboulnois/llm-leaderboard-csv",
    version="88 commits, one per snapshot (see data/sources/arena/ORIGIN.tsv)",
    license="MPL-2.0",
    attribution="fboulnois/llm-leaderboard-csv (MPL-2.0), data from LMArena",
    files=("arena/lmsys_snapshots/",),
    retrieved_at=dt.datetime(2026, 11, 29),
)

_SNAPSHOT = re.compile(r"lmsys_(\d{4}-\d{2}-\d{2})\.csv")

# The Arena's license column -> access tier. Terms of the named model licenses carry use
# restrictions (thresholds, acceptable-use policies), hence open-restricted.
_PROPRIETARY = {"proprietary", "propretary"}
_UNRESTRICTED = {"apache 2.0", "apache-2.0", "mit"}
_NONCOMMERCIAL = {"non-commercial", "cc-by-nc-4.0", "cc-by-nc-sa-4.0", "mrl", "mistral research"}
_UNKNOWN = {"other", "n/a", ""}


def tier_from_arena_license(license_raw: str) -> Tier | None:
    key = license_raw.strip().lower()
    if key in _PROPRIETARY:
        return Tier.API
    if key in _UNRESTRICTED:
        return Tier.OPEN_UNRESTRICTED
    if key in _NONCOMMERCIAL:
        return Tier.OPEN_NONCOMMERCIAL
    if key in _UNKNOWN:
        return None
    return Tier.OPEN_RESTRICTED


class ArenaSource:
    info = INFO

    def read(self, sources_dir: Path) -> Batch:
        batch = Batch(self.info)
        directory = org_directory()
        folder = sources_dir / "arena" / "lmsys_snapshots"
        for path in sorted(folder.glob("*.csv")):
            match = _SNAPSHOT.fullmatch(path.name)
            file = f"arena/lmsys_snapshots/{path.name}"
            if not match:
                batch.warn(file, None, "file name carries no snapshot date; file kept out")
                continue
            snapshot = dt.date.fromisoformat(match.group(1))
            for number, raw in csv_rows(path):
                batch.rows_read += 1
                model = (raw.get("model") or "").strip()
                score_text = (raw.get("arena_score") or raw.get("arena_elo") or "").strip()
                try:
                    score = float(score_text)
                except ValueError:
                    batch.warn(file, number, f"unreadable score {score_text!r}; row kept out")
                    continue
                if not model:
                    batch.warn(file, number, "no model name; row kept out")
                    continue
                org_raw = (raw.get("organization") or "").strip()
                license_raw = (raw.get("license") or "").strip()
                tier = tier_from_arena_license(license_raw)
                votes_text = (raw.get("votes") or "").strip().replace(",", "")
                batch.add(
                    "arena_entries",
                    {
                        "snapshot_date": snapshot,
                        "model": model,
                        "organization": directory.resolve(org_raw) if org_raw else None,
                        "organization_raw": org_raw or None,
                        "license_raw": license_raw or None,
                        "tier": tier.value if tier else None,
                        "score": score,
                        "votes": int(votes_text) if votes_text.isdigit() else None,
                        **provenance(self.info, file, number),
                    },
                )
        return batch


SOURCES = [ArenaSource()]
