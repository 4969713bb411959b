"""A release's family: the variants published with it, and what they may inherit.

Two releases are one family when the same organization published them and their names agree
once the variant words are dropped (`Llama-3.3-70B-Instruct` and `Llama 3.3 70B`;
`OLMo-7B-hf` and `OLMo-7B`; `gemma-2-9b-it` and `Gemma 2 9B`). A version, a size or a date in
the name is not a variant word: Llama 3.1 and Llama 3.3, Pythia-12B and Pythia-6.9B, are
other releases, and nothing passes between them.

A Hub repo that is no release of its own belongs to the release that lists it among its Hub
repos (`variant_of`), if any, and to the family its name gives.

A variant inherits only what holds for the whole release: the paper, the training-data
disclosure and its documentation, the license of the weights, the training and inference
code. Its weights, its model card and its evaluation are its own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from robinet.domain import slug
from robinet.openness.rubric import Dimension

INHERITED = (
    "weights_license",
    "paper",
    "training_data",
    "data_documentation",
    "training_code",
    "inference_code",
)
_VARIANT = re.compile(
    r"-(instruct|chat|it|base|hf|sft|dpo|rm|rlvr\d?|think|preview|fp8|bf16|fp16|int4|int8|"
    r"awq|gptq|gguf|mlx|4bit|8bit)$"
)


def family_key(name: str) -> str:
    """The name without its owner and variant words: 'meta-llama/Llama-3.3-70B-Instruct' ->
    'llama-3-3-70b'."""
    key = slug(name.rsplit("/", 1)[-1])
    while True:
        shorter = _VARIANT.sub("", key)
        if shorter == key or not shorter:
            return key
        key = shorter


def family_index(
    releases: Iterable[tuple[str, str, str | None]],
) -> dict[tuple[str, str], list[str]]:
    """(organization, family key) -> release ids, from (id, name, organization) rows; releases
    of no known organization have no family."""
    index: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rid, name, org in releases:
        if org:
            index[(org, family_key(name))].append(rid)
    return dict(index)


def inherit(
    own: Mapping[str, Dimension],
    member: str,
    dims: Mapping[str, Dimension],
    relation: str = "family release",
) -> dict[str, Dimension]:
    """The dimensions a release takes from family member `member` (only those it lacks, only
    those that hold for the whole release), each saying where it comes from: 'from family
    release X', or for a Hub repo 'from its release X' (the release listing the repo)."""
    out: dict[str, Dimension] = {}
    for name in INHERITED:
        d = dims.get(name)
        if d is None or name in own or d.value == "unknown":
            continue
        out[name] = Dimension(d.value, f"from {relation} {member}: {d.evidence}", d.source, d.osi)
    return out
