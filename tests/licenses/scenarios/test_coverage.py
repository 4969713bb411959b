"""The suite itself: at least 80 scenarios, every license family of the knowledge base and
every use-context option (with each distribution) exercised."""

from __future__ import annotations

import test_asia
import test_meta_google
import test_open_and_generic

from robinet.licenses import knowledge_base

ALL = [*test_meta_google.SCENARIOS, *test_asia.SCENARIOS, *test_open_and_generic.SCENARIOS]
OPTIONS = {
    "use", "licensee_country", "market", "region", "monthly_users", "group_monthly_users",
    "annual_revenue", "distribution", "redistribute", "purposes", "purpose_text", "modality",
    "train_on_outputs", "derivative_name",
}  # fmt: skip


def test_enough_distinct_scenarios() -> None:
    assert len(ALL) >= 80
    assert len({s.id for s in ALL}) == len(ALL)


def test_every_family_is_covered() -> None:
    kb = knowledge_base()
    families = {e.family for e in kb.entries}
    covered = {kb.get(s.license).family for s in ALL} | {
        kb.get(s.source).family for s in ALL if s.source
    }
    assert families - covered == set()


def test_every_option_and_decision_is_covered() -> None:
    used = {key for s in ALL for key in s.use}
    assert used >= OPTIONS, sorted(OPTIONS - used)
    assert {s.use.get("distribution", "none") for s in ALL} == {
        "none",
        "hosted",
        "unmodified",
        "modified",
    }
    assert {s.decision for s in ALL} == {"allow", "conditional", "deny", "unknown"}
