"""Scenarios: Meta Llama 1-4 and their acceptable-use policies; Google Gemma."""

from __future__ import annotations

import pytest
from scenario import S, judge

L31, L32, L4 = "llama-3.1-license-2024", "llama-3.2-license-2024", "llama-4-cla-2025"
AUP32 = "llama-3.2-aup-2024"
MULTIMODAL = (
    "With respect to any multimodal models included in Llama 3.2, the rights granted under "
    "Section 1(a) of the Llama 3.2 Community License Agreement are not being granted to you if "
    "you are an individual domiciled in, or a company with a principal place of business in, "
    "the European Union. This restriction does not apply to end users of a product or service "
    "that incorporates any such multimodal models."
)
THRESHOLD = (
    "If, on the Llama 3.1 version release date, the monthly active users of the products or "
    "services made available by or for Licensee, or Licensee’s affiliates, is greater than 700 "
    "million monthly active users in the preceding calendar month, you must request a license "
    "from Meta"
)
UNLICENSED = (
    "Engage in the unauthorized or unlicensed practice of any profession including, but not "
    "limited to, financial, legal, medical/health, or related professional practices"
)

SCENARIOS = [
    # -- who and where: Llama 3.2 multimodal and the EU --------------------------------------
    S(
        "us-company-german-users-llama32-vision",
        L32,
        {"licensee_country": "US", "market": "DE", "modality": "vision", "distribution": "hosted"},
        "conditional",
        "1.b.i",
        "prominently display “Built with Llama”",
        kinds=("attribution-display", "use-policy-compliance"),
        text="Built with Llama",
    ),
    S(
        "french-company-llama32-vision",
        L32,
        {"licensee_country": "FR", "modality": "vision"},
        "deny",
        "Prohibited Uses (multimodal)",
        MULTIMODAL,
        source=AUP32,
    ),
    S(
        "french-company-llama32-text-only",
        L32,
        {"region": "FR", "modality": "text"},
        "conditional",
        "1.b.iv",
        "adhere to the Acceptable Use Policy for the Llama Materials",
    ),
    S(
        "french-company-llama32-modality-unknown",
        L32,
        {"licensee_country": "FR"},
        "conditional",
        "Prohibited Uses (multimodal)",
        MULTIMODAL,
        source=AUP32,
        kinds=("territory-limit",),
    ),
    S(
        "german-individual-llama4-multimodal",
        L4,
        {"licensee_country": "DE", "modality": "multimodal", "use": "personal"},
        "deny",
        "Prohibited Uses (multimodal)",
        "are not being granted to you if you are an individual domiciled in, or a company with a "
        "principal place of business in, the European Union",
        source="llama-4-license-2025",
    ),
    S(
        "us-company-eu-market-llama4-audio",
        L4,
        {"licensee_country": "US", "market": "EU", "modality": "multimodal"},
        "conditional",
        "1.b.iv",
        "adhere to the Acceptable Use Policy for the Llama Materials",
    ),
    S(
        "llama31-text-in-eu-no-exclusion",
        L31,
        {"region": "DE", "modality": "vision"},
        "conditional",
        "1.b.iv",
        "adhere to the Acceptable Use Policy for the Llama Materials",
        absent=("territory-limit",),
    ),
    # -- how many: all products of the licensee and affiliates ------------------------------
    S(
        "llama31-product-small-group-large",
        L31,
        {"monthly_users": 2_000_000, "group_monthly_users": 900_000_000},
        "deny",
        "2",
        THRESHOLD,
    ),
    S("llama31-product-800m", L31, {"monthly_users": 800_000_000}, "deny", "2", THRESHOLD),
    S(
        "llama31-group-within",
        L31,
        {"monthly_users": 5_000_000, "group_monthly_users": 600_000_000},
        "conditional",
        "1.b.iv",
        "adhere to the Acceptable Use Policy for the Llama Materials",
        absent=("user-limit",),
    ),
    S("llama31-users-unknown", L31, {}, "conditional", "2", THRESHOLD, kinds=("user-limit",)),
    # -- what reaches others ------------------------------------------------------------------
    S(
        "llama31-internal-only",
        L31,
        {"monthly_users": 1000, "distribution": "none"},
        "conditional",
        "1.b.iv",
        "adhere to the Acceptable Use Policy for the Llama Materials",
        absent=("attribution-display", "license-copy", "notice-file"),
    ),
    S(
        "llama31-unmodified-copies",
        L31,
        {"monthly_users": 1000, "distribution": "unmodified"},
        "conditional",
        "1.b.iii",
        "“Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright © Meta Platforms, "
        "Inc. All Rights Reserved.”",
        kinds=("license-copy", "notice-file"),
        absent=("name-prefix",),
        text="Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright © Meta "
        "Platforms, Inc. All Rights Reserved.",
    ),
    S(
        "llama31-finetune-named-right",
        L31,
        {"distribution": "modified", "derivative_name": "Llama-3.1-MyCorp-8B"},
        "conditional",
        "1.b.i",
        "you shall also include “Llama” at the beginning of any such AI model name",
        kinds=("name-prefix",),
    ),
    S(
        "llama31-finetune-named-wrong",
        L31,
        {"distribution": "modified", "derivative_name": "MyCorp-Chat-8B"},
        "deny",
        "1.b.i",
        "you shall also include “Llama” at the beginning of any such AI model name",
    ),
    S(
        "llama3-name-needs-llama-3",
        "llama-3-license-2024",
        {"redistribute": True, "derivative_name": "Llama-3-MyCorp-8B"},
        "conditional",
        "1.b.i",
        "you shall also include “Llama 3” at the beginning of any such AI model name",
        kinds=("name-prefix", "attribution-display"),
        text="Built with Meta Llama 3",
    ),
    S(
        "llama3-name-llama-30b-is-not-llama-3",
        "llama-3-license-2024",
        {"redistribute": True, "derivative_name": "Llama-30B-chat"},
        "deny",
        "1.b.i",
        "you shall also include “Llama 3” at the beginning of any such AI model name",
    ),
    # -- outputs --------------------------------------------------------------------------------
    S(
        "llama2-outputs-train-another-llm",
        "llama-2-license-2023",
        {"use": "research", "train_on_outputs": True},
        "deny",
        "1.b.v",
        "You will not use the Llama Materials or any output or results of the Llama Materials to "
        "improve any other large language model (excluding Llama 2 or derivative works thereof)",
    ),
    S(
        "llama31-outputs-train-distributed-model",
        L31,
        {"train_on_outputs": True, "distribution": "modified"},
        "conditional",
        "1.b.i",
        "If you use the Llama Materials or any outputs or results of the Llama Materials to "
        "create, train, fine tune, or otherwise improve an AI model",
        kinds=("name-prefix", "output-use"),
    ),
    # -- purposes on the taxonomy ---------------------------------------------------------------
    S(
        "llama32-military",
        L32,
        {"purposes": ["military"]},
        "deny",
        "Prohibited Uses 2",
        "Military, warfare, nuclear industries or applications, espionage",
        source=AUP32,
    ),
    S(
        "llama32-malware-generation",
        L32,
        {"purposes": ["malware"]},
        "deny",
        "Prohibited Uses 2",
        "Create, generate, or facilitate the creation of malicious code, malware, computer viruses",
        source=AUP32,
    ),
    S(
        "llama31-impersonation",
        L31,
        {"purposes": ["impersonation"]},
        "deny",
        "Prohibited Uses 2",
        "Impersonating another individual without consent, authorization, or legal right",
        source="llama-3.1-aup-2024",
    ),
    S(
        "llama32-medical-advice-is-qualified",
        L32,
        {"purposes": ["medical-advice"]},
        "conditional",
        "Prohibited Uses 2",
        UNLICENSED,
        source=AUP32,
        kinds=("use-policy-compliance",),
    ),
    S(
        "llama32-critical-infrastructure",
        L32,
        {"purposes": ["critical-infrastructure"]},
        "deny",
        "Prohibited Uses 2",
        "Operation of critical infrastructure, transportation technologies, or heavy machinery",
        source=AUP32,
    ),
    S(
        "llama32-spam-filter-described",
        L32,
        {"purpose_text": "a spam filter for our mail"},
        "conditional",
        "1.b.iv",
        "adhere to the Acceptable Use Policy for the Llama Materials",
    ),
    S(
        "llama32-sexual-content-not-prohibited-as-such",
        L32,
        {"purposes": ["sexual-content"]},
        "conditional",
        "1.b.iv",
        "adhere to the Acceptable Use Policy for the Llama Materials",
    ),
    S(
        "llama1-commercial",
        "llama-license-2023",
        {"use": "commercial"},
        "deny",
        "2.a",
        "for (i) any commercial or production purposes",
    ),
    S(
        "llama1-research-surveillance",
        "llama-license-2023",
        {"use": "research", "purposes": ["surveillance"]},
        "deny",
        "2.a",
        "purposes of surveillance, including any research or development relating to surveillance",
    ),
    S(
        "llama1-research",
        "llama-license-2023",
        {"use": "research"},
        "conditional",
        "2.a",
        "military purposes or in the service of nuclear technology",
    ),
    # -- Gemma ----------------------------------------------------------------------------------
    S(
        "gemma-sexual-chatbot",
        "gemma-tou-2024-04-01",
        {"purposes": ["sexual-content"]},
        "conditional",
        "Prohibited uses",
        "Generate sexually explicit content, including content created for the purposes of "
        "pornography or sexual gratification (e.g. sexual chatbots)",
        source="gemma-pup-2024-02-21",
        kinds=("use-policy-compliance",),
    ),
    S(
        "gemma-tracking-people",
        "gemma-tou-2025-03-24",
        {"purposes": ["surveillance"]},
        "deny",
        "Prohibited uses",
        "Tracking or monitoring people without their consent",
        source="gemma-pup-2024-02-21",
    ),
    S(
        "gemma-fine-tune-shared",
        "gemma-tou-2024-04-01",
        {"distribution": "modified"},
        "conditional",
        "3.1",
        '"Gemma is provided under and subject to the Gemma Terms of Use found at '
        'ai.google.dev/gemma/terms"',
        kinds=("license-copy", "notice-file", "modification-notice", "use-policy-passthrough"),
        text="Gemma is provided under and subject to the Gemma Terms of Use found at "
        "ai.google.dev/gemma/terms",
    ),
    S(
        "gemma-hosted-assistant",
        "gemma-tou-2025-03-24",
        {"distribution": "hosted"},
        "conditional",
        "3.2",
        "for the restricted uses set forth in the Gemma Prohibited Use Policy",
        kinds=("use-policy-passthrough",),
        absent=("notice-file", "modification-notice"),
    ),
]


@pytest.mark.parametrize("s", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_scenario(s: S) -> None:
    judge(s)
