"""The MOF classifier, the openness rubric and its agreement with the real MOT evaluations."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from robinet.errors import InputDataError, NotFoundError
from robinet.model import Tier
from robinet.openness.engine import (
    all_openness,
    mot_agreement,
    openness,
    openness_by,
    openness_json,
)
from robinet.openness.mof import (
    CLOSED,
    COMPONENTS,
    OPEN,
    PARTIAL,
    UNKNOWN,
    ComponentStatus,
    mof_class,
    mot_evaluations,
    normalize_license,
    parse_mot,
)
from robinet.openness.rubric import (
    DIMENSIONS,
    RUBRIC_VERSION,
    Dimension,
    agreement,
    score,
    score_mot,
)
from robinet.store.queries.openness import HubFacts, ReleaseFacts

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "tap"


def _all(value: str, license: str | None = "Apache-2.0") -> dict[str, ComponentStatus]:
    return {c.name: ComponentStatus(c.name, value, license, "test", "test") for c in COMPONENTS}


# -- MOF components and class ------------------------------------------------------------


def test_parse_mot_inherits_global_licenses_and_reads_markers() -> None:
    data = yaml.safe_load((FIX / "mot_inherit.yml").read_text())
    ev = parse_mot(data, "mot_inherit.yml")
    c = ev.components
    assert ev.hf_id == "test-lab/Hand-Made-7B"
    assert c["Model architecture"].value == OPEN  # distribution Apache-2.0, a code license
    assert c["Model architecture"].license == "Apache-2.0"
    assert c["Model card"].license == "CC-BY-4.0"  # the document global license wins
    assert c["Model card"].value == OPEN
    assert c["Evaluation results"].value == PARTIAL  # included, no license
    assert c["Datasets"].value == CLOSED  # "Component not included"
    assert c["Training code"].value == PARTIAL  # a license that is not open
    assert c["Data card"].value == CLOSED  # not listed
    result = mof_class(c)
    assert result.mof_class == 3 and result.conditional  # Apache weights: conditional pass
    assert "Data card" in result.missing[3]


@pytest.mark.parametrize(
    ("components", "expected"),
    [
        (_all(OPEN), 1),
        ({**_all(OPEN), "Datasets": ComponentStatus("Datasets", CLOSED, None, "", "")}, 2),
        (
            {**_all(OPEN), "Training code": ComponentStatus("Training code", PARTIAL, "x", "", "")},
            3,
        ),
        (_all(PARTIAL, "Llama 2 Community License"), 0),
        ({}, 0),
    ],
)
def test_mof_class_rules(components: dict[str, ComponentStatus], expected: int) -> None:
    assert mof_class(components).mof_class == expected


def test_weights_under_open_data_license_earn_no_conditional_pass() -> None:
    comps = {
        "Model parameters (Final)": ComponentStatus(
            "Model parameters (Final)", OPEN, "CDLA-Permissive-2.0", "", ""
        )
    }
    assert mof_class(comps).mof_class == 0


def test_license_spellings_normalize() -> None:
    assert normalize_license("Apache 2.0") == "Apache-2.0"
    assert normalize_license("mit license") == "MIT"
    assert normalize_license("apache-2.0") == "Apache-2.0"


def test_bad_mot_shapes_name_the_file() -> None:
    with pytest.raises(InputDataError, match=r"bad\.yml"):
        parse_mot({"release": {}}, "bad.yml")
    with pytest.raises(InputDataError, match="field 'license'"):
        parse_mot({"release": {"name": "x", "license": "MIT"}}, "bad.yml")


def test_all_bundled_mot_evaluations_parse() -> None:
    evs = mot_evaluations()
    assert len(evs) == 273
    classes = {ev.file: ev.implied.mof_class for ev in evs}
    assert classes["Llama-3-70B-Instruct.yml"] == 0  # Llama license on the weights
    assert classes["Amber.yml"] == 3  # Apache-2.0 throughout, some Class II parts missing
    assert classes["DeepSeek-R1.yml"] == 3
    assert set(classes.values()) <= {0, 1, 2, 3}


# -- the rubric --------------------------------------------------------------------------


def test_unknown_is_not_closed() -> None:
    s = score(
        "m", {"weights": Dimension(OPEN, "e", "s"), "weights_license": Dimension(PARTIAL, "e", "s")}
    )
    total = sum(w for w, _, _ in DIMENSIONS.values())
    assert s.coverage == round(4 / total, 4)
    assert s.index is None  # coverage 4/11 < 0.5: no headline, only the bounds
    assert s.index_min == round(3 / total, 4)
    assert s.index_max == round((3 + total - 4) / total, 4)
    assert s.dimensions["training_data"].value == UNKNOWN
    assert s.rubric_version == RUBRIC_VERSION
    assert s.mof_class == 0  # a non-OSI weights license cannot earn Class III


def test_the_index_needs_half_the_rubric_covered() -> None:
    known = {
        "weights": Dimension(OPEN, "e", "s"),
        "weights_license": Dimension(PARTIAL, "e", "s"),
        "paper": Dimension(PARTIAL, "e", "s"),
    }
    assert score("m", known).index is None  # 5/11
    s = score("m", {**known, "model_card": Dimension(CLOSED, "e", "s")})  # 6/11
    assert s.coverage == round(6 / 11, 4)
    assert s.index == round((2 + 1 + 0.5) / 6, 4)


def test_no_evidence_gives_no_index_and_no_class() -> None:
    s = score("m", {})
    assert s.index is None and s.coverage == 0 and s.mof_class is None


def test_open_weights_license_with_unknowns_is_a_class_iii_floor() -> None:
    s = score("m", {"weights_license": Dimension(OPEN, "Apache-2.0", "s")})
    assert s.mof_class == 3


def test_rubric_agrees_with_every_class_the_mot_evaluations_imply() -> None:
    result = agreement(mot_evaluations())
    assert result.evaluations == 273
    assert result.decided == 273
    assert result.rate == 1.0, result.disagreements[:5]


def test_score_of_a_mot_evaluation_is_complete() -> None:
    ev = next(e for e in mot_evaluations() if e.file == "Amber.yml")
    s = score_mot(ev)
    assert s.coverage == 1.0
    assert s.dimensions["training_code"].value == OPEN
    assert s.index is not None and 0 < s.index <= 1


# -- on the store ------------------------------------------------------------------------


def test_openness_json_shape(real_store) -> None:
    doc = openness_json(openness(real_store, "DeepSeek-R1"))
    assert {"model", "index", "coverage", "mof_class", "dimensions", "rubric_version"} <= set(doc)
    assert set(doc["dimensions"]) == set(DIMENSIONS)
    for d in doc["dimensions"].values():
        assert set(d) == {"value", "evidence", "source"}
        assert d["value"] in {"open", "partial", "closed", "unknown"}
    assert doc["rubric_version"] == RUBRIC_VERSION
    assert doc["dimensions"]["weights"]["value"] == "open"


def test_openness_by_hub_id_and_mot_only(real_store) -> None:
    by_hub = openness(real_store, "deepseek-ai/DeepSeek-R1")
    assert by_hub.release["name"] == "DeepSeek-R1"
    with pytest.raises(NotFoundError):
        openness(real_store, "no-such-model-anywhere")


def test_closed_release_scores_closed_weights(real_store) -> None:
    doc = openness_json(openness(real_store, "GPT-4 (Mar 2023)"))
    assert doc["dimensions"]["weights"]["value"] == "closed"
    assert doc["mof_class"] == 0


def test_mot_agreement_on_store_evidence_is_measured(real_store) -> None:
    doc = mot_agreement(real_store)
    ev = doc["store_evidence"]
    assert ev["matched"] >= 100
    assert ev["decided"] >= 50
    assert 0.5 <= ev["rate"] <= 1.0
    assert sum(ev["confusion"].values()) == ev["matched"]


def test_openness_by_region_reports_coverage(real_store) -> None:
    rows = openness_by(all_openness(real_store), "region")
    regions = {r["region"] for r in rows}
    assert {"US", "CN"} <= regions
    for r in rows:
        assert 0 <= r["mean_coverage"] <= 1
        assert r["mean_index_min"] <= (r["mean_index"] or 0) <= r["mean_index_max"]


def test_docs_report_the_measured_mot_agreement(real_store) -> None:
    """docs/tap.md quotes the agreement figures; they must be the measured ones."""
    doc = mot_agreement(real_store)
    text = (Path(__file__).resolve().parents[2] / "docs" / "tap.md").read_text()
    comp, ev = doc["components"], doc["store_evidence"]
    assert f"{comp['agree']}/{comp['decided']} agree" in text, "update docs/tap.md"
    assert f"the {ev['matched']} evaluations matched" in text, "update docs/tap.md"
    assert f"**{ev['agree']} agree ({ev['rate'] * 100:.1f}%)**" in text, "update docs/tap.md"


# -- the weights license is a license, never an access tier (review #21) -----------------


def _dims(row: ReleaseFacts, hub: HubFacts | None = None, fields: dict | None = None) -> dict:
    from robinet.openness.evidence import merge_dimensions, release_dimensions, tier_license

    return merge_dimensions(release_dimensions(row, hub, fields), tier_license(row, fields))


def test_a_tier_alone_never_makes_the_weights_license_open() -> None:
    def release(tier: Tier) -> ReleaseFacts:
        return ReleaseFacts(id=None, name="m", tier=tier, sources=("epoch-all", "interconnects"))

    fields = {"tier": ("epoch-all",), "hf_id": ("interconnects",)}
    unrestricted = _dims(release(Tier.OPEN_UNRESTRICTED), None, fields)
    assert "weights_license" not in unrestricted  # unknown: the tier names no license
    assert unrestricted["weights"].value == OPEN and unrestricted["weights"].source == "epoch-all"
    restricted = _dims(release(Tier.OPEN_RESTRICTED), None, fields)["weights_license"]
    assert restricted.value == PARTIAL and restricted.source == "epoch-all"
    assert _dims(release(Tier.API), None, fields)["weights_license"].value == CLOSED
    hub = HubFacts("lab/m", license="mit", license_id="mit", source="hf-top-models")
    licensed = _dims(release(Tier.OPEN_UNRESTRICTED), hub, fields)["weights_license"]
    assert (licensed.value, licensed.source) == (OPEN, "hf-top-models")
    llama = HubFacts("lab/m", "llama3", "llama-3-license-2024", source="hf-top-models")
    assert _dims(release(Tier.OPEN_UNRESTRICTED), llama, fields)["weights_license"].value == PARTIAL


def test_real_weights_license_cites_the_license_not_the_tier(real_store) -> None:
    doc = openness_json(openness(real_store, "deepseek-ai/DeepSeek-R1"))
    lic = doc["dimensions"]["weights_license"]
    assert lic["value"] == "open" and "MIT" in lic["evidence"]
    # the curated catalog's license (its own evidence) or else its MOT evaluation's
    assert lic["source"] == "catalog" or lic["source"].startswith("mot:"), lic
    assert "tier" not in lic["evidence"]
    for d in doc["dimensions"].values():
        assert "interconnects" not in d["source"]  # Interconnects gives no tier, code or paper
    for r in all_openness(real_store):
        wl = r.score.dimensions["weights_license"]
        if wl.value == "open":
            assert "access tier" not in wl.evidence, (r.release["name"], wl)


# -- lookups by the merge's normalized key (review #8) -----------------------------------


def test_openness_finds_a_release_by_its_normalized_key(real_store) -> None:
    assert openness(real_store, "Llama 3.1 405B").release["name"] == "Llama 3.1-405B"
    with pytest.raises(NotFoundError) as exc:
        openness(real_store, "Lama 3.1-405B")
    assert "Llama 3.1-405B" in str(exc.value.hint)


def test_lab_finds_an_organization_by_its_normalized_key(real_store) -> None:
    from robinet.trends.lab import resolve_org

    assert resolve_org(real_store, "01 AI")["id"] == "01-ai"  # the slug of the spelling
    assert resolve_org(real_store, "deepseek-ai")["id"] == "deepseek"  # its Hub namespace
