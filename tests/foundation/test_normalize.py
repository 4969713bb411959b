from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from robinet.domain import (
    EPOCH_ACCESS_TIERS,
    UnknownCountry,
    country_codes,
    org_directory,
    region_of,
    slug,
)
from robinet.model import Region, Tier


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("Alibaba", "alibaba"),
        ("Alibaba Cloud", "alibaba"),
        ("Qwen", "alibaba"),
        ("Alibaba-NLP", "alibaba"),
        ("DeepSeek", "deepseek"),
        ("deepseek-ai", "deepseek"),
        ("DeepSeek AI", "deepseek"),
        ("Meta AI", "meta"),
        ("meta-llama", "meta"),
        ("facebook", "meta"),
        ("Z.ai (Zhipu AI)", "zhipu"),
        ("Some New Lab", "some-new-lab"),
    ],
)
def test_organization_spellings_resolve_to_one_id(spelling: str, expected: str) -> None:
    directory = org_directory()
    assert directory.resolve(spelling) == expected


def test_hub_namespaces_resolve() -> None:
    directory = org_directory()
    assert directory.resolve_hf("Qwen") == "alibaba"
    assert directory.resolve_hf("Alibaba-NLP") == "alibaba"
    assert directory.resolve_hf("meta-llama") == "meta"
    assert directory.resolve_hf("someone-else") == "someone-else"


def test_comma_joined_organizations_split_in_order_without_repeats() -> None:
    assert org_directory().split("Z.ai (Zhipu AI),Tsinghua University,Zhipu AI") == (
        "zhipu",
        "tsinghua-university",
    )


def test_epoch_country_strings_become_a_set_of_iso_codes() -> None:
    joined = (
        "United States of America,United States of America,"
        "United Kingdom of Great Britain and Northern Ireland,Multinational"
    )
    assert country_codes(joined) == ("GB", "US")
    assert country_codes("Korea (Republic of),Korea (Republic of)") == ("KR",)
    assert country_codes("Hong Kong,China,China") == ("CN", "HK")
    assert country_codes("") == ()
    with pytest.raises(UnknownCountry):
        country_codes("Atlantis")


def test_regions() -> None:
    assert region_of("US") is Region.US
    assert region_of("HK") is Region.CN
    assert region_of("FR") is Region.EU
    assert region_of("GB") is Region.EU  # Europe at large, as Interconnects counts it
    assert region_of("KR") is Region.OTHER
    assert region_of(None) is None


def test_every_epoch_accessibility_maps_to_a_tier() -> None:
    assert set(EPOCH_ACCESS_TIERS.values()) == set(Tier)
    assert EPOCH_ACCESS_TIERS["Open weights (restricted use)"] is Tier.OPEN_RESTRICTED
    assert Tier.OPEN_NONCOMMERCIAL.open_weights and not Tier.API.open_weights


@given(st.text())
def test_slug_is_idempotent_and_safe(text: str) -> None:
    once = slug(text)
    assert slug(once) == once
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in once)
