"""Terms of several licenses side by side."""

from __future__ import annotations

from dataclasses import dataclass

from robinet.licenses.kb import KnowledgeBase, LicenseEntry, TermKind, knowledge_base


@dataclass(frozen=True, slots=True)
class Comparison:
    """`rows[kind][license_id]` is the summary of that license's terms of that kind
    (joined when there are several; '' when the license has none)."""

    licenses: tuple[str, ...]
    kinds: tuple[str, ...]
    rows: dict[str, dict[str, str]]
    clauses: dict[str, dict[str, str]]


def _cell(entry: LicenseEntry, kind: str, kb: KnowledgeBase) -> tuple[str, str]:
    terms = [(entry, t) for t in entry.terms if t.kind == kind]
    for pid in entry.incorporates:
        if pid in kb:
            policy = kb.get(pid)
            terms += [(policy, t) for t in policy.terms if t.kind == kind]
    summary = " ".join(t.summary for _, t in terms)
    clauses = "; ".join((f"{e.id} {t.clause}" if e.id != entry.id else t.clause) for e, t in terms)
    return summary, clauses


def compare(
    license_ids: list[str] | tuple[str, ...], *, kb: KnowledgeBase | None = None
) -> Comparison:
    """Every term kind of the given licenses (and their incorporated policies), side by side."""
    kb = kb or knowledge_base()
    entries = [kb.get(i) for i in license_ids]
    rows: dict[str, dict[str, str]] = {}
    clauses: dict[str, dict[str, str]] = {}
    for kind in TermKind:
        cells = {e.id: _cell(e, kind, kb) for e in entries}
        if any(s for s, _ in cells.values()):
            rows[kind.value] = {i: s for i, (s, _) in cells.items()}
            clauses[kind.value] = {i: c for i, (_, c) in cells.items()}
    return Comparison(tuple(e.id for e in entries), tuple(rows), rows, clauses)
