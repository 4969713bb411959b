"""The words the knowledge base and the verdicts share: uses, modalities, distributions,
regions, the purposes taxonomy, attribution triggers and obligation kinds.

A term's parameters may only use these words (`schema.py` rejects any other at load), and
`verdicts.py` decides with them: a category spelled one way in a YAML entry and another way
here would make a prohibition that never fires.
"""

from __future__ import annotations

import difflib
import re

USES = ("commercial", "research", "personal")
MODALITIES = ("text", "vision", "audio", "multimodal")
# How the model reaches others: not at all, as a hosted service (API, app), or as copies of
# the weights (unmodified, or modified / a derivative).
DISTRIBUTIONS = ("none", "hosted", "unmodified", "modified")
# What a territory restriction looks at: the licensee's principal place of business (or an
# individual's domicile), or the places where the model, its outputs or the product are used
# or offered (the market).
TERRITORY_BINDS = ("licensee", "market")
# Whose monthly users a threshold counts: the product's, or every product of the licensee
# and its affiliates.
USER_COUNTS = ("product", "group")

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

# The purposes taxonomy: what `--purpose` accepts and what a field_of_use term's
# `prohibitions` map a license's words onto. A category names a kind of use, as a compliance
# lead would declare it; each license's own wording (and any qualifier it adds, such as
# "unlicensed" practice) is kept with its mapping, with clause and quote.
PURPOSES: dict[str, str] = {
    "military": "military, warfare or defence applications, espionage",
    "weapons": "developing, making or using weapons (guns, explosives, CBRN weapons)",
    "surveillance": "tracking, monitoring or profiling people, predictive policing",
    "biometric-identification": "identifying or categorising people from biometric data "
    "(face, voice, fingerprint recognition)",
    "malware": "creating malicious code, malware, ransomware or cyber attacks",
    "spam": "generating or distributing spam",
    "impersonation": "impersonating a real person without consent, deepfakes",
    "sexual-content": "sexually explicit content, pornography, sexual chatbots",
    "child-safety": "exploiting or harming minors, child sexual abuse material",
    "harassment": "harassing, bullying, threatening or abusing people",
    "disinformation": "generating or spreading false or misleading information",
    "defamation": "defamatory content about people or organizations",
    "discrimination": "discriminating against people, including by protected characteristics",
    "fraud": "fraud, scams, phishing, deceptive practices",
    "fake-engagement": "fake reviews and other false online engagement",
    "privacy": "collecting, generating or inferring personal or sensitive data about people",
    "undisclosed-ai-content": "presenting generated content as human-made or not disclosing "
    "that it is machine generated",
    "medical-advice": "giving medical or health advice, diagnosis, interpreting results",
    "legal-advice": "giving legal advice or services",
    "financial-advice": "giving financial, accounting or investment advice",
    "automated-decisions": "automated decisions affecting people's rights, credit, "
    "employment, housing, insurance or benefits",
    "law-enforcement": "administration of justice, law enforcement, immigration or asylum, "
    "predicting crime",
    "critical-infrastructure": "operating critical infrastructure, transportation or heavy "
    "machinery",
    "self-harm": "content promoting or facilitating suicide, self-harm or eating disorders",
    "violence": "inciting or promoting violence",
    "terrorism": "terrorism or violent extremism",
    "drugs": "illegal drugs and controlled substances",
    "illegal-activity": "any activity that violates the law",
}

# When an attribution term's notice is owed: distributing or offering a product or service,
# redistributing, sharing a derivative, crossing its user threshold, or always.
ATTRIBUTION_TRIGGERS = ("product", "redistribute", "derivative", "threshold", "always")

# The kinds of obligation a verdict lists (docs/licenses.md), each with what it asks.
OBLIGATION_KINDS: dict[str, str] = {
    "license-copy": "give recipients a copy of the license",
    "notice-file": "ship a Notice file with the exact text the license gives",
    "modification-notice": "mark modified files with prominent notices of the change",
    "attribution-display": "display an attribution (e.g. 'Built with Llama') or credit",
    "name-prefix": "begin a distributed derivative's name with the required prefix",
    "use-policy-compliance": "keep every use out of the license's prohibited uses",
    "use-policy-passthrough": "make the use restrictions binding on recipients and users",
    "publication-statement": "state the license or its terms where the model is published",
    "registration": "register with, or obtain authorization from, the licensor",
    "source-offer": "offer the corresponding source to recipients or network users",
    "share-alike": "license derivatives under the same license",
    "user-limit": "stay within a monthly-user or revenue threshold (else a separate license)",
    "territory-limit": "keep the licensee or the use out of excluded territories",
    "output-use": "a condition on using outputs to train or improve models",
    "hosting-limit": "a condition on offering the model as a hosted service",
}


def known_region(region: str) -> bool:
    """A real ISO 3166-1 alpha-2 country, EU, or one of the aliases licenses use (UK, EL)."""
    import pycountry

    code = region.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        return False
    code = COUNTRY_ALIASES.get(code, code)
    return code == "EU" or pycountry.countries.get(alpha_2=code) is not None


def did_you_mean(
    word: str, known: tuple[str, ...] | list[str] | set[str], *, listed: bool = True
) -> str:
    """' (did you mean X? known: ...)', the closest known spelling and, if `listed`, all."""
    close = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.75)
    parts = [f"did you mean {close[0]!r}?"] if close else []
    if listed:
        parts.append(f"known: {', '.join(sorted(known))}")
    return f" ({' '.join(parts)})" if parts else ""
