"""Set-based parsing of Hub model records (the `GET /api/models/{id}` JSON shape) in DuckDB.

Every way in — a JSON Lines or Parquet dump, the CSV sample, a page of a live sync — first
lands as one JSON document per row in the temporary table `_hub_stage(row, doc)`. The SQL
here turns the whole stage into `models`, declared `edges`, `license_refs` and
`import_warnings` at once: no Python loop per model, so the same code serves 10 thousand and
2.5 million models.

Declared lineage signals, in the order they win when several name the same parent:
card `base_model` (+ `base_model_relation`), `base_model:*` tags, adapter configs'
`base_model_name_or_path`, merge configs (mergekit), GGUF `general.base_model.*`.
"""

from __future__ import annotations

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


def create_stage(store: Store) -> None:
    store.con.execute(
        f"CREATE OR REPLACE TEMP TABLE {STAGE} (row BIGINT, doc VARCHAR, file VARCHAR)"
    )


def _ts(expr: str) -> str:
    return f"(TRY_CAST({expr} AS TIMESTAMPTZ) AT TIME ZONE 'UTC')"


def parse_stage(store: Store) -> None:
    """_hub_stage -> _hub_parsed (one row per valid model) and _hub_signals (declared edges)."""
    con = store.con
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _hub_docs AS
        SELECT row, file,
               CASE WHEN json_valid(doc) AND json_type(doc::JSON) = 'OBJECT'
                    THEN doc::JSON END AS j,
               doc IS NOT NULL AND trim(doc) <> '' AS present
        FROM {STAGE}
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _hub_parsed AS
        WITH d AS (
            SELECT row, file, j,
                   coalesce(j->'cardData', j->'card_data') AS card_raw
            FROM _hub_docs WHERE j IS NOT NULL
        ), c AS (
            SELECT *,
                CASE json_type(card_raw)
                    WHEN 'OBJECT' THEN card_raw
                    WHEN 'VARCHAR' THEN CASE WHEN json_valid(card_raw->>'$')
                        AND json_type((card_raw->>'$')::JSON) = 'OBJECT'
                        THEN (card_raw->>'$')::JSON END
                END AS card,
                CASE WHEN json_type(j->'tags') = 'ARRAY'
                     THEN CAST(j->'tags' AS VARCHAR[]) END AS tags
            FROM d
        )
        SELECT row, file,
            nullif(trim(coalesce(j->>'id', j->>'modelId')), '') AS hf_id,
            coalesce(nullif(j->>'author', ''), CASE WHEN contains(hf_id, '/')
                     THEN split_part(hf_id, '/', 1) END) AS author,
            j->>'sha' AS sha,
            {_ts("coalesce(j->>'createdAt', j->>'created_at')")} AS created_at,
            {_ts("coalesce(j->>'lastModified', j->>'last_modified')")} AS last_modified,
            coalesce(j->>'lastModified', j->>'last_modified') AS last_modified_raw,
            TRY_CAST(j->>'downloads' AS BIGINT) AS downloads,
            TRY_CAST(j->>'likes' AS BIGINT) AS likes,
            j->>'library_name' AS library_name,
            j->>'pipeline_tag' AS pipeline_tag,
            coalesce(
                CASE json_type(card->'license')
                    WHEN 'VARCHAR' THEN card->>'license'
                    WHEN 'ARRAY' THEN array_to_string(CAST(card->'license' AS VARCHAR[]), ' OR ')
                END,
                list_first([substr(t, 9) FOR t IN tags IF starts_with(t, 'license:')])
            ) AS license,
            card->>'license_name' AS license_name,
            card->>'license_link' AS license_link,
            CASE WHEN j->>'gated' IN ('false', '0') THEN NULL ELSE j->>'gated' END AS gated,
            tags, card, j
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
            SELECT row, hf_id, card FROM _hub_parsed
            WHERE hf_id IS NOT NULL AND card IS NOT NULL AND card->'base_model' IS NOT NULL
        ), card_list AS (
            SELECT row, hf_id, card,
                CASE json_type(card->'base_model')
                    WHEN 'VARCHAR' THEN [card->>'base_model']
                    WHEN 'ARRAY' THEN CAST(card->'base_model' AS VARCHAR[])
                END AS parents
            FROM card_single
        ), card_rows AS (
            SELECT row, hf_id, unnest(parents) AS parent, len(parents) AS n,
                   lower(card->>'base_model_relation') AS rel
            FROM card_list WHERE parents IS NOT NULL
        ), gguf_rows AS (
            SELECT row, hf_id, k, j->'gguf'->>k AS v FROM (
                SELECT row, hf_id, j, unnest(json_keys(j->'gguf')) AS k FROM _hub_parsed
                WHERE hf_id IS NOT NULL AND json_type(j->'gguf') = 'OBJECT'
            ) WHERE regexp_full_match(k, 'general\\.base_model\\.[0-9]+\\.repo_url')
        ), merge_docs AS (
            SELECT row, hf_id, coalesce(j->'mergekit_config', j->'merge_config') AS mc
            FROM _hub_parsed WHERE hf_id IS NOT NULL
              AND json_type(coalesce(j->'mergekit_config', j->'merge_config')) = 'OBJECT'
        ), merge_rows AS (
            SELECT row, hf_id, unnest(list_distinct(list_concat(
                coalesce(json_extract_string(mc, '$.models[*].model'), []),
                coalesce(json_extract_string(mc, '$.slices[*].sources[*].model'), []),
                CASE WHEN mc->>'base_model' IS NOT NULL THEN [mc->>'base_model'] ELSE [] END
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
            rel IN ({_REL_LIST}), 'card',
            'cardData.base_model' || CASE WHEN rel IS NOT NULL
                THEN ' + base_model_relation: ' || rel ELSE '' END
        FROM card_rows
        UNION ALL
        SELECT row, hf_id, v, 'quantized', false, 'gguf', 'gguf ' || k FROM gguf_rows
        UNION ALL
        SELECT row, hf_id, coalesce(
                j->'config'->'adapter_config'->>'base_model_name_or_path',
                j->'config'->'peft'->>'base_model_name_or_path',
                j->'adapter_config'->>'base_model_name_or_path'),
            'adapter', true, 'adapter_config', 'adapter_config.json base_model_name_or_path'
        FROM _hub_parsed WHERE hf_id IS NOT NULL AND coalesce(
                j->'config'->'adapter_config'->>'base_model_name_or_path',
                j->'config'->'peft'->>'base_model_name_or_path',
                j->'adapter_config'->>'base_model_name_or_path') IS NOT NULL
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


def warnings_sql(source: str) -> str:
    """SELECT of (source, file, row, field, message) for everything wrong in the stage."""
    s = source.replace("'", "''")
    return f"""
        SELECT '{s}', file, row, NULL, 'not a JSON object: ' || left(doc, 80)
        FROM {STAGE} st
        WHERE trim(coalesce(doc, '')) <> ''
          AND NOT (json_valid(doc) AND json_type(doc::JSON) = 'OBJECT')
        UNION ALL
        SELECT '{s}', file, row, 'id', 'model without an id: row skipped'
        FROM _hub_parsed WHERE hf_id IS NULL
        UNION ALL
        SELECT '{s}', file, row, 'id', 'invalid model id ' || hf_id || ': row skipped'
        FROM _hub_parsed WHERE hf_id IS NOT NULL AND NOT regexp_full_match(hf_id, '{ID_PATTERN}')
        UNION ALL
        SELECT '{s}', file, row, f, 'malformed value ' || left(v, 60) || ': ignored' FROM (
            SELECT file, row, 'downloads' AS f, j->>'downloads' AS v, downloads IS NULL AS bad
            FROM _hub_parsed
            UNION ALL SELECT file, row, 'likes', j->>'likes', likes IS NULL FROM _hub_parsed
            UNION ALL SELECT file, row, 'lastModified', last_modified_raw, last_modified IS NULL
            FROM _hub_parsed
            UNION ALL SELECT file, row, 'createdAt', j->>'createdAt', created_at IS NULL
            FROM _hub_parsed
            UNION ALL SELECT file, row, 'tags', j->>'tags', tags IS NULL FROM _hub_parsed
            UNION ALL SELECT file, row, 'cardData', j->>'cardData', card IS NULL FROM _hub_parsed
        ) WHERE bad AND v IS NOT NULL AND json_type(v::JSON) IS DISTINCT FROM 'NULL'
            AND v <> 'null'
        UNION ALL
        SELECT '{s}', min(file), min(row), k,
               'unknown field in ' || count(*) || ' record(s): kept in the raw payload only'
        FROM (SELECT file, row, unnest(json_keys(j)) AS k FROM _hub_parsed)
        WHERE k NOT IN ({_KNOWN}) GROUP BY k
        UNION ALL
        SELECT '{s}', file, row, 'id', 'duplicate model ' || hf_id || ': the later row wins'
        FROM (SELECT file, row, hf_id, row_number() OVER (PARTITION BY hf_id ORDER BY row DESC)
              AS k FROM _hub_parsed WHERE hf_id IS NOT NULL) WHERE k > 1
        UNION ALL
        SELECT '{s}', f.file, s.row, 'base_model',
               'invalid parent id ' || left(s.parent_raw, 80) || ' (' || s.source || '): ignored'
        FROM _hub_signals_norm s JOIN _hub_parsed f USING (row) WHERE NOT s.valid
    """


def write_tables(store: Store, *, source: str, retrieved_at: str) -> dict[str, int]:
    """Upsert the parsed stage into models, edges, license_refs, lineage_anomalies."""
    con = store.con
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _hub_models AS
        SELECT * EXCLUDE (k) FROM (
            SELECT *, row_number() OVER (PARTITION BY hf_id ORDER BY row DESC) AS k
            FROM _hub_parsed
            WHERE hf_id IS NOT NULL AND regexp_full_match(hf_id, '{ID_PATTERN}')
        ) WHERE k = 1
        """
    )
    params = [source, retrieved_at]
    con.execute(
        """
        INSERT OR REPLACE INTO models BY NAME
        SELECT hf_id, author, NULL AS organization, sha, created_at, last_modified, downloads,
               likes, library_name, pipeline_tag, license, license_name, license_link, gated,
               tags, NULL AS license_id, ? AS source, file, row::INTEGER AS row,
               ?::TIMESTAMP AS retrieved_at
        FROM _hub_models
        """,
        params,
    )
    # Declared edges of the imported children are replaced by what this import says.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _hub_edges AS
        WITH s AS (
            SELECT s.*, coalesce(m.hf_id, s.parent) AS parent_id
            FROM _hub_signals_norm s
            JOIN _hub_models hm ON hm.row = s.row
            LEFT JOIN models m ON lower(m.hf_id) = lower(s.parent)
            WHERE s.valid
        )
        SELECT child, parent_id AS parent,
            arg_min(relation, (NOT explicit)::INT * 10 + """
        + _RANK_CASE
        + """) AS relation,
            arg_min(source, """
        + _RANK_CASE
        + """) AS source,
            string_agg(DISTINCT evidence, '; ' ORDER BY evidence) AS evidence
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
        SELECT hf_id AS subject, 'model' AS subject_kind,
               coalesce(license, license_name) AS license_raw, NULL AS license_id,
               ? AS source, file, row::INTEGER AS row, ?::TIMESTAMP AS retrieved_at
        FROM _hub_models WHERE coalesce(license, license_name) IS NOT NULL
        """,
        params,
    )
    counts = con.execute(
        """SELECT (SELECT count(*) FROM _hub_models),
                  (SELECT count(*) FROM _hub_edges WHERE lower(child) <> lower(parent)),
                  (SELECT count(*) FROM _hub_stage)"""
    ).fetchone()
    assert counts is not None
    return {"models": counts[0], "edges": counts[1], "rows": counts[2]}
