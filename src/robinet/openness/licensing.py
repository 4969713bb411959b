"""The weights-license dimension from the license engine's terms, never from a tier label.

    closed   the terms forbid commercial use or redistribution (a non-commercial license)
    partial  the terms allow both but restrict uses or users (an acceptable-use policy, a field
             of use, a user threshold, a territory, a registration condition, outputs that may
             not train other models, use restrictions passed on to derivatives)
    open     neither: only notices, attribution, copyleft or termination terms

Each verdict quotes the term that decides it (clause and verbatim words). The policies a
license incorporates (Llama's acceptable-use policy, Gemma's prohibited-use policy) count as
its terms. A license the knowledge base has no entry for is not classified here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from robinet.openness.mof import CLOSED, OPEN, PARTIAL, is_osi


@dataclass(frozen=True, slots=True)
class LicenseOpenness:
    license_id: str
    name: str
    value: str  # open | partial | closed
    osi: bool  # OSI-approved (the MOF's conditional pass for Class III)
    evidence: str  # the deciding term, with its clause and quote


def _closing(kind: str, params: dict[str, Any]) -> bool:
    if kind == "noncommercial":
        return True
    if kind == "commercial_use":
        return params.get("allowed") is False
    if kind == "redistribution":
        return params.get("allowed") is False
    return False


def _restricting(kind: str, params: dict[str, Any]) -> bool:
    if kind in {"user_threshold", "acceptable_use"}:
        return True
    if kind == "territory":
        return bool(params.get("excluded"))
    if kind == "field_of_use":
        return bool(params.get("prohibited"))
    if kind == "commercial_use":
        return bool(params.get("condition"))
    if kind == "output_training":
        return params.get("allowed") is False or bool(params.get("condition"))
    if kind == "derivatives":
        return bool(params.get("pass_through_use_restrictions"))
    return False


def _quote(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@cache
def license_openness(license_id: str) -> LicenseOpenness | None:
    """How open weights under `license_id` (a knowledge-base id) are; None if it is unknown."""
    from robinet.licenses import knowledge_base

    kb = knowledge_base()
    if license_id not in kb:
        return None
    entry = kb.get(license_id)
    terms = list(entry.terms)
    for policy in entry.incorporates:
        if policy in kb:
            terms += list(kb.get(policy).terms)
    osi = bool(entry.osi_approved) or is_osi(entry.spdx)
    for test, value in ((_closing, CLOSED), (_restricting, PARTIAL)):
        for term in terms:
            kind = str(term.kind.value if hasattr(term.kind, "value") else term.kind)
            if test(kind, dict(term.params)):
                why = f'{kind} term, {term.clause}: "{_quote(term.quote or term.summary)}"'
                return LicenseOpenness(license_id, entry.name, value, osi, why)
    why = "no term restricts use, users or redistribution beyond notices"
    return LicenseOpenness(license_id, entry.name, OPEN, osi, why)


def resolve_license(
    license: str | None = None, name: str | None = None, link: str | None = None
) -> str | None:
    """A Hub license tag, license name or link -> a knowledge-base id (None: no single one)."""
    from robinet.licenses import resolve

    if not (license or name or link):
        return None
    return resolve(license=license, license_name=name, license_link=link).license_id


# License names met in free text (Epoch AI's accessibility notes, a card's prose) -> KB ids.
# Ordered: the more specific first. Only names that denote one license version are listed.
_PROSE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I), lid)
    for pattern, lid in (
        (r"llama\s*3\.3\s+community\s+license", "llama-3.3-license-2024"),
        (r"llama\s*3\.2\s+community\s+license", "llama-3.2-license-2024"),
        (r"llama\s*3\.1\s+community\s+license", "llama-3.1-license-2024"),
        (r"llama\s*3\s+community\s+license", "llama-3-license-2024"),
        (r"llama\s*2\s+community\s+license", "llama-2-license-2023"),
        (r"llama\s*4\s+community\s+license", "llama-4-cla-2025"),
        (r"\bcc[\s-]?by[\s-]?nc[\s-]?sa[\s-]?4\.0", "cc-by-nc-sa-4.0"),
        (r"\bcc[\s-]?by[\s-]?nc[\s-]?4\.0", "cc-by-nc-4.0"),
        (r"\bcc[\s-]?by[\s-]?4\.0", "cc-by-4.0"),
        (r"\bapache[\s-]*(license[\s,]*)?(version\s*)?2(\.0)?\b", "apache-2.0"),
        (r"\bmit\s+license\b|\blicen[cs]ed?\s+under\s+(the\s+)?mit\b|\bmit\b(?=\s*(\.|$))", "mit"),
        (r"\bgpl[\s-]?3", "gpl-3.0"),
    )
)


# Words around a license name that give it to the code, not the weights: "Apache 2.0 for
# inference code", "Apache 2.0 (code)", "MIT license for code", "Code is Apache License 2.0".
_FOR_CODE_AFTER = re.compile(r"^\W{0,3}(\(|for\s+)?(the\s+)?(\w+\s+)?(code|software)\b", re.I)
_FOR_CODE_BEFORE = re.compile(r"\bcode\s+(is\s+)?((licensed\s+)?under\s+)?(the\s+)?$", re.I)


def _for_code(text: str, start: int, end: int) -> bool:
    return bool(_FOR_CODE_AFTER.search(text[end:]) or _FOR_CODE_BEFORE.search(text[:start]))


def license_in_prose(text: str, *, for_code: bool = False) -> tuple[str, str] | None:
    """(KB id, the words naming it) of the first license version named in `text` (the
    earliest in the text; at one place the more specific name). A license the words give to
    the code ("Apache 2.0 for code") is not the weights' one: skipped, unless `for_code`, which
    prefers it."""
    found: list[tuple[bool, int, int, str, str]] = []
    for order, (pattern, lid) in enumerate(_PROSE):
        for match in pattern.finditer(text):
            if re.search(r"\bmodified\s+$", text[: match.start()], re.I):
                continue  # 'Modified MIT license': another license, not the one named
            code = _for_code(text, match.start(), match.end())
            if code and not for_code:
                continue
            found.append((not code, match.start(), order, lid, match.group(0)))
    if not found:
        return None
    found.sort(key=lambda f: (f[0], f[1], f[2]) if for_code else (f[1], f[2]))
    return found[0][3], found[0][4]


def first_known(ids: Iterable[str | None]) -> LicenseOpenness | None:
    for lid in ids:
        if lid:
            found = license_openness(lid)
            if found is not None:
                return found
    return None
