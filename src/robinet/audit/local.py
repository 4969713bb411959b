"""A local model folder, read like the Hub reads a repo: the card, the license file, configs.

- `README.md` front matter: `license`, `license_name`, `license_link`, `base_model` (a string
  or a list), `base_model_relation`, `pipeline_tag`, `datasets`, `library_name`;
- the license file (`LICENSE`, `LICENSE.md`, `LICENSE.txt`, `COPYING`, `LICENSE-MODEL`),
  identified by the license engine;
- `adapter_config.json` (`base_model_name_or_path`: an adapter of that base) and
  `config.json` (`model_type`, `architectures`, a `vision_config`/`audio_config` for the
  modality); `model.safetensors.index.json` for `metadata.total_parameters` where written.

Unreadable parts never stop an audit: each becomes a problem string, reported as a finding.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from robinet.audit.result import Location
from robinet.licenses import lineage_terms

CARD = "README.md"
LICENSE_FILES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "COPYING", "LICENSE-MODEL")
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*/[\w.\-]+$")
_MULTIMODAL_TASKS = ("image-text-to-text", "visual-question-answering", "any-to-any")
_VISION_TASKS = ("image-classification", "object-detection", "image-segmentation")
_CARD_KEYS = ("license", "license_name", "license_link", "base_model", "pipeline_tag")


@dataclass(frozen=True, slots=True)
class BaseRef:
    id: str
    relation: str
    source: str  # card | adapter_config | config


@dataclass(frozen=True, slots=True)
class LocalModel:
    path: str
    name: str
    declared: str | None  # the card's license declaration, as written
    card_license: str | None  # knowledge-base id the declaration resolves to
    file_license: str | None  # knowledge-base id of the license file
    license_file: str | None
    bases: tuple[BaseRef, ...]
    task: str | None
    datasets: tuple[str, ...]
    library: str | None
    modality: str | None
    architecture: str | None
    parameters: int | None
    card_location: Location | None  # the card line naming the license (else line 1)
    license_location: Location | None
    problems: tuple[str, ...]

    @property
    def licenses(self) -> tuple[str | None, ...]:
        """Its own licenses: the card's and the license file's (one when they agree)."""
        found = tuple(dict.fromkeys(x for x in (self.card_license, self.file_license) if x))
        return found or (None,)


def _front_matter(text: str) -> tuple[dict[str, Any], dict[str, int], str | None]:
    """(front matter, line of each top-level key, problem)."""
    import yaml

    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, {}, None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return {}, {}, "README.md: the front matter has no closing '---'"
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        return {}, {}, f"README.md: the front matter is not valid YAML ({exc})"
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return {}, {}, "README.md: the front matter is not a mapping"
    where = {}
    for number, line in enumerate(lines[1:end], start=2):
        key = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if key and key.group(1) not in where:
            where[key.group(1)] = number
    return data, where, None


def _json(folder: Path, name: str, problems: list[str]) -> dict[str, Any]:
    path = folder / name
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        problems.append(f"{name}: cannot be read as JSON ({exc})")
        return {}
    return data if isinstance(data, dict) else {}


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value not in (None, "") else None


def _bases(card: dict[str, Any], adapter: dict[str, Any], config: dict[str, Any]) -> list[BaseRef]:
    declared = card.get("base_model")
    names = [declared] if isinstance(declared, str) else list(declared or [])
    names = [str(n).strip() for n in names if n]
    if names:
        relation = card.get("base_model_relation")
        if relation not in ("finetune", "adapter", "quantized", "merge", "distill"):
            relation = "merge" if len(names) > 1 else ("adapter" if adapter else "finetune")
        return [BaseRef(n, str(relation), "card") for n in names]
    base = adapter.get("base_model_name_or_path")
    if isinstance(base, str) and _HUB_ID.match(base):
        return [BaseRef(base, "adapter", "adapter_config")]
    base = config.get("_name_or_path")
    if isinstance(base, str) and _HUB_ID.match(base):
        return [BaseRef(base, "finetune", "config")]
    return []


def _modality(task: str | None, config: dict[str, Any]) -> str | None:
    if "vision_config" in config or task in _MULTIMODAL_TASKS:
        return "multimodal"
    if "audio_config" in config:
        return "multimodal"
    if task in _VISION_TASKS:
        return "vision"
    if task or config:
        return "text"
    return None


def _license_file(folder: Path) -> tuple[str | None, str | None, str | None]:
    """(file name, knowledge-base id, problem)."""
    from robinet.licenses import identify_file

    for name in LICENSE_FILES:
        path = folder / name
        if path.is_file():
            found = identify_file(path)
            if found.error:
                return name, None, f"{name}: {found.error}"
            license_id = next((m.license for m in found.matches if m.license), None)
            return name, license_id, None
    return None, None, None


def read_local(folder: Path | str) -> LocalModel:
    """What a local model folder says about its license, base models and task."""
    path = Path(folder)
    problems: list[str] = []
    card: dict[str, Any] = {}
    where: dict[str, int] = {}
    card_file = path / CARD
    if card_file.is_file():
        try:
            card, where, problem = _front_matter(card_file.read_text("utf-8", errors="replace"))
        except OSError as exc:
            problem = f"README.md: cannot be read ({exc.strerror or exc})"
        if problem:
            problems.append(problem)
    adapter = _json(path, "adapter_config.json", problems)
    config = _json(path, "config.json", problems)
    index = _json(path, "model.safetensors.index.json", problems)
    license_raw, name, link = (
        _text(card.get(k)) for k in ("license", "license_name", "license_link")
    )
    card_license = lineage_terms.resolve(license_raw, name, link) if license_raw or name else None
    file_name, file_license, problem = _license_file(path)
    if problem:
        problems.append(problem)
    task = _text(card.get("pipeline_tag"))
    datasets = card.get("datasets") or []
    parameters = (index.get("metadata") or {}).get("total_parameters")
    architectures = config.get("architectures") or []
    line = next((where[k] for k in _CARD_KEYS if k in where), 1)
    return LocalModel(
        path=str(path),
        name=path.resolve().name,
        declared=name if license_raw in (None, "other") and name else license_raw,
        card_license=card_license,
        file_license=file_license,
        license_file=str(path / file_name) if file_name else None,
        bases=tuple(_bases(card, adapter, config)),
        task=task,
        datasets=tuple(str(d) for d in (datasets if isinstance(datasets, list) else [datasets])),
        library=_text(card.get("library_name")),
        modality=_modality(task, config),
        architecture=str(architectures[0]) if architectures else _text(config.get("model_type")),
        parameters=parameters if isinstance(parameters, int) else None,
        card_location=Location(str(card_file), line) if card_file.is_file() else None,
        license_location=Location(str(card_file), where.get("license", line))
        if card_file.is_file()
        else None,
        problems=tuple(problems),
    )
