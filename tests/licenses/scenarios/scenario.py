"""The scenario suite's record and judge.

A scenario is a use a compliance lead would ask about, judged from the license text robinet
ships: it names the clause that decides it and quotes its words (verbatim: the test checks
them against the reference text), the decision the text gives, and the obligations (by kind)
it must or must not list. Written from the texts, never tuned to the engine: when one fails,
read the clause before touching either side."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from robinet.licenses import check, knowledge_base, use_context
from robinet.licenses.normalize import phrase
from robinet.model import Decision


@dataclass(frozen=True)
class S:
    id: str
    license: str
    use: dict[str, Any]
    decision: str
    clause: str  # the clause that decides ("" for a license known by name only)
    quote: str  # its words, verbatim
    source: str | None = (
        None  # the entry holding the clause (an incorporated policy), if not `license`
    )
    kinds: tuple[str, ...] = ()  # obligation kinds the answer must list
    absent: tuple[str, ...] = ()  # obligation kinds it must not list
    text: str | None = None  # an obligation's exact text to display or ship
    extra: dict[str, Any] = field(default_factory=dict)


def judge(s: S) -> None:
    kb = knowledge_base()
    source = s.source or s.license
    verdict = check(s.license, use_context(s.use))
    assert verdict.decision == Decision(s.decision), (s.id, verdict.reasons)
    if s.quote:
        text = f" {phrase(kb.get(source).text())} "
        assert f" {phrase(s.quote)} " in text, f"{s.id}: quote not in {source}"
    cited = {(r.license, r.clause) for r in verdict.reasons}
    cited |= {(o.license, o.clause) for o in verdict.obligations}
    if s.clause:
        assert (source, s.clause) in cited, (s.id, sorted(cited))
    kinds = [o.kind for o in verdict.obligations]
    for kind in s.kinds:
        assert kind in kinds, (s.id, kind, kinds)
    for kind in s.absent:
        assert kind not in kinds, (s.id, kind, kinds)
    if s.text is not None:
        assert s.text in [o.text for o in verdict.obligations], (s.id, verdict.obligations)
    for r in verdict.reasons:  # every cited quote is the license's own words
        if r.quote:
            assert f" {phrase(r.quote)} " in f" {phrase(kb.get(r.license).text())} ", r
