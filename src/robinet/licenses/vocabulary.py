"""The words the knowledge base and the verdicts share: uses, modalities, regions, purpose
categories and attribution triggers.

A term's parameters may only use these words (`schema.py` rejects any other at load), and
`verdicts.py` decides with them: a category spelled one way in a YAML entry and another way
here would make a prohibition that never fires.
"""

from __future__ import annotations

import re

USES = ("commercial", "research", "personal")
MODALITIES = ("text", "vision", "multimodal")

EU = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
REGION_GROUPS = {"EU": EU}
COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}

# Purpose categories used in field_of_use `prohibited` lists, and words that reveal them.
PURPOSES: dict[str, tuple[str, ...]] = {
    "military": (
        "military",
        "warfare",
        "army",
        "armed forces",
        "defense",
        "defence",
        "nuclear",
        "espionage",
        "battlefield",
    ),
    "weapons": ("weapon", "guns", "firearm", "explosive", "munition", "bioweapon"),
    "surveillance": (
        "surveillance",
        "tracking people",
        "monitoring people",
        "facial recognition",
        "biometric",
        "predictive policing",
    ),
    "minors": ("child sexual", "csam", "exploit minors", "grooming"),
    "disinformation": ("disinformation", "misinformation", "fake news", "propaganda"),
    "harassment": ("harass", "bullying", "stalking"),
    "discrimination": ("discriminat",),
    "automated_decisions": (
        "automated decision",
        "credit scoring",
        "hiring decision",
        "loan approval",
        "insurance underwriting",
    ),
    "unlicensed_practice": ("medical advice", "legal advice", "financial advice", "diagnos"),
    "critical_infrastructure": (
        "critical infrastructure",
        "power grid",
        "air traffic",
        "heavy machinery",
    ),
    "drugs": ("illegal drugs", "narcotic"),
    "malware": ("malware", "ransomware", "computer virus", "cyberattack"),
    "fraud": ("fraud", "scam", "phishing"),
    "spam": ("spam",),
    "impersonation": ("impersonat", "deepfake"),
    "privacy": ("personal data harvesting", "doxx", "scraping personal"),
    "violence": ("terroris", "incite violence", "violent extremism"),
    "self_harm": ("self-harm", "self harm", "suicide"),
    "defamation": ("defam",),
    "illegal": ("illegal activit", "crime", "criminal activit"),
}

# When an attribution term's notice is owed: distributing or offering a product or service,
# redistributing, sharing a derivative, crossing its user threshold, or always.
ATTRIBUTION_TRIGGERS = ("product", "redistribute", "derivative", "threshold", "always")


def known_region(region: str) -> bool:
    """A real ISO 3166-1 alpha-2 country, EU, or one of the aliases licenses use (UK, EL)."""
    import pycountry

    code = region.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        return False
    code = COUNTRY_ALIASES.get(code, code)
    return code == "EU" or pycountry.countries.get(alpha_2=code) is not None
