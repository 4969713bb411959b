"""The SQL macros of robinet.store.macros agree with the Python rules they stand for."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from robinet.domain import half_year, slug
from robinet.model import OPEN_TIERS, Tier
from robinet.store import Store


@pytest.fixture(scope="module")
def store() -> Store:
    s = Store.memory()
    yield s
    s.close()


def _sql(store: Store, expr: str, value: object) -> object:
    row = store.con.execute(f"SELECT {expr}", [value]).fetchone()
    assert row is not None
    return row[0]


@settings(max_examples=300, deadline=None)
@given(st.dates())
@example(dt.date(2024, 6, 30))
@example(dt.date(2024, 7, 1))
@example(dt.date(1, 1, 1))
@example(dt.date(9999, 12, 31))
def test_half_year_macro_is_the_python_label(store: Store, day: dt.date) -> None:
    assert _sql(store, "half_year(?::DATE)", day) == half_year(day)


@settings(max_examples=100, deadline=None)
@given(st.datetimes())
def test_half_year_macro_on_timestamps(store: Store, moment: dt.datetime) -> None:
    assert _sql(store, "half_year(?::TIMESTAMP)", moment) == half_year(moment)


@pytest.mark.parametrize("tier", list(Tier))
def test_open_tier_and_access_group_macros_follow_the_tier_enum(store: Store, tier: Tier) -> None:
    assert _sql(store, "is_open_tier(?)", tier.value) is (tier in OPEN_TIERS)
    assert _sql(store, "is_open_tier(?)", tier.value) is tier.open_weights
    assert _sql(store, "access_group(?)", tier.value) == tier.group


def test_open_tier_macro_on_what_is_no_tier(store: Store) -> None:
    assert _sql(store, "is_open_tier(?)", None) is None
    assert _sql(store, "is_open_tier(?)", "open-source") is False  # no prefix match
    assert _sql(store, "access_group(?)", None) is None
    assert _sql(store, "access_group(?)", "open-source") is None


# Any text (hypothesis leaves out lone surrogates, which no UTF-8 string can hold), and ASCII
# text on its own so the SQL path is exercised as much as the Python one.
NAMES = st.text(max_size=40)


@settings(max_examples=500, deadline=None)
@given(st.one_of(NAMES, st.text(alphabet=st.characters(max_codepoint=127), max_size=40)))
@example("Llama 3.1-405B")
@example("Tulu 3 (Tülu 3) 70B")  # accents fold
@example("ALLaM\xa0adapted 70B")  # a no-break space is a space
@example("ﬁne-tuned Ｑwen²")  # ligature, full-width, superscript: NFKD folds them
@example("Straße İstanbul")  # letters NFKD keeps non-ASCII are dropped, not separators
@example("ERNIE x1 (文心大模型X1)")
@example("--a__b--")
@example("")
def test_name_slug_macro_is_the_python_slug(store: Store, name: str) -> None:
    assert _sql(store, "name_slug(?)", name) == slug(name)


def test_name_slug_macro_over_a_column_mixes_both_paths(store: Store) -> None:
    names = ["Llama 3.1-405B", "Tülu 3", None, "DALL·E 3", "GPT‑5-Codex"]
    got = store.con.execute(
        "SELECT name_slug(n) FROM unnest(?::VARCHAR[]) AS t(n)", [names]
    ).fetchall()
    assert [g for (g,) in got] == [None if n is None else slug(n) for n in names]


def test_macros_work_on_a_read_only_store(tmp_path) -> None:
    path = tmp_path / "ro.duckdb"
    Store.open(path).close()
    with Store.open(path, read_only=True) as ro:
        assert ro.con.execute(
            "SELECT half_year(DATE '2025-01-20'), name_slug('Kimi K2'), is_open_tier('api')"
        ).fetchone() == ("2025-H1", "kimi-k2", False)


def test_wrapping_a_connection_twice_keeps_the_macros() -> None:
    first = Store.memory()
    again = Store(first.con, None)
    assert again.con.execute("SELECT name_slug('Ünïcode')").fetchone() == ("unicode",)
    first.close()
