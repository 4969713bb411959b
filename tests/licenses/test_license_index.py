"""The fast paths give exactly what the plain definitions give: the shipped knowledge base and
index are fresh and equal to a fresh validation and build, a license check loads neither
PyYAML nor pydantic, the run-based tokenizer equals the token-by-token
scan, the notice trie equals one regex scan, packed hit counts equal set intersections, and a
verbatim copy's cached answer equals a full identification."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from robinet.licenses import KnowledgeBase, identify, knowledge_base, load_knowledge_base, prebuilt
from robinet.licenses.identify import (
    Index,
    _notices_in,
    default_index,
    ordered_shingles,
)
from robinet.licenses.kb import KB_DIR
from robinet.licenses.normalize import tokens, tokens_reference

# characters and fragments that decide tokens and list markers
PIECES = [
    *"abivxz0129 \t\r\n.()+\\-*>,;:'\"_#&/!?[]{}|~`@$%^=<",
    *"\u2022\u201c\u201d\u2018\u2019\u2013\u2014\u00a9\u00a0\u00e9\u4e2d\ufb01\uff21",
    "1. ",
    "(a) ",
    "\n- ",
    "\n  b. ",
    "iv.",
    "3.1",
    "c++",
    " the ",
    "(12)",
    "1\\.",
    "\r\n",
    "license ",
]


@pytest.fixture(scope="module")
def index() -> Index:
    return default_index()


def test_the_shipped_index_is_fresh() -> None:
    """Fails after a change to the knowledge base, normalize.py or identify.py: rebuild with
    `python -m robinet.licenses.prebuilt`."""
    assert prebuilt.load() is not None, "run `python -m robinet.licenses.prebuilt`"


def test_the_shipped_index_equals_a_fresh_build() -> None:
    loaded = prebuilt.load()
    assert loaded is not None
    assert loaded.state() == Index(knowledge_base()).state()


def test_a_stale_index_file_is_not_used(tmp_path) -> None:  # type: ignore[no-untyped-def]
    stale = tmp_path / "index.marshal"
    data = prebuilt.PATH.read_bytes()
    stale.write_bytes(data.replace(prebuilt.MAGIC, prebuilt.MAGIC + b"0", 1))
    assert prebuilt.load(stale) is None
    stale.write_bytes(data[: len(data) // 2])
    assert prebuilt.load(stale) is None
    assert prebuilt.load(tmp_path / "missing") is None


def test_the_shipped_knowledge_base_is_fresh_and_equals_a_validation_of_the_yaml() -> None:
    """Fails after a change to an entry, a text or the validating code: rebuild with
    `python -m robinet.licenses.prebuilt`."""
    shipped = prebuilt.load_knowledge_base()
    assert shipped is not None, "run `python -m robinet.licenses.prebuilt`"
    assert shipped.entries == load_knowledge_base(KB_DIR).entries


def test_a_stale_knowledge_base_file_is_not_used(tmp_path: Path) -> None:
    stale = tmp_path / "kb.marshal"
    data = prebuilt.KB_PATH.read_bytes()
    assert prebuilt.load_knowledge_base(prebuilt.KB_PATH) is not None
    stale.write_bytes(data.replace(prebuilt.KB_MAGIC, prebuilt.KB_MAGIC + b"0", 1))
    assert prebuilt.load_knowledge_base(stale) is None
    stale.write_bytes(data[: len(data) // 2])
    assert prebuilt.load_knowledge_base(stale) is None
    assert prebuilt.load_knowledge_base(tmp_path / "missing") is None


def _copy_sources(root: Path) -> Path:
    for path in map(Path, prebuilt.sources()):
        target = root / path.relative_to(prebuilt.HERE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    return root


def test_an_edited_source_makes_both_files_stale(tmp_path: Path) -> None:
    """The fingerprints follow the content of the sources, not where they are installed."""
    copy = _copy_sources(tmp_path / "copy")
    assert prebuilt.kb_fingerprint(copy) == prebuilt.kb_fingerprint()
    assert prebuilt.fingerprint(copy) == prebuilt.fingerprint()
    for name in ("kb/mit.yaml", "texts/mit.txt", "schema.py"):
        edited = _copy_sources(tmp_path / name.replace("/", "-"))
        path = edited / name
        path.write_bytes(path.read_bytes() + b"\n# one more line\n")
        assert prebuilt.kb_fingerprint(edited) != prebuilt.kb_fingerprint(), name
        assert prebuilt.fingerprint(edited) != prebuilt.fingerprint(), name
    edited = _copy_sources(tmp_path / "identify")
    (edited / "identify.py").write_text("# another tokenizer\n")
    assert prebuilt.kb_fingerprint(edited) == prebuilt.kb_fingerprint()  # (not a KB source)
    assert prebuilt.fingerprint(edited) != prebuilt.fingerprint()


def test_a_license_check_imports_neither_yaml_nor_pydantic() -> None:
    code = (
        "import sys\n"
        "from robinet.licenses import check, use_context\n"
        "v = check('llama-3.1-license-2024', use_context(monthly_users=800_000_000))\n"
        "assert v.decision == 'deny', v\n"
        "heavy = ['yaml', 'pydantic', 'license_expression', 'robinet.licenses.identify']\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_tokens_equal_the_token_by_token_scan(text: str) -> None:
    assert tokens(text) == tokens_reference(text)


def test_tokens_equal_the_token_by_token_scan_on_random_strings() -> None:
    rng = random.Random(20240901)
    for _ in range(20_000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30)))
        assert tokens(text) == tokens_reference(text), repr(text)


def test_tokens_equal_on_every_reference_text_and_variant(kb: KnowledgeBase) -> None:
    from variants import VARIANTS

    rng = random.Random(3)
    for entry in kb.entries[::2]:
        text = entry.text()
        for fn in VARIANTS.values():
            variant = fn(text, rng)
            assert tokens(variant) == tokens_reference(variant), entry.id


def _regex_notices(index: Index, toks: list[str]) -> list[str]:
    """The notices one regex scan finds: longest phrase first at each token, left to right."""
    phrases = sorted(index.notice_ids, key=lambda p: (-len(p), p))
    pattern = re.compile(r"(?<![^ ])(?:" + "|".join(map(re.escape, phrases)) + r")(?![^ ])")
    return [m.group(0) for m in pattern.finditer(" ".join(toks))]


def test_notice_trie_equals_a_regex_scan(index: Index) -> None:
    rng = random.Random(5)
    words = [*sorted({t for p in index.notice_ids for t in p.split()}), "x", "the", "of"]
    phrases = sorted(index.notice_ids)
    for _ in range(2000):
        toks: list[str] = []
        while len(toks) < 30:
            if rng.random() < 0.3:
                toks += rng.choice(phrases).split()[: rng.randint(1, 9)]
            else:
                toks.append(rng.choice(words))
        assert _notices_in(index, toks) == _regex_notices(index, toks)


def test_packed_hits_equal_set_intersections(index: Index, kb: KnowledgeBase) -> None:
    rng = random.Random(11)
    for entry in kb.entries[:: max(1, len(kb.entries) // 12)]:
        if not entry.text_file:
            continue
        toks = tokens(entry.text())
        cut = [*toks[rng.randrange(len(toks) // 2) :][: rng.randint(50, 3000)], "zzz", "q"]
        query = set(ordered_shingles(index.token_ids(cut)))
        assert index.hits(query) == [len(query & s) for s in index.sets]


@pytest.fixture(scope="module")
def fresh(kb: KnowledgeBase) -> Index:
    return Index(kb)


@pytest.fixture(scope="module")
def plain(kb: KnowledgeBase) -> Index:
    index = Index(kb)
    index.verbatim = {}  # no verbatim path: every input takes the full way
    return index


@pytest.mark.parametrize(
    "license_id", ["llama-3.1-license-2024", "mit", "gemma-tou-2024-04-01", "apache-2.0"]
)
def test_a_verbatim_copy_gets_the_full_answer(
    license_id: str, kb: KnowledgeBase, fresh: Index, plain: Index
) -> None:
    text = kb.get(license_id).text()
    assert fresh.verbatim_copy(fresh.token_ids(tokens(text))) == license_id
    first = identify(text, index=fresh)
    again = identify(text.replace("\n", "\r\n"), index=fresh)  # answered from the cache
    assert first == again == identify(text, index=plain)
    assert first[0].license == license_id
