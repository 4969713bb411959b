"""A Hub model's openness evidence, fetched live: its `model_info`, README (the model card) and
LICENSE file, parsed into quoted facts. Parse only: `robinet.store.openness_evidence` writes.

Fetching goes through `robinet.sources.hub_sync.HubClient` (huggingface_hub's session, the
user's token, its retries; `HF_HUB_OFFLINE=1` refuses at once with a SourceError). The
payload is `GET /api/models/{id}` without `expand` (card data, tags, siblings, sha), read by
`huggingface_hub.ModelInfo`; files come from `GET /{id}/resolve/{sha}/{file}`.

Facts (`CardFact.field`), each with the words behind it and where they can be read:

- `card` (the README exists), `card_section` (`category: title` of each heading);
- `license` (the card's tag), `license_id` (resolved by the license engine), `license_file`
  (a LICENSE file, with its first words and the license the engine identifies in it);
- `paper` (arXiv tags and links), `dataset` (card `datasets`, `dataset:` tags, Hub dataset
  links), `base_model`;
- `data_documentation` and `evaluation` (sections on training data, on evaluation; the
  card's `model-index` results), `training_code` and `inference_code` (files of the repository
  such as `train.py` or `modeling_x.py`, code links on lines that speak of training or
  inference).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from robinet.errors import SourceError

HUB_CARD_SOURCE = "hf-hub-card"
MAX_FILE_BYTES = 1 << 20  # a card or a LICENSE longer than this is cut (the facts come first)

_FRONT_MATTER = re.compile(r"\A---\s*\n.*?\n---\s*\n", re.S)
_HEADING = re.compile(r"^(#{1,4})\s+(.+?)\s*#*\s*$", re.M)
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})", re.I)
_CODE_LINK = re.compile(r"https?://(?:github\.com|gitlab\.com)/[\w.-]+/[\w.-]+", re.I)
_DATASET_LINK = re.compile(r"huggingface\.co/datasets/([\w.-]+/[\w.-]+)", re.I)
_TRAIN_WORDS = re.compile(r"\b(train\w*|pre-?train\w*|fine-?tun\w*|reproduc\w*|recipe)", re.I)
_INFER_WORDS = re.compile(r"\b(inference|serving|deploy\w*|run the model)", re.I)
_TRAIN_FILE = re.compile(
    r"(^|/)(train|pretrain|finetune|fine_tune|sft|dpo)[\w.-]*\.(py|sh|ya?ml)$|"
    r"(^|/)(training|recipes?)/",
    re.I,
)
_INFER_FILE = re.compile(r"(^|/)(modeling_[\w]+|inference|generate|run_\w+)\.py$", re.I)
_LICENSE_FILE = re.compile(r"^(LICEN[CS]E|COPYING)[\w.-]*$", re.I)
# Section titles -> a category; the first that matches wins.
_SECTIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (category, re.compile(pattern, re.I))
    for category, pattern in (
        ("training_data", r"\b(data(sets?)?|corpus|corpora)\b"),
        ("evaluation", r"\b(eval\w*|benchmarks?|results?|performance)\b"),
        ("training", r"\b(train\w*|pre-?train\w*|fine-?tun\w*)\b"),
        ("license", r"\blicen[cs]e\b"),
        ("citation", r"\b(citation|cite|bibtex)\b"),
        ("limitations", r"\b(limitations?|bias\w*|risks?|safety)\b"),
        ("usage", r"\b(usage|how to use|quick ?start|inference|intended use\w*)\b"),
    )
)


@dataclass(frozen=True, slots=True)
class CardFact:
    field: str
    value: str | None
    quote: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class HubCard:
    """What the Hub says about one model, as facts, with the payload it came from."""

    hf_id: str
    sha: str | None
    url: str  # the model's page
    retrieved_at: dt.datetime
    facts: tuple[CardFact, ...]
    payload: dict[str, Any]


def _words(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _listed(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v]
    return [str(value)]


def _metadata_facts(info: Any, page: str) -> list[CardFact]:
    facts: list[CardFact] = []
    tags = [str(t) for t in (info.tags or [])]
    for tag in tags:
        if tag.startswith("arxiv:"):
            facts.append(CardFact("paper", tag, f"Hub tag {tag}", page))
        elif tag.startswith("dataset:"):
            facts.append(CardFact("dataset", tag.removeprefix("dataset:"), f"Hub tag {tag}", page))
    card = info.card_data
    data = card.to_dict() if card is not None and hasattr(card, "to_dict") else {}
    lic = next(iter(_listed(data.get("license"))), None) or next(
        (t.removeprefix("license:") for t in tags if t.startswith("license:")), None
    )
    if lic:
        facts.append(CardFact("license", lic, f"license: {lic}", page))
        from robinet.licenses import resolve

        resolved = resolve(
            license=lic,
            license_name=data.get("license_name"),
            license_link=data.get("license_link"),
        )
        if resolved.license_id:
            facts.append(CardFact("license_id", resolved.license_id, resolved.reason, page))
    for name in _listed(data.get("datasets")):
        if f"dataset:{name}" not in tags:
            facts.append(CardFact("dataset", name, f"card datasets: {name}", page))
    for base in _listed(data.get("base_model")):
        facts.append(CardFact("base_model", base, f"card base_model: {base}", page))
    results = data.get("model-index") or data.get("model_index") or data.get("eval_results")
    if results or getattr(card, "eval_results", None):
        facts.append(CardFact("evaluation", "model-index", "evaluation results in the card", page))
    return facts


def _sibling_facts(hf_id: str, names: list[str], page: str) -> list[CardFact]:
    facts: list[CardFact] = []
    for name in names:
        url = f"{page}/blob/main/{name}"
        if _TRAIN_FILE.search(name):
            facts.append(CardFact("training_code", name, f"repository file {name}", url))
        elif _INFER_FILE.search(name):
            facts.append(CardFact("inference_code", name, f"repository file {name}", url))
    return facts


def _readme_facts(text: str, url: str) -> list[CardFact]:
    body = _FRONT_MATTER.sub("", text, count=1)
    facts = [CardFact("card", "README.md", _words(body.strip().splitlines()[0]) if body.strip()
                      else None, url)]  # fmt: skip
    headings = list(_HEADING.finditer(body))
    for i, match in enumerate(headings):
        title = match.group(2).strip()
        end = headings[i + 1].start() if i + 1 < len(headings) else len(body)
        content = body[match.end() : end].strip()
        category = next((c for c, p in _SECTIONS if p.search(title)), "other")
        facts.append(CardFact("card_section", f"{category}: {title}", _words(content), url))
        if category == "training_data" and content:
            facts.append(CardFact("data_documentation", title, _words(content), url))
        elif category == "evaluation" and content:
            facts.append(CardFact("evaluation", title, _words(content), url))
    seen: set[str] = set()
    for line in body.splitlines():
        for arxiv in _ARXIV.findall(line):
            if f"arxiv:{arxiv}" not in seen:
                seen.add(f"arxiv:{arxiv}")
                facts.append(CardFact("paper", f"arxiv:{arxiv}", _words(line), url))
        for dataset in _DATASET_LINK.findall(line):
            if dataset not in seen:
                seen.add(dataset)
                facts.append(CardFact("dataset", dataset, _words(line), url))
        for link in _CODE_LINK.findall(line):
            field = (
                "training_code"
                if _TRAIN_WORDS.search(line)
                else "inference_code"
                if _INFER_WORDS.search(line)
                else None
            )
            if field and (field, link) not in seen:
                seen.add(f"{field}:{link}")
                facts.append(CardFact(field, link, _words(line), url))
    return facts


def _license_facts(name: str, text: str, url: str) -> list[CardFact]:
    from robinet.licenses import identify

    found = identify(text)
    lid = found[0].license if found else None
    facts = [CardFact("license_file", name, _words(text, 400), url)]
    if lid:
        facts.append(CardFact("license_id", lid, f"identified in {name}", url))
    return facts


def parse_card(
    payload: dict[str, Any],
    readme: str | None,
    license_file: tuple[str, str] | None,
    *,
    endpoint: str = "https://huggingface.co",
    retrieved_at: dt.datetime | None = None,
) -> HubCard:
    """Facts of a `GET /api/models/{id}` payload, its README text and its LICENSE (name,
    text). A payload huggingface_hub cannot read is an InputDataError-free SourceError."""
    from huggingface_hub import ModelInfo

    try:
        info = ModelInfo(**payload)
    except (KeyError, TypeError, ValueError) as exc:
        raise SourceError(f"the Hub's model payload is not a model ({exc})") from exc
    page = f"{endpoint.rstrip('/')}/{info.id}"
    names = [s.rfilename for s in info.siblings or []]
    facts = _metadata_facts(info, page) + _sibling_facts(info.id, names, page)
    sha = info.sha or "main"
    if readme is not None:
        facts += _readme_facts(readme, f"{page}/blob/{sha}/README.md")
    if license_file is not None:
        name, text = license_file
        facts += _license_facts(name, text, f"{page}/blob/{sha}/{name}")
    return HubCard(
        hf_id=info.id,
        sha=info.sha,
        url=page,
        retrieved_at=retrieved_at or dt.datetime.now(dt.UTC).replace(tzinfo=None),
        facts=tuple(facts),
        payload=payload,
    )


def _text(client: Any, url: str) -> str | None:
    response = client.get(url)
    if response.status_code >= 400:
        return None  # a gated repo (403) or a missing file (404): the fact stays unknown
    return str(response.content[:MAX_FILE_BYTES].decode("utf-8", errors="replace"))


def fetch_card(hf_id: str, *, client: Any = None) -> HubCard | None:
    """The facts of Hub model `hf_id` (None when the Hub has no such model). Raises
    SourceError when offline (`HF_HUB_OFFLINE=1`) or when the Hub cannot be reached."""
    from robinet.sources.hub_sync import HubClient

    client = client or HubClient(connect_retries=1)
    response = client.get(f"{client.endpoint}/api/models/{hf_id}")
    if response.status_code in (401, 404):
        return None
    if response.status_code >= 400:
        raise SourceError(f"the Hub answered {response.status_code} for model {hf_id}")
    try:
        payload = response.json()
    except ValueError as exc:
        raise SourceError(f"the Hub sent a body that is not JSON for model {hf_id}") from exc
    if not isinstance(payload, dict) or not payload.get("id"):
        return None
    names = [str(s.get("rfilename")) for s in payload.get("siblings") or [] if isinstance(s, dict)]
    sha = payload.get("sha") or "main"
    base = f"{client.endpoint}/{payload['id']}/resolve/{sha}"
    readme = _text(client, f"{base}/README.md") if "README.md" in names else None
    lic_name = next((n for n in sorted(names) if _LICENSE_FILE.match(n)), None)
    lic_text = _text(client, f"{base}/{lic_name}") if lic_name else None
    return parse_card(
        payload,
        readme,
        (lic_name, lic_text) if lic_name and lic_text is not None else None,
        endpoint=client.endpoint,
    )
