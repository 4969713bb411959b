"""Scenarios: DeepSeek, Qwen / Tongyi Qianwen, Tencent Hunyuan, Yi, ChatGLM / GLM, Moonshot,
bilibili, LG EXAONE, NAVER HyperCLOVA X, and licenses known by name only."""

from __future__ import annotations

import pytest
from scenario import S, judge

HY, HY3D, DS = "tencent-hunyuan-community-2024", "tencent-hunyuan-3d-2.0-cla", "deepseek-la-1.0"
TERRITORY = (
    "“Territory” shall mean the worldwide territory, excluding the territory of the European Union"
)
HY_NOTICE = (
    "Tencent Hunyuan is licensed under the Tencent Hunyuan Community License Agreement, "
    "Copyright © 2024 Tencent. All Rights Reserved. The trademark rights of “Tencent Hunyuan” "
    "are owned by Tencent or its affiliate."
)
HY_USERS = (
    "If, on the Tencent Hunyuan version release date, the monthly active users of all products "
    "or services made available by or for Licensee is greater than 100 million monthly active "
    "users in the preceding calendar month, You must request a license from Tencent"
)
QWEN_USERS = (
    "If you are commercially using the Materials, and your product or service has more than "
    "100 million monthly active users, you shall request a license from us."
)
UNLICENSED_HY = (
    "To engage in the unauthorized or unlicensed practice of any profession including, but not "
    "limited to, financial, legal, medical/health, or other professional practices."
)

SCENARIOS = [
    # -- DeepSeek: use restrictions bind every use ---------------------------------------------
    S(
        "deepseek-no-purpose-is-not-mit",
        DS,
        {},
        "conditional",
        "Attachment A",
        "You agree not to use the Model or Derivatives of the Model",
        kinds=("use-policy-compliance",),
    ),
    S(
        "deepseek-military",
        DS,
        {"purposes": ["military"]},
        "deny",
        "Attachment A",
        "For military use in any way",
    ),
    S(
        "deepseek-not-for-military-text",
        DS,
        {"purpose_text": "not for military use"},
        "conditional",
        "Attachment A",
        "For military use in any way",
    ),
    S(
        "deepseek-fraud-detection-bank",
        DS,
        {"purposes": ["financial-advice"]},
        "conditional",
        "Attachment A",
        "You agree not to use the Model or Derivatives of the Model",
    ),
    S(
        "deepseek-automated-credit-decisions",
        DS,
        {"purposes": ["automated-decisions"]},
        "deny",
        "Attachment A",
        "For fully automated decision making that adversely impacts an "
        "individual’s legal rights or otherwise creates or modifies a binding, enforceable "
        "obligation",
    ),
    S(
        "deepseek-finetune-shared",
        DS,
        {"distribution": "modified"},
        "conditional",
        "4.b",
        "You must give any Third Party recipients of the Model or Derivatives of the Model a copy "
        "of this License",
        kinds=("license-copy", "modification-notice", "use-policy-passthrough"),
    ),
    S(
        "deepseek-hosted-passes-restrictions-on",
        DS,
        {"distribution": "hosted"},
        "conditional",
        "4.a",
        "Use-based restrictions as referenced in paragraph 5 MUST be included as an "
        "enforceable provision by You in any type of legal agreement",
        kinds=("use-policy-passthrough",),
        absent=("license-copy",),
    ),
    # -- Qwen counts the product's users -----------------------------------------------------
    S(
        "qwen-product-small-group-large",
        "qwen-2024",
        {"monthly_users": 5_000_000, "group_monthly_users": 900_000_000},
        "allow",
        "4",
        QWEN_USERS,
    ),
    S("qwen-product-150m", "qwen-2024", {"monthly_users": 150_000_000}, "deny", "4", QWEN_USERS),
    S(
        "qwen-research-150m",
        "qwen-2024",
        {"use": "research", "monthly_users": 150_000_000},
        "allow",
        "2",
        "You are granted a non-exclusive, worldwide, non-transferable and "
        "royalty-free limited license",
    ),
    S(
        "qwen-finetune-shared",
        "qwen-2024",
        {"monthly_users": 10, "distribution": "modified"},
        "conditional",
        "3",
        "You shall cause any modified files to carry prominent notices "
        "stating that you changed the files",
        kinds=("license-copy", "notice-file", "modification-notice", "attribution-display"),
        absent=("use-policy-passthrough", "use-policy-compliance"),
        text="Qwen is licensed under the Qwen LICENSE AGREEMENT, Copyright (c) Alibaba Cloud. "
        "All Rights Reserved.",
    ),
    S(
        "qwen-research-license-commercial",
        "qwen-research-license-2024",
        {},
        "deny",
        "2.a",
        "FOR NON-COMMERCIAL PURPOSES ONLY",
    ),
    S(
        "tongyi-research-personal-is-not-research",
        "tongyi-qianwen-research-2023",
        {"use": "personal"},
        "deny",
        "2.a",
        "FOR NON-COMMERCIAL PURPOSES ONLY",
    ),
    S(
        "tongyi-research-evaluation",
        "tongyi-qianwen-research-2023",
        {"use": "research"},
        "allow",
        "2.a",
        "FOR NON-COMMERCIAL PURPOSES ONLY",
    ),
    S(
        "tongyi-2023-outputs-train-another-llm",
        "tongyi-qianwen-2023",
        {"monthly_users": 10, "train_on_outputs": True},
        "deny",
        "5.b",
        "You can not use the Materials or any output therefrom to improve any other large "
        "language model",
    ),
    # -- Hunyuan: the Territory binds where it is used, and who uses it ----------------------
    S(
        "hunyuan-deployment-in-germany",
        HY,
        {"region": "DE", "monthly_users": 1000},
        "deny",
        "1.l, 5.c",
        TERRITORY,
    ),
    S(
        "hunyuan-us-company-serving-germany",
        HY,
        {"licensee_country": "US", "market": "DE"},
        "deny",
        "1.l, 5.c",
        TERRITORY,
    ),
    S(
        "hunyuan-german-company-us-market",
        HY,
        {"licensee_country": "DE", "market": "US"},
        "deny",
        "1.l, 5.c",
        TERRITORY,
    ),
    S(
        "hunyuan-us-only",
        HY,
        {"region": "US", "monthly_users": 1000},
        "conditional",
        "Exhibit A",
        "You agree not to use Tencent Hunyuan or Model Derivatives",
        absent=("territory-limit",),
    ),
    S(
        "hunyuan-where-unknown",
        HY,
        {"monthly_users": 1000},
        "conditional",
        "1.l, 5.c",
        TERRITORY,
        kinds=("territory-limit",),
    ),
    S(
        "hunyuan-uk-is-in-territory",
        HY,
        {"region": "GB", "monthly_users": 1000},
        "conditional",
        "Exhibit A",
        "You agree not to use Tencent Hunyuan or Model Derivatives",
    ),
    S(
        "hunyuan-group-users",
        HY,
        {"region": "US", "monthly_users": 10_000, "group_monthly_users": 200_000_000},
        "deny",
        "4",
        HY_USERS,
    ),
    S(
        "hunyuan-military",
        HY,
        {"region": "US", "purposes": ["military"]},
        "deny",
        "Exhibit A 19",
        "For military purposes",
    ),
    S(
        "hunyuan-malware",
        HY,
        {"region": "US", "purposes": ["malware"]},
        "deny",
        "Exhibit A 10",
        "To generate and/or disseminate malware (including ransomware)",
    ),
    S(
        "hunyuan-impersonation",
        HY,
        {"region": "US", "purposes": ["impersonation"]},
        "deny",
        "Exhibit A 13",
        "To impersonate another individual without consent, authorization, or legal right",
    ),
    S(
        "hunyuan-terrorism",
        HY,
        {"region": "US", "purposes": ["terrorism"]},
        "deny",
        "Exhibit A 16",
        "To perform, facilitate, threaten, incite, plan, promote or encourage "
        "violent extremism or terrorism",
    ),
    S(
        "hunyuan-weapons-not-in-its-policy",
        HY,
        {"region": "US", "purposes": ["weapons"]},
        "conditional",
        "Exhibit A",
        "You agree not to use Tencent Hunyuan or Model Derivatives",
    ),
    S(
        "hunyuan-surveillance-not-in-its-policy",
        HY,
        {"region": "US", "purposes": ["surveillance"]},
        "conditional",
        "Exhibit A",
        "You agree not to use Tencent Hunyuan or Model Derivatives",
    ),
    S(
        "hunyuan-legal-advice-unlicensed",
        HY,
        {"region": "US", "purposes": ["legal-advice"]},
        "conditional",
        "Exhibit A 20",
        UNLICENSED_HY,
        kinds=("use-policy-compliance",),
    ),
    S(
        "hunyuan-copies-in-territory",
        HY,
        {"region": "US", "monthly_users": 1, "distribution": "modified"},
        "conditional",
        "3.d",
        "All distributions to Third Parties (other than through a Hosted Service) must be "
        "accompanied by a “Notice” text file that contains the following notice",
        kinds=("license-copy", "notice-file", "modification-notice", "use-policy-passthrough"),
        text=HY_NOTICE,
    ),
    S(
        "hunyuan-hosted-no-notice-file",
        HY,
        {"region": "US", "monthly_users": 1, "distribution": "hosted"},
        "conditional",
        "3.a",
        "You must provide all such Third Party recipients of the Tencent Hunyuan Works or products "
        "or services using them a copy of this Agreement",
        kinds=("license-copy",),
        absent=("notice-file",),
    ),
    S(
        "hunyuan3d-korea",
        HY3D,
        {"region": "KR"},
        "deny",
        "1.l",
        "excluding the territory of the European Union, United Kingdom and South Korea",
    ),
    S(
        "hunyuan3d-uk-alias",
        HY3D,
        {"region": "UK"},
        "deny",
        "1.l",
        "excluding the territory of the European Union, United Kingdom and South Korea",
    ),
    S(
        "hunyuan3d-2m-users",
        HY3D,
        {"region": "US", "monthly_users": 2_000_000},
        "deny",
        "4",
        "is greater than 1 million monthly active users in the preceding calendar month, You must "
        "request a license from Tencent",
    ),
    # -- Yi, ChatGLM, Moonshot, bilibili, EXAONE, HyperCLOVA X ------------------------------
    S(
        "yi-commercial-registration",
        "yi-community-2023-11-23",
        {},
        "conditional",
        "4",
        "please refer to the Registration Form of Yi Series Models for Commercial Purposes",
        kinds=("registration",),
    ),
    S(
        "yi-military",
        "yi-license-2023-11-04",
        {"purposes": ["military"]},
        "deny",
        "3",
        "You shall not, for military or unlawful purposes",
    ),
    S(
        "chatglm3-commercial-registers",
        "chatglm3-6b-license-2023",
        {},
        "conditional",
        "2",
        "Users who wish to use the models for commercial purposes must register",
        kinds=("registration", "use-policy-compliance"),
    ),
    S(
        "chatglm3-military",
        "chatglm3-6b-license-2023",
        {"use": "research", "purposes": ["military"]},
        "deny",
        "3",
        "for any military or illegal purposes",
    ),
    S(
        "kimi-big-product-displays",
        "moonshot-ai-modified-mit-2025",
        {"monthly_users": 150_000_000, "distribution": "hosted"},
        "conditional",
        "modification",
        'you shall prominently display "Kimi K2" on the user interface of such product or service',
        kinds=("attribution-display",),
        text="Kimi K2",
    ),
    S(
        "kimi-revenue-trigger",
        "moonshot-ai-modified-mit-2025",
        {"monthly_users": 1000, "annual_revenue": 600_000_000, "distribution": "hosted"},
        "conditional",
        "modification",
        "more than 100 million monthly active users, or more than 20 million US dollars",
        kinds=("attribution-display",),
    ),
    S(
        "kimi-small",
        "moonshot-ai-modified-mit-2025",
        {"monthly_users": 1000, "annual_revenue": 1_000_000, "distribution": "hosted"},
        "allow",
        "grant",
        "to deal in the Software without restriction",
    ),
    S(
        "bilibili-medical-diagnosis",
        "bilibili-model-ula-2025-09-09",
        {"monthly_users": 10, "purposes": ["medical-advice"]},
        "conditional",
        "3",
        "You must ensure that the Model and any Derivative Work are not deployed, directly or "
        "indirectly, in high-risk scenarios such as medical diagnosis",
    ),
    S(
        "exaone-commercial",
        "exaone-ai-model-1.1-nc",
        {},
        "deny",
        "3.1",
        "The Licensee is expressly prohibited from using the Model, Derivatives, or Output for any "
        "commercial purposes",
    ),
    S(
        "hyperclova-10m-plus",
        "hyperclova-x-seed-2025",
        {"monthly_users": 20_000_000},
        "deny",
        "2",
        "is greater than 10 million monthly active users in the preceding calendar month",
    ),
    S(
        "hyperclova-product",
        "hyperclova-x-seed-2025",
        {"monthly_users": 1_000, "distribution": "hosted"},
        "conditional",
        "3.1",
        "prominently display “Powered by HyperCLOVA X”",
        text="Powered by HyperCLOVA X",
    ),
    # -- known by name only ---------------------------------------------------------------------
    S("hunyuan-a13b-name-only", "tencent-hunyuan-a13b-2025", {}, "unknown", "", ""),
    S("glm4-name-only", "glm-4-license-2024", {"use": "research"}, "unknown", "", ""),
]


@pytest.mark.parametrize("s", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_scenario(s: S) -> None:
    judge(s)
