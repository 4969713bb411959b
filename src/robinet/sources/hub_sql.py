"""Set-based parsing of Hub model records (the `GET /api/models/{id}` JSON shape) in DuckDB.

Every way in — a JSON Lines or Parquet dump, the CSV sample, a page of a live sync — is a
relation of one JSON document per row, `(row, doc, file)`: the lines of a dump file read by
DuckDB (hub_dump._stage_lines), or the temporary table `_hub_stage` that records are written
to. The SQL here turns the whole of it into `models`, declared `edges`, `license_refs` and
`import_warnings` at once: no Python loop per model, so the same code serves 10 thousand and
2.5 million models.

Declared lineage signals, in the order they win when several name the same parent:
card `base_model` (+ `base_model_relation`), `base_model:*` tags, adapter configs'
`base_model_name_or_path`, merge configs (mergekit), GGUF `general.base_model.*`.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pyarrow as pa

from robinet.store.db import Store

STAGE = "_hub_stage"

# Top-level keys of the Hub API's model payload that robinet knows (others are reported).
KNOWN_KEYS = (
    "_id", "id", "modelId", "author", "sha", "createdAt", "created_at", "lastModified",
    "last_modified", "private", "gated", "disabled", "downloads", "downloadsAllTime", "likes",
    "library_name", "pipeline_tag", "tags", "cardData", "card_data", "siblings", "config",
    "gguf", "safetensors", "spaces", "transformersInfo", "widgetData", "model-index",
    "mask_token", "inference", "inferenceProviderMapping", "trendingScore", "usedStorage",
    "baseModels", "childrenModelCount", "evalResults", "resourceGroup", "adapter_config",
    "mergekit_config", "merge_config", "license_file", "modelName",
    # also real: expand[]=xetEnabled, securityStatus=true; and huggingface_hub ModelInfo's
    # snake_case attribute names, for dumps written from ModelInfo objects
    "xetEnabled", "securityRepoStatus", "downloads_all_time", "transformers_info",
    "widget_data", "model_index", "trending_score", "used_storage", "base_models",
    "children_model_count", "eval_results", "resource_group", "inference_provider_mapping",
    "security_repo_status",
)  # fmt: skip

RELATIONS = ("finetune", "adapter", "quantized", "merge", "distill")
_REL_LIST = ", ".join(f"'{r}'" for r in RELATIONS)
# Lower is stronger when two signals name the same parent.
SIGNAL_RANK = {"card": 1, "tag": 2, "adapter_config": 3, "merge_config": 4, "gguf": 5}
_RANK_CASE = "CASE source " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in SIGNAL_RANK.items())
_RANK_CASE += " ELSE 9 END"
_KNOWN = ", ".join(f"'{k}'" for k in KNOWN_KEYS)

# A Hub repo id: 'name' (legacy, no owner) or 'owner/name'.
ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.\-]*(/[A-Za-z0-9_.\-]+)?"


_STRING_FIELDS = (
    "id", "modelId", "author", "sha", "createdAt", "created_at", "lastModified",
    "last_modified", "downloads", "likes", "library_name", "pipeline_tag", "gated",
)  # fmt: skip
_JSON_FIELDS = (
    "tags", "cardData", "card_data", "config", "gguf", "mergekit_config", "merge_config",
    "adapter_config",
)  # fmt: skip
_STRUCTURE = json.dumps(
    {**{k: "VARCHAR" for k in _STRING_FIELDS}, **{k: "JSON" for k in _JSON_FIELDS}}
)
_CARD_FIELDS = ("license", "license_name", "license_link", "base_model", "base_model_relation")
_CARD_STRUCTURE = json.dumps({k: "JSON" for k in _CARD_FIELDS})


# One equality key for a license declaration (license, license_name, license_link), so that
# the join to its resolution is a hash join.
_LICENSE_KEY = (
    "concat_ws(chr(31), coalesce({t}.license, chr(0)), coalesce({t}.license_name, chr(0)), "
    "coalesce({t}.license_link, chr(0)))"
)


def create_stage(store: Store) -> None:
    store.con.execute(
        f"CREATE OR REPLACE TEMP TABLE {STAGE} (row BIGINT, doc VARCHAR, file VARCHAR)"
    )


def _ts(expr: str) -> str:
    return f"(TRY_CAST({expr} AS TIMESTAMPTZ) AT TIME ZONE 'UTC')"


def parse_stage(store: Store, relation: str = STAGE) -> None:
    """`relation` (row, doc, file) -> _hub_parsed (one row per document, parsed once) and
    _hub_signals_norm (declared lineage signals, parent ids normalized)."""
    con = store.con
    # An object field may come as an object or, from Parquet/CSV exports, as JSON text.
    con.execute(
        """
        CREATE OR REPLACE TEMP MACRO _hub_obj(x) AS CASE json_type(x)
            WHEN 'OBJECT' THEN x
            WHEN 'VARCHAR' THEN CASE WHEN json_valid(x->>'$')
                AND json_type((x->>'$')::JSON) = 'OBJECT' THEN (x->>'$')::JSON END
        END
        """
    )
    # Each document is parsed once, into a struct of the fields robinet reads; object fields
    # stay JSON. A line that is not a JSON object gives NULL (reported by warnings_sql).
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _hub_parsed AS
        WITH d AS (
            SELECT row, file, doc,
                   CASE WHEN starts_with(ltrim(doc), '{{')
                        THEN TRY(json_transform(doc, '{_STRUCTURE}')) END AS s
            FROM {relation} stage
        ), c AS (
            SELECT row, file, s,
                CASE WHEN s IS NULL THEN coalesce(left(doc, 80), '') END AS bad_doc,
                -- unknown top-level fields: every record of the first 100,000, then one in 16
                CASE WHEN s IS NOT NULL AND (row <= 100000 OR row % 16 = 0)
                     THEN json_keys(doc) END AS keys,
                coalesce(s.cardData, s.card_data) AS card_raw,
                _hub_obj(coalesce(s.cardData, s.card_data)) AS card,
                -- the card's fields robinet reads, from one parse of the card
                json_transform(card, '{_CARD_STRUCTURE}') AS cs,
                _hub_obj(s.config) AS config,
                _hub_obj(s.gguf) AS gguf,
                _hub_obj(coalesce(s.mergekit_config, s.merge_config)) AS merge_config,
                _hub_obj(s.adapter_config) AS adapter_config,
                CASE WHEN json_type(s.tags) = 'ARRAY'
                     THEN CAST(s.tags AS VARCHAR[]) END AS tags,
                coalesce(s.createdAt, s.created_at) AS created_raw,
                coalesce(s.lastModified, s.last_modified) AS last_modified_raw
            FROM d
        )
        SELECT row, file,
            nullif(trim(coalesce(s.id, s.modelId)), '') AS hf_id,
            coalesce(nullif(s.author, ''), CASE WHEN contains(hf_id, '/')
                     THEN split_part(hf_id, '/', 1) END) AS author,
            s.sha AS sha,
            {_ts("created_raw")} AS created_at,
            {_ts("last_modified_raw")} AS last_modified,
            TRY_CAST(s.downloads AS BIGINT) AS downloads,
            TRY_CAST(s.likes AS BIGINT) AS likes,
            s.library_name AS library_name,
            s.pipeline_tag AS pipeline_tag,
            coalesce(
                CASE json_type(cs.license)
                    WHEN 'VARCHAR' THEN cs.license->>'$'
                    WHEN 'ARRAY' THEN array_to_string(CAST(cs.license AS VARCHAR[]), ' OR ')
                END,
                list_first([substr(t, 9) FOR t IN tags IF starts_with(t, 'license:')])
            ) AS license,
            cs.license_name->>'$' AS license_name,
            cs.license_link->>'$' AS license_link,
            CASE WHEN s.gated IN ('false', '0') THEN NULL ELSE s.gated END AS gated,
            tags, gguf, merge_config,
            -- only what the signals read of the card and of adapter configs
            cs.base_model AS card_base_model,
            CASE WHEN card_base_model IS NOT NULL
                 THEN lower(cs.base_model_relation->>'$') END AS card_relation,
            coalesce(
                config->'adapter_config'->>'base_model_name_or_path',
                config->'peft'->>'base_model_name_or_path',
                adapter_config->>'base_model_name_or_path') AS adapter_parent,
            -- a field's raw value is kept only where it could not be read (for the warnings)
            CASE WHEN created_at IS NULL THEN created_raw END AS created_bad,
            CASE WHEN last_modified IS NULL THEN last_modified_raw END AS last_modified_bad,
            CASE WHEN downloads IS NULL THEN s.downloads END AS downloads_bad,
            CASE WHEN likes IS NULL THEN s.likes END AS likes_bad,
            CASE WHEN tags IS NULL THEN s.tags::VARCHAR END AS tags_bad,
            CASE WHEN card IS NULL THEN card_raw::VARCHAR END AS card_bad,
            bad_doc, keys
        FROM c
        """
    )
    # Declared lineage signals: one row per (child, raw parent, relation, signal).
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _hub_signals AS
        WITH tag_rows AS (
            SELECT row, hf_id, unnest(tags) AS t FROM _hub_parsed
            WHERE hf_id IS NOT NULL AND len(tags) > 0
        ), tagged AS (
            SELECT row, hf_id, t, string_split(t, ':') AS parts FROM tag_rows
            WHERE starts_with(t, 'base_model:')
        ), card_single AS (
            SELECT row, hf_id, card_base_model AS bm, card_relation FROM _hub_parsed
            WHERE hf_id IS NOT NULL AND card_base_model IS NOT NULL
        ), card_list AS (
            SELECT row, hf_id, card_relation,
                CASE json_type(bm)
                    WHEN 'VARCHAR' THEN [bm->>'$']
                    WHEN 'ARRAY' THEN CAST(bm AS VARCHAR[])
                END AS parents
            FROM card_single
        ), card_rows AS (
            SELECT row, hf_id, unnest(parents) AS parent, len(parents) AS n,
                   card_relation AS rel
            FROM card_list WHERE parents IS NOT NULL
        ), gguf_rows AS (
            SELECT row, hf_id, k, gguf->>k AS v FROM (
                SELECT row, hf_id, gguf, unnest(json_keys(gguf)) AS k FROM _hub_parsed
                WHERE hf_id IS NOT NULL AND gguf IS NOT NULL
            ) WHERE regexp_full_match(k, 'general\\.base_model\\.[0-9]+\\.repo_url')
        ), merge_docs AS (
            SELECT row, hf_id, merge_config AS mc
            FROM _hub_parsed WHERE hf_id IS NOT NULL AND merge_config IS NOT NULL
        ), merge_rows AS (
            SELECT row, hf_id, unnest(list_distinct(list_concat(
                coalesce(json_extract_string(mc, '$.models[*].model'), []),
                coalesce(json_extract_string(mc, '$.slices[*].sources[*].model'), []),
                CASE WHEN (mc->>'base_model') IS NOT NULL THEN [mc->>'base_model'] ELSE [] END
            ))) AS parent
            FROM merge_docs
        )
        SELECT row, hf_id AS child,
            CASE WHEN len(parts) >= 3 AND parts[2] IN ({_REL_LIST})
                 THEN array_to_string(parts[3:], ':') ELSE substr(t, 12) END AS parent_raw,
            CASE WHEN len(parts) >= 3 AND parts[2] IN ({_REL_LIST})
                 THEN parts[2] ELSE 'finetune' END AS relation,
            len(parts) >= 3 AND parts[2] IN ({_REL_LIST}) AS explicit,
            'tag' AS source, 'tag ' || t AS evidence
        FROM tagged
        UNION ALL
        SELECT row, hf_id, parent,
            CASE WHEN rel IN ({_REL_LIST}) THEN rel WHEN n > 1 THEN 'merge' ELSE 'finetune' END,
            coalesce(rel IN ({_REL_LIST}), false), 'card',
            'cardData.base_model' || CASE WHEN rel IS NOT NULL
                THEN ' + base_model_relation: ' || rel ELSE '' END
        FROM card_rows
        UNION ALL
        SELECT row, hf_id, v, 'quantized', false, 'gguf', 'gguf ' || k FROM gguf_rows
        UNION ALL
        SELECT row, hf_id, adapter_parent,
            'adapter', true, 'adapter_config', 'adapter_config.json base_model_name_or_path'
        FROM _hub_parsed WHERE hf_id IS NOT NULL AND adapter_parent IS NOT NULL
        UNION ALL
        SELECT row, hf_id, parent, 'merge', true, 'merge_config', 'mergekit config models'
        FROM merge_rows
        """
    )
    # Normalize parent ids (URLs, trailing slashes) and keep one signal per (child, parent).
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _hub_signals_norm AS
        SELECT *, regexp_full_match(parent, '{ID_PATTERN}') AS valid FROM (
            SELECT row, child, relation, explicit, source, evidence, parent_raw,
                rtrim(regexp_replace(regexp_replace(trim(parent_raw),
                    '^(https?://)?(huggingface\\.co|hf\\.co)/', ''),
                    '/(tree|blob|resolve)/.*$', ''), '/') AS parent
            FROM _hub_signals WHERE parent_raw IS NOT NULL
        )
        """
    )
    con.execute("DROP TABLE _hub_signals")
    # Rows with an id that do not become a model: an invalid id, or a duplicate id whose later
    # row wins. Few; the warnings, the models and the edges are filtered by an anti-join on
    # this small table instead of a window over every row.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _hub_excluded AS
        WITH dups AS (
            SELECT hf_id, max(row) AS last FROM _hub_parsed WHERE hf_id IS NOT NULL
            GROUP BY hf_id HAVING count(*) > 1
        )
        SELECT p.row, p.file, p.hf_id, true AS duplicate
        FROM _hub_parsed p JOIN dups d ON d.hf_id = p.hf_id AND p.row < d.last
        UNION ALL
        SELECT row, file, hf_id, false FROM _hub_parsed
        WHERE hf_id IS NOT NULL AND NOT regexp_full_match(hf_id, '{ID_PATTERN}')
        """
    )


def warnings_sql(source: str) -> str:
    """SELECT of (source, file, row, field, message) for everything wrong in the stage."""
    s = source.replace("'", "''")
    return f"""
        SELECT '{s}', file, row, NULL, 'not a JSON object: ' || bad_doc
        FROM _hub_parsed WHERE bad_doc IS NOT NULL AND trim(bad_doc) <> ''
        UNION ALL
        SELECT '{s}', file, row, 'id', 'model without an id: row skipped'
        FROM _hub_parsed WHERE hf_id IS NULL AND bad_doc IS NULL
        UNION ALL
        SELECT '{s}', file, row, 'id', 'invalid model id ' || hf_id || ': row skipped'
        FROM _hub_excluded WHERE NOT duplicate
        UNION ALL
        SELECT '{s}', file, row, f, 'malformed value ' || left(v, 60) || ': ignored' FROM (
            SELECT file, row, 'downloads' AS f, downloads_bad AS v FROM _hub_parsed
            UNION ALL SELECT file, row, 'likes', likes_bad FROM _hub_parsed
            UNION ALL SELECT file, row, 'lastModified', last_modified_bad FROM _hub_parsed
            UNION ALL SELECT file, row, 'createdAt', created_bad FROM _hub_parsed
            UNION ALL SELECT file, row, 'tags', tags_bad FROM _hub_parsed
            UNION ALL SELECT file, row, 'cardData', card_bad FROM _hub_parsed
        ) WHERE v IS NOT NULL AND v <> 'null'
        UNION ALL
        SELECT '{s}', min(file), min(row), k,
               'unknown field in ' || sum(n) || ' record(s) checked: ignored'
        FROM (SELECT file, row, n, unnest(keys) AS k FROM (
                SELECT keys, min(file) AS file, min(row) AS row, count(*) AS n
                FROM _hub_parsed WHERE keys IS NOT NULL GROUP BY keys))
        WHERE k NOT IN ({_KNOWN}) GROUP BY k
        UNION ALL
        SELECT '{s}', file, row, 'id', 'duplicate model ' || hf_id || ': the later row wins'
        FROM _hub_excluded WHERE duplicate
        UNION ALL
        SELECT '{s}', f.file, s.row, 'base_model',
               'invalid parent id ' || left(s.parent_raw, 80) || ' (' || s.source || '): ignored'
        FROM _hub_signals_norm s JOIN _hub_parsed f USING (row) WHERE NOT s.valid
    """


_MODELS_SELECT = """
    SELECT hf_id, author, NULL AS organization, sha, created_at, last_modified, downloads,
           likes, library_name, pipeline_tag, license, license_name, license_link, gated, tags,
           license_id, ? AS source, file, row::INTEGER AS row, ?::TIMESTAMP AS retrieved_at
    FROM _hub_models
"""


def _write_models(store: Store, params: list[str]) -> None:
    """_hub_models -> models: upsert by hf_id (the primary key)."""
    verb = "INSERT" if store.count("models") == 0 else "INSERT OR REPLACE"
    store.con.execute(f"{verb} INTO models BY NAME {_MODELS_SELECT}", params)


def write_tables(
    store: Store,
    *,
    source: str,
    retrieved_at: str,
    resolve: Callable[[str | None, str | None, str | None], str | None],
) -> dict[str, int]:
    """Upsert the parsed stage into models, edges, license_refs, lineage_anomalies.

    `resolve(license, license_name, license_link)` gives the knowledge-base id of a license
    declaration; it is called once per distinct declaration, not per model.
    """
    con = store.con
    # The rows that become models: an id, valid, the last row of its id (see _hub_excluded).
    kept = "p.hf_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM _hub_excluded x WHERE x.row = p.row)"
    declarations = con.execute(
        "SELECT DISTINCT license, license_name, license_link FROM _hub_parsed p "
        f"WHERE {kept} AND coalesce(license, license_name) IS NOT NULL"
    ).fetchall()
    resolved = pa.table(
        {
            "license": pa.array([d[0] for d in declarations], pa.string()),
            "license_name": pa.array([d[1] for d in declarations], pa.string()),
            "license_link": pa.array([d[2] for d in declarations], pa.string()),
            "license_id": pa.array([resolve(*d) for d in declarations], pa.string()),
        }
    )
    con.register("_hub_resolved_arrow", resolved)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _hub_resolved AS SELECT license_id, "
        f"{_LICENSE_KEY.format(t='a')} AS k FROM _hub_resolved_arrow a"
    )
    con.unregister("_hub_resolved_arrow")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _hub_models AS
        SELECT p.row, p.file, p.hf_id, p.author, p.sha, p.created_at, p.last_modified,
               p.downloads, p.likes, p.library_name, p.pipeline_tag, p.license, p.license_name,
               p.license_link, p.gated, p.tags, r.license_id
        FROM _hub_parsed p LEFT JOIN _hub_resolved r ON r.k = {_LICENSE_KEY.format(t="p")}
        WHERE {kept}
        """
    )
    rows_read = con.execute("SELECT count(*) FROM _hub_parsed").fetchone()
    con.execute("DROP TABLE _hub_parsed")  # the largest intermediate: free it early
    params = [source, retrieved_at]
    _write_models(store, params)
    # Declared edges of the imported children are replaced by what this import says.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _hub_edges AS
        WITH v AS (  -- the signals of the rows that became models
            SELECT s.* FROM _hub_signals_norm s
            WHERE s.valid AND NOT EXISTS (SELECT 1 FROM _hub_excluded x WHERE x.row = s.row)
        ), parents AS (
            SELECT DISTINCT parent FROM v
        ), unknown AS (  -- parents not spelled as in the store: matched case-insensitively
            SELECT parent FROM parents p ANTI JOIN models m ON m.hf_id = p.parent
        ), respelled AS (
            SELECT u.parent, min(m.hf_id) AS hf_id
            FROM unknown u JOIN models m ON lower(m.hf_id) = lower(u.parent)
            GROUP BY u.parent
        ), s AS (
            SELECT v.*, coalesce(r.hf_id, v.parent) AS parent_id
            FROM v LEFT JOIN respelled r USING (parent)
        )
        SELECT child, parent_id AS parent,
            arg_min(relation, (NOT explicit)::INT * 10 + """
        + _RANK_CASE
        + """) AS relation,
            arg_min(source, """
        + _RANK_CASE
        + """) AS source,
            array_to_string(list_sort(list_distinct(list(evidence))), '; ') AS evidence
        FROM s GROUP BY child, parent_id
        """
    )
    con.execute("DELETE FROM edges WHERE child IN (SELECT hf_id FROM _hub_models)")
    con.execute(
        "DELETE FROM lineage_anomalies WHERE kind = 'self_reference' "
        "AND model IN (SELECT hf_id FROM _hub_models)"
    )
    con.execute(
        """
        INSERT INTO lineage_anomalies
        SELECT 'self_reference', child, parent, 'declares itself as its base model (' ||
               evidence || ')', ?, NULL, NULL
        FROM _hub_edges WHERE lower(child) = lower(parent)
        """,
        [source],
    )
    con.execute(
        """
        INSERT INTO edges BY NAME
        SELECT child, parent, relation, source, 1.0 AS confidence, evidence, ? AS origin,
               ?::TIMESTAMP AS retrieved_at
        FROM _hub_edges WHERE lower(child) <> lower(parent)
        """,
        params,
    )
    con.execute(
        "DELETE FROM license_refs WHERE subject_kind = 'model' AND source = ? "
        "AND subject IN (SELECT hf_id FROM _hub_models)",
        [source],
    )
    con.execute(
        """
        INSERT INTO license_refs BY NAME
        SELECT m.hf_id AS subject, 'model' AS subject_kind,
               coalesce(m.license, m.license_name) AS license_raw, m.license_id,
               ? AS source, m.file, m.row::INTEGER AS row, ?::TIMESTAMP AS retrieved_at
        FROM _hub_models m
        WHERE coalesce(m.license, m.license_name) IS NOT NULL
        """,
        params,
    )
    counts = con.execute(
        """SELECT (SELECT count(*) FROM _hub_models),
                  (SELECT count(*) FROM _hub_edges WHERE lower(child) <> lower(parent))"""
    ).fetchone()
    assert counts is not None and rows_read is not None
    return {"models": counts[0], "edges": counts[1], "rows": rows_read[0]}
