"""Reads for the openness engine (robinet.openness): a release's evidence, set-based.

A release's evidence is its `releases` row, the Hub `models` row of its Hub id, the sources
that gave each of its fields (`release_facts`), and the quoted facts `openness_evidence` holds
for its source rows or its Hub id (Epoch AI's notes, a fetched model card). Every function
fetches the evidence of many releases in a fixed number of queries: one release
(`find_release`), every scored release (`scored_releases`), one organization's
(`organization_releases`), the releases matched to a batch of lookups (`match_releases`, the
MOT agreement's 273 evaluations at once), or a family's members by id (`releases_by_id`).

A Hub repo that is no release of its own (an Interconnects repo the merge kept as a model of
its organization, `release_id` NULL, or a variant listed in a release's Hub repos) is found
too, when no release is: its evidence is its own `release_facts` rows, its Hub row and its
quoted facts, with `ReleaseFacts.id` None and `ReleaseEvidence.variant_of` naming the release
that lists it, if any (the engine lets it inherit what holds for that release).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from robinet.model import Region, Tier
from robinet.store.db import Store
from robinet.store.queries.trends import BALANCED_SOURCE, FROM_SOURCE, as_region, as_tier

# Release fields whose provenance the openness evidence cites (release_facts columns).
CITED_FIELDS = (
    "tier", "license_id", "license_raw", "training_code", "inference_code", "link", "hf_id",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ReleaseFacts:
    """A release (or a Hub repo that is no release: `id` None) as the openness rubric reads it."""

    id: str | None
    name: str
    organization: str | None = None
    region: Region | None = None
    date: dt.date | None = None
    tier: Tier | None = None
    hf_id: str | None = None
    license_raw: str | None = None
    license_id: str | None = None  # knowledge-base id (the catalog's, or the Hub tag's)
    license_source: str | None = None  # where license_id comes from ('catalog', 'hub:<id>')
    training_code: str | None = None  # Epoch AI's code accessibility values
    inference_code: str | None = None
    link: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EvidenceFact:
    """One quoted fact of `openness_evidence`: a field, its value, the words behind it."""

    field: str
    value: str | None
    quote: str | None
    url: str | None
    source: str
    file: str | None = None
    row: int | None = None


@dataclass(frozen=True, slots=True)
class HubFacts:
    """The Hub `models` row of a release's Hub id (and the fetched facts of that Hub id)."""

    hf_id: str
    license: str | None = None  # the raw license tag
    license_id: str | None = None  # knowledge-base id the license engine resolved
    tags: tuple[str, ...] = ()
    downloads: int | None = None
    source: str | None = None
    library_name: str | None = None
    facts: tuple[EvidenceFact, ...] = ()  # openness_evidence of this Hub id


@dataclass(frozen=True, slots=True)
class ReleaseEvidence:
    release: ReleaseFacts
    hub: HubFacts | None
    # field (CITED_FIELDS) -> the sources whose facts gave it; None: the release has no facts
    field_sources: Mapping[str, tuple[str, ...]] | None
    facts: tuple[EvidenceFact, ...] = ()  # openness_evidence of the release's source rows
    variant_of: str | None = None  # a Hub repo (release.id None): the release listing it


@dataclass(frozen=True, slots=True)
class ReleaseLookup:
    """What to look a release up by: a text that may be an id, a Hub id or a name (matched
    as it is, case aside, then by its slug), and a name matched by its slug without dashes.
    The first of these three ways that finds a release decides."""

    key: int
    text: str | None = None
    name: str | None = None


_RELEASE_COLUMNS = (
    "r.id, r.name, r.organization, r.region, r.date, r.tier, r.hf_id, r.license_raw, "
    "r.license_id, r.license_source, r.training_code, r.inference_code, r.link, r.sources"
)
_FACT_COLUMNS = ", ".join(f"f.{field}" for field in CITED_FIELDS)
_FACT_LISTS = ", ".join(
    f"list_sort(list_distinct(list(source) FILTER (WHERE {field} IS NOT NULL))) AS {field}"
    for field in CITED_FIELDS
)
# The evidence of the releases a `picked (key, id, rank)` CTE names, in rank order. The Hub
# row of a Hub id that differs from several models' only by case is the exact-case one.
_FACT = (
    "list(struct_pack(field := e.field, value := e.value, quote := e.quote, url := e.url, "
    "source := e.source, file := e.file, row := e.row) "
    "ORDER BY e.source, e.file, e.row, e.field, e.value)"
)
_EVIDENCE = f"""
, hub AS (
    SELECT p.key, m.hf_id, m.license, m.license_id, m.tags, m.downloads, m.source,
           m.library_name
    FROM picked p JOIN releases r ON r.id = p.id
    JOIN models m ON lower(m.hf_id) = lower(r.hf_id)
    QUALIFY row_number() OVER (PARTITION BY p.key ORDER BY m.hf_id = r.hf_id DESC, m.hf_id) = 1
), facts AS (
    SELECT release_id, {_FACT_LISTS}
    FROM release_facts WHERE release_id IN (SELECT id FROM picked)
    GROUP BY release_id
), row_evidence AS (
    SELECT f.release_id, {_FACT} AS items
    FROM openness_evidence e JOIN release_facts f
      ON e.subject_kind = 'release_fact' AND e.source = f.source
     AND e.file IS NOT DISTINCT FROM f.file AND e.row = f.row
    WHERE f.release_id IN (SELECT id FROM picked)
    GROUP BY f.release_id
), hub_evidence AS (
    SELECT lower(e.subject) AS hf, {_FACT} AS items
    FROM openness_evidence e
    WHERE e.subject_kind = 'model'
      AND lower(e.subject) IN (SELECT lower(r.hf_id) FROM picked p JOIN releases r ON r.id = p.id)
    GROUP BY lower(e.subject)
)
SELECT p.key, {_RELEASE_COLUMNS},
       h.hf_id, h.license, h.license_id, h.tags, h.downloads, h.source, h.library_name,
       he.items, re.items,
       NULL, f.release_id IS NOT NULL, {_FACT_COLUMNS}
FROM picked p JOIN releases r ON r.id = p.id
LEFT JOIN hub h ON h.key = p.key
LEFT JOIN facts f ON f.release_id = r.id
LEFT JOIN row_evidence re ON re.release_id = r.id
LEFT JOIN hub_evidence he ON he.hf = lower(r.hf_id)
ORDER BY p.rank
"""


# The evidence of the Hub repos a `picked (key, hf, hub_id, rank)` CTE names (`hf` the Hub id
# lowercased): in the shape of `_EVIDENCE`'s rows. A repo's fields come from its own
# `release_facts` rows (Interconnects' row first for its name), its organization also from the
# release that lists it or its Hub namespace.
_REPO_FIELDS = ("name", "organization", "date", "tier", "license_raw", "license_id",
                "training_code", "inference_code", "link", "release_id")  # fmt: skip
_REPO_FIRST = ", ".join(
    f"first(f.{c} ORDER BY f.source <> 'interconnects', f.source, f.row) "
    f"FILTER (WHERE f.{c} IS NOT NULL) AS {c}"
    for c in _REPO_FIELDS
)
_REPO_LISTS = ", ".join(
    f"list_sort(list_distinct(list(f.source) FILTER (WHERE f.{field} IS NOT NULL))) "
    f"AS cited_{field}"
    for field in CITED_FIELDS
)
_REPO_EVIDENCE = f"""
, repo AS (
    SELECT p.key, p.rank, p.hf, p.hub_id,
           {_REPO_FIRST},
           list_sort(list_distinct(list(f.source) FILTER (WHERE f.source IS NOT NULL)))
               AS sources,
           count(f.source) > 0 AS has_facts, {_REPO_LISTS}
    FROM picked p LEFT JOIN release_facts f ON lower(f.hf_id) = p.hf
    GROUP BY p.key, p.rank, p.hf, p.hub_id
), listed AS (
    SELECT p.key, r.id, r.organization FROM picked p JOIN releases r
      ON list_contains(list_transform(r.hf_ids, lambda h: lower(h)), p.hf)
    QUALIFY row_number() OVER (PARTITION BY p.key ORDER BY len(r.sources) DESC, r.id) = 1
), namespace AS (
    SELECT p.key, o.id FROM picked p JOIN organizations o
      ON list_contains(list_transform(o.hf_orgs, lambda h: lower(h)), split_part(p.hf, '/', 1))
    QUALIFY row_number() OVER (PARTITION BY p.key ORDER BY o.id) = 1
), hub AS (
    SELECT p.key, m.hf_id, m.license, m.license_id, m.tags, m.downloads, m.source,
           m.library_name
    FROM picked p JOIN models m ON lower(m.hf_id) = p.hf
    QUALIFY row_number() OVER (PARTITION BY p.key ORDER BY m.hf_id = p.hub_id DESC, m.hf_id) = 1
), row_evidence AS (
    SELECT p.key, {_FACT} AS items
    FROM picked p JOIN release_facts f ON lower(f.hf_id) = p.hf
    JOIN openness_evidence e
      ON e.subject_kind = 'release_fact' AND e.source = f.source
     AND e.file IS NOT DISTINCT FROM f.file AND e.row = f.row
    GROUP BY p.key
), hub_evidence AS (
    SELECT p.key, {_FACT} AS items
    FROM picked p JOIN openness_evidence e
      ON e.subject_kind = 'model' AND lower(e.subject) = p.hf
    GROUP BY p.key
)
SELECT r.key, NULL, coalesce(r.name, split_part(r.hub_id, '/', 2)) AS name,
       coalesce(r.organization, l.organization, n.id) AS org, o.region, r.date, r.tier,
       r.hub_id, r.license_raw, r.license_id, r.cited_license_id[1], r.training_code,
       r.inference_code, r.link, r.sources,
       h.hf_id, h.license, h.license_id, h.tags, h.downloads, h.source, h.library_name,
       he.items, re.items, coalesce(r.release_id, l.id), r.has_facts,
       {", ".join(f"r.cited_{field}" for field in CITED_FIELDS)}
FROM repo r
LEFT JOIN listed l ON l.key = r.key
LEFT JOIN namespace n ON n.key = r.key
LEFT JOIN organizations o ON o.id = coalesce(r.organization, l.organization, n.id)
LEFT JOIN hub h ON h.key = r.key
LEFT JOIN row_evidence re ON re.key = r.key
LEFT JOIN hub_evidence he ON he.key = r.key
ORDER BY r.rank
"""


def _facts(items: Sequence[Mapping[str, Any]] | None) -> tuple[EvidenceFact, ...]:
    return tuple(
        EvidenceFact(
            field=i["field"],
            value=i["value"],
            quote=i["quote"],
            url=i["url"],
            source=i["source"],
            file=i["file"],
            row=i["row"],
        )
        for i in items or ()
    )


def _evidence(row: Sequence[Any]) -> tuple[Any, ReleaseEvidence]:
    key = row[0]
    rid, name, org, region, date, tier, hf_id, lic, lic_id, lic_source = row[1:11]
    train, infer, link, sources = row[11:15]
    release = ReleaseFacts(
        id=rid,
        name=name,
        organization=org,
        region=as_region(region),
        date=date,
        tier=as_tier(tier),
        hf_id=hf_id,
        license_raw=lic,
        license_id=lic_id,
        license_source=lic_source,
        training_code=train,
        inference_code=infer,
        link=link,
        sources=tuple(sources or ()),
    )
    hub_id, hub_license, hub_license_id, tags, downloads, hub_source, library = row[15:22]
    hub_facts, row_facts = _facts(row[22]), _facts(row[23])
    hub = (
        None
        if hub_id is None
        else HubFacts(
            hub_id,
            hub_license,
            hub_license_id,
            tuple(tags or ()),
            downloads,
            hub_source,
            library,
            hub_facts,
        )
    )
    if hub is None and hub_facts and hf_id:  # fetched facts of a Hub id the dumps lack
        hub = HubFacts(hf_id, facts=hub_facts, source=hub_facts[0].source)
    variant_of, has_facts, *lists = row[24:]
    fields = (
        {field: tuple(values or ()) for field, values in zip(CITED_FIELDS, lists, strict=True)}
        if has_facts
        else None
    )
    return key, ReleaseEvidence(release, hub, fields, row_facts, variant_of)


def _fetch(store: Store, picked: str, params: Sequence[Any]) -> list[tuple[Any, ReleaseEvidence]]:
    rows = store.con.execute(f"WITH picked AS ({picked}) {_EVIDENCE}", list(params)).fetchall()
    return [_evidence(row) for row in rows]


_PICKED_RELEASES = (
    "SELECT unnest(?::INTEGER[]) AS key, unnest(?::VARCHAR[]) AS id, unnest(?::INTEGER[]) AS rank"
)
_PICKED_REPOS = (
    "SELECT unnest(?::INTEGER[]) AS key, lower(unnest(?::VARCHAR[])) AS hf, "
    "unnest(?::VARCHAR[]) AS hub_id, unnest(?::INTEGER[]) AS rank"
)


def scored_releases(store: Store, *, balanced_only: bool = True) -> list[ReleaseEvidence]:
    """Every dated release with a known tier, by id (from the balanced sources, Epoch AI, by
    default: they list open and closed releases alike)."""
    picked = (
        "SELECT id AS key, id, row_number() OVER (ORDER BY id) AS rank FROM releases "
        "WHERE tier IS NOT NULL AND date IS NOT NULL "
        f"AND (NOT ? OR {FROM_SOURCE})"
    )
    return [ev for _, ev in _fetch(store, picked, [balanced_only, BALANCED_SOURCE])]


def organization_releases(store: Store, org: str) -> list[ReleaseEvidence]:
    """The dated releases of known tier whose primary organization is `org`, oldest first."""
    picked = (
        "SELECT id AS key, id, row_number() OVER (ORDER BY date, id) AS rank FROM releases "
        "WHERE organization = ? AND tier IS NOT NULL AND date IS NOT NULL"
    )
    return [ev for _, ev in _fetch(store, picked, [org])]


# Lookups -> at most one release or Hub repo each. Ways: 1 the text as a release's id, Hub id
# or name (case aside); 2 the text's slug as an id, an id's prefix before '--', or a release
# name's slug; 2.5 the text, or its slug, as another name a source gives a release (Epoch AI's
# 'GPT-4' for the release named 'GPT-4 (Mar 2023)', a catalog alias); 3 the text as the Hub id
# of a repo that is no release's primary one (a repo of `release_facts`, or one of a release's
# Hub repos); 4 the name's slug without dashes as a
# release name's; 5 the text as a repo's name, or its slug as a repo name's slug; 6 the name's
# slug without dashes as a repo name's. The most-sourced release (the repo with most source
# rows) wins, then (ways 1 and 2) the oldest, then the first id.
_MATCH = """
WITH lookups AS (
    SELECT unnest(?::INTEGER[]) AS key, unnest(?::VARCHAR[]) AS text, unnest(?::VARCHAR[]) AS name
), keyed AS (
    SELECT key, lower(text) AS text, name_slug(text) AS text_slug,
           replace(name_slug(name), '-', '') AS name_key
    FROM lookups
), named AS (
    SELECT id, name, date, sources, lower(id) AS lower_id, lower(hf_id) AS lower_hf_id,
           lower(name) AS lower_name, name_slug(name) AS slug
    FROM releases
), also_named AS (
    SELECT DISTINCT r.id, r.sources, r.date, lower(n.name) AS lower_name, name_slug(n.name) AS slug
    FROM (
        SELECT release_id, name FROM release_facts
        WHERE release_id IS NOT NULL AND source <> 'interconnects'
        UNION ALL
        SELECT release_id, unnest(aliases) FROM release_facts
        WHERE release_id IS NOT NULL AND aliases IS NOT NULL
    ) n JOIN releases r ON r.id = n.release_id
    WHERE n.name <> r.name
), repo_rows AS (
    SELECT hf_id AS hub_id, name FROM release_facts WHERE hf_id IS NOT NULL
    UNION ALL
    SELECT hub_id, NULL FROM (SELECT unnest(hf_ids) AS hub_id FROM releases)
    WHERE hub_id IS NOT NULL
), repos AS (
    SELECT lower(hub_id) AS hf, arg_max(hub_id, name IS NOT NULL) AS hub_id,
           count(name) AS n_rows
    FROM repo_rows GROUP BY lower(hub_id)
), repo_names AS (
    SELECT DISTINCT lower(r.hub_id) AS hf, lower(n) AS lower_name, name_slug(n) AS slug
    FROM (SELECT hub_id, coalesce(name, split_part(hub_id, '/', 2)) AS n FROM repo_rows) r
), candidates AS (
    SELECT k.key, 1 AS way, 'release' AS kind, r.id AS target, NULL AS hub_id,
           len(r.sources) AS weight, r.date FROM keyed k JOIN named r
        ON k.text IN (r.lower_id, r.lower_hf_id, r.lower_name)
    UNION ALL
    SELECT k.key, 2, 'release', r.id, NULL, len(r.sources), r.date FROM keyed k JOIN named r
        ON k.text_slug <> '' AND (r.id = k.text_slug OR starts_with(r.id, k.text_slug || '--')
                                  OR r.slug = k.text_slug)
    UNION ALL
    SELECT k.key, 2.5, 'release', r.id, NULL, len(r.sources), r.date FROM keyed k
    JOIN also_named r ON k.text = r.lower_name OR (k.text_slug <> '' AND r.slug = k.text_slug)
    UNION ALL
    SELECT k.key, 3, 'repo', p.hf, p.hub_id, p.n_rows, NULL FROM keyed k JOIN repos p
        ON k.text = p.hf
    UNION ALL
    SELECT k.key, 4, 'release', r.id, NULL, len(r.sources), NULL FROM keyed k JOIN named r
        ON replace(r.slug, '-', '') = k.name_key
    UNION ALL
    SELECT k.key, 5, 'repo', p.hf, p.hub_id, p.n_rows, NULL
    FROM keyed k JOIN repo_names n ON k.text = n.lower_name
        OR (k.text_slug <> '' AND n.slug = k.text_slug)
    JOIN repos p ON p.hf = n.hf
    UNION ALL
    SELECT k.key, 6, 'repo', p.hf, p.hub_id, p.n_rows, NULL
    FROM keyed k JOIN repo_names n ON replace(n.slug, '-', '') = k.name_key
    JOIN repos p ON p.hf = n.hf
), picked AS (
    SELECT key, kind, target, hub_id FROM candidates
    QUALIFY row_number() OVER (
        PARTITION BY key ORDER BY way, weight DESC, date NULLS LAST, target) = 1
)
SELECT key, kind, target, hub_id FROM picked ORDER BY key
"""


def match_releases(store: Store, lookups: Sequence[ReleaseLookup]) -> dict[int, ReleaseEvidence]:
    """lookup key -> the evidence of the release (or Hub repo, see the module's docstring) it
    finds (lookups that find none are left out), in three queries however many lookups."""
    if not lookups:
        return {}
    params = [
        [lk.key for lk in lookups],
        [lk.text for lk in lookups],
        [lk.name for lk in lookups],
    ]
    picks = store.con.execute(_MATCH, params).fetchall()
    releases = [(key, target) for key, kind, target, _ in picks if kind == "release"]
    repos = [(key, target, hub_id) for key, kind, target, hub_id in picks if kind == "repo"]
    out: dict[int, ReleaseEvidence] = {}
    if releases:
        keys, ids = [k for k, _ in releases], [t for _, t in releases]
        out.update(_fetch(store, _PICKED_RELEASES, [keys, ids, keys]))
    if repos:
        keys = [k for k, _, _ in repos]
        sql = f"WITH picked AS ({_PICKED_REPOS}) {_REPO_EVIDENCE}"
        params = [keys, [t for _, t, _ in repos], [h for _, _, h in repos], keys]
        out.update(_evidence(row) for row in store.con.execute(sql, params).fetchall())
    return out


def find_release(store: Store, text: str) -> ReleaseEvidence | None:
    """A release by id, Hub id or name (case-insensitive), else by the slug the merge uses;
    the most-sourced match wins. Else a Hub repo that is no release, by Hub id or name."""
    return match_releases(store, [ReleaseLookup(0, text=text)]).get(0)


def release_names(store: Store) -> list[tuple[str, str]]:
    """(name, id) of every release, most-sourced first."""
    rows = store.con.execute("SELECT name, id FROM releases ORDER BY len(sources) DESC, id")
    return [(name, rid) for name, rid in rows.fetchall()]


def releases_by_id(store: Store, ids: Sequence[str]) -> dict[str, ReleaseEvidence]:
    """release id -> its evidence, for the given ids (one query)."""
    if not ids:
        return {}
    picked = (
        "SELECT id AS key, id, row_number() OVER (ORDER BY id) AS rank FROM releases "
        "WHERE id IN (SELECT unnest(?::VARCHAR[]))"
    )
    return dict(_fetch(store, picked, [list(ids)]))


@dataclass(frozen=True, slots=True)
class ReleaseName:
    """What a release's family is computed from (see robinet.openness.family)."""

    id: str
    name: str
    organization: str | None
    hf_id: str | None


def release_family_names(store: Store) -> list[ReleaseName]:
    """id, name, organization and Hub id of every release, by id."""
    rows = store.con.execute("SELECT id, name, organization, hf_id FROM releases ORDER BY id")
    return [ReleaseName(*row) for row in rows.fetchall()]


def hub_model(store: Store, hf_id: str) -> HubFacts | None:
    """The Hub `models` row of `hf_id` (case aside; the exact case first) and the fetched
    facts of that Hub id; None when the store has neither."""
    row = store.con.execute(
        "SELECT hf_id, license, license_id, tags, downloads, source, library_name FROM models "
        "WHERE lower(hf_id) = lower(?) ORDER BY hf_id = ? DESC, hf_id LIMIT 1",
        [hf_id, hf_id],
    ).fetchone()
    items = store.con.execute(
        f"SELECT {_FACT} FROM openness_evidence e "
        "WHERE e.subject_kind = 'model' AND lower(e.subject) = lower(?)",
        [hf_id],
    ).fetchone()
    facts = _facts(items[0] if items else None)
    if row is None:
        if not facts:
            return None
        return HubFacts(hf_id, facts=facts, source=facts[0].source)
    hub_id, lic, lic_id, tags, downloads, source, library = row
    return HubFacts(hub_id, lic, lic_id, tuple(tags or ()), downloads, source, library, facts)
