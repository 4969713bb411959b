"""The shingle index identification looks texts up in (see identify.py for the method).

An inverted index from each 5-token shingle of the knowledge base's reference texts to the
*group* of texts that hold it, with what telling near-identical versions apart needs
(pairwise overlaps, distinctive shingles, reference passages). It is built from a knowledge
base, or restored from the plain data `Index.state()` returns (`prebuilt.py` ships it).
"""

from __future__ import annotations

import sys
from collections import Counter
from operator import mul
from typing import TYPE_CHECKING

from robinet.licenses.normalize import tokens

if TYPE_CHECKING:
    from robinet.licenses.entries import KnowledgeBase
    from robinet.licenses.identify import Identification

SHINGLE = 5
NEAR = 0.5  # texts sharing this share of their shingles are near-identical rivals


# A shingle is the hash of a tuple of SHINGLE token ids (ints: sets of them intersect fast).
# Token ids come from the index's vocabulary, so a shingle's value does not depend on the
# process's string-hash seed and the index can be built once and stored (see prebuilt.py).
# A token the reference texts never use has no id (None): no shingle holding it can match.
Shingle = int


def ordered_shingles(ids: list[int | None]) -> list[Shingle]:
    """The hashed SHINGLE-token shingles of a stream of token ids, in order (a shorter stream
    is one)."""
    if len(ids) < SHINGLE:
        return [hash(tuple(ids))] if ids else []
    return list(map(hash, zip(*(ids[i:] for i in range(SHINGLE)), strict=False)))


class Index:
    """The inverted shingle index over every reference text of a knowledge base.

    `postings` maps a shingle to a *group*: the tuple of texts that hold it (`groups`); texts
    sharing a passage share its group, so counting hits per text is one count per shingle."""

    def __init__(self, kb: KnowledgeBase | None = None, *, state: dict | None = None) -> None:
        if state is None:
            if kb is None:
                raise TypeError("Index needs a knowledge base")
            state = _build_state(kb)
        self.ids: list[str] = state["ids"]
        self.meta: dict[str, tuple[str | None, str | None]] = state["meta"]
        self.vocab: dict[str, int] = state["vocab"]
        self.sets: list[frozenset[Shingle]] = state["sets"]
        self.sizes: list[int] = [len(s) for s in self.sets]
        self.groups: list[tuple[int, ...]] = state["groups"]
        self.postings: dict[Shingle, int] = state["postings"]
        # Each group as one packed int: a SLOT-bit counter per text. Summing the packed ints of
        # a query's shingles counts the hits of every text at once, in C; no counter can carry
        # into the next one because a text's hits never exceed its own shingle count.
        self._slot = 16 if max(self.sizes, default=0) < 1 << 16 else 32
        self._packed = [sum(1 << (self._slot * i) for i in g) for g in self.groups]
        self.phrases: dict[str, str] = state["phrases"]
        self.notice_ids: dict[str, tuple[str, ...]] = state["notice_ids"]
        self.notice_trie: dict = state["notice_trie"]
        # overlaps of every pair at or above NEAR when `complete` (then a missing pair is below)
        self._overlap: dict[tuple[int, int], float] = dict(state.get("overlap", {}))
        self._overlap_complete: bool = bool(state.get("overlap_complete", False))
        # verbatim copies: the hash of a reference text's token-id stream -> its id
        self.verbatim: dict[int, str] = state.get("verbatim") or {
            hash(tuple(self.token_ids(p.split()))): lid for lid, p in self.phrases.items()
        }
        self._verbatim_results: dict[str, tuple[Identification, ...]] = {}
        self._diff: dict[tuple[int, int], frozenset[Shingle]] = {}
        self._padded: dict[str, str] = {}
        self._reference: dict[str, tuple[list[str], list[Shingle]]] = {}
        self._reference_ids: dict[str, list[int | None]] = {}

    def state(self, *, with_overlaps: bool = True) -> dict:
        """Everything identification needs, as plain data (marshal-able); with every pair's
        overlap computed when `with_overlaps`."""
        if with_overlaps:
            n = len(self.sets)
            for a in range(n):
                for b in range(a + 1, n):
                    self.overlap(a, b)
        return {
            "ids": self.ids,
            "meta": self.meta,
            "vocab": self.vocab,
            "sets": self.sets,
            "groups": self.groups,
            "postings": self.postings,
            "phrases": self.phrases,
            "notice_ids": self.notice_ids,
            "notice_trie": self.notice_trie,
            "overlap": {k: v for k, v in self._overlap.items() if v >= NEAR},
            "overlap_complete": with_overlaps or self._overlap_complete,
            "verbatim": self.verbatim,
        }

    def token_ids(self, toks: list[str]) -> list[int | None]:
        return list(map(self.vocab.get, toks))

    def diff(self, a: int, b: int) -> frozenset[Shingle]:
        """Shingles of text `a` that text `b` lacks (cached)."""
        key = (a, b)
        d = self._diff.get(key)
        if d is None:
            d = self._diff[key] = self.sets[a] - self.sets[b]
        return d

    def overlap(self, a: int, b: int) -> float:
        """Share of the smaller text's shingles the two texts have in common."""
        key = (a, b) if a < b else (b, a)
        v = self._overlap.get(key)
        if v is None:
            if self._overlap_complete:
                return 0.0
            sa, sb = self.sets[a], self.sets[b]
            v = self._overlap[key] = len(sa & sb) / max(1, min(len(sa), len(sb)))
        return v

    def padded(self, license_id: str) -> str:
        """The reference phrase of a text with a space at each end ('  ' when it has none)."""
        p = self._padded.get(license_id)
        if p is None:
            p = self._padded[license_id] = f" {self.phrases.get(license_id, '')} "
        return p

    def reference(self, license_id: str) -> tuple[list[str], list[Shingle]]:
        """The reference text's tokens and ordered shingles (cached)."""
        ref = self._reference.get(license_id)
        if ref is None:
            rtoks = self.phrases[license_id].split()
            ref = self._reference[license_id] = (rtoks, ordered_shingles(self.token_ids(rtoks)))
        return ref

    def verbatim_copy(self, ids: list[int | None]) -> str | None:
        """The id of the reference text whose token stream is exactly `ids`, if any."""
        lid = self.verbatim.get(hash(tuple(ids)))
        if lid is None:
            return None
        ref = self._reference_ids.get(lid)
        if ref is None:
            ref = self._reference_ids[lid] = self.token_ids(self.reference(lid)[0])
        return lid if ref == ids else None

    def group_counts(self, query: set[Shingle]) -> dict[int, int]:
        """How many shingles of `query` each group holds (groups holding none left out)."""
        counts: Counter[int | None] = Counter(map(self.postings.get, query))
        counts.pop(None, None)
        return counts  # type: ignore[return-value]  # (None popped)

    def unpack(self, counts: dict[int, int], within: int | None = None) -> list[int]:
        """Per text, the sum of `counts` over the groups that hold it: its hits (the shared
        shingles), or with `within`, its shingles shared with text `within` too."""
        packed = self._packed
        if within is None:
            total = sum(map(mul, counts.values(), map(packed.__getitem__, counts)))
        else:
            bit = 1 << (self._slot * within)
            total = sum(c * packed[g] for g, c in counts.items() if packed[g] & bit)
        width = self._slot // 8
        raw = total.to_bytes(len(self.sets) * width, sys.byteorder)
        return memoryview(raw).cast("H" if width == 2 else "I").tolist()

    def hits(self, query: set[Shingle]) -> list[int]:
        """Shared-shingle counts of every reference text (by position in `ids`)."""
        return self.unpack(self.group_counts(query))


def _build_state(kb: KnowledgeBase) -> dict:
    from robinet.licenses.normalize import phrase

    entries = [e for e in kb.entries if e.text_file]
    vocab: dict[str, int] = {}
    sets: list[frozenset[Shingle]] = []
    phrases: dict[str, str] = {}
    by_shingle: dict[Shingle, list[int]] = {}
    for i, entry in enumerate(entries):
        toks = tokens(entry.text())
        for t in toks:
            vocab.setdefault(t, len(vocab))
        s = frozenset(ordered_shingles([vocab[t] for t in toks]))
        sets.append(s)
        phrases[entry.id] = " ".join(toks)
        for sh in s:
            by_shingle.setdefault(sh, []).append(i)
    group_of: dict[tuple[int, ...], int] = {}
    postings: dict[Shingle, int] = {}
    for sh, texts in by_shingle.items():
        postings[sh] = group_of.setdefault(tuple(texts), len(group_of))
    notices: dict[str, set[str]] = {}
    for entry in kb.entries:
        for n in entry.notices:
            if phrase(n):
                notices.setdefault(phrase(n), set()).add(entry.id)
    trie: dict = {}
    for notice in notices:
        node = trie
        for tok in notice.split(" "):
            node = node.setdefault(tok, {})
        node[None] = notice
    return {
        "ids": [e.id for e in entries],
        "meta": {e.id: (e.scancode_key, e.spdx) for e in kb.entries},
        "vocab": vocab,
        "sets": sets,
        "groups": list(group_of),
        "postings": postings,
        "phrases": phrases,
        "notice_ids": {n: tuple(sorted(ids)) for n, ids in notices.items()},
        "notice_trie": trie,
    }
