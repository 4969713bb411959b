"""Dimensions from a Hub repository: its card metadata and, once fetched, its card and files.

The `models` row of a Hub id says a card exists when the card's metadata put a license on the
repo; a fetched card (`robinet.sources.hub_card`, stored in `openness_evidence`) says what the
card and the repository hold: sections on training data and evaluation, named datasets,
papers, training and inference code in the repository or linked from the card, the LICENSE
file. When the card itself is known, what it does not hold is evidence too: a card that names
no dataset, links no training code and shows no evaluation makes those dimensions closed
("not released with the model"), each saying so.
"""

from __future__ import annotations

from collections.abc import Sequence

from robinet.openness.licensing import license_openness
from robinet.openness.mof import CLOSED, OPEN, PARTIAL
from robinet.openness.rubric import Dimension
from robinet.store.queries.openness import EvidenceFact, HubFacts


def _of(hub: HubFacts, field: str) -> list[EvidenceFact]:
    return [f for f in hub.facts if f.field == field]


def _words(fact: EvidenceFact) -> str:
    quote = " ".join((fact.quote or "").split())
    if len(quote) > 120:
        quote = quote[:119].rstrip() + "…"
    value = fact.value or ""
    return f'{value} ("{quote}")' if quote and quote != value else value


def _source(facts: Sequence[EvidenceFact]) -> str:
    return ", ".join(sorted({f.source for f in facts})) or "hub"


def license_from_facts(hub: HubFacts) -> Dimension | None:
    """The weights license a fetched card or LICENSE file names, judged by its terms."""
    for field in ("license_id", "license_file"):
        for fact in _of(hub, field):
            found = license_openness(fact.value or "") if field == "license_id" else None
            if field == "license_file" and fact.quote:
                from robinet.openness.licensing import license_in_prose

                named = license_in_prose(fact.quote)
                found = license_openness(named[0]) if named else None
            if found is not None:
                where = "card license" if field == "license_id" else f"LICENSE file {fact.value}"
                return Dimension(
                    found.value,
                    f"{where}: {found.name} ({found.license_id}); {found.evidence}",
                    _source([fact]),
                    found.osi,
                )
    return None


def _code_value(lic: Dimension | None) -> str:
    """Code in the repository is under the repository's license: open when that is an
    OSI-approved license, partial otherwise (included, but not under an open code license)."""
    return OPEN if lic is not None and lic.value == OPEN and lic.osi is not False else PARTIAL


def card_dimensions(hub: HubFacts, lic: Dimension | None) -> dict[str, Dimension]:
    """Model card, evaluation, data documentation, training data, training and inference
    code and paper from a Hub repository (its `models` row and its fetched facts)."""
    dims: dict[str, Dimension] = {}
    card = _of(hub, "card")
    doc_value = OPEN if lic is not None and lic.value == OPEN else PARTIAL
    under = f"under the repository's license ({lic.value})" if lic else "license unknown"
    if card:
        sections = _of(hub, "card_section")
        dims["model_card"] = Dimension(
            doc_value,
            f"model card {card[0].value} with {len(sections)} sections, {under}",
            _source(card),
        )
    elif hub.license and hub.license.lower() not in {"", "unknown"}:
        dims["model_card"] = Dimension(
            doc_value,
            f"model card metadata on the Hub (license: {hub.license}), {under}",
            hub.source or "hub",
        )
    known = bool(card)  # the card's text is known: what it lacks is evidence too
    rules = (
        ("evaluation", PARTIAL, "evaluation results in the card (no evaluation code)",
         "the card shows no evaluation"),
        ("data_documentation", PARTIAL, "training data described in the card",
         "the card does not describe the training data"),
        ("dataset", PARTIAL, "datasets named by the card",
         "the card names no training dataset"),
        ("training_code", None, "training code", "no training code in the repository or "
         "linked from the card"),
        ("inference_code", None, "inference code", None),
        ("paper", PARTIAL, "paper linked from the card; its license is not known to be open",
         "the card links no paper"),
    )  # fmt: skip
    for field, value, what, absent in rules:
        facts = _of(hub, field)
        name = "training_data" if field == "dataset" else field
        if facts:
            got = value or _code_value(lic)
            listed = "; ".join(_words(f) for f in facts[:3])
            dims[name] = Dimension(got, f"{what}: {listed}", _source(facts))
        elif known and absent is not None:
            dims[name] = Dimension(CLOSED, f"{absent} (card read)", _source(card))
    return dims
