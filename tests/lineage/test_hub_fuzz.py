"""Property-based fuzzing of the Hub dump import: random JSON in every field of a dump line.

Whatever one line holds, the import raises nothing but InputDataError, keeps the good lines
around it, and takes bounded time (hypothesis' deadline, per example).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from robinet.errors import InputDataError
from robinet.store import Store
from robinet.store.hub import import_dump, import_records
from robinet.store.hub.parse import KNOWN_KEYS

GOOD = [
    {"id": "good/base", "tags": ["license:apache-2.0"], "createdAt": "2024-01-01T00:00:00Z"},
    {"id": "good/child", "tags": ["base_model:good/base"], "cardData": {"license": "mit"}},
]
# Any JSON value: scalars of every type (huge integers, any unicode text, lone surrogates
# included), nested lists and objects.
_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(["", "good/base", "a/b/c", "https://huggingface.co/good/base", "other"])
)
_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)
_CARD_KEYS = ("license", "license_name", "license_link", "base_model", "base_model_relation")
_card = st.dictionaries(st.sampled_from(_CARD_KEYS), _json) | _json
_nested = {
    "cardData": _card,
    "card_data": _card,
    "config": st.fixed_dictionaries({}, optional={"peft": _json, "adapter_config": _json}) | _json,
    "gguf": st.dictionaries(st.sampled_from(["general.base_model.0.repo_url", "x"]), _json) | _json,
    "mergekit_config": st.fixed_dictionaries(
        {}, optional={"models": st.lists(st.fixed_dictionaries({"model": _json})), "slices": _json}
    )
    | _json,
    "tags": st.lists(
        st.sampled_from(["base_model:x/y", "base_model:merge:", "license:mit"]) | _json
    )
    | _json,
}
_record = st.fixed_dictionaries(
    {},
    optional={
        **{key: _json for key in KNOWN_KEYS if key not in _nested},
        **_nested,
        "an_unknown_field": _json,
    },
)

SETTINGS = settings(
    max_examples=40,
    deadline=dt.timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _dump(lines: list[bytes]) -> Path:
    handle = tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False)  # noqa: SIM115
    with handle:
        handle.write(b"".join(lines))
    return Path(handle.name)


def _check(store: Store, fuzzed_rows: set[int]) -> None:
    models = {r[0] for r in store.con.execute("SELECT hf_id FROM models").fetchall()}
    assert {"good/base", "good/child"} <= models
    # Only the fuzzed lines may be warned about; the good lines are read as they are (unless
    # a fuzzed line repeats a good line's id: then the later row wins, and says so).
    warned = {
        r[0]
        for r in store.con.execute(
            "SELECT row FROM import_warnings WHERE NOT starts_with(message, 'duplicate model')"
        ).fetchall()
    }
    assert warned <= fuzzed_rows
    assert store.scalar("SELECT count(*) FROM edges WHERE child = parent") == 0


@SETTINGS
@given(_record)
def test_any_json_in_any_field_of_a_dump_line(record: dict) -> None:
    try:
        line = json.dumps(record).encode("utf-8", "surrogatepass")
    except (ValueError, OverflowError):  # not expressible as JSON text: nothing to test
        return
    path = _dump([json.dumps(GOOD[0]).encode() + b"\n", line + b"\n", json.dumps(GOOD[1]).encode()])
    store = Store.memory()
    try:  # good lines around it: not a file that yields nothing, so no error at all
        import_dump(store, path, source="fuzz")
    finally:
        path.unlink()
    _check(store, {2})
    store.close()


@SETTINGS
@given(st.lists(st.binary(max_size=300), min_size=1, max_size=4))
def test_any_bytes_on_a_dump_line(noise: list[bytes]) -> None:
    lines = [json.dumps(GOOD[0]).encode() + b"\n"]
    lines += [chunk.replace(b"\n", b" ") + b"\n" for chunk in noise]
    lines.append(json.dumps(GOOD[1]).encode() + b"\n")
    path = _dump(lines)
    store = Store.memory()
    try:
        import_dump(store, path, source="fuzz")
    except InputDataError as exc:
        # Only an encoding the first bytes cannot be read in (NUL bytes up front) refuses it.
        assert "encoding" in exc.message
        return
    finally:
        path.unlink()
    _check(store, set(range(2, 2 + len(noise))))
    store.close()


@SETTINGS
@given(st.lists(_record, max_size=4))
def test_any_records_from_a_live_page(records: list[dict]) -> None:
    store = Store.memory()
    report = import_records(store, [GOOD[0], *records, GOOD[1]], source="fuzz")
    assert report.rows_read == len(records) + 2
    assert report.models + report.rejected <= len(records) + 2
    _check(store, set(range(2, 2 + len(records))))
    store.close()
