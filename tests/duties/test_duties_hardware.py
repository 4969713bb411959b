"""Chip normalization: the issue's examples, then every training-hardware value of the real
Epoch rows (data/sources/epoch/*.csv)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from robinet.duties.hardware import UNKNOWN, VENDORS, Chip, is_domestic, normalize_hardware
from robinet.model import Region

EPOCH = Path(__file__).resolve().parents[2] / "data" / "sources" / "epoch"

# Real values that normalize to an `unknown` vendor, each with why. Empty today: every
# training-hardware value in the three Epoch CSVs names a vendor robinet knows (NVIDIA,
# Google, AMD, Huawei, Intel, Amazon, Cerebras). A new Epoch release naming a chip robinet
# does not recognize fails the test below: add the vendor, or list the value here with why.
DOCUMENTED_REMAINDER: dict[str, str] = {}


def pairs(text: str) -> list[tuple[str, str]]:
    return [(c.vendor, c.chip) for c in normalize_hardware(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NVIDIA H800 SXM5", [("nvidia", "h800")]),
        ("Ascend (昇腾) 910B", [("huawei", "ascend 910b")]),
        ("Huawei Ascend 910B", [("huawei", "ascend 910b")]),
        ("昇腾910B", [("huawei", "ascend 910b")]),
        ("Huawei Ascend 910", [("huawei", "ascend 910")]),
        ("NVIDIA A800 PCIe,Ascend (昇腾) 910B", [("nvidia", "a800"), ("huawei", "ascend 910b")]),
        ("NVIDIA H100 SXM5 80GB", [("nvidia", "h100")]),
        ("NVIDIA A100 SXM4 40 GB,NVIDIA A100 SXM4 80 GB", [("nvidia", "a100")]),
        ("NVIDIA Tesla V100 DGXS 32 GB", [("nvidia", "v100")]),
        ("NVIDIA GeForce GTX 580", [("nvidia", "gtx 580")]),
        ("NVIDIA GeForce RTX 3090 Ti", [("nvidia", "rtx 3090 ti")]),
        ("NVIDIA B200 GPUs", [("nvidia", "b200")]),
        ("Google TPU v4", [("google", "tpu v4")]),
        ("Google TPU v5e", [("google", "tpu v5e")]),
        ("Google TPU v5p", [("google", "tpu v5p")]),
        ("Google TPU v6e Trillium", [("google", "tpu v6e")]),
        ("Google TPU v4,Google TPU v5e", [("google", "tpu v4"), ("google", "tpu v5e")]),
        ("AMD Radeon Instinct MI250X", [("amd", "mi250x")]),
        ("AMD Instinct MI300X", [("amd", "mi300x")]),
        ("Cambricon MLU370", [("cambricon", "mlu370")]),
        ("寒武纪 思元590", [("cambricon", "mlu590")]),
        ("Hygon DCU Z100", [("hygon", "dcu z100")]),
        ("Intel Gaudi 2", [("intel", "gaudi 2")]),
        ("Intel Core i5-11600K", [("intel", "core i5-11600k")]),
        ("Cerebras CS-2", [("cerebras", "cs-2")]),
        ("Amazon Trainium1", [("amazon", "trainium1")]),
        ("Mystery Accelerator 9", [(UNKNOWN, "mystery accelerator 9")]),
    ],
)
def test_examples(text: str, expected: list[tuple[str, str]]) -> None:
    assert pairs(text) == expected


def test_quantity() -> None:
    # Epoch's "Hardware quantity" goes to the only chip named, not to one of several
    assert normalize_hardware("NVIDIA H800 SXM5", 2048.0) == (Chip("nvidia", "h800", 2048),)
    assert [c.quantity for c in normalize_hardware("NVIDIA A800 PCIe,Ascend 910B", 896)] == [
        None,
        None,
    ]
    assert normalize_hardware("2,048 × H800") == (Chip("nvidia", "h800", 2048),)
    assert normalize_hardware("H800 x 256") == (Chip("nvidia", "h800", 256),)
    assert normalize_hardware("") == normalize_hardware(None) == ()


def test_is_domestic() -> None:
    ascend, h800 = normalize_hardware("NVIDIA H800 SXM5,Huawei Ascend 910B")[::-1]
    assert is_domestic(ascend, "CN") is True
    assert is_domestic(ascend, Region.US) is False
    assert is_domestic(h800, "CN") is False
    assert is_domestic(h800, "US") is True
    for vendor in ("cambricon", "hygon", "huawei"):
        assert is_domestic(Chip(vendor, "x"), "CN") is True
    for vendor in ("nvidia", "amd", "intel", "google", "cerebras", "amazon"):
        assert is_domestic(Chip(vendor, "x"), "US") is True
        assert is_domestic(Chip(vendor, "x"), "CN") is False
    assert is_domestic(Chip("graphcore", "ipu"), "EU") is True  # UK: Europe at large
    assert is_domestic(Chip(UNKNOWN, "x"), "CN") is None
    assert is_domestic(h800, "other") is None
    assert is_domestic(h800, None) is None


def _real_values() -> dict[str, int]:
    values: dict[str, int] = {}
    for path in sorted(EPOCH.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                text = (row.get("Training hardware") or "").strip()
                if text:
                    values[text] = values.get(text, 0) + 1
    return values


def test_every_real_value_names_a_known_vendor() -> None:
    values = _real_values()
    assert len(values) > 100  # the three CSVs that have the column
    remainder = {}
    for text in values:
        chips = normalize_hardware(text)
        assert chips, text
        if all(c.vendor == UNKNOWN for c in chips):
            remainder[text] = chips
        # several chips are kept as several: one per comma-separated part, less repeats
        assert len(chips) <= len(text.split(","))
    assert set(remainder) == set(DOCUMENTED_REMAINDER)


def test_real_chinese_domestic_chips() -> None:
    # the real rows: China Mobile's JIUTIAN-139MoE on "NVIDIA A800 PCIe,Ascend (昇腾) 910B"
    chips = normalize_hardware("NVIDIA A800 PCIe,Ascend (昇腾) 910B")
    assert [is_domestic(c, "CN") for c in chips] == [False, True]
    huawei = {
        c.chip for text in _real_values() for c in normalize_hardware(text) if c.vendor == "huawei"
    }
    assert huawei == {"ascend 910", "ascend 910b", "ascend 800t a2"}


@given(st.text(max_size=80))
def test_never_raises_and_keeps_a_name(text: str) -> None:
    for chip in normalize_hardware(text):
        assert chip.chip
        assert chip.vendor == UNKNOWN or chip.vendor in VENDORS
