"""Derived tables: one release per publication, one organization per lab.

`release_facts` keeps one row per source row. The merge, in four rules written once here:

1. **Same release.** Rows of the dated sources (the catalog, Epoch AI's tables) are one release
   when they share a name key (`slug(name)`, a catalog alias, or the dated-name key that makes
   `DeepSeek-V3 (Mar 2025)` and `DeepSeek-V3-0324` one) or a Hub id, and their organizations
   overlap.
2. **Hub repos are variants.** An Interconnects repo joins the release of its organization whose
   Hub ids hold it, or whose name it carries once variant suffixes (`VARIANT_SUFFIXES`:
   instruct, chat, base, quantized formats) are cut, or, failing that, whose family it names
   once its size (`-72B`, `-A22B`, `-8x7B`) is cut too. A repo with no release forms one only
   when a source dates it (Interconnects' release-date corrections); otherwise it stays a model
   of its organization (`release_id` NULL), with the tier its license tag gives.
3. **Precedence.** Each field comes from the first source of `PRECEDENCE[field]` that has it.
   `date` is `available` (weights downloadable, API generally available) when known, else
   `announced`. A date more than `DISAGREEMENT_DAYS` before the release its base model names,
   by another lab, is no release date and is passed over. The tier follows from the weights'
   license (`tier_from_license`), stricter of a pass-through license of a base by another lab
   (a licensor is not bound by its own license); a source's access label decides only without
   a license. An `available` date more than `DISAGREEMENT_DAYS`
   after a repo of the release's own weights was last changed on the Hub (so was public) dates
   a later version, not the release, and is passed over too (the catalog's excepted).
4. **Primary developer.** A release belongs to the owner of its Hub namespace, else to the first
   organization the sources name; co-authors stay in `organizations`.

Disagreements between sources beyond `DISAGREEMENT_DAYS` (and tier labels a license overrules)
become `import_warnings` rows of the losing source (stage 'merge').
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from typing import Any

from robinet.domain import org_directory, region_of, slug
from robinet.model import Tier
from robinet.store.db import Store
from robinet.store.release_rules import (
    FactGroups,
    attach_repos,
    first_date,
    hf_ids_of,
    name_keys,
    passes_through,
    tier_from_license,
)

EPOCH = ("epoch-large-scale", "epoch-notable", "epoch-all", "epoch-eci")
# Every source, most authoritative first (the order of `releases.sources`).
SOURCE_PRIORITY = ["catalog", *EPOCH, "interconnects"]
LICENSE = "license"  # the tier derived from a license, ranked as a source of `tier`
HUB = "hub"  # a Hub model's own metadata: its namespace, its license tag
PRECEDENCE: dict[str, tuple[str, ...]] = {
    # Epoch's spellings name the release (ids stay stable as sources are added).
    "name": (*EPOCH, "catalog", "interconnects"),
    # Publication dates of papers and announcements; then the ECI's first pre-release version
    # (a preview or experiment), which dates versions, not papers.
    "announced": ("catalog", *EPOCH),
    # The curated release date, Interconnects' corrections, the ECI's version release date.
    "available": ("catalog", "interconnects", "epoch-eci"),
    "tier": (LICENSE, "catalog", *EPOCH),
    "license_id": ("catalog", HUB),
    "hf_id": ("catalog", *EPOCH, "interconnects"),
    "organization": (HUB, "catalog", *EPOCH, "interconnects"),
    "*": ("catalog", *EPOCH, "interconnects"),  # every other field
}
DISAGREEMENT_DAYS = 7
_OTHER_FIELDS = (
    "countries", "domain", "parameters", "training_compute", "base_model", "frontier",
    "license_raw", "training_code", "inference_code", "training_hardware", "hardware_quantity",
    "task", "link",
)  # fmt: skip
# Rules under which a repo holds the release's own weights (a family member does not).
_SAME_WEIGHTS = ("hf_id", "name", "dated-name", "variant", "dated-repo")
_STRICTNESS = [Tier.OPEN_UNRESTRICTED, Tier.OPEN_RESTRICTED, Tier.OPEN_NONCOMMERCIAL]


def _rank(source: str, field: str = "*") -> int:
    order = PRECEDENCE.get(field, PRECEDENCE["*"])
    return order.index(source) if source in order else len(order)


# -- the merge --------------------------------------------------------------------------------
def _pick(field: str, facts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The fact that gives `field`: the first by PRECEDENCE[field] with a value."""
    ranked = sorted(
        (f for f in facts if f.get(field) not in (None, [])),
        key=lambda f: (_rank(f["source"], field), f["file"] or "", f["row"] or 0),
    )
    return ranked[0] if ranked else None


def _where(fact: dict[str, Any], field: str) -> dict[str, Any]:
    urls = json.loads(fact["urls"]) if fact.get("urls") else {}
    url = urls.get({"license_id": "license", "hf_id": "hf_ids"}.get(field, field), fact["link"])
    return {"source": fact["source"], "file": fact["file"], "row": fact["row"], "url": url}


class _Merger:
    def __init__(self, store: Store) -> None:
        self.hub_licenses = {
            r["hf"]: r["license_id"]
            for r in store.query(
                "SELECT lower(hf_id) AS hf, min(license_id) AS license_id FROM models "
                "WHERE license_id IS NOT NULL GROUP BY ALL"
            )
        }
        # When each Hub repo was last changed: its weights were public by then.
        self.hub_changed: dict[str, dt.date] = {
            r["hf"]: r["changed"]
            for r in store.query(
                "SELECT lower(hf_id) AS hf, min(last_modified)::DATE AS changed FROM models "
                "WHERE last_modified IS NOT NULL GROUP BY ALL"
            )
        }
        self.warnings: list[dict[str, Any]] = []

    def on_hub_by(
        self, release: dict[str, Any], facts: list[dict[str, Any]]
    ) -> tuple[dt.date, str] | None:
        """(date, repo): the earliest day a repo of the release's own weights is known to
        have been on the Hub (its last change in a dump), or None."""
        own = [h for f in facts if f["source"] != "interconnects" for h in hf_ids_of(f)] + [
            f["hf_id"] for f in facts if f.get("match_rule") in _SAME_WEIGHTS and f["hf_id"]
        ]  # not a family member's repo (another size, a later version)
        seen = [(d, hf) for hf in own if (d := self.hub_changed.get(hf.lower()))]
        return min(seen) if seen else None

    def warn(self, fact: dict[str, Any], field: str, message: str) -> None:
        self.warnings.append(
            {"source": fact["source"], "file": fact["file"], "row": fact["row"],
             "field": field, "message": message, "stage": "merge"}
        )  # fmt: skip

    def release(self, release_id: str, facts: list[dict[str, Any]]) -> dict[str, Any]:
        anchors = [f for f in facts if f["source"] != "interconnects"] or facts
        release: dict[str, Any] = {"id": release_id, "provenance": {}}
        for field in ("name", *_OTHER_FIELDS):
            self._take(release, field, _pick(field, anchors if field == "name" else facts))
        # The primary repo: a dated source's, else the repo carrying the release's own name.
        repos = [f for f in facts if f.get("match_rule") in _SAME_WEIGHTS[1:]]
        repos.sort(key=lambda f: (_SAME_WEIGHTS.index(f["match_rule"]), len(f["name"])))
        self._take(release, "hf_id", _pick("hf_id", anchors) or next(iter(repos), None))
        ids: list[str] = []
        for fact in sorted(facts, key=lambda f: _rank(f["source"], "hf_id")):
            ids.extend(h for h in hf_ids_of(fact) if h.lower() not in {i.lower() for i in ids})
        release["hf_ids"] = sorted(ids, key=lambda h: (h != release["hf_id"], h.lower()))
        self._organization(release, facts)
        self._license(release, facts)
        release["notable"] = any(f["notable"] for f in facts)
        release["sources"] = sorted({f["source"] for f in facts}, key=_rank)
        release["countries"] = release["countries"] or []
        return release

    def _take(self, release: dict[str, Any], field: str, fact: dict[str, Any] | None) -> None:
        release[field] = fact[field] if fact else None
        if fact:
            release["provenance"][field] = _where(fact, field)
        if field in ("name", "hf_id"):
            release[f"{field}_source"] = fact["source"] if fact else None

    def _organization(self, release: dict[str, Any], facts: list[dict[str, Any]]) -> None:
        directory = org_directory()
        orgs: list[str] = []
        for f in sorted(facts, key=lambda f: _rank(f["source"], "organization")):
            orgs.extend(o for o in f["organizations"] or [] if o not in orgs)
        owner = directory.resolve_hf(release["hf_id"].split("/")[0]) if release["hf_id"] else None
        fact = _pick("organization", facts)
        primary: str | None = None
        source: str | None = None
        if owner and (owner in orgs or owner in directory.entries):
            primary, source = owner, f"{HUB}:{release['hf_id'].split('/')[0]}"
            release["provenance"]["organization"] = release["provenance"]["hf_id"]
        elif fact:
            primary, source = fact["organization"], fact["source"]
            release["provenance"]["organization"] = _where(fact, "organization")
        release["organization"], release["organization_source"] = primary, source
        release["organizations"] = ([primary] if primary else []) + [
            o for o in orgs if o != primary
        ]

    def _license(self, release: dict[str, Any], facts: list[dict[str, Any]]) -> None:
        fact = _pick("license_id", facts)
        if fact:
            release["license_id"], release["license_source"] = fact["license_id"], fact["source"]
            release["provenance"]["license_id"] = _where(fact, "license_id")
            return
        # The Hub license tag of the primary repo, else of a repo that is the same weights.
        same = [release["hf_id"]] + [
            f["hf_id"] for f in facts if f.get("match_rule") in _SAME_WEIGHTS
        ]
        for hf in (h for h in same if h):
            if license_id := self.hub_licenses.get(hf.lower()):
                release["license_id"], release["license_source"] = license_id, f"{HUB}:{hf}"
                release["provenance"]["license_id"] = {"source": HUB, "hf_id": hf}
                return
        release["license_id"] = release["license_source"] = None

    def dates(self, release: dict[str, Any], facts: list[dict[str, Any]], floor: dt.date | None,
              base: str | None) -> None:  # fmt: skip
        """announced, available and date (rule 3), with the disagreements kept as warnings."""
        on_hub = self.on_hub_by(release, facts)
        for field in ("announced", "available"):
            candidates = []
            for fact in sorted(facts, key=lambda f: (_rank(f["source"], field), f["row"] or 0)):
                if _rank(fact["source"], field) >= len(PRECEDENCE[field]) or not fact[field]:
                    continue
                if floor and (floor - fact[field]).days > DISAGREEMENT_DAYS:
                    self.warn(fact, field, f"{release['name']}: {fact[field]} precedes its base "
                              f"model {base} ({floor}); not taken as its release date")  # fmt: skip
                    continue
                # A version evaluated later is no availability date: the weights were out.
                late = field == "available" and fact["source"] != "catalog"
                if late and on_hub and (fact[field] - on_hub[0]).days > DISAGREEMENT_DAYS:
                    self.warn(fact, field, f"{release['name']}: available {fact[field]}, but "
                              f"{on_hub[1]} was on the Hub by {on_hub[0]}; not taken as its "
                              "release date")  # fmt: skip
                    continue
                candidates.append(fact)
            kept = candidates[0] if candidates else None
            release[field] = kept[field] if kept else None
            release[f"{field}_source"] = kept["source"] if kept else None
            if kept:
                release["provenance"][field] = _where(kept, field)
            for other in candidates[1:]:
                assert kept is not None  # candidates[0]
                days = abs((other[field] - kept[field]).days)
                if days > DISAGREEMENT_DAYS and other["source"] != kept["source"]:
                    self.warn(
                        other,
                        field,
                        f"{release['name']}: {field} {other[field]} differs "
                        f"by {days} days from {kept[field]} kept from {kept['source']}",
                    )
        use = "available" if release["available"] else "announced"
        release["date"] = release[use]
        release["date_source"] = release[f"{use}_source"] if release["date"] else None
        if release["date"]:
            release["provenance"]["date"] = release["provenance"][use]

    def tier(self, release: dict[str, Any], facts: list[dict[str, Any]],
             base: dict[str, Any] | None) -> None:  # fmt: skip
        """The tier from the weights' license, stricter of a base's pass-through license;
        else the first access label by precedence."""
        decided: tuple[Tier, str] | None = None
        if release["license_id"] and (tier := tier_from_license(release["license_id"])):
            decided = (tier, f"license {release['license_id']} ({release['license_source']})")
        # A licensor is not bound by its own license: a lab relicenses its own base freely.
        foreign = base is not None and base["organization"] != release["organization"]
        if (
            decided
            and base
            and foreign
            and base.get("license_id")
            and passes_through(base["license_id"])
        ):
            inherited = tier_from_license(base["license_id"])
            if inherited and _STRICTNESS.index(inherited) > _STRICTNESS.index(decided[0]):
                decided = (inherited, f"license {base['license_id']} (base {base['name']})")
        label = _pick("tier", facts)
        if decided:
            release["tier"], release["tier_source"] = decided[0].value, decided[1]
            release["provenance"]["tier"] = release["provenance"]["license_id"]
            for fact in facts:
                if fact["tier"] and fact["tier"] != release["tier"]:
                    self.warn(fact, "tier", f"{release['name']}: access {fact['tier']} overruled "
                              f"by {decided[1]}: {release['tier']}")  # fmt: skip
        else:
            release["tier"] = label["tier"] if label else None
            release["tier_source"] = label["source"] if label else None
            if label:
                release["provenance"]["tier"] = _where(label, "tier")


def rebuild_releases(store: Store) -> None:
    facts = store.query("SELECT * FROM release_facts")
    for fact in facts:
        fact["release_id"] = None
    repos = [f for f in facts if f["source"] == "interconnects"]
    anchors = [f for f in facts if f["source"] != "interconnects"]
    groups = attach_repos(
        FactGroups(
            sorted(anchors, key=lambda f: (_rank(f["source"]), f["file"] or "", f["row"] or 0))
        ).groups(),
        repos,
    )
    merger = _Merger(store)
    drafts: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    taken: set[str] = set()
    for members in groups:
        release = merger.release("", members)
        key = slug(release["name"])
        release["id"] = key if key not in taken else f"{key}--{release['organization']}"
        n = 2
        while release["id"] in taken:
            release["id"], n = f"{key}--{n}", n + 1
        taken.add(release["id"])
        for fact in members:
            fact["release_id"] = release["id"]
        drafts.append((release, members))
    # Base models: a release's base is the release its `base_model` names (same key rules).
    by_key: dict[str, dict[str, Any]] = {}
    for release, members in drafts:
        for fact in members:
            if fact["source"] != "interconnects":
                for key in name_keys(fact):
                    by_key.setdefault(key, release)
    earliest = {
        r["id"]: first_date([f for f in m if f["source"] != "interconnects"]) for r, m in drafts
    }
    for release, members in drafts:
        base = by_key.get(slug(release["base_model"])) if release["base_model"] else None
        # Another lab cannot build on weights before they are out (the base's lab can).
        third_party = base is not None and base["organization"] != release["organization"]
        floor = earliest[base["id"]] if base and base is not release and third_party else None
        merger.dates(release, members, floor if floor != dt.date.max else None,
                     base["name"] if base else None)  # fmt: skip
    for release, members in drafts:
        base = by_key.get(slug(release["base_model"])) if release["base_model"] else None
        merger.tier(release, members, base if base is not release else None)
        release["provenance"] = json.dumps(release["provenance"], sort_keys=True, default=str)
    _tier_loose_repos(merger, repos)
    from robinet.store.ingest import insert_rows

    for fact in facts:
        fact.pop("match_rule", None)
    store.con.execute("DELETE FROM release_facts")
    insert_rows(store, "release_facts", facts)
    store.con.execute("DELETE FROM releases")
    insert_rows(store, "releases", [r for r, _ in drafts])
    store.con.execute("DELETE FROM import_warnings WHERE stage = 'merge'")
    insert_rows(store, "import_warnings", merger.warnings)


def _tier_loose_repos(merger: _Merger, repos: list[dict[str, Any]]) -> None:
    """A repo with no release counts as a model of its organization, tiered by its license."""
    for repo in repos:
        if repo["release_id"] is None:
            license_id = merger.hub_licenses.get(repo["hf_id"].lower())
            tier = tier_from_license(license_id) if license_id else None
            repo["license_id"] = license_id
            repo["tier"] = tier.value if tier else None


def rebuild_organizations(store: Store) -> None:
    directory = org_directory()
    facts = store.query(
        "SELECT organizations, organization_raw, countries, org_countries, source "
        "FROM release_facts"
    )
    sole_countries: dict[str, Counter[str]] = defaultdict(Counter)
    paired_countries: dict[str, Counter[str]] = defaultdict(Counter)
    all_countries: dict[str, set[str]] = defaultdict(set)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    contributors: dict[str, set[str]] = defaultdict(set)
    for fact in facts:
        orgs = fact["organizations"] or []
        countries = fact["countries"] or []
        raw_parts = [p.strip() for p in (fact["organization_raw"] or "").split(",") if p.strip()]
        for org, code in zip(orgs, fact["org_countries"] or [None] * len(orgs), strict=False):
            contributors[org].add(fact["source"])
            if code:
                paired_countries[org][code] += 1
        if len(orgs) == 1:
            all_countries[orgs[0]].update(countries)
            if len(countries) == 1:
                sole_countries[orgs[0]][countries[0]] += 1
            if len(raw_parts) == 1:
                spellings[orgs[0]][raw_parts[0]] += 1
    for row in store.query("SELECT organization, organization_raw, source FROM arena_entries"):
        if row["organization"]:
            contributors[row["organization"]].add(row["source"])
            spellings[row["organization"]][row["organization_raw"]] += 1
    hub_regions: dict[str, Counter[str]] = defaultdict(Counter)
    hub_orgs: dict[str, set[str]] = defaultdict(set)
    for row in store.query("SELECT hf_org, organization, region, source FROM org_regions"):
        hub_orgs[row["organization"]].add(row["hf_org"])
        contributors[row["organization"]].add(row["source"])
        if row["region"]:
            hub_regions[row["organization"]][row["region"]] += 1
    rows = []
    for org in sorted(contributors):
        alias = directory.entries.get(org)
        # Its own releases first; failing that, the country Epoch pairs with it on joint ones.
        votes = sole_countries[org] or paired_countries[org]
        country = votes.most_common(1)[0][0] if votes else None
        region = region_of(country)
        region_value = region.value if region else None
        if region_value is None and hub_regions[org]:
            region_value = hub_regions[org].most_common(1)[0][0]
        name = (
            alias.name
            if alias
            else (spellings[org].most_common(1)[0][0] if spellings[org] else org)
        )
        rows.append(
            {
                "id": org,
                "name": name,
                "country": country,
                "countries": sorted(all_countries[org]),
                "region": region_value,
                "parent": alias.parent if alias else None,
                "hf_orgs": sorted(set(alias.hf_orgs if alias else ()) | hub_orgs[org]),
                "aliases": sorted(set(spellings[org]) | set(alias.aliases if alias else ())),
                "source": ",".join(sorted(contributors[org], key=_rank)),
                "source_file": None,
                "retrieved_at": None,
            }
        )
    from robinet.store.ingest import insert_rows

    store.con.execute("DELETE FROM organizations")
    insert_rows(store, "organizations", rows)


def rebuild_derived(store: Store) -> None:
    """Recompute releases and organizations, then the fields that point at them."""
    rebuild_releases(store)
    rebuild_organizations(store)
    # A release's region is its (first) organization's; failing that, its countries'.
    store.con.execute(
        """
        UPDATE releases SET region = o.region
        FROM organizations o WHERE o.id = releases.organization
        """
    )
    # Releases no source gives countries for (Hub models listed by Interconnects) take their
    # organization's.
    store.con.execute(
        """
        UPDATE releases SET countries = [o.country]
        FROM organizations o
        WHERE o.id = releases.organization AND o.country IS NOT NULL
          AND (releases.countries IS NULL OR len(releases.countries) = 0)
        """
    )
    for row in store.query("SELECT id, countries FROM releases WHERE region IS NULL"):
        regions = {region_of(c) for c in row["countries"] or []}
        if len(regions) == 1:
            (region,) = regions
            if region is not None:
                store.con.execute(
                    "UPDATE releases SET region = ? WHERE id = ?", [region.value, row["id"]]
                )
    # Hub models of a known organization's namespaces belong to it.
    store.con.execute(
        """
        UPDATE models SET organization = m.id
        FROM (SELECT id, lower(unnest(hf_orgs)) AS namespace FROM organizations) m
        WHERE lower(models.author) = m.namespace
        """
    )
    store.con.execute(
        """
        UPDATE capability_scores SET release_id = f.release_id, region = r.region
        FROM release_facts f JOIN releases r ON r.id = f.release_id
        WHERE f.source = capability_scores.source AND f.name = capability_scores.name
          AND f.organization IS NOT DISTINCT FROM capability_scores.organization
        """
    )
    store.con.execute(
        """
        UPDATE capability_scores SET region = o.region
        FROM organizations o
        WHERE capability_scores.region IS NULL AND o.id = capability_scores.organization
        """
    )
