"""The rules the merge applies to names and licenses, written once (store/merge.py uses them).

- Name keys: `slug(name)`; `dated_key` for releases named by their month
  (`DeepSeek-V3 (Mar 2025)`, `DeepSeek-V3-0324`); `variant_keys` cuts variant suffixes
  (`VARIANT_SUFFIXES`); `family_key` cuts sizes too.
- Groups: `FactGroups` joins the dated sources' facts that name one release; `attach_repos`
  makes Hub repos variants of those releases (rule 2 of store/merge.py).
- Tiers: `tier_from_license` maps a license's term kinds to an open tier;
  `passes_through` says whether derivatives carry the license's use restrictions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

from robinet.domain import slug
from robinet.model import Tier

CATALOG = "catalog"

# Trailing name parts that make a variant of the same weights (compared case-insensitively).
VARIANT_SUFFIXES = frozenset(
    [
        "instruct",
        "chat",
        "base",
        "it",
        "hf",
        "fp8",
        "fp16",
        "bf16",
        "int4",
        "int8",
        "awq",
        "gptq",
        "gguf",
        "mlx",
        "4bit",
        "8bit",
        "onnx",
        "w4a16",
        "w8a8",
        "w4a8",
        "original",
    ]
)
_SIZE = re.compile(r"^(?:\d+x)?[ae]?\d+(?:\.\d+)?[bmk]$", re.IGNORECASE)
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DATED_NAME = re.compile(r"^(.*?)\s*\((\w{3})\w*\.? (\d{4})\)$")
_DATE_SUFFIX = re.compile(r"^(.*?)[-_](?:(\d{4})-(\d{2})-\d{2}|(\d{2})(\d{2}))$")


# -- names: the keys under which facts of one release meet ------------------------------------
def _parts(name: str) -> list[str]:
    return [p for p in re.split(r"[-_\s/]+", name.strip()) if p]


def dated_key(name: str) -> str | None:
    """'DeepSeek-V3 (Mar 2025)' and 'DeepSeek-V3-0324' -> 'deepseek-v3@03': a release named by
    its month. Four digits read as YYMM when YY >= 23 and MM a month, else as MMDD."""
    match = _DATED_NAME.match(name)
    if match and match.group(2).lower() in _MONTHS:
        return f"{slug(match.group(1))}@{_MONTHS.index(match.group(2).lower()) + 1:02d}"
    match = _DATE_SUFFIX.match(name)
    if not match:
        return None
    if match.group(2):
        month = int(match.group(3))
    else:
        first, second = int(match.group(4)), int(match.group(5))
        if first >= 23 and 1 <= second <= 12:
            month = second
        elif 1 <= first <= 12 and 1 <= second <= 31:
            month = first
        else:
            return None
    return f"{slug(match.group(1))}@{month:02d}" if 1 <= month <= 12 else None


def variant_keys(name: str) -> list[str]:
    """Keys of `name` with variant suffixes cut one by one: 'Qwen2.5-72B-Instruct-AWQ' ->
    ['qwen2-5-72b-instruct', 'qwen2-5-72b']."""
    parts, keys = _parts(name), []
    while len(parts) > 1 and parts[-1].lower() in VARIANT_SUFFIXES:
        parts = parts[:-1]
        keys.append(slug("-".join(parts)))
    return keys


def family_key(name: str) -> str:
    """The name without variant suffixes and sizes: 'Qwen3-235B-A22B-Instruct' -> 'qwen3'."""
    parts = _parts(name)
    while len(parts) > 1 and (parts[-1].lower() in VARIANT_SUFFIXES or _SIZE.match(parts[-1])):
        parts = parts[:-1]
    return slug("-".join(parts))


def name_keys(fact: dict[str, Any]) -> set[str]:
    names = [fact["name"], *(fact.get("aliases") or [])]
    keys = {slug(n) for n in names}
    keys |= {k for n in names if (k := dated_key(n))}
    return keys


# -- tiers from licenses ----------------------------------------------------------------------
def tier_from_license(license_id: str) -> Tier | None:
    """The open tier a license's terms give its weights, or None when robinet lacks its terms.

    Why these kinds: a license that keeps commercial use out (`noncommercial`, or
    `commercial_use` not allowed) makes the weights usable for research only; one that limits
    who may use them or how (`user_threshold`, `field_of_use`, `acceptable_use`, `territory`,
    a commercial use subject to registration or a hosting limit, a ban on training other
    models on the outputs) restricts use; notices, attribution, naming, share-alike and
    termination on breach ask something of a user without restricting use: unrestricted.
    """
    from robinet.licenses import knowledge_base

    kb = knowledge_base()
    if license_id not in kb.ids():
        return None
    entry = kb.get(license_id)
    if not entry.terms_known or entry.kind != "license":
        return None
    kinds = {t.kind.value for t in entry.terms}
    if "noncommercial" in kinds or any(
        t.params.get("allowed") is False for t in entry.terms_of("commercial_use")
    ):
        return Tier.OPEN_NONCOMMERCIAL
    if (
        kinds & {"user_threshold", "field_of_use", "acceptable_use", "territory"}
        or any(t.params.get("condition") for t in entry.terms_of("commercial_use"))
        or any(t.params.get("allowed") is False for t in entry.terms_of("output_training"))
    ):
        return Tier.OPEN_RESTRICTED
    return Tier.OPEN_UNRESTRICTED


def passes_through(license_id: str) -> bool:
    """Derivatives of weights under this license carry its use restrictions."""
    from robinet.licenses import knowledge_base

    kb = knowledge_base()
    if license_id not in kb.ids():
        return False
    terms = kb.get(license_id).terms_of("derivatives")
    return any(t.params.get("pass_through_use_restrictions") for t in terms)


# -- groups of facts ---------------------------------------------------------------------------
class FactGroups:
    """Union-find over the dated sources' facts, then the Hub repos attached to the groups."""

    def __init__(self, anchors: list[dict[str, Any]]) -> None:
        self.facts = anchors  # most authoritative first: a group's first fact names it
        self.parent = list(range(len(self.facts)))
        self.orgs = [set(f["organizations"] or []) for f in self.facts]
        by_key: dict[str, list[int]] = defaultdict(list)
        for i, fact in enumerate(self.facts):
            for key in name_keys(fact) | {f"hf:{h.lower()}" for h in hf_ids_of(fact)}:
                by_key[key].append(i)
        for key, members in by_key.items():
            for i in members[1:]:
                home = next((j for j in members if j < i and self._fits(j, i, key)), None)
                if home is not None:
                    self._union(home, i)

    def _find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def _fits(self, j: int, i: int, key: str) -> bool:
        # A Hub id joins a catalog entry to the rows it names, whichever organization they
        # credit (Epoch AI credits THUDM's GLM repos to Tsinghua); two Epoch rows linking the
        # same repo (a family page) stay apart unless their names meet.
        if key.startswith("hf:"):
            return CATALOG in (self.facts[j]["source"], self.facts[i]["source"])
        a, b = self.orgs[self._find(j)], self.orgs[self._find(i)]
        return not a or not b or bool(a & b)

    def _union(self, j: int, i: int) -> None:
        rj, ri = self._find(j), self._find(i)
        if rj != ri:
            lo, hi = min(rj, ri), max(rj, ri)
            self.parent[hi] = lo
            self.orgs[lo] |= self.orgs[hi]

    def groups(self) -> list[list[dict[str, Any]]]:
        out: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for i, fact in enumerate(self.facts):
            out[self._find(i)].append(fact)
        return list(out.values())


def hf_ids_of(fact: dict[str, Any]) -> list[str]:
    ids = list(fact.get("hf_ids") or [])
    if fact.get("hf_id") and fact["hf_id"] not in ids:
        ids.insert(0, fact["hf_id"])
    return ids


def attach_repos(
    groups: list[list[dict[str, Any]]], repos: list[dict[str, Any]]
) -> list[list[dict]]:
    """Each group's repos (rule 2), and the groups formed by dated repos with no release."""
    by_hf: dict[str, int] = {}
    by_key: dict[str, list[int]] = defaultdict(list)
    by_family: dict[str, list[int]] = defaultdict(list)
    for g, members in enumerate(groups):
        for fact in members:
            for hf in hf_ids_of(fact):
                by_hf.setdefault(hf.lower(), g)
            for key in name_keys(fact):
                by_key[key].append(g)
            by_family[family_key(fact["name"])].append(g)
    orgs = [{o for f in members for o in f["organizations"] or []} for members in groups]
    attached: list[list[dict[str, Any]]] = [[] for _ in groups]
    loose: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for repo in repos:
        org = repo["organization"]
        hit = by_hf.get(repo["hf_id"].lower())
        rule = "hf_id"
        if hit is None:
            name = repo["name"]
            for candidate, keys in (
                ("name", [slug(name)]),
                ("dated-name", [k for k in [dated_key(name)] if k]),
                ("variant", variant_keys(name)),
            ):
                hit = next((g for k in keys for g in by_key.get(k, []) if org in orgs[g]), None)
                if hit is not None:
                    rule = candidate
                    break
            else:
                rule = "family"
                family = [g for g in by_family.get(family_key(name), []) if org in orgs[g]]
                hit = min(family, key=lambda g: first_date(groups[g])) if family else None
        if hit is None:
            base = (variant_keys(repo["name"]) or [slug(repo["name"])])[-1]
            loose[(org or "", base)].append(repo)
            continue
        repo["match_rule"] = rule
        attached[hit].append(repo)
    merged = [members + extra for members, extra in zip(groups, attached, strict=True)]
    for members in loose.values():
        if any(r["available"] for r in members):  # a source dates it: a release of its own
            for repo in members:
                repo["match_rule"] = "dated-repo"
            merged.append(members)
    return merged


def first_date(facts: list[dict[str, Any]]) -> dt.date:
    return min((f["date"] for f in facts if f["date"]), default=dt.date.max)
