"""Evidence from Epoch AI's free-text fields, each rule written from what the field says.

The Epoch importer keeps three fields of each model row as quoted `openness_evidence` facts
(subject_kind 'release_fact', keyed by the row's source, file and row):

- **Training dataset** (`training_dataset`): a comma-separated list of dataset names. A name
  is a disclosure, not a release: when at least one item names a dataset (not 'Unspecified
  unreleased', nothing proprietary or internal, not a model's own corpus such as 'Llama 3
  dataset'), the training data is *partial* (named; whether it is released under an open
  license is not known); when every item says the data is unreleased, it is *closed*.
- **Reference** (`reference`): the title of the document the row's Link points to. It is a
  paper when the Link is a paper's (arXiv, OpenReview, ACL Anthology, a PDF, a DOI), or when
  the title itself names an arXiv id or a technical report: *partial* (a public paper whose
  license is not known to be open). A blog post's or product page's title is no paper.
- **Accessibility notes** (`accessibility_notes`): the annotator's words on weights and code.
  The license they name for the weights is read by `robinet.openness.licensing`
  (`license_in_prose` skips a license named for the code only); the training and inference
  code they state are read here, only where Epoch's own "Training/Inference code
  accessibility" fields are empty: code the notes link or say is included is *open* under an
  OSI-approved license the notes name, else *partial*; code the notes say is absent ('no
  training code', 'just inference code') is *closed*.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from robinet.openness.licensing import license_in_prose, license_openness
from robinet.openness.mof import CLOSED, OPEN, PARTIAL
from robinet.openness.rubric import Dimension
from robinet.store.queries.openness import EvidenceFact

# Links to a paper or a technical report (not a blog post or a product page).
PAPER_LINK = re.compile(
    r"arxiv\.org/|openreview\.net/|aclanthology\.org/|proceedings\.|papers\.nips\.cc|"
    r"\.pdf(\b|$)|doi\.org/|nature\.com/articles|science\.org/doi",
    re.I,
)
# A reference title that says it is a paper: an arXiv id, a technical report.
_PAPER_TITLE = re.compile(
    r"\barxiv[:\s]*\d{4}\.\d{4,5}|\b(technical|tech\.?)\s+report\b|\bwhite\s*paper\b", re.I
)
# A training-dataset item that names no public dataset: "Unspecified unreleased", anything
# unreleased, proprietary or internal, or a model's own corpus ("Llama 3 dataset", "Phi-3
# Dataset": one or two words, then "dataset").
_UNRELEASED_DATA = re.compile(
    r"\b(unreleased|unspecified|proprietary|internal|private|undisclosed)\b"
    r"|^[\w.-]+( [\w.-]+)? dataset$",
    re.I,
)
_CODE_WORD = {"training_code": r"(pre-?)?train(ing)?", "inference_code": r"inference"}
# Notes that say the code is absent: "no training code", "don't see training code", "code
# isn't training code", "just inference code", "inference rather than training code",
# "training code 'coming soon'".
_ABSENT = (
    r"\b(no|not|isn'?t|without|don'?t see|cannot see|can'?t see)\s+(the\s+)?{w}\s+code\b"
    r"|\b{w}\s+code\W{{0,3}}(is\s+)?(not\s+(released|available)|coming soon|unreleased)"
)
_JUST_INFERENCE = re.compile(
    r"\b(just|only)\s+inference\b|\binference\s+code\s+rather\s+than\s+training"
    r"|\binference\s+but\s+not\s+training|\binference\s+and\s+fine-?tuning\s+only"
    r"|\bfine-?tune\s+only",
    re.I,
)
# Notes that say the code is there: "includes train code", "training code here: <url>",
# "train code: <url>", "training and inference code here", "Inference code: <url>".
_PRESENT = (
    r"\b(includes?|including|with|and|plus)\s+(the\s+)?(full\s+)?{w}(\s+and\s+\w+)?\s+code\b"
    r"|\b{w}(/\w+)?(\s+and\s+\w+)?\s+code\s*(is\s+)?(here|available|released)?\W{{0,3}}https?://"
)


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fact_source(fact: EvidenceFact) -> str:
    """'source file row N': where an evidence fact was read."""
    where = f" {fact.file}" if fact.file else ""
    row = f" row {fact.row}" if fact.row is not None else ""
    return f"{fact.source}{where}{row}".strip() if (where or row) else fact.source


def _first(facts: Sequence[EvidenceFact], field: str) -> EvidenceFact | None:
    return next((f for f in facts if f.field == field and f.value), None)


def training_data(facts: Sequence[EvidenceFact]) -> Dimension | None:
    """The training-data dimension Epoch AI's "Training dataset" field supports."""
    fact = _first(facts, "training_dataset")
    if fact is None or fact.value is None:
        return None
    items = [i.strip() for i in fact.value.split(",") if i.strip()]
    if all(_UNRELEASED_DATA.search(i) for i in items):
        return Dimension(CLOSED, f"Epoch AI, training dataset: {fact.value!r}", fact_source(fact))
    named = [i for i in items if not _UNRELEASED_DATA.search(i)]
    return Dimension(
        PARTIAL,
        f"Epoch AI, training dataset: {_short(fact.value)!r} "
        f"(named: {_short(', '.join(named), 80)}; release under an open license not known)",
        fact_source(fact),
    )


def paper(link: str | None, facts: Sequence[EvidenceFact], link_source: str) -> Dimension | None:
    """The paper dimension from Epoch AI's Link and Reference (the linked document's title)."""
    reference = _first(facts, "reference")
    title = f" {_short(reference.value or '', 100)!r}" if reference else ""
    link = (link or "").rstrip(",")
    if link and PAPER_LINK.search(link):
        return Dimension(
            PARTIAL,
            f"public paper{title} ({link}); its license is not known to be open",
            link_source,
        )
    if reference is not None and reference.value:
        match = _PAPER_TITLE.search(reference.value)
        if match:
            return Dimension(
                PARTIAL,
                f"Epoch AI, reference{title} (a paper: {match.group(0)!r}); its license is not "
                "known to be open",
                fact_source(reference),
            )
    return None


def code(dim: str, facts: Sequence[EvidenceFact]) -> Dimension | None:
    """Training or inference code (`dim`) as Epoch AI's accessibility notes state it."""
    fact = _first(facts, "accessibility_notes")
    if fact is None or fact.value is None:
        return None
    text = " ".join(fact.value.split())
    word = _CODE_WORD[dim]
    absent = re.search(_ABSENT.format(w=word), text, re.I)
    if absent is None and dim == "training_code":
        absent = _JUST_INFERENCE.search(text)
    if absent is not None:
        return Dimension(
            CLOSED,
            f'Epoch AI notes: {absent.group(0)!r} ("{_short(text)}")',
            fact_source(fact),
        )
    present = re.search(_PRESENT.format(w=word), text, re.I)
    if present is None:
        return None
    named = license_in_prose(text, for_code=True)
    found = license_openness(named[0]) if named else None
    value = OPEN if found is not None and found.value == OPEN and found.osi else PARTIAL
    why = (
        f"under {named[1]!r}, OSI-approved"
        if value == OPEN and named
        else "no OSI-approved license named for it"
    )
    return Dimension(
        value,
        f'Epoch AI notes: {present.group(0).strip()!r}, {why} ("{_short(text)}")',
        fact_source(fact),
    )
