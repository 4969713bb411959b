"""The analytics' query layer (robinet.store.queries.trends / openness): set-based reads give
what one query per lab, release or evaluation gave, checked against SQL written here."""

from __future__ import annotations

import datetime as dt

import pytest

from robinet.domain import slug
from robinet.errors import StoreError
from robinet.openness.engine import all_openness, organization_openness
from robinet.openness.mof import mot_evaluations
from robinet.store import Store
from robinet.store.queries.openness import ReleaseLookup, find_release, match_releases
from robinet.store.queries.trends import BALANCED_SOURCE, dated_releases_by_lab
from robinet.trends.alerts import alerts, lab_alerts, tracked_labs
from robinet.trends.series import trend


def _release(store: Store, rid: str, name: str, sources: list[str], **cols: object) -> None:
    names = ["id", "name", "sources", *cols]
    store.con.execute(
        f"INSERT INTO releases ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        [rid, name, sources, *cols.values()],
    )


def test_match_releases_ways_and_ranking_on_a_hand_made_store(memory_store: Store) -> None:
    _release(memory_store, "lab--tülu-3", "Tülu 3", ["a"], hf_id="Lab/Tulu-3")
    _release(memory_store, "tulu-3", "Tulu 3", ["a", "b"], date="2024-11-21")
    _release(memory_store, "tulu-3--other", "Tulu-3", ["a", "b"], date="2024-01-01")
    _release(memory_store, "qwen-max", "Qwen-Max", ["a"])
    found = match_releases(
        memory_store,
        [
            ReleaseLookup(0, text="lab/tulu-3"),  # way 1: the Hub id, case aside
            ReleaseLookup(1, text="TULU 3"),  # way 1: a name, case aside
            ReleaseLookup(2, text="tulu--3!"),  # way 2: slug; of two 2-source, the oldest
            ReleaseLookup(3, text="nothing", name="Qwen Max"),  # way 3: the name's compact slug
            ReleaseLookup(4, text="nothing", name="nothing either"),
            ReleaseLookup(5, text="Tülu 3", name="Qwen-Max"),  # way 1 before way 3
        ],
    )
    assert {k: e.release.id for k, e in found.items()} == {
        0: "lab--tülu-3",
        1: "tulu-3",
        2: "tulu-3--other",
        3: "qwen-max",
        5: "lab--tülu-3",
    }
    assert found[0].field_sources is None and found[0].hub is None  # no facts, no Hub row


def test_find_release_reads_the_hub_row_and_the_field_sources(real_store: Store) -> None:
    row = real_store.query(
        "SELECT r.id, r.hf_id, m.license, m.downloads FROM releases r "
        "JOIN models m ON m.hf_id = r.hf_id ORDER BY m.downloads DESC NULLS LAST, r.id LIMIT 1"
    )[0]
    ev = find_release(real_store, row["hf_id"])
    assert ev is not None and ev.release.hf_id == row["hf_id"]
    assert ev.hub is not None and ev.hub.hf_id == row["hf_id"]
    assert (ev.hub.license, ev.hub.downloads) == (row["license"], row["downloads"])
    for field in ("tier", "hf_id"):
        expected = real_store.query(
            "SELECT DISTINCT source FROM release_facts "
            f"WHERE release_id = ? AND {field} IS NOT NULL",
            [ev.release.id],
        )
        assert ev.field_sources is not None
        assert ev.field_sources[field] == tuple(sorted(r["source"] for r in expected))


def test_mot_lookups_in_one_query_match_each_evaluation_alone(real_store: Store) -> None:
    """The oracle: each evaluation looked up on its own, in Python over every release row."""
    releases = real_store.query("SELECT id, name, hf_id, len(sources) AS n, date FROM releases")
    for r in releases:  # the keys each way compares, computed once
        r["exact"] = {r["id"].lower(), (r["hf_id"] or "").lower(), r["name"].lower()}
        r["slug"] = slug(r["name"])
        r["compact"] = r["slug"].replace("-", "")

    also: dict[str, set[str]] = {}  # release id -> the other names its sources give it
    for r in real_store.query(
        "SELECT f.release_id, f.name, f.aliases FROM release_facts f JOIN releases r "
        "ON r.id = f.release_id WHERE f.source <> 'interconnects'"
    ):
        also.setdefault(r["release_id"], set()).update([r["name"], *(r["aliases"] or [])])
    for r in releases:
        others = also.get(r["id"], set()) - {r["name"]}
        r["also"] = {n.lower() for n in others} | {slug(n) for n in others}

    def best(rows: list[dict], dated: bool = True) -> str | None:
        """Most sources first, then (when `dated`) the oldest, undated last, then the id."""

        def rank(r: dict) -> tuple:
            return (-r["n"], (r["date"] or dt.date.max) if dated else dt.date.max, r["id"])

        return min(rows, key=rank)["id"] if rows else None

    # Hub repos that are no release of their own: rows of release_facts, a release's repos.
    repo_names: dict[str, set[str]] = {}
    for r in real_store.query("SELECT hf_id, name FROM release_facts WHERE hf_id IS NOT NULL"):
        repo_names.setdefault(r["hf_id"].lower(), set()).add(r["name"])
    for r in real_store.query("SELECT unnest(hf_ids) AS hf_id FROM releases"):
        repo_names.setdefault(r["hf_id"].lower(), set())
    for hf, names in repo_names.items():
        names.add(hf.split("/", 1)[1])

    def repos_named(test) -> set[str]:
        return {hf for hf, names in repo_names.items() if any(test(n) for n in names)}

    def alone(hf_id: str | None, name: str) -> tuple[str, set[str] | str | None]:
        """('release', id), or ('repo', the Hub ids that may answer), or ('none', None)."""
        if hf_id:
            text, key = hf_id.lower(), slug(hf_id)
            exact = [r for r in releases if text in r["exact"]]
            if exact:
                return "release", best(exact)
            if key:
                keyed = [
                    r
                    for r in releases
                    if key == r["id"] or r["id"].startswith(key + "--") or key == r["slug"]
                ]
                if keyed:
                    return "release", best(keyed)
            if other := [r for r in releases if text in r["also"] or key in r["also"]]:
                return "release", best(other)
            if text in repo_names:
                return "repo", {text}
        compact = slug(name).replace("-", "")
        if found := best([r for r in releases if r["compact"] == compact], False):
            return "release", found
        if hf_id and (
            named := repos_named(lambda n: n.lower() == hf_id.lower() or slug(n) == slug(hf_id))
        ):
            return "repo", named
        if named := repos_named(lambda n: slug(n).replace("-", "") == compact):
            return "repo", named
        return "none", None

    evs = mot_evaluations()
    found = match_releases(
        real_store, [ReleaseLookup(i, ev.hf_id or None, ev.name) for i, ev in enumerate(evs)]
    )
    repos = 0
    for i, ev in enumerate(evs):
        got = found.get(i)
        kind, expected = alone(ev.hf_id, ev.name)
        if kind == "release":
            assert got is not None and got.release.id == expected, ev.file
        elif kind == "repo":
            assert got is not None and got.release.id is None, ev.file
            assert isinstance(expected, set) and (got.release.hf_id or "").lower() in expected
            repos += 1
        else:
            assert got is None, ev.file
    assert repos > 10
    assert len(found) >= 100


def test_balanced_releases_by_lab_are_each_labs_releases(real_store: Store) -> None:
    labs = ["deepseek", "meta", "openai", "alibaba", "google-deepmind", "no-such-lab"]
    by_lab = dated_releases_by_lab(real_store, BALANCED_SOURCE, labs)
    assert set(by_lab) <= set(labs) and "no-such-lab" not in by_lab
    for lab in labs:
        expected = real_store.query(
            "SELECT id FROM releases WHERE date IS NOT NULL "
            "AND array_to_string(sources, ',') LIKE '%epoch%' "
            "AND organization = ? ORDER BY date, id",
            [lab],
        )
        assert [r.id for r in by_lab.get(lab, [])] == [r["id"] for r in expected], lab


def test_coauthors_are_listed_never_credited(real_store: Store) -> None:
    """SantaCoder (Hugging Face, with Huawei among 8 co-authors) and CogView (Tsinghua, with
    Alibaba) belong to their primary developer only."""
    rows = {
        r["name"]: r
        for r in real_store.query(
            "SELECT name, organization, organizations FROM releases "
            "WHERE name IN ('SantaCoder', 'CogView')"
        )
    }
    assert rows["SantaCoder"]["organization"] != "huawei"
    assert "huawei" in rows["SantaCoder"]["organizations"]
    assert "alibaba" in rows["CogView"]["organizations"]
    by_lab = dated_releases_by_lab(real_store, BALANCED_SOURCE, ["huawei", "alibaba"])
    names = {r.name for lab in by_lab.values() for r in lab}
    assert not {"SantaCoder", "CogView"} & names
    owner = dated_releases_by_lab(real_store, BALANCED_SOURCE, [rows["SantaCoder"]["organization"]])
    (santa,) = [r for r in owner[rows["SantaCoder"]["organization"]] if r.name == "SantaCoder"]
    assert "huawei" in santa.organizations


def test_alerts_of_every_lab_at_once_are_each_labs_alerts(real_store: Store) -> None:
    together = alerts(real_store)
    for lab in ["openai", "deepseek", "meta"]:
        alone = lab_alerts(real_store, lab)  # the lab's own reads
        assert [a for a in together if a.organization == lab] == alone, lab
    assert {a.organization for a in together} <= set(tracked_labs(real_store))


def test_organization_openness_scores_the_labs_releases(real_store: Store) -> None:
    mine = organization_openness(real_store, "deepseek")
    expected = real_store.query(
        "SELECT id FROM releases WHERE organization = 'deepseek' AND tier IS NOT NULL "
        "AND date IS NOT NULL ORDER BY date, id"
    )
    assert [r.release["id"] for r in mine] == [r["id"] for r in expected]
    everyone = {r.release["id"]: r for r in all_openness(real_store, epoch_only=False)}
    for r in mine:  # the same score whichever way the evidence was fetched
        assert everyone[r.release["id"]] == r


def test_a_value_that_is_no_tier_is_a_damaged_store(memory_store: Store) -> None:
    _release(memory_store, "x", "X", ["epoch-all"], date="2024-01-01", tier="open-ish")
    with pytest.raises(StoreError, match="open-ish"):
        trend(memory_store, "releases")
