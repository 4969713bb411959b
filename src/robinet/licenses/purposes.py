"""The purposes taxonomy, with the licenses whose prohibitions map onto each category."""

from __future__ import annotations

from dataclasses import dataclass

from robinet.licenses.entries import KnowledgeBase, TermKind
from robinet.licenses.kb import knowledge_base
from robinet.licenses.vocabulary import PURPOSES


@dataclass(frozen=True, slots=True)
class Purpose:
    """One category of `--purpose`: what it covers, and the licenses (and use policies) that
    prohibit it, outright or with a qualifier."""

    id: str
    description: str
    prohibited_by: tuple[str, ...]
    qualified_by: tuple[str, ...]  # prohibited unless a condition (e.g. "unlicensed" practice)


def purposes(kb: KnowledgeBase | None = None) -> list[Purpose]:
    kb = kb or knowledge_base()
    outright: dict[str, set[str]] = {c: set() for c in PURPOSES}
    qualified: dict[str, set[str]] = {c: set() for c in PURPOSES}
    for entry in kb.entries:
        for term in entry.terms_of(TermKind.FIELD_OF_USE):
            for p in term.params.get("prohibitions") or []:
                (qualified if p.get("unless") else outright)[p["category"]].add(entry.id)
    return [
        Purpose(c, d, tuple(sorted(outright[c])), tuple(sorted(qualified[c] - outright[c])))
        for c, d in PURPOSES.items()
    ]
