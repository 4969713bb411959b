"""The openness index measured against independent judgments: the Model Openness Tool's classes
(rank agreement computed here, not by the engine), and well-known pairs in the right order."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from robinet.openness.engine import _dimensions, families, mot_agreement, openness, subject_key
from robinet.openness.mof import mot_evaluations
from robinet.openness.rubric import MIN_COVERAGE, score
from robinet.store.queries.openness import ReleaseLookup, match_releases

SOURCES = Path(__file__).resolve().parents[2] / "data" / "sources"
# MOT classes as an order of openness, read off the MOF: Class I > II > III > unclassified.
ORDER = {1: 3, 2: 2, 3: 1, 0: 0}


def _average_ranks(values: list[float]) -> list[float]:
    positions: dict[float, list[int]] = {}
    for i, v in enumerate(sorted(values)):
        positions.setdefault(v, []).append(i + 1)
    return [sum(positions[v]) / len(positions[v]) for v in values]


def _spearman(xs: list[float], ys: list[float]) -> float:
    rx, ry = _average_ranks(xs), _average_ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    return cov / (sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry)) ** 0.5


def test_index_ranks_agree_with_the_mot_classes_on_the_releases_it_decides(real_store) -> None:
    """Store evidence only (no MOT evaluation feeds the score it is measured against)."""
    evs = mot_evaluations()
    found = match_releases(
        real_store, [ReleaseLookup(i, text=e.hf_id or None, name=e.name) for i, e in enumerate(evs)]
    )
    fams = families(real_store, list(found.values()))
    xs: list[float] = []
    ys: list[float] = []
    for i, ev in enumerate(evs):
        evidence = found.get(i)
        if evidence is None:
            continue
        family = fams.get(subject_key(evidence), ())
        s = score(ev.name, _dimensions(evidence, family, with_mot=False))
        assert (s.index is None) == (s.coverage < MIN_COVERAGE)
        assert s.index_min <= s.index_max
        if s.index is not None:
            xs.append(s.index)
            ys.append(float(ORDER[ev.implied.mof_class]))
    rho = _spearman(xs, ys)
    assert len(xs) >= 60
    assert rho >= 0.5, rho  # measured: 0.508 on 110 releases (rubric openness-2.1; see docs/tap.md)
    engine = mot_agreement(real_store)["store_evidence"]
    assert engine["indexed"] == len(xs)
    assert engine["spearman"] == pytest.approx(rho, abs=1e-4)


# (more open, less open): the order every expert account gives, each side from its evidence.
PAIRS = [
    ("OLMo-7B", "Llama 3.1-8B"),  # OLMo above Llama 3.x
    ("Pythia-12B", "Llama 2-70B"),
    ("BLOOMZ-176B", "Gemma 7B"),
    ("gpt-oss-120b", "GPT-4o"),
    ("GPT-NeoX-20B", "GPT-3 175B (davinci)"),
    ("DeepSeek-R1", "Llama 3-70B"),
    ("StarCoder", "Codex"),
    ("Falcon-40B", "Falcon-180B"),  # Apache-2.0 vs the TII Falcon-180B license
    ("Qwen2.5-7B", "Qwen-72B"),  # Apache-2.0 vs the Tongyi Qianwen license
    ("Amber", "Llama 2-7B"),
    ("T5-11B", "PaLM (540B)"),
    ("BLOOM-176B", "GPT-3 175B (davinci)"),
]


@pytest.mark.parametrize(("higher", "lower"), PAIRS)
def test_well_known_pairs_are_in_order(real_store, higher: str, lower: str) -> None:
    a, b = openness(real_store, higher).score, openness(real_store, lower).score
    assert a.index is not None and b.index is not None, (a.coverage, b.coverage)
    assert a.index > b.index, (higher, a.index, lower, b.index)


def _cited_row(source: str) -> dict[str, str]:
    """The Epoch CSV row an evidence source names ('epoch-all epoch/all_ai_models.csv row 44'),
    read from the CSV itself."""
    _, file, _, number = source.split()
    with (SOURCES / file).open(encoding="utf-8", newline="") as handle:
        for n, row in enumerate(csv.DictReader(handle), start=1):
            if n == int(number):
                return row
    raise AssertionError(source)


def test_thin_evidence_gives_a_range_not_a_headline(real_store) -> None:
    """The issue's two models, once both 1.0 over 'weights available' alone. Olmo 3.1 32B
    Think still has only that: a range, no index. Llama 3.3 70B now has Epoch AI's training
    code and training dataset fields and its license's terms: an index from that evidence."""
    for model in ("meta-llama/Llama-3.3-70B-Instruct", "allenai/Olmo-3.1-32B-Think"):
        s = openness(real_store, model).score
        assert (s.index is None) == (s.coverage < MIN_COVERAGE)
        assert 0 <= s.index_min <= s.index_max <= 1
        assert s.index != 1.0
    olmo = openness(real_store, "allenai/Olmo-3.1-32B-Think").score
    assert olmo.index is None and olmo.coverage < MIN_COVERAGE
    assert olmo.index_min < olmo.index_max
    assert olmo.dimensions["weights"].value == "open"
    llama = openness(real_store, "meta-llama/Llama-3.3-70B-Instruct").score
    data = llama.dimensions["training_data"]
    assert data.value == "closed"
    assert _cited_row(data.source)["Training dataset"] == "Unspecified unreleased"
    assert "Unspecified unreleased" in data.evidence
    code = llama.dimensions["training_code"]
    assert code.value == "closed" and "Epoch AI: Unreleased" in code.evidence
    lic = llama.dimensions["weights_license"]  # the Llama 3.3 license: 700M MAU, use policy
    assert lic.value == "partial" and "access tier" not in lic.evidence
    assert llama.index_max < 1.0  # closed code and data: no reading of the unknowns gives 1.0


def test_a_hub_repo_of_a_release_inherits_what_holds_for_the_release(real_store) -> None:
    """An Interconnects repo the merge made one of a release's Hub repos (not its primary one)
    is scored as itself: its weights are the repo, the release's training code is inherited
    and says so."""
    rows = real_store.query(
        "SELECT f.hf_id, r.name, r.training_code FROM release_facts f "
        "JOIN releases r ON r.id = f.release_id "
        "WHERE f.source = 'interconnects' AND lower(f.hf_id) <> lower(coalesce(r.hf_id, '')) "
        "AND r.training_code IN ('Unreleased', 'Open source') ORDER BY f.hf_id LIMIT 3"
    )
    assert rows
    for row in rows:
        result = openness(real_store, row["hf_id"])
        assert result.release["id"] is None and result.release["hf_id"] == row["hf_id"]
        dims = result.score.dimensions
        assert dims["weights"].evidence == f"weights on the Hub as {row['hf_id']}"
        code = dims["training_code"]
        assert code.evidence == f"from its release {row['name']}: Epoch AI: {row['training_code']}"
        assert code.value == {"Unreleased": "closed", "Open source": "open"}[row["training_code"]]


def test_a_hub_repo_of_no_release_is_scored_from_its_own_rows(real_store) -> None:
    """A repo the merge kept as a model of its organization (release_id NULL): found by Hub id,
    its weights license from the license its tag gives (an OSI-approved one here: open)."""
    rows = real_store.query(
        "SELECT f.hf_id, f.organization, f.license_id FROM release_facts f "
        "WHERE f.source = 'interconnects' AND f.release_id IS NULL "
        "AND f.license_id IN ('apache-2.0', 'mit') ORDER BY f.hf_id LIMIT 3"
    )
    assert rows
    for row in rows:
        result = openness(real_store, row["hf_id"])
        assert result.release["id"] is None
        assert result.release["organization"] == row["organization"]
        assert result.score.dimensions["weights"].value == "open"
        lic = result.score.dimensions["weights_license"]
        assert lic.value == "open" and row["license_id"] in lic.evidence
