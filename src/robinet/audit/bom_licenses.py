"""Licenses as the BOM formats name them: never dropped.

A knowledge-base license with an SPDX List id is that id; any other (a vendor's model license,
a ScanCode-only key) is `LicenseRef-robinet-<id>` with its name, a URL and its reference text;
a declaration robinet cannot resolve (`license: other` and nothing else) keeps what was written.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BomLicense:
    key: str  # the knowledge-base id, or `unknown:<declared>`
    spdx: str | None  # an SPDX License List id
    ref: str  # the SPDX id or LicenseRef-robinet-<...>
    name: str
    url: str | None
    text: str | None
    known: bool


def _ref_part(text: str) -> str:
    return "".join(c if c.isalnum() or c in ".-" else "-" for c in text).strip("-") or "unknown"


@functools.lru_cache(maxsize=512)
def bom_license(license_id: str | None, declared: str | None = None) -> BomLicense:
    """How a BOM names a license (its knowledge-base id, else the declaration as written)."""
    from robinet.licenses import knowledge_base

    kb = knowledge_base()
    if license_id is None or license_id not in kb:
        said = declared or license_id or "none declared"
        return BomLicense(
            f"unknown:{said}",
            None,
            f"LicenseRef-robinet-unknown-{_ref_part(said)}",
            f"unresolved license declaration: {said}",
            None,
            None,
            False,
        )
    entry = kb.get(license_id)
    spdx = entry.spdx if entry.spdx and not entry.spdx.startswith("LicenseRef-") else None
    if spdx:
        url = f"https://spdx.org/licenses/{spdx}.html"
    elif entry.license_links:
        link = entry.license_links[0]
        url = link if "://" in link else f"https://{link}"
    elif entry.scancode_key:
        url = f"https://scancode-licensedb.aboutcode.org/{entry.scancode_key}.html"
    else:
        url = None
    text = entry.text() or None
    ref = spdx or f"LicenseRef-robinet-{_ref_part(entry.id)}"
    return BomLicense(entry.id, spdx, ref, entry.name, url, text, True)
