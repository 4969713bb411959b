"""Hub metadata -> knowledge-base id.

A model card carries `license:` (a Hub license id such as `llama3.1`, `apache-2.0` or
`other`), and for `other` a `license_name` (`deepseek`, `qwen`, `tongyi-qianwen`, ...) and a
`license_link`. `resolve` maps them to one knowledge-base id and says which input decided and
why. Tags that name no single license (`other`, `unknown`, `cc`, `gpl`, `openrail`...) resolve
to None with the reason and, where it helps, the candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from robinet.licenses.kb import KnowledgeBase, knowledge_base

# Hub tags that do not name one license version. Value: (reason, candidate ids).
NOT_ONE_LICENSE: dict[str, tuple[str, tuple[str, ...]]] = {
    "other": ("the Hub tag 'other' means the license is given by license_name/license_link", ()),
    "unknown": ("the Hub tag 'unknown' means the uploader did not state a license", ()),
    "cc": (
        "the Hub tag 'cc' names the Creative Commons family, not one license",
        ("cc-by-4.0", "cc-by-sa-4.0", "cc-by-nc-4.0", "cc-by-nc-sa-4.0", "cc0-1.0"),
    ),
    "gpl": ("the Hub tag 'gpl' names no GPL version", ("gpl-3.0",)),
    "lgpl": ("the Hub tag 'lgpl' names no LGPL version", ("lgpl-3.0",)),
    "openrail": (
        "the Hub tag 'openrail' names the OpenRAIL family, not one license text",
        (
            "bigscience-open-rail-m",
            "bigcode-open-rail-m-v1",
            "stable-diffusion-2022-08-22",
            "creativeml-openrail-pp-m-2023",
        ),
    ),
    "deepfloyd-if-license": (
        "the DeepFloyd IF license text is not in robinet's reference data, so it has no entry",
        (),
    ),
}


@dataclass(frozen=True, slots=True)
class Resolution:
    """The knowledge-base id that Hub metadata denotes (None when it names no single license)."""

    license_id: str | None
    reason: str
    source: str | None = None  # which input decided: "license", "license_name", "license_link"
    candidates: tuple[str, ...] = ()
    exact: bool = True  # False when the input names a family and the version is assumed


def _key(value: str) -> str:
    return re.sub(r"[\s_]+", "-", value.strip().lower())


def _link_key(value: str) -> str:
    v = value.strip().lower()
    v = re.sub(r"^[a-z]+://", "", v)
    v = re.sub(r"^www\.", "", v)
    v = re.sub(r"[?#].*$", "", v)
    return v.rstrip("/")


class _Tables:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.hub: dict[str, list[str]] = {}
        self.names: dict[str, list[str]] = {}
        self.links: dict[str, list[str]] = {}
        self.spdx: dict[str, str] = {}
        for e in kb.entries:
            for h in e.hub_ids:
                self.hub.setdefault(_key(h), []).append(e.id)
            for n in e.license_names:
                self.names.setdefault(_key(n), []).append(e.id)
            for link in e.license_links:
                self.links.setdefault(_link_key(link), []).append(e.id)
            if e.spdx:
                self.spdx.setdefault(e.spdx.lower(), e.id)
            self.spdx.setdefault(e.id.lower(), e.id)
            if e.scancode_key:
                self.spdx.setdefault(e.scancode_key.lower(), e.id)


_TABLES: dict[int, _Tables] = {}


def _tables(kb: KnowledgeBase) -> _Tables:
    if id(kb) not in _TABLES:
        _TABLES[id(kb)] = _Tables(kb)
    return _TABLES[id(kb)]


def _pick(ids: list[str], kb: KnowledgeBase) -> tuple[str, tuple[str, ...], bool]:
    """One id from several spellings' matches: the earliest release is the one a
    versionless spelling meant when it was coined; the others stay as candidates."""
    uniq = sorted(set(ids))
    if len(uniq) == 1:
        return uniq[0], (), True
    by_date = sorted(uniq, key=lambda i: (str(kb.get(i).release_date or "9999"), i))
    return by_date[0], tuple(uniq), False


def resolve(
    license: str | None = None,
    license_name: str | None = None,
    license_link: str | None = None,
    *,
    kb: KnowledgeBase | None = None,
) -> Resolution:
    """Map a Hub `license` tag, a card's `license_name` and `license_link` to a KB id."""
    kb = kb or knowledge_base()
    t = _tables(kb)
    notes: list[str] = []
    tag = _key(license) if license else None
    if tag and tag.startswith("license:"):
        tag = tag.removeprefix("license:")
    if tag and tag not in ("other", "unknown"):
        if tag in t.hub:
            lid, cands, exact = _pick(t.hub[tag], kb)
            reason = f"Hub license tag {license!r} is {kb.get(lid).name}"
            if not exact:
                listed = ", ".join(cands)
                reason += f" (the tag names no version; assumed the first, candidates: {listed})"
            return Resolution(lid, reason, "license", cands, exact)
        if tag in t.spdx:
            lid = t.spdx[tag]
            return Resolution(
                lid, f"{license!r} is the SPDX/ScanCode id of {kb.get(lid).name}", "license"
            )
        if tag in NOT_ONE_LICENSE:
            why, cands = NOT_ONE_LICENSE[tag]
            notes.append(why)
            if not (license_name or license_link):
                return Resolution(None, why, "license", cands, False)
        else:
            notes.append(f"Hub license tag {license!r} is not in the knowledge base")
    elif tag in NOT_ONE_LICENSE:
        notes.append(NOT_ONE_LICENSE[tag][0])
    if license_name:
        key = _key(license_name)
        found = t.names.get(key) or t.hub.get(key)
        if not found and key in t.spdx:
            found = [t.spdx[key]]
        if found:
            lid, cands, exact = _pick(found, kb)
            reason = f"license_name {license_name!r} is {kb.get(lid).name}"
            if not exact:
                reason += f" (versionless name; assumed the first, candidates: {', '.join(cands)})"
            return Resolution(lid, reason, "license_name", cands, exact)
        notes.append(f"license_name {license_name!r} is not a known spelling")
    if license_link:
        key = _link_key(license_link)
        found = t.links.get(key)
        if not found:
            found = [i for link, ids in t.links.items() if key.endswith(link) for i in ids]
        if found:
            lid, cands, exact = _pick(found, kb)
            reason = f"license_link {license_link!r} points to {kb.get(lid).name}"
            if not exact:
                reason += f" (the link serves several versions; candidates: {', '.join(cands)})"
            return Resolution(lid, reason, "license_link", cands, exact)
        notes.append(
            f"license_link {license_link!r} is not a known license URL "
            "(a repository's own LICENSE file needs `robinet license identify`)"
        )
    if not (license or license_name or license_link):
        notes.append("no license metadata given")
    return Resolution(None, "; ".join(notes), None, (), False)


def find_license(name: str, *, kb: KnowledgeBase | None = None) -> str:
    """The knowledge-base id `name` denotes: an id, a Hub tag (`llama3.1`), an SPDX id
    (`Apache-2.0`) or a ScanCode key; NotFoundError with the closest spellings otherwise."""
    import difflib

    from robinet.errors import NotFoundError

    kb = kb or knowledge_base()
    if name in kb:
        return name
    found = resolve(license=name, kb=kb)
    if found.license_id is not None and found.source == "license":
        return found.license_id
    t = _tables(kb)
    spellings = {i: i for i in kb.ids()}
    spellings.update({h: ids[0] for h, ids in t.hub.items()})
    close = difflib.get_close_matches(_key(name), list(spellings), n=3, cutoff=0.6)
    ids = list(dict.fromkeys(spellings[c] for c in close))
    hint = "`robinet license list` shows the known ids"
    if ids:
        hint = f"did you mean {', '.join(repr(i) for i in ids)}? ({hint})"
    raise NotFoundError(f"unknown license {name!r}", hint=hint)
