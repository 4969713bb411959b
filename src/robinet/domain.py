"""Domain rules every layer may import: organization names and directory, countries, regions,
tiers, name slugs. Below the store and the engines, above only `model` and `errors`."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import pycountry
import yaml

from robinet.model import Region, Tier

# Epoch AI's country spellings that pycountry does not look up as they are.
_COUNTRY_OVERRIDES = {
    "korea (republic of)": "KR",
    "russia": "RU",
    "iran (islamic republic of)": "IR",
}
# Not a country: Epoch marks multinational organizations so.
_NOT_COUNTRIES = {"", "multinational"}

# Region buckets. EU means Europe at large (EU/EEA plus the UK and Switzerland), as the
# Interconnects region list does (it files Stability AI, London, under "eu").
_EUROPE = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    "GB", "CH", "NO", "IS", "LI",
}  # fmt: skip
_CHINA = {"CN", "HK", "MO"}

EPOCH_ACCESS_TIERS = {
    "Open weights (unrestricted)": Tier.OPEN_UNRESTRICTED,
    "Open weights (restricted use)": Tier.OPEN_RESTRICTED,
    "Open weights (non-commercial)": Tier.OPEN_NONCOMMERCIAL,
    "API access": Tier.API,
    "Hosted access (no API)": Tier.HOSTED,
    "Unreleased": Tier.UNRELEASED,
}

INTERCONNECTS_REGIONS = {
    "us": Region.US,
    "china": Region.CN,
    "eu": Region.EU,
    "other": Region.OTHER,
}


class UnknownCountry(ValueError):
    pass


def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 for a country name; None for 'Multinational' or empty."""
    key = name.strip().lower()
    if key in _NOT_COUNTRIES:
        return None
    if key in _COUNTRY_OVERRIDES:
        return _COUNTRY_OVERRIDES[key]
    try:
        return str(pycountry.countries.lookup(name.strip()).alpha_2)
    except LookupError as exc:
        raise UnknownCountry(name) from exc


def country_codes(joined: str) -> tuple[str, ...]:
    """Epoch's comma-joined, repeated country string -> sorted set of ISO codes."""
    codes = {country_code(part) for part in joined.split(",")}
    return tuple(sorted(code for code in codes if code))


def region_of(country: str | None) -> Region | None:
    if not country:
        return None
    if country == "US":
        return Region.US
    if country in _CHINA:
        return Region.CN
    if country in _EUROPE:
        return Region.EU
    return Region.OTHER


def slug(text: str) -> str:
    """Lowercase ASCII words joined by '-': 'Llama 3.1-405B' -> 'llama-3-1-405b'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass(frozen=True)
class OrgAlias:
    id: str
    name: str
    parent: str | None
    aliases: tuple[str, ...]
    hf_orgs: tuple[str, ...]


@dataclass(frozen=True)
class OrgDirectory:
    """Maps every known spelling and Hub namespace to one organization id."""

    entries: dict[str, OrgAlias]
    by_alias: dict[str, str]  # lowercased spelling -> id
    by_hf_org: dict[str, str]  # lowercased Hub namespace -> id

    def resolve(self, name: str) -> str:
        """Organization id for a source's spelling; unknown spellings get their own slug."""
        key = name.strip().lower()
        return self.by_alias.get(key) or self.by_hf_org.get(key) or slug(name)

    def resolve_hf(self, namespace: str) -> str:
        key = namespace.strip().lower()
        return self.by_hf_org.get(key) or self.by_alias.get(key) or slug(namespace)

    def split(self, joined: str) -> tuple[str, ...]:
        """Epoch's comma-joined organization field -> ids, first one first, without repeats."""
        ids: list[str] = []
        for part in joined.split(","):
            if part.strip():
                org = self.resolve(part)
                if org not in ids:
                    ids.append(org)
        return tuple(ids)


@cache
def org_directory() -> OrgDirectory:
    raw = yaml.safe_load((files("robinet") / "data" / "organizations.yaml").read_text("utf-8"))
    entries: dict[str, OrgAlias] = {}
    by_alias: dict[str, str] = {}
    by_hf: dict[str, str] = {}
    for item in raw:
        alias = OrgAlias(
            id=item["id"],
            name=item["name"],
            parent=item.get("parent"),
            aliases=tuple(item.get("aliases", ())),
            hf_orgs=tuple(item.get("hf_orgs", ())),
        )
        entries[alias.id] = alias
        for spelling in alias.aliases:
            by_alias[spelling.lower()] = alias.id
        for namespace in alias.hf_orgs:
            by_hf[namespace.lower()] = alias.id
    return OrgDirectory(entries, by_alias, by_hf)


def half_year(d: dt.date) -> str:
    """'YYYY-H1' (January to June) or 'YYYY-H2': the period every series is counted in. SQL has
    the same rule as the `half_year` macro (robinet.store.macros); tests/test_macros.py proves
    they agree."""
    return f"{d.year}-H{1 if d.month <= 6 else 2}"
