"""What to audit: model arguments and models files (one model a line, `#` comments).

A model is a Hub id (`owner/name`), a Hub URL (`https://huggingface.co/owner/name`, with or
without `/tree/<rev>`, `/blob/...`), or a local model folder. A folder wins over a Hub id
spelled the same (`./owner/name` always means the folder). In a models file, relative folders
are relative to the file's folder, as in a requirements file.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from robinet.audit.result import Location, ModelSpec
from robinet.errors import InputDataError

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*/[\w.\-]+$")
_HUB_HOSTS = ("huggingface.co", "www.huggingface.co", "hf.co")


def _hub_url(text: str) -> str | None:
    """owner/name of a Hub model URL; None when the text is not a Hub URL."""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or parts.hostname not in _HUB_HOSTS:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if segments[:1] in (["datasets"], ["spaces"]) or len(segments) < 2:
        return None
    hf_id = "/".join(segments[:2])
    return hf_id if _HUB_ID.match(hf_id) else None


def parse_spec(
    text: str, *, base: Path | None = None, location: Location | None = None
) -> ModelSpec:
    """One model as written on the command line or in a models file."""
    raw = text.strip()
    field = None if location else "MODEL"
    file = location.file if location else None
    row = location.line if location else None
    if "://" in raw:
        hf_id = _hub_url(raw)
        if hf_id is None:
            raise InputDataError(
                f"{raw!r} is not a Hugging Face model URL (https://huggingface.co/owner/name)",
                file=file,
                row=row,
                field=field,
            )
        return ModelSpec(raw, "hub", hf_id, location)
    folder = Path(raw).expanduser()
    if not folder.is_absolute() and base is not None:
        folder = base / folder
    if folder.is_dir():
        return ModelSpec(raw, "local", str(folder), location)
    if _HUB_ID.match(raw) and not raw.startswith("."):
        return ModelSpec(raw, "hub", raw, location)
    raise InputDataError(
        f"{raw!r} is neither a Hub id (owner/name), a Hub URL nor a model folder",
        file=file,
        row=row,
        field=field,
    )


def read_models_file(path: Path | str) -> list[ModelSpec]:
    """The models of a models file, each with the line that names it."""
    name = str(path)
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputDataError(f"cannot read the models file: {exc}", file=name) from None
    base = Path(path).resolve().parent
    specs: list[ModelSpec] = []
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.split("#", 1)[0].strip()  # a comment line, or a comment after it
        if not entry:
            continue
        specs.append(parse_spec(entry, base=base, location=Location(name, number)))
    return specs


def collect(models: list[str], models_file: Path | str | None) -> list[ModelSpec]:
    """Every model to audit: the arguments first, then the models file's, each once."""
    specs = [parse_spec(m) for m in models]
    if models_file is not None:
        specs += read_models_file(models_file)
    seen: set[tuple[str, str]] = set()
    unique: list[ModelSpec] = []
    for spec in specs:
        key = (spec.kind, spec.id.lower() if spec.kind == "hub" else spec.id)
        if key not in seen:
            seen.add(key)
            unique.append(spec)
    return unique
