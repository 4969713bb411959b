"""The chips behind the models: Epoch AI's free-text "Training hardware" -> (vendor, chip).

`normalize_hardware("NVIDIA H800 SXM5")` gives `(Chip("nvidia", "h800"),)`;
`normalize_hardware("NVIDIA A800 PCIe,Ascend (昇腾) 910B")` gives two chips, NVIDIA's and
Huawei's (Epoch separates chips with commas). The chip name drops what does not tell one chip
from another — form factor (SXM5, PCIe), memory (80GB), brand lines (Tesla, GeForce), aliases
in parentheses — and keeps the model. A name no vendor pattern recognizes is kept with the
vendor `unknown`, never dropped.

`is_domestic(chip, region)`: the chip's vendor is headquartered in the region (CN: Huawei,
Cambricon, Hygon...; US: NVIDIA, AMD, Intel, Google...), using robinet's region buckets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from robinet.domain import region_of
from robinet.model import Region

UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Chip:
    """One kind of accelerator (or processor) a model was trained on."""

    vendor: str  # a key of VENDORS, or "unknown"
    chip: str  # normalized model name: "h800", "ascend 910b", "tpu v5p"
    quantity: int | None = None


@dataclass(frozen=True, slots=True)
class Vendor:
    id: str
    name: str
    country: str  # ISO 3166-1 alpha-2 of the headquarters
    patterns: tuple[str, ...]  # regexes over the lowercased text; the first vendor matching wins


VENDORS: dict[str, Vendor] = {
    v.id: v
    for v in (
        # Chinese vendors first: "Ascend" or "MLU" never name a US chip.
        Vendor("huawei", "Huawei", "CN", (r"\bhuawei\b", r"\bascend\b", "昇腾")),
        Vendor("cambricon", "Cambricon", "CN", (r"\bcambricon\b", "寒武纪", "思元", r"\bmlu\d")),
        Vendor("hygon", "Hygon", "CN", (r"\bhygon\b", "海光", r"\bdcu\b")),
        Vendor("kunlunxin", "Kunlunxin (Baidu)", "CN", (r"\bkunlun", "昆仑")),
        Vendor(
            "moore-threads", "Moore Threads", "CN", (r"\bmoore threads\b", "摩尔线程", r"\bmtt\b")
        ),
        Vendor("biren", "Biren", "CN", (r"\bbiren\b", "壁仞")),
        Vendor("enflame", "Enflame", "CN", (r"\benflame\b", "燧原")),
        Vendor("metax", "MetaX", "CN", (r"\bmetax\b", "沐曦")),
        Vendor("iluvatar", "Iluvatar CoreX", "CN", (r"\biluvatar\b", "天数智芯")),
        Vendor("google", "Google", "US", (r"\bgoogle\b", r"\btpu\b")),
        Vendor("amd", "AMD", "US", (r"\bamd\b", r"\bradeon\b", r"\binstinct\b", r"\bmi\d{3}")),
        Vendor(
            "intel",
            "Intel",
            "US",
            (r"\bintel\b", r"\bhabana\b", r"\bgaudi", r"\bxeon\b", r"\bpentium\b", r"\bcore i\d"),
        ),
        Vendor(
            "amazon", "Amazon", "US", (r"\bamazon\b", r"\baws\b", r"\btrainium", r"\binferentia")
        ),
        Vendor("cerebras", "Cerebras", "US", (r"\bcerebras\b", r"\bcs-\d\b", r"\bwse-?\d")),
        Vendor("graphcore", "Graphcore", "GB", (r"\bgraphcore\b", r"\bipu\b")),
        Vendor(
            "nvidia",
            "NVIDIA",
            "US",
            (
                r"\bnvidia\b",
                r"\b(tesla|geforce|quadro|titan|dgx)\b",
                r"\b[rg]tx\b",
                r"^(?:[abhklmpv]\d{2,3}[a-z]?|g[bh]\d{3}|l40s?|h20)\b",
            ),
        ),
    )
}

# Vendor and brand words, and what does not tell one chip from another.
_ALIAS = r"\((?:[^()]*[^\x00-\x7f][^()]*)\)"  # an alias in another script: "(昇腾)"
_DROP = (
    r"\b(?:nvidia|tesla|geforce|google|amd|radeon|instinct|huawei|intel|habana|amazon|aws)\b",
    r"\b(?:cerebras|cambricon|hygon|graphcore|kunlunxin)\b",
    r"\b(?:sxm\d?|pcie|dgxs|nvl|hgx|oam)\b",
    r"\b\d+\s*gb\b",  # memory size
    r"\bgpus?\b",
    r"\btrillium\b",  # Google's name for TPU v6e
)
_NATIVE = {"昇腾": " ascend ", "寒武纪": " cambricon ", "思元": " mlu", "海光": " hygon "}
# Epoch separates chips with commas; a comma inside a number ("2,048 × H800") is no separator
_SPLIT = re.compile(r"\s*(?:,(?!\d{3}(?!\d))|;|\+|\band\b)\s*")
# "2048x H800", "2,048 × H800", "H800 x 2048" (never the x of "GTX 580")
_QUANTITY = re.compile(r"^\s*(\d[\d,]*)\s*[x×*]\s+|^\s*(\d[\d,]*)[x×*]|\s+[x×*]\s*(\d[\d,]*)\s*$")


def _vendor_of(text: str) -> str:
    for vendor in VENDORS.values():
        if any(re.search(pattern, text) for pattern in vendor.patterns):
            return vendor.id
    return UNKNOWN


def _chip_name(text: str) -> str:
    text = re.sub(_ALIAS, " ", text)
    for native, latin in _NATIVE.items():
        text = text.replace(native, latin)
    for pattern in _DROP:
        text = re.sub(pattern, " ", text)
    text = re.sub(r"\b(ascend|tpu)\s*(?=\d|v\d)", r"\1 ", text)  # "ascend910b" -> "ascend 910b"
    return re.sub(r"\s+", " ", text).strip(" -")


def _one(part: str, quantity: int | None) -> Chip | None:
    text = part.strip().lower()
    found = _QUANTITY.search(text)
    if found:
        digits = found.group(1) or found.group(2) or found.group(3)
        quantity = int(digits.replace(",", ""))
        text = (text[: found.start()] + " " + text[found.end() :]).strip()
    if not text:
        return None
    vendor = _vendor_of(text)
    name = _chip_name(text) if vendor != UNKNOWN else re.sub(r"\s+", " ", text)
    return Chip(vendor, name or text, quantity)


def normalize_hardware(text: str | None, quantity: int | float | None = None) -> tuple[Chip, ...]:
    """Every chip named in a training-hardware field, in order, without repeats.

    `quantity` (Epoch's "Hardware quantity") is given to the chip when the field names only
    one kind; with several kinds the total cannot be split, and each gets None."""
    if not text or not text.strip():
        return ()
    parts = [p for p in _SPLIT.split(text) if p.strip()]
    total = int(quantity) if quantity and len(parts) == 1 else None
    chips: list[Chip] = []
    for part in parts:
        chip = _one(part, total)
        if chip and all((c.vendor, c.chip) != (chip.vendor, chip.chip) for c in chips):
            chips.append(chip)
    return tuple(chips)


def vendor_country(vendor: str) -> str | None:
    known = VENDORS.get(vendor)
    return known.country if known else None


def is_domestic(chip: Chip, region: Region | str | None) -> bool | None:
    """Whether the chip's vendor is headquartered in `region` (CN, US, EU); None when the
    vendor is unknown or the region is not one (robinet's "other" bucket, or None)."""
    if region is None or chip.vendor == UNKNOWN:
        return None
    try:
        wanted = Region(region)
    except ValueError:
        return None
    if wanted == Region.OTHER:
        return None
    country = vendor_country(chip.vendor)
    if country is None:
        return None
    return region_of(country) == wanted
