"""The curated provisions: the bundled files load, every provision carries its quote and
source, thresholds come from the YAML, and a damaged file fails naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.duties.epoch import facts_from_epoch

from robinet.duties import eu
from robinet.duties.catalog import bundled_directory, jurisdiction, jurisdictions, load_file
from robinet.errors import InputDataError, KnowledgeBaseError, NotFoundError

EU_YAML = bundled_directory() / "eu.yaml"


def test_bundled_jurisdictions_load() -> None:
    assert jurisdictions() == ("cn", "eu")
    for name in jurisdictions():
        cat = jurisdiction(name)
        assert cat.id == name
        assert "not legal advice" in cat.disclaimer
        instruments = {i.id for i in cat.instruments}
        for p in cat.provisions:
            assert p.source.startswith("https://"), p.id
            assert p.instrument in instruments
            assert 3 <= len(p.quote) <= 700
            assert p.summary


def test_eu_thresholds_are_those_of_the_texts() -> None:
    cat = jurisdiction("eu")
    assert cat.get("eu.guidelines.gpai-criterion").threshold_flop == 1e23
    assert cat.get("eu.art-51-2").threshold_flop == 1e25
    assert "10²⁵" in cat.get("eu.art-51-2").quote
    legacy = cat.get("eu.art-111-3")
    assert (legacy.placed_before.isoformat(), legacy.comply_by.isoformat()) == (
        "2025-08-02",
        "2027-08-02",
    )


def test_unknown_jurisdiction() -> None:
    with pytest.raises(NotFoundError):
        jurisdiction("../eu")


def _edited(tmp_path: Path, old: str, new: str, name: str = "eu.yaml") -> Path:
    text = EU_YAML.read_text("utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def test_thresholds_are_read_from_the_yaml(tmp_path: Path) -> None:
    # OLMo 2 7B (1.8e23 FLOP) is a GPAI model at 10²³; with the threshold raised in the
    # YAML, the same engine says it is not: nothing is hard-coded in Python.
    facts = facts_from_epoch("OLMo 2 Furious 7B", license="apache-2.0")
    raised = load_file(_edited(tmp_path, "threshold_flop: 1.0e+23", "threshold_flop: 1.0e+24"))
    assert eu.assess(facts, jurisdiction("eu"), role="provider", public_service=False).gpai
    assert not eu.assess(facts, raised, role="provider", public_service=False).gpai


def test_a_missing_source_names_file_and_key(tmp_path: Path) -> None:
    path = _edited(
        tmp_path,
        "    source: https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32024R1689\n"
        "    read_in: https://ai-act-law.eu/article/51/\n",
        "    read_in: https://ai-act-law.eu/article/51/\n",
    )
    with pytest.raises(KnowledgeBaseError) as info:
        load_file(path)
    error = info.value
    assert isinstance(error, InputDataError)
    assert error.file == str(path)
    assert error.field is not None and error.field.endswith(".source")
    assert error.field.startswith("provisions.")
    assert "eu.art-51-2" in error.message
    assert error.location == {"file": str(path), "field": error.field}


@pytest.mark.parametrize(
    ("old", "new", "field_end", "words"),
    [
        ("    threshold_flop: 1.0e+25", "    threshold_flop: 1e25", "threshold_flop", "1.0e+25"),
        (
            "    threshold_flop: 1.0e+25",
            "    threshold_flops: 1.0e+25",
            "threshold_flops",
            "unknown",
        ),
        ("    instrument: ai-act\n", "    instrument: ai-actt\n", "instrument", "instrument"),
        ("    applies_from: 2025-08-02\n", "    applies_from: '2025-08-02'\n", "applies_from", ""),
        ("jurisdiction: eu", "jurisdiction: cn", "jurisdiction", "file name"),
    ],
)
def test_a_damaged_file_fails_naming_the_key(
    tmp_path: Path, old: str, new: str, field_end: str, words: str
) -> None:
    with pytest.raises(KnowledgeBaseError) as info:
        load_file(_edited(tmp_path, old, new))
    assert info.value.field is not None and info.value.field.endswith(field_end)
    assert words in info.value.message


def test_a_key_given_twice_is_an_error(tmp_path: Path) -> None:
    path = _edited(tmp_path, "    threshold_flop: 1.0e+25\n", "    threshold_flop: 1.0e+25\n" * 2)
    with pytest.raises(KnowledgeBaseError, match="given twice"):
        load_file(path)


def test_a_provision_the_engine_needs_must_be_there(tmp_path: Path) -> None:
    path = _edited(tmp_path, "  - id: eu.art-51-2\n", "  - id: eu.art-51-2-renamed\n")
    cat = load_file(path)
    with pytest.raises(KnowledgeBaseError, match=r"eu\.art-51-2") as info:
        eu.assess(
            facts_from_epoch("DeepSeek-R1", license="mit"),
            cat,
            role="provider",
            public_service=False,
        )
    assert info.value.file == str(path)
