"""Tap signals on synthetic sequences and on real labs; the curated events catalog."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from robinet.errors import InputDataError
from robinet.trends.alerts import alerts, alerts_json, lab_alerts
from robinet.trends.catalog import bundled_events, load_events
from robinet.trends.signals import (
    LabRelease,
    cadence_signals,
    flagship_signals,
    license_signals,
    own_gap_signals,
)

D = dt.date
FIX = Path(__file__).resolve().parent.parent / "fixtures" / "tap"


def test_flagship_closed_after_open_predecessors() -> None:
    scored = [
        ("open-1", D(2024, 1, 1), "open-unrestricted", 100.0),
        ("open-2", D(2024, 3, 1), "open-restricted", 105.0),
        ("closed-1", D(2024, 6, 1), "api", 112.0),
        ("closed-2", D(2024, 9, 1), "api", 115.0),
    ]
    (a,) = flagship_signals("lab", scored)
    assert (a.date, a.direction, a.signal) == (D(2024, 6, 1), "closing", "flagship_closed")
    assert "closed-1" in a.evidence and "open-2" in a.evidence


def test_flagship_opened_after_closed_best() -> None:
    scored = [("c", D(2024, 1, 1), "api", 100.0), ("o", D(2024, 5, 1), "open-unrestricted", 101.0)]
    (a,) = flagship_signals("lab", scored)
    assert a.direction == "opening" and a.signal == "flagship_opened"


def test_no_flagship_signal_for_a_lab_that_was_always_closed_or_unknown() -> None:
    scored = [
        ("c1", D(2024, 1, 1), "api", 100.0),
        ("c2", D(2024, 5, 1), "api", 110.0),
        ("u", D(2024, 6, 1), None, 130.0),
    ]
    assert flagship_signals("lab", scored) == []
    # A weaker open model after a closed best is no flagship.
    assert flagship_signals("lab", [*scored, ("o", D(2024, 7, 1), "open-unrestricted", 90.0)]) == []


def test_first_open_release_and_hiatus() -> None:
    rel = [
        LabRelease("c1", D(2023, 1, 1), "api"),
        LabRelease("c2", D(2023, 3, 1), "api"),
        LabRelease("o1", D(2023, 6, 1), "open-unrestricted"),
        LabRelease("c3", D(2023, 9, 1), "api"),
        LabRelease("c4", D(2024, 2, 1), "hosted"),
    ]
    found = cadence_signals("lab", rel, data_end=D(2025, 1, 1))
    assert [(a.signal, a.direction, a.date) for a in found] == [
        ("first_open_release", "opening", D(2023, 6, 1)),
        ("open_releases_stopped", "closing", D(2024, 5, 31)),
    ]
    # The hiatus is only raised once the window has passed in the data.
    assert [a.signal for a in cadence_signals("lab", rel, data_end=D(2024, 3, 1))] == [
        "first_open_release"
    ]


def test_no_hiatus_when_open_releases_continue() -> None:
    rel = [LabRelease(f"o{i}", D(2023, 1 + i, 1), "open-unrestricted") for i in range(10)]
    rel += [LabRelease("c", D(2023, 5, 2), "api")]
    assert cadence_signals("lab", rel, data_end=D(2026, 1, 1)) == []


def test_license_tightened_and_loosened() -> None:
    rel = [
        LabRelease("v1", D(2023, 7, 1), "open-restricted", "lic-a", 0.4),
        LabRelease("v2", D(2024, 4, 1), "open-restricted", "lic-b", 0.5),
        LabRelease("v2b", D(2024, 5, 1), "open-restricted", "lic-a", 0.4),  # old license
        LabRelease("v3", D(2025, 1, 1), "open-unrestricted", "mit", 0.0),
    ]
    found = license_signals("lab", rel)
    assert [(a.signal, a.date) for a in found] == [
        ("license_tightened", D(2024, 4, 1)),
        ("license_loosened", D(2025, 1, 1)),
    ]


def test_license_signals_skip_unscored_and_same_day() -> None:
    rel = [
        LabRelease("a", D(2024, 1, 1), "open-restricted", "x", 0.4),
        LabRelease("b", D(2024, 1, 1), "open-restricted", "y", 0.1),
        LabRelease("c", D(2024, 2, 1), "open-restricted", "z", None),
    ]
    assert license_signals("lab", rel) == []


def test_own_gap_grows_then_shrinks() -> None:
    scored = [
        ("o1", D(2024, 1, 1), "open-unrestricted", 100.0),
        ("c1", D(2024, 2, 1), "api", 102.0),  # margin +2 (anchor)
        ("c2", D(2024, 5, 1), "api", 108.0),  # +8: widened by 6
        ("o2", D(2024, 8, 1), "open-unrestricted", 107.0),
    ]  # +1: narrowed by 7
    found = own_gap_signals("lab", scored, threshold=3.0)
    assert [(a.signal, a.direction) for a in found] == [
        ("open_trailing_own_flagship", "closing"),
        ("open_catching_own_flagship", "opening"),
    ]


def test_own_gap_silent_when_open_models_lead() -> None:
    scored = [
        ("c1", D(2024, 1, 1), "unreleased", 100.0),
        ("o1", D(2024, 2, 1), "open-unrestricted", 110.0),
        ("o2", D(2024, 5, 1), "open-unrestricted", 130.0),
    ]
    assert own_gap_signals("lab", scored) == []


# -- the catalog -------------------------------------------------------------------------


def test_every_bundled_event_has_a_source_url() -> None:
    events = bundled_events()
    assert len(events) >= 5
    for e in events:
        assert e.sources and all(str(u).startswith("https://") for u in e.sources)
        assert e.direction in {"closing", "opening"}


@pytest.mark.parametrize(
    ("name", "field"),
    [("events_no_source.yaml", "sources"), ("events_bad_direction.yaml", "direction")],
)
def test_bad_catalog_entries_are_rejected_with_their_location(name: str, field: str) -> None:
    with pytest.raises(InputDataError) as exc:
        load_events(FIX / name)
    assert name in str(exc.value) and "row 0" in str(exc.value) and field in str(exc.value)


# -- real labs ---------------------------------------------------------------------------


def _signals(store, org: str) -> set[tuple[str, str]]:
    return {(a.signal, a.date.isoformat()[:7]) for a in lab_alerts(store, org)}


def test_real_alibaba_flagship_kept_closed_then_opened(real_store) -> None:
    found = _signals(real_store, "alibaba")
    assert ("flagship_closed", "2025-01") in found  # Qwen2.5-Max (API) above Qwen2.5-72B
    assert ("flagship_opened", "2025-04") in found  # Qwen3-235B-A22B


def test_real_mistral_flagship_closed(real_store) -> None:
    assert ("flagship_closed", "2024-02") in _signals(real_store, "mistral")  # Mistral Large


def test_real_meta_license_versions(real_store) -> None:
    found = _signals(real_store, "meta")
    assert ("license_tightened", "2024-09") in found  # Llama 3.2: EU exclusion in the AUP
    assert ("license_loosened", "2024-07") in found  # Llama 3.1 after Llama 3


def test_real_deepseek_moves_to_mit(real_store) -> None:
    found = [a for a in lab_alerts(real_store, "deepseek") if a.signal == "license_loosened"]
    assert any("mit" in a.evidence.lower() for a in found)
    assert all(a.direction == "opening" for a in found)


def test_alerts_json_shape_and_filters(real_store) -> None:
    doc = alerts_json(alerts(real_store, since=dt.date(2025, 1, 1)))
    assert set(doc) == {"alerts"} and doc["alerts"]
    for a in doc["alerts"]:
        assert set(a) == {"organization", "date", "direction", "signal", "evidence", "sources"}
        assert a["direction"] in {"closing", "opening"}
        assert a["date"] >= dt.date(2025, 1, 1)
        assert a["sources"]
    only = alerts_json(alerts(real_store, org="openai"))["alerts"]
    assert only and {a["organization"] for a in only} == {"openai"}
    assert any(a["signal"] == "first_open_release" for a in only)  # gpt-oss, from the catalog
