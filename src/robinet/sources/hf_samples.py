"""The two Hub metadata samples shipped with robinet, read as Hub records (`sample_batches`).

- `hf-model-info`: 74,970 Hub models as of 2023-10-01 (author, creation time, downloads, task),
  from the study "What's documented in AI? Systematic Analysis of 32K AI Model Cards".
- `hf-top-models`: the 9,715 most-downloaded Hub models of September 2024 with their raw tags
  (`license:`, `base_model:*`), which carry the lineage and license signals.

Both are public Hub metadata. The newer sample is imported last, so a model in both keeps its
2024 row (tags, downloads); the 2023 sample adds creation dates for the many models it alone has.
`store.pipeline.build_all` imports them through the Hub loader (`store.hub.import_batches`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from robinet.errors import InputDataError
from robinet.sources.base import HubBatch, SourceInfo
from robinet.sources.hub_dump import record_batches, top_models_batches

MODEL_INFO = SourceInfo(
    name="hf-model-info",
    title="Hugging Face Hub model metadata, 2023-10 (74,970 models)",
    origin="GitHub repository of the study \"What's documented in AI? Systematic Analysis of "
    '32K AI Model Cards" (data/model_info.parquet)',
    version="6bcc76fe6142e119732491805e7f0240ebb8eca5",
    license="public Hugging Face Hub metadata",
    attribution="Liang et al., What's documented in AI? Systematic Analysis of 32K AI Model Cards",
    files=("hf-model-info/model_info.parquet",),
    retrieved_at=dt.datetime(2023, 10, 1),
)
TOP_MODELS = SourceInfo(
    name="hf-top-models",
    title="Hugging Face Hub top models by downloads, 2024-09 (9,715 models, raw tags)",
    origin="GitHub course repository CS573_Documentation_Quality (hf_models.csv)",
    version="076657247d7bdce41b912d59456677c193aa9f57",
    license="public Hugging Face Hub metadata",
    attribution="Hugging Face Hub metadata collected for CS573_Documentation_Quality",
    files=("hf-top-models/hf_models.csv",),
    retrieved_at=dt.datetime(2024, 9, 30),
)
SAMPLES = (MODEL_INFO, TOP_MODELS)


def read_model_info(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of model_info.parquet in the Hub API's shape."""
    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as exc:
        raise InputDataError(f"cannot read a Parquet table: {exc}", file=str(path)) from exc
    for row in table.to_pylist():
        created = row.get("creation_time")
        downloads = row.get("downloads")
        yield {
            "id": row.get("modelId"),
            "author": row.get("author"),
            "createdAt": created.isoformat() if created is not None else None,
            "downloads": int(downloads) if downloads is not None else None,
            "pipeline_tag": row.get("task_category"),
        }


def sample_batches(info: SourceInfo, sources_dir: Path) -> Iterator[HubBatch]:
    """The records of one sample, in batches; provenance names the file relative to the
    sources directory (as `info.files` does), so a rebuilt snapshot does not depend on where
    the repository is."""
    path = sources_dir / info.files[0]
    if info is MODEL_INFO:
        return record_batches(read_model_info(path), info.files[0])
    return top_models_batches(path, label=info.files[0])
