"""Realistic variations of a license text: how texts reach a scanner in model repositories.

Each function takes the reference text and returns a variant; `VARIANTS` names them. The
benchmark and the tests build their inputs from these, so both measure the same thing.
"""

from __future__ import annotations

import random
import re
import textwrap

TYPOGRAPHIC = str.maketrans({'"': "\u201c", "'": "\u2019"})
ASCII = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def original(text: str, rng: random.Random) -> str:
    return text


def markdown(text: str, rng: random.Random) -> str:
    out = []
    for para in re.split(r"\n\s*\n", text):
        line = " ".join(para.split())
        if not line:
            continue
        if len(line) < 70 and line.upper() == line:
            out.append(f"## {line.title()}")
        elif re.match(r"^\d+\.", line):
            out.append(f"**{line[:20]}**{line[20:]}")
        else:
            out.append(line)
    return "\n\n".join(out) + "\n"


def reflow(text: str, rng: random.Random) -> str:
    width = rng.choice([60, 72, 100])
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(textwrap.fill(p, width) for p in paras if p) + "\n"


def crlf(text: str, rng: random.Random) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def quotes(text: str, rng: random.Random) -> str:
    if any(c in text for c in "\u201c\u201d\u2019"):
        return text.translate(ASCII)
    return text.translate(TYPOGRAPHIC)


def truncated(text: str, rng: random.Random) -> str:
    return text[: int(len(text) * rng.uniform(0.35, 0.6))]


def tail(text: str, rng: random.Random) -> str:
    return text[int(len(text) * rng.uniform(0.3, 0.5)) :]


def readme(text: str, rng: random.Random) -> str:
    head = (
        "---\nlicense: other\npipeline_tag: text-generation\n---\n\n# Model card\n\n"
        "This model is a fine-tuned checkpoint for chat. It was evaluated on MMLU, GSM8K and\n"
        "HumanEval; see the table below. Use `transformers>=4.40` to load it.\n\n"
        "| benchmark | score |\n|---|---|\n| MMLU | 68.2 |\n| GSM8K | 79.6 |\n\n## License\n\n"
    )
    foot = "\n\n## Citation\n\n```bibtex\n@misc{model2024, title={A model}, year={2024}}\n```\n"
    return head + text + foot


def edited(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for _ in range(max(1, len(words) // 150)):
        i = rng.randrange(len(words))
        words[i] = rng.choice(["the", "such", "any", words[i].upper(), ""])
    return " ".join(words)


VARIANTS = {
    "original": original,
    "markdown": markdown,
    "reflow": reflow,
    "crlf": crlf,
    "quotes": quotes,
    "truncated": truncated,
    "tail": tail,
    "readme": readme,
    "edited": edited,
}
