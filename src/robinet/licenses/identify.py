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
from collections import Counter
from dataclasses import dataclass
from itertools import chain

from robinet.licenses.kb import KnowledgeBase, LicenseEntry, knowledge_base
from robinet.licenses.normalize import phrase, tokens

SHINGLE = 5
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


Shingle = int  # the hash of a tuple of SHINGLE tokens (int sets intersect fast)


def ordered_shingles(toks: list[str]) -> list[Shingle]:
    """The hashed 5-token shingles of a token stream, in order (a shorter stream is one)."""
    if len(toks) < SHINGLE:
        return [hash(tuple(toks))] if toks else []
    return list(map(hash, zip(*(toks[i:] for i in range(SHINGLE)), strict=False)))


def shingles(toks: list[str]) -> set[Shingle]:
    """The set of hashed 5-token shingles of a token stream."""
    return set(ordered_shingles(toks))


class Index:
    """The inverted shingle index over every reference text of a knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.entries: list[LicenseEntry] = [e for e in kb.entries if e.text_file]
        self.sets: list[frozenset[Shingle]] = []
        self.postings: dict[Shingle, list[int]] = {}
        for i, entry in enumerate(self.entries):
            s = frozenset(shingles(tokens(entry.text())))
            self.sets.append(s)
            for sh in s:
                self.postings.setdefault(sh, []).append(i)
        self.phrases = {e.id: phrase(e.text()) for e in self.entries}
        notices: dict[str, set[str]] = {}
        for entry in kb.entries:
            for n in entry.notices:
                if phrase(n):
                    notices.setdefault(phrase(n), set()).add(entry.id)
        self.notice_ids = notices
        self.notice_re = (
            re.compile(r"(?<![^ ])" + _trie_regex(list(notices)) + r"(?![^ ])") if notices else None
        )
        self._overlap: dict[tuple[int, int], float] = {}
        self._diff: dict[tuple[int, int], frozenset[Shingle]] = {}

    def diff(self, a: int, b: int) -> frozenset[Shingle]:
        """Shingles of text `a` that text `b` lacks (cached)."""
        if (a, b) not in self._diff:
            self._diff[(a, b)] = self.sets[a] - self.sets[b]
        return self._diff[(a, b)]

    def overlap(self, a: int, b: int) -> float:
        """Share of the smaller text's shingles the two texts have in common."""
        key = (a, b) if a < b else (b, a)
        if key not in self._overlap:
            sa, sb = self.sets[a], self.sets[b]
            self._overlap[key] = len(sa & sb) / max(1, min(len(sa), len(sb)))
        return self._overlap[key]


def _trie_regex(phrases: list[str]) -> str:
    """One regex for any of `phrases` (space-joined tokens), built as a trie over tokens so
    that the engine tests one token per position instead of every phrase. Longer
    continuations are tried first (leftmost-longest)."""
    groups: dict[str, list[str]] = {}
    for p in phrases:
        head, _, rest = p.partition(" ")
        groups.setdefault(head, []).append(rest)
    alts = []
    for head in sorted(groups, key=lambda h: (-len(h), h)):
        rests = groups[head]
        longer = [r for r in rests if r]
        if not longer:
            alts.append(re.escape(head))
            continue
        optional = "?" if "" in rests else ""
        alts.append(f"{re.escape(head)}(?: {_trie_regex(longer)}){optional}")
    return "(?:" + "|".join(alts) + ")"


@functools.cache
def default_index() -> Index:
    return Index(knowledge_base())


def _hits(index: Index, query: set[Shingle]) -> Counter[int]:
    """Shared-shingle counts per reference text, in one pass over the postings."""
    return Counter(chain.from_iterable(filter(None, map(index.postings.get, query))))


def _passage(
    toks: list[str], ordered: list[Shingle], wanted: frozenset[Shingle] | set[Shingle]
) -> str:
    """The longest run of the input made of `wanted` shingles, as text."""
    best = (0, 0)
    start = None
    for i, sh in enumerate(ordered):
        if sh in wanted:
            if start is None:
                start = i
            if i + SHINGLE - start > best[1] - best[0]:
                best = (start, i + SHINGLE)
        else:
            start = None
    return " ".join(toks[best[0] : best[1]][:30])


def _prefer_complete(
    index: Index, remaining: set[Shingle], cands: list[int], cov: dict[int, float]
) -> int:
    """The most-hits candidate, unless a near-identical rival explains the input as well
    (at most `WEAK` distinctive shingles behind) while much more of it is present: then the
    input is the rival, and the extra passages of the larger text are simply absent (MIT
    inside a README vs the Modified MIT that adds a clause)."""
    best = cands[0]
    for _ in range(len(cands)):
        for rival in cands:
            if rival == best or index.overlap(best, rival) < 0.5:
                continue
            d_best = len(remaining & index.diff(best, rival))
            d_rival = len(remaining & index.diff(rival, best))
            if d_best - d_rival <= WEAK and cov[rival] >= COMPLETE_RATIO * cov[best]:
                best = rival
                break
        else:
            return best
    return best


def _text_matches(
    index: Index, toks: list[str], ordered: list[Shingle]
) -> tuple[list[Identification], set[str]]:
    query = set(ordered)
    found: list[Identification] = []
    explained: set[str] = set()
    remaining = set(query)
    for _ in range(MAX_LICENSES):
        hits = _hits(index, remaining)
        cands = [
            i for i, h in hits.items() if h >= MIN_HITS and h / len(index.sets[i]) >= MIN_COVERAGE
        ]
        if not cands:
            break
        cov = {i: hits[i] / len(index.sets[i]) for i in cands}
        cands.sort(key=lambda i: (-hits[i], -cov[i], index.entries[i].id))
        best = _prefer_complete(index, remaining, cands, cov)
        entry = index.entries[best]
        evidence = [
            f"{hits[best]} of {len(index.sets[best])} reference shingles present "
            f"({cov[best]:.0%} of the {entry.id} text)"
        ]
        tied: list[int] = []
        margin = None
        rivals = [r for r in cands if r != best and index.overlap(best, r) >= 0.5]
        rivals.sort(key=lambda r: (-index.overlap(best, r), index.entries[r].id))
        for n, rival in enumerate(rivals):
            own = index.diff(best, rival)
            other = index.diff(rival, best)
            d_own = len(remaining & own)
            d_other = len(remaining & other)
            rid = index.entries[rival].id
            if d_own == d_other and cov[best] < COMPLETE_RATIO * cov[rival]:
                tied.append(rival)
                evidence.append(f"no passage tells it from {rid}")
                continue
            # evidence: own distinctive passages found, or (when the rival is a larger text
            # whose extra passages are all absent) the size of that absence
            gap = d_own - d_other if d_own > d_other else min(len(other) - d_other, 5)
            margin = gap if margin is None else min(margin, gap)
            if n >= EVIDENCE_PASSAGES:
                evidence.append(f"distinct from {rid}: {d_own} vs {d_other} distinctive shingles")
            elif d_own:
                evidence.append(
                    f"distinct from {rid}: {d_own} vs {d_other} distinctive shingles, "
                    f"e.g. '{_passage(toks, ordered, own & remaining)}'"
                )
            else:
                rtoks = index.phrases[rid].split()
                absent = _passage(rtoks, ordered_shingles(rtoks), other)
                evidence.append(
                    f"distinct from {rid}: {cov[best]:.0%} vs {cov[rival]:.0%} of the text, "
                    f"its extra passages absent, e.g. '{absent}'"
                )
        text_part = 0.4 + 0.6 * min(1.0, cov[best] / FULL_COVERAGE)
        margin_part = 1.0 if margin is None else 0.75 + 0.25 * min(1.0, max(margin, 0) / 5)
        if tied:
            ids = tuple(sorted([entry.id] + [index.entries[t].id for t in tied]))
            found.append(
                Identification(
                    license=None,
                    scancode_key=None,
                    spdx=None,
                    confidence=round(text_part * 0.5, 3),
                    evidence=tuple(evidence),
                    method="text",
                    candidates=ids,
                    coverage=round(cov[best], 3),
                )
            )
        else:
            found.append(
                Identification(
                    license=entry.id,
                    scancode_key=entry.scancode_key,
                    spdx=entry.spdx,
                    confidence=round(text_part * margin_part, 3),
                    evidence=tuple(evidence),
                    method="text",
                    coverage=round(cov[best], 3),
                )
            )
        for i in [best, *tied]:
            remaining -= index.sets[i]
            explained.add(index.entries[i].id)
    return found, explained


def _notice_matches(index: Index, text_phrase: str, explained: set[str]) -> list[Identification]:
    out: list[Identification] = []
    seen: set[tuple[str, ...]] = set()
    # one pass; the alternation lists longer notices first, so "modified mit license" wins
    # over the "mit license" inside it
    if index.notice_re is None:
        return out
    for match in index.notice_re.finditer(text_phrase):
        notice = match.group(0)
        ids = index.notice_ids[notice]
        # a notice the identified license's own text contains is that text, not a new license
        if any(f" {notice} " in f" {index.phrases.get(x, '')} " for x in explained):
            continue
        key = tuple(sorted(ids))
        if key in seen or set(key) & explained:
            continue
        seen.add(key)
        ev = (f"notice: '{notice}'",)
        if len(key) == 1:
            entry = index.kb.get(key[0])
            out.append(
                Identification(
                    license=entry.id,
                    scancode_key=entry.scancode_key,
                    spdx=entry.spdx,
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
    found, explained = _text_matches(index, toks, ordered_shingles(toks))
    found += _notice_matches(index, " ".join(toks), explained)
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
