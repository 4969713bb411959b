"""Tap signals on synthetic sequences and on real labs; the curated events catalog."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from robinet.errors import InputDataError
from robinet.trends.alerts import alerts, alerts_json, lab_alerts
from robinet.trends.catalog import bundled_events, load_events
from robinet.trends.indicators import own_gap_indicators as own_gap_signals
from robinet.trends.signals import (
    LabRelease,
    cadence_signals,
    flagship_signals,
    license_signals,
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
    assert a.sources == ("epoch-eci",)
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


def test_hiatus_inside_the_history_and_resumption() -> None:
    rel = [
        LabRelease("o1", D(2020, 1, 1), "open-unrestricted", source="s1"),
        LabRelease("c1", D(2020, 6, 1), "api", source="s1,s2"),
        LabRelease("c2", D(2020, 9, 1), "api", source="s2"),
        LabRelease("o2", D(2022, 3, 1), "open-unrestricted", source="s2"),
        LabRelease("o3", D(2022, 5, 1), "open-unrestricted", source="s2"),
    ]
    found = cadence_signals("lab", rel, data_end=D(2023, 1, 1))
    assert [(a.signal, a.date, a.sources) for a in found] == [
        ("open_releases_stopped", D(2020, 12, 31), ("s1", "s2")),
        ("open_releases_resumed", D(2022, 3, 1), ("s2",)),
    ]


def test_hiatus_needs_the_evidence_sources_to_cover_the_window() -> None:
    rel = [
        LabRelease("o1", D(2024, 1, 1), "open-unrestricted", source="big"),
        LabRelease("c1", D(2024, 2, 1), "api", source="small"),
        LabRelease("c2", D(2024, 3, 1), "api", source="small"),
    ]
    # The closed releases come from a source that stops in 2024-04: a year without open
    # releases is not observed there, whatever the other sources cover.
    cov = {"big": D(2026, 1, 1), "small": D(2024, 4, 1)}
    assert cadence_signals("lab", rel, data_end=D(2026, 1, 1), coverage=cov) == []
    cov["small"] = D(2025, 6, 1)
    (a,) = cadence_signals("lab", rel, data_end=D(2026, 1, 1), coverage=cov)
    assert a.signal == "open_releases_stopped" and a.sources == ("big", "small")
    assert a.window == (D(2024, 1, 1), D(2025, 6, 1))
    assert [c.name for c in a.compared] == ["o1", "c1", "c2"]
    # No signal in the last three months of coverage: a window ending 2024-12-31 is not
    # observed in a source that stops 2025-03-01.
    cov["small"] = D(2025, 3, 1)
    assert cadence_signals("lab", rel, data_end=D(2026, 1, 1), coverage=cov) == []


def test_hiatus_needs_the_source_of_the_last_open_release_to_go_on() -> None:
    """The source that recorded the lab's last open release would record the next one: a year
    without open releases is not observed past its end (ByteDance's TiTok-L, Kuaishou's Kolors
    came from Epoch's all-models table, which stops in March 2025)."""
    rel = [
        LabRelease("o1", D(2024, 6, 1), "open-unrestricted", source="all"),
        LabRelease("c1", D(2024, 8, 1), "api", source="large"),
        LabRelease("c2", D(2025, 1, 1), "api", source="large"),
    ]
    cov = {"all": D(2025, 3, 14), "large": D(2025, 12, 31)}
    assert cadence_signals("lab", rel, data_end=D(2025, 12, 31), coverage=cov) == []


def test_merge_alerts_joins_detected_and_curated() -> None:
    from robinet.trends.signals import Alert, merge_alerts, split_sources

    assert split_sources("epoch-notable,epoch-all", "epoch-all", "") == (
        "epoch-notable",
        "epoch-all",
    )
    curated = Alert(
        "lab", D(2025, 1, 1), "opening", "license_loosened", "curated fact", ("https://x",)
    )
    # a detector dates the launch by the repo it reads, 12 days after the announcement
    detected = Alert("lab", D(2025, 1, 13), "opening", "license_loosened", "detected", ("arena",))
    later = Alert("lab", D(2025, 3, 1), "opening", "license_loosened", "a later one", ("arena",))
    other = Alert("lab", D(2025, 1, 13), "closing", "license_tightened", "other kind", ("arena",))
    (one, two, three) = merge_alerts([detected, later, curated, other])
    assert one.date == D(2025, 1, 1)  # the curated day
    assert one.evidence == "curated fact | detected" and one.sources == ("https://x", "arena")
    assert (two, three) == (other, later)
    # two detected events are one only on the same day (two launches a week apart are two)
    week = Alert("lab", D(2025, 1, 20), "opening", "license_loosened", "a week on", ("arena",))
    assert len(merge_alerts([detected, week])) == 2


def test_no_hiatus_when_open_releases_continue() -> None:
    rel = [LabRelease(f"o{i}", D(2023, 1 + i, 1), "open-unrestricted") for i in range(10)]
    rel += [LabRelease("c", D(2023, 5, 2), "api")]
    # No hiatus; the one closed release after four open ones is the lab's first closed one.
    found = cadence_signals("lab", rel, data_end=D(2026, 1, 1))
    assert [(a.signal, a.direction, a.date) for a in found] == [
        ("first_closed_release", "closing", D(2023, 5, 2))
    ]


def test_license_inherited_from_a_base_model_is_no_signal() -> None:
    rel = [
        LabRelease("OLMo 7B", D(2024, 2, 1), "open-unrestricted", "apache-2.0", 0.0),
        LabRelease(
            "OLMo-Llama 70B", D(2025, 1, 7), "open-restricted", "llama-3.1", 0.42, inherited=True
        ),
        LabRelease("OLMo 2 7B", D(2025, 3, 1), "open-unrestricted", "apache-2.0", 0.0),
    ]
    assert license_signals("lab", rel) == []
    # The same release, the lab's own choice, is a tightening.
    own = [rel[0], LabRelease("OLMo 3", D(2025, 1, 7), "open-restricted", "x", 0.42)]
    assert [a.signal for a in license_signals("lab", own)] == ["license_tightened"]


def test_license_tightened_and_loosened() -> None:
    rel = [
        LabRelease("v1", D(2023, 7, 1), "open-restricted", "lic-a", 0.4),
        LabRelease("v2", D(2024, 4, 1), "open-restricted", "lic-b", 0.5),
        LabRelease("v2 large", D(2024, 4, 5), "open-restricted", "lic-b", 0.5),  # same launch
        LabRelease("v3", D(2025, 1, 1), "open-unrestricted", "mit", 0.0),
    ]
    found = license_signals("lab", rel)
    assert [(a.signal, a.date) for a in found] == [
        ("license_tightened", D(2024, 4, 1)),
        ("license_loosened", D(2025, 1, 1)),
    ]


def test_a_launch_with_mixed_licenses_is_no_license_decision() -> None:
    """Sizes of one launch (within LAUNCH_GAP_DAYS) often carry different licenses on purpose
    (Qwen2.5: Apache-2.0 for most sizes, the Qwen license for 72B): a stricter license for one
    size while another keeps the old one is not the family moving."""
    rel = [
        LabRelease("v1", D(2023, 7, 1), "open-restricted", "lic-a", 0.4),
        LabRelease("v2", D(2024, 4, 1), "open-restricted", "lic-b", 0.5),
        LabRelease("v2 small", D(2024, 4, 3), "open-restricted", "lic-a", 0.4),
    ]
    assert license_signals("lab", rel) == []


def test_license_signals_skip_unscored_and_same_day() -> None:
    rel = [
        LabRelease("a", D(2024, 1, 1), "open-restricted", "x", 0.4),
        LabRelease("b", D(2024, 1, 1), "open-restricted", "y", 0.1),
        LabRelease("c", D(2024, 2, 1), "open-restricted", "z", None),
    ]
    assert license_signals("lab", rel) == []


def test_flagship_not_observed_beside_an_unscored_notable_model() -> None:
    """Gemini 1.5 Pro is listed by the index without a score: neither Gemma 2 above Gemini 1.0
    Pro nor Gemini 2.0 Pro above Gemma 2 is a change of flagship."""
    scored = [
        ("Gemini 1.0 Pro", D(2024, 2, 15), "api", 117.0),
        ("Gemma 2 27B", D(2024, 6, 24), "open-restricted", 122.6),
        ("Gemini 2.0 Pro", D(2025, 2, 5), "hosted", 135.7),
    ]
    assert [a.signal for a in flagship_signals("google", scored)] == [
        "flagship_opened",
        "flagship_closed",
    ]
    unscored = [LabRelease("Gemini 1.5 Pro", D(2024, 2, 15), "api")]
    assert flagship_signals("google", scored, unscored=unscored) == []


def test_flagship_not_in_the_last_months_of_the_index() -> None:
    scored = [("o", D(2025, 1, 1), "open-unrestricted", 100.0), ("c", D(2026, 4, 1), "api", 110.0)]
    assert flagship_signals("lab", scored, data_end=D(2026, 4, 8)) == []
    (a,) = flagship_signals("lab", scored, data_end=D(2026, 9, 1))
    assert a.window == (D(2025, 1, 1), D(2026, 9, 1)) and a.confidence == "high"


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
        assert set(a) == {
            "organization",
            "date",
            "direction",
            "signal",
            "evidence",
            "sources",
            "compared",
            "coverage",
            "confidence",
        }
        assert a["confidence"] in {"high", "medium", "low"}
        for c in a["compared"]:
            assert set(c) == {"name", "date", "tier", "license"}
        assert a["direction"] in {"closing", "opening"}
        assert a["date"] >= dt.date(2025, 1, 1)
        assert a["sources"]
    only = alerts_json(alerts(real_store, org="openai"))["alerts"]
    assert only and {a["organization"] for a in only} == {"openai"}
    for a in doc["alerts"] + only:  # a list of source names, never comma-joined
        assert all("," not in s and s != "eci" for s in a["sources"]), a


def test_real_openai_story_closing_then_resuming(real_store) -> None:
    """gpt-oss is not OpenAI's first open release (GPT-2, Whisper are in the store): the data
    show open releases stopping after Whisper v3 and resuming with gpt-oss."""
    found = {(a.signal, a.date): a for a in lab_alerts(real_store, "openai")}
    assert not any(s == "first_open_release" and d.year == 2025 for s, d in found)
    stopped = found[("open_releases_stopped", D(2024, 11, 5))]
    assert "Whisper v3" in stopped.evidence and stopped.direction == "closing"
    resumed = found[("open_releases_resumed", D(2025, 8, 5))]
    # the detected event and the curated one are one alert, with both sources
    assert "gpt-oss" in resumed.evidence and "Whisper v3" in resumed.evidence
    assert "https://openai.com/index/introducing-gpt-oss/" in resumed.sources
    assert "epoch-large-scale" in resumed.sources


def test_real_hiatus_never_past_the_sources_coverage(real_store) -> None:
    from robinet.trends.alerts import data_coverage_end, source_coverage

    end = data_coverage_end(real_store)
    coverage = source_coverage(real_store)
    assert end == max(d for s, d in coverage.items() if s.startswith("epoch"))
    stopped = [a for a in alerts(real_store) if a.signal == "open_releases_stopped"]
    assert stopped and all(a.date <= end for a in stopped)
    for a in stopped:  # each window ends within its evidence sources' coverage
        assert a.date <= max(coverage[s] for s in a.sources if s in coverage), a
    # Gemma 3n (2025-05-20) + 365 days and MatterGen (2025-01-16, epoch-all to 2025-03) + 365
    # days are not observed in the data.
    assert not any(
        a.organization in {"google", "microsoft"} and a.date.year == 2026 for a in stopped
    )


def test_real_alerts_merge_detected_and_curated(real_store) -> None:
    found = [
        a
        for a in lab_alerts(real_store, "deepseek")
        if a.signal == "license_loosened" and a.date == D(2025, 1, 20)
    ]
    assert len(found) == 1
    (a,) = found
    assert "arena" in a.sources and "https://huggingface.co/deepseek-ai/DeepSeek-R1" in a.sources
    meta = alerts_json(alerts(real_store, org="meta"))["alerts"]
    assert any({"epoch-notable", "epoch-all"} <= set(a["sources"]) for a in meta)


def test_real_arena_closed_models_drive_no_license_signal(real_store) -> None:
    found = [a for a in lab_alerts(real_store, "alibaba") if a.signal.startswith("license_")]
    assert not any("Qwen-Max" in a.evidence for a in found)
