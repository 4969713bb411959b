"""Version-exact license identification from text.

Method (see docs/licenses.md):

1. Normalize the input to a token stream (`normalize.tokens`): markdown, reflow, CRLF,
   typographic quotes and case do not change it.
2. Take the set of 5-token shingles and look each up in an inverted index built once from the
   knowledge base's reference texts. The number of shared shingles per license (`hits`) and
   the share of the reference text found (`coverage`) come out of one pass: no pairwise
   comparison of texts.
3. The license with most hits wins. Near-identical versions (Llama 3.1 / 3.2 / 3.3, Gemma
   2024 / 2025) are then told apart by the shingles only one of them has: the winner must have
   more of its own distinctive shingles in the input than the rival has of its. When neither
   side has any, or the counts are equal, the result is `license: None` with both candidates —
   never a guess.
4. The matched shingles are removed and the search repeats, so a README holding two licenses
   (code MIT + a model license) reports both.
5. Short notices ("licensed under the Llama 3.1 Community License") are found by the
   normalized notice phrases of each entry, when the full text is absent.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from itertools import compress

from robinet.licenses.normalize import tokens
from robinet.licenses.shingle_index import NEAR, SHINGLE, Index, Shingle, ordered_shingles

__all__ = ["Identification", "Index", "default_index", "identify", "ordered_shingles"]

MAX_CHARS = 2_000_000  # longer inputs are cut (a license text is < 100 kB)
MIN_HITS = 20  # shared shingles needed for a text match
MIN_COVERAGE = 0.10  # share of the reference text that must be present
FULL_COVERAGE = 0.6  # coverage at which the text part of the confidence is full
COMPLETE_RATIO = 1.2  # equal evidence: a text this much more complete than its rival wins
WEAK = 2  # distinctive shingles that count as no evidence (a heading, a stray line)
MAX_LICENSES = 4
NOTICE_CONFIDENCE = 0.6
EVIDENCE_PASSAGES = 1  # rivals (closest first) whose distinguishing passage is quoted


@dataclass(frozen=True, slots=True)
class Identification:
    """One license found in a text. `license` is None when the text cannot tell versions apart
    (then `candidates` lists them)."""

    license: str | None
    scancode_key: str | None
    spdx: str | None
    confidence: float
    evidence: tuple[str, ...]
    method: str  # "text" (reference text matched) or "notice" (a short notice or name)
    candidates: tuple[str, ...] = ()
    coverage: float = 0.0


@functools.cache
def default_index() -> Index:
    """The index of the bundled knowledge base: the prebuilt one shipped with robinet when it
    is fresh (built from the same knowledge base and code), else built now."""
    from robinet.licenses import prebuilt

    return prebuilt.load() or prebuilt.build()


_RUN = re.compile(rb"\x01+")


def _passage(
    toks: list[str], ordered: list[Shingle], wanted: frozenset[Shingle] | set[Shingle]
) -> str:
    """The longest run of the input made of `wanted` shingles, as text (the first of the
    longest when several are as long)."""
    flags = bytes(map(wanted.__contains__, ordered))
    best = max(_RUN.finditer(flags), key=lambda m: m.end() - m.start(), default=None)
    if best is None:
        return ""
    return " ".join(toks[best.start() : best.end() - 1 + SHINGLE][:30])


class _Distinct:
    """How many distinctive shingles of two texts the input holds, from the group counts:
    of text a's shingles that b lacks, the input holds hits[a] - shared(a, b), where shared
    counts the input's shingles in groups holding both (no set intersection needed)."""

    def __init__(self, index: Index, counts: dict[int, int], hits: list[int]) -> None:
        self.index, self.counts, self.hits = index, counts, hits
        self.shared: dict[int, list[int]] = {}

    def __call__(self, a: int, b: int) -> tuple[int, int]:
        """(input shingles only a has, input shingles only b has)"""
        shared = self.shared.get(a)
        if shared is None:
            shared = self.shared[a] = self.index.unpack(self.counts, within=a)
        return self.hits[a] - shared[b], self.hits[b] - shared[b]


def _prefer_complete(
    index: Index, distinct: _Distinct, cands: list[int], cov: dict[int, float]
) -> int:
    """The most-hits candidate, unless a near-identical rival explains the input as well
    (at most `WEAK` distinctive shingles behind) while much more of it is present: then the
    input is the rival, and the extra passages of the larger text are simply absent (MIT
    inside a README vs the Modified MIT that adds a clause)."""
    best = cands[0]
    for _ in range(len(cands)):
        for rival in cands:
            if rival == best or index.overlap(best, rival) < NEAR:
                continue
            if cov[rival] < COMPLETE_RATIO * cov[best]:
                continue  # (checked first: it needs no set intersection)
            d_best, d_rival = distinct(best, rival)
            if d_best - d_rival <= WEAK:
                best = rival
                break
        else:
            return best
    return best


def _text_matches(
    index: Index, toks: list[str], ordered: list[Shingle]
) -> tuple[list[Identification], set[str]]:
    found: list[Identification] = []
    explained: set[str] = set()
    remaining = set(ordered)
    ids, sizes = index.ids, index.sizes
    for _ in range(MAX_LICENSES):
        counts = index.group_counts(remaining)
        hits = index.unpack(counts)
        distinct = _Distinct(index, counts, hits)
        cands = [i for i, h in enumerate(hits) if h >= MIN_HITS and h / sizes[i] >= MIN_COVERAGE]
        if not cands:
            break
        cov = {i: hits[i] / sizes[i] for i in cands}
        cands.sort(key=lambda i: (-hits[i], -cov[i], ids[i]))
        best = _prefer_complete(index, distinct, cands, cov)
        best_id = ids[best]
        evidence = [
            f"{hits[best]} of {sizes[best]} reference shingles present "
            f"({cov[best]:.0%} of the {best_id} text)"
        ]
        tied: list[int] = []
        margin = None
        rivals = [r for r in cands if r != best and index.overlap(best, r) >= NEAR]
        rivals.sort(key=lambda r: (-index.overlap(best, r), ids[r]))
        for n, rival in enumerate(rivals):
            d_own, d_other = distinct(best, rival)
            rid = ids[rival]
            if d_own == d_other and cov[best] < COMPLETE_RATIO * cov[rival]:
                tied.append(rival)
                evidence.append(f"no passage tells it from {rid}")
                continue
            # evidence: own distinctive passages found, or (when the rival is a larger text
            # whose extra passages are all absent) the size of that absence
            if d_own > d_other:
                gap = d_own - d_other
            else:
                gap = min(len(index.diff(rival, best)) - d_other, 5)
            margin = gap if margin is None else min(margin, gap)
            if n >= EVIDENCE_PASSAGES:
                evidence.append(f"distinct from {rid}: {d_own} vs {d_other} distinctive shingles")
            elif d_own:
                evidence.append(
                    f"distinct from {rid}: {d_own} vs {d_other} distinctive shingles, "
                    f"e.g. '{_passage(toks, ordered, index.diff(best, rival) & remaining)}'"
                )
            else:
                rtoks, rordered = index.reference(rid)
                absent = _passage(rtoks, rordered, index.diff(rival, best))
                evidence.append(
                    f"distinct from {rid}: {cov[best]:.0%} vs {cov[rival]:.0%} of the text, "
                    f"its extra passages absent, e.g. '{absent}'"
                )
        text_part = 0.4 + 0.6 * min(1.0, cov[best] / FULL_COVERAGE)
        margin_part = 1.0 if margin is None else 0.75 + 0.25 * min(1.0, max(margin, 0) / 5)
        if tied:
            found.append(
                Identification(
                    license=None,
                    scancode_key=None,
                    spdx=None,
                    confidence=round(text_part * 0.5, 3),
                    evidence=tuple(evidence),
                    method="text",
                    candidates=tuple(sorted([best_id] + [ids[t] for t in tied])),
                    coverage=round(cov[best], 3),
                )
            )
        else:
            scancode_key, spdx = index.meta[best_id]
            found.append(
                Identification(
                    license=best_id,
                    scancode_key=scancode_key,
                    spdx=spdx,
                    confidence=round(text_part * margin_part, 3),
                    evidence=tuple(evidence),
                    method="text",
                    coverage=round(cov[best], 3),
                )
            )
        for i in [best, *tied]:
            remaining = remaining - index.sets[i]  # (iterates the smaller side, unlike -=)
            explained.add(ids[i])
    return found, explained


def _notices_in(index: Index, toks: list[str]) -> list[str]:
    """The notice phrases in a token stream, left to right, each the longest that starts at
    its token, none overlapping (what one regex scan for the notices would find)."""
    trie = index.notice_trie
    found: list[str] = []
    end = 0
    n = len(toks)
    for i in compress(range(n), map(trie.__contains__, toks)):
        if i < end:
            continue
        node: dict | None = trie
        j = i
        last = 0
        while j < n and node is not None:
            node = node.get(toks[j])
            j += 1
            if node is not None and None in node:
                last = j
        if last:
            found.append(" ".join(toks[i:last]))
            end = last
    return found


def _notice_matches(index: Index, toks: list[str], explained: set[str]) -> list[Identification]:
    out: list[Identification] = []
    seen: set[tuple[str, ...]] = set()
    # longer notices first at each position, so "modified mit license" wins over the
    # "mit license" inside it
    for notice in _notices_in(index, toks):
        key = index.notice_ids[notice]
        # a notice the identified license's own text contains is that text, not a new license
        if explained and any(f" {notice} " in index.padded(x) for x in explained):
            continue
        if key in seen or set(key) & explained:
            continue
        seen.add(key)
        ev = (f"notice: '{notice}'",)
        if len(key) == 1:
            scancode_key, spdx = index.meta[key[0]]
            out.append(
                Identification(
                    license=key[0],
                    scancode_key=scancode_key,
                    spdx=spdx,
                    confidence=NOTICE_CONFIDENCE,
                    evidence=ev,
                    method="notice",
                )
            )
        else:
            out.append(
                Identification(
                    license=None,
                    scancode_key=None,
                    spdx=None,
                    confidence=round(NOTICE_CONFIDENCE / 2, 3),
                    evidence=(*ev, "the notice names no version"),
                    method="notice",
                    candidates=key,
                )
            )
    return out


def identify(text: str, *, index: Index | None = None) -> list[Identification]:
    """Every license found in `text`, best first; [] when none passes the thresholds."""
    index = index or default_index()
    notes: tuple[str, ...] = ()
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        notes = (f"input cut to its first {MAX_CHARS:,} characters",)
    toks = tokens(text)
    ids = index.token_ids(toks)
    # A verbatim copy of a reference text (as shipped, CRLF, quotes, reflowed: the same token
    # stream) gets the answer its reference text got. The answer depends on the token stream
    # alone, so it is computed once per process, by the same steps as any other input.
    copy_of = index.verbatim_copy(ids)
    cached = index._verbatim_results.get(copy_of) if copy_of else None
    if cached is not None:
        found = list(cached)
    else:
        found, explained = _text_matches(index, toks, ordered_shingles(ids))
        found += _notice_matches(index, toks, explained)
        if copy_of:
            index._verbatim_results[copy_of] = tuple(found)
    if notes:
        found = [
            Identification(
                license=f.license,
                scancode_key=f.scancode_key,
                spdx=f.spdx,
                confidence=f.confidence,
                evidence=f.evidence + notes,
                method=f.method,
                candidates=f.candidates,
                coverage=f.coverage,
            )
            for f in found
        ]
    return found
