"""The examples of "the landscape, true", pinned through the rules on the repo's real rows:
co-authors are never credited, inherited licenses are not the lab's choice, no signal rests on
the last months of a source's coverage, indicators are apart, the 2025 moves are curated."""

from __future__ import annotations

import datetime as dt

from robinet.trends.alerts import alerts, alerts_json, indicators, lab_alerts
from robinet.trends.catalog import bundled_events
from robinet.trends.signals import MARGIN_DAYS


def test_first_open_releases_belong_to_the_primary_developer(real_store) -> None:
    coauthored = real_store.query(
        "SELECT name, organization FROM releases WHERE name IN ('SantaCoder', 'CogView')"
    )
    assert {r["organization"] for r in coauthored}.isdisjoint({"huawei", "alibaba"})
    for lab, name in (("huawei", "SantaCoder"), ("alibaba", "CogView")):
        firsts = [a for a in lab_alerts(real_store, lab) if a.signal == "first_open_release"]
        assert all(name not in a.evidence for a in firsts), (lab, firsts)
        for a in firsts:  # the release the signal names is the lab's own
            (row,) = real_store.query(
                "SELECT organization FROM releases WHERE name = ? AND date = ?",
                [a.compared[-1].name, a.date],
            )
            assert row["organization"] == lab


def test_ai2_did_not_tighten_its_license_with_tulu(real_store) -> None:
    """Tulu 3 is a fine-tune of Llama 3.1 and carries Meta's license: not Ai2's decision."""
    (tulu,) = real_store.query("SELECT base_model FROM releases WHERE name = 'Tulu 3 (Tülu 3) 70B'")
    assert tulu["base_model"].startswith("Llama")
    found = [a for a in lab_alerts(real_store, "ai2") if a.signal.startswith("license_")]
    assert not any("tulu" in a.evidence.lower() for a in found)


def test_no_stop_signal_rests_on_the_end_of_its_sources(real_store) -> None:
    ends = {
        r["name"]: r["date_max"] for r in real_store.query("SELECT name, date_max FROM sources")
    }
    stopped = [a for a in alerts(real_store) if a.signal == "open_releases_stopped"]
    assert stopped
    margin = dt.timedelta(days=MARGIN_DAYS)
    for a in stopped:
        first = a.compared[0]  # the lab's last open release before the window
        (row,) = real_store.query(
            "SELECT sources FROM releases WHERE name = ? AND date = ?", [first.name, first.date]
        )
        open_ends = [ends[s] for s in row["sources"] if s in ends]
        assert a.date <= min(open_ends) - margin, a
    # The artefacts of Epoch's all-models table ending in March 2025 are gone.
    assert not any(
        a.organization in {"bytedance", "kuaishou", "01-ai"} and a.date.year == 2025
        for a in stopped
    )


def test_indicators_are_apart_from_the_signals(real_store) -> None:
    kinds = {"open_trailing_own_flagship", "open_catching_own_flagship"}
    assert not any(a.signal in kinds for a in alerts(real_store))
    found = indicators(real_store)
    assert found and {a.signal for a in found} <= kinds
    doc = alerts_json(alerts(real_store, org="openai"), indicators(real_store, org="openai"))
    assert set(doc) == {"alerts", "indicators"} and doc["indicators"]


def test_every_detected_signal_names_what_it_compares(real_store) -> None:
    for a in alerts(real_store):
        assert a.confidence in {"high", "medium", "low"}
        if not any(s.startswith("https://") for s in a.sources):
            assert a.compared and a.window is not None, a
            assert all(c.date is not None and c.tier for c in a.compared), a


def test_the_labs_defining_moves_of_2025_are_curated_with_sources() -> None:
    events = [e for e in bundled_events() if e.date.year == 2025]
    labs = {e.organization for e in events}
    assert {"meta", "moonshot", "zhipu", "tencent", "deepseek", "alibaba", "openai"} <= labs
    assert {"mistral"} <= labs
    for e in events:
        assert all(str(u).startswith("https://") for u in e.sources)


def test_alibaba_flagship_story_and_meta_llama4(real_store) -> None:
    found = {(a.signal, a.date) for a in lab_alerts(real_store, "alibaba")}
    assert ("flagship_closed", dt.date(2025, 1, 25)) in found  # Qwen2.5-Max
    assert ("flagship_opened", dt.date(2025, 4, 28)) in found  # Qwen3-235B-A22B
    meta = [a for a in lab_alerts(real_store, "meta") if a.date.year == 2025]
    (llama4,) = [a for a in meta if a.signal == "flagship_opened"]
    assert {c.name for c in llama4.compared} == {"Llama 4 Scout", "Llama 4 Maverick"}
    assert all(c.tier == "open-restricted" for c in llama4.compared)


def test_no_flagship_change_for_google_beside_unscored_gemini(real_store) -> None:
    """Gemini 1.5 Pro is in the index without a score: Gemma 2 27B is not Google's flagship."""
    (row,) = real_store.query(
        "SELECT count(*) AS n FROM capability_scores WHERE name = 'Gemini 1.5 Pro' "
        "AND score IS NOT NULL"
    )
    assert row["n"] == 0
    assert not any(a.signal.startswith("flagship") for a in lab_alerts(real_store, "google"))
