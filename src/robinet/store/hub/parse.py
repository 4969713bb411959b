"""Set-based parsing of staged Hub records (the `GET /api/models/{id}` JSON shape) in DuckDB.

Every way in — a JSON Lines or Parquet dump, the CSV sample, a page of a live sync — is staged
as batches of one JSON document per row (store/hub/stage.py), each parsed here as it comes.
The SQL turns the whole of it into temp tables, with no Python loop per model, so the same
code serves 10 thousand and 2.5 million models:

    _hub_parsed        one row per document: the fields robinet reads, and the raw text of
                       each field that could not be read (for its warning)
    _hub_signals_norm  declared lineage signals, parent ids normalized
    _hub_excluded      rows with an id that do not become a model (invalid id, or an earlier
                       duplicate of a later row)
    _hub_warnings      (file_no, row, field, message) for everything kept out or dropped

Declared lineage signals, in the order they win when several name the same parent:
card `base_model` (+ `base_model_relation`), `base_model:*` tags, adapter configs'
`base_model_name_or_path`, merge configs (mergekit), GGUF `general.base_model.*`.

A value of the wrong JSON type is never turned into text: an `id` that is not a string keeps
its row out, any other field of the wrong type is dropped; both with a warning naming it.
"""

from __future__ import annotations

import json

from robinet.store.db import Store

READ_WARNINGS = "_hub_read_warnings"

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
RANK_CASE = "CASE source " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in SIGNAL_RANK.items())
RANK_CASE += " ELSE 9 END"
_KNOWN = ", ".join(f"'{k}'" for k in KNOWN_KEYS)

# A Hub repo id: 'name' (legacy, no owner) or 'owner/name'.
ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.\-]*(/[A-Za-z0-9_.\-]+)?"

# Read as text whatever their JSON type: a wrong type fails the cast that follows (a warning).
_CAST_FIELDS = (
    "createdAt", "created_at", "lastModified", "last_modified", "downloads", "likes",
)  # fmt: skip
# Must be JSON strings: read as JSON so that `true` or `{}` is not taken for the text "true".
_TEXT_FIELDS = ("id", "modelId", "author", "sha", "library_name", "pipeline_tag", "gated")
_JSON_FIELDS = (
    "tags", "cardData", "card_data", "config", "gguf", "mergekit_config", "merge_config",
    "adapter_config",
)  # fmt: skip
_STRUCTURE = json.dumps(
    {
        **{k: "VARCHAR" for k in _CAST_FIELDS},
        **{k: "JSON" for k in (*_TEXT_FIELDS, *_JSON_FIELDS)},
    }
)
_CARD_FIELDS = ("license", "license_name", "license_link", "base_model", "base_model_relation")
_CARD_STRUCTURE = json.dumps({k: "JSON" for k in _CARD_FIELDS})

# Temp tables this module creates (dropped by the loader when the import is done).
PARSE_TABLES = (
    "_hub_parsed", "_hub_signals_norm", "_hub_excluded", "_hub_warnings",
)  # fmt: skip


def _ts(expr: str) -> str:
    return f"(TRY_CAST({expr} AS TIMESTAMPTZ) AT TIME ZONE 'UTC')"


def _macros(store: Store) -> None:
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
    # The text of a JSON string (NULL for any other JSON value). Strings without an escape
    # are cut out of their quotes instead of parsed again: ids and names almost never have one.
    con.execute(
        """
        CREATE OR REPLACE TEMP MACRO _hub_str(x) AS CASE WHEN starts_with(x::VARCHAR, '"')
            THEN CASE WHEN contains(x::VARCHAR, '\\') THEN x->>'$'
                      ELSE (x::VARCHAR)[2:-2] END END
        """
    )
    # The JSON text of a value that is not a string (for the warning), else NULL.
    con.execute(
        "CREATE OR REPLACE TEMP MACRO _hub_not_str(x) AS "
        "CASE WHEN NOT starts_with(x::VARCHAR, '\"') THEN x::VARCHAR END"
    )


PARSED = "_hub_parsed"


def _parse_select(relation: str) -> str:
    """The SELECT that parses the documents of `relation` (seq, row, file_no, doc).

    Each document is parsed once, into a struct of the fields robinet reads; object fields
    stay JSON. A document that is not a JSON object gives NULL (reported by build_warnings).
    """
    return f"""
        WITH d AS (
            SELECT seq, row, file_no, doc,
                   CASE WHEN starts_with(ltrim(doc), '{{')
                        THEN TRY(json_transform(doc, '{_STRUCTURE}')) END AS s
            FROM {relation}
        ), c AS (
            SELECT seq, row, file_no, s,
                CASE WHEN s IS NULL THEN coalesce(left(doc, 80), '') END AS bad_doc,
                -- unknown top-level fields: every record of the first 100,000, then one in 16
                CASE WHEN s IS NOT NULL AND (row <= 100000 OR row % 16 = 0)
                     THEN json_keys(doc) END AS keys,
                coalesce(s.id, s.modelId) AS id_raw,
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
        SELECT seq, row, file_no,
            nullif(trim(_hub_str(id_raw)), '') AS hf_id,
            _hub_not_str(id_raw) AS id_bad,
            coalesce(nullif(_hub_str(s.author), ''), CASE WHEN contains(hf_id, '/')
                     THEN split_part(hf_id, '/', 1) END) AS author,
            _hub_str(s.sha) AS sha,
            {_ts("created_raw")} AS created_at,
            {_ts("last_modified_raw")} AS last_modified,
            TRY_CAST(s.downloads AS BIGINT) AS downloads,
            TRY_CAST(s.likes AS BIGINT) AS likes,
            _hub_str(s.library_name) AS library_name,
            _hub_str(s.pipeline_tag) AS pipeline_tag,
            CASE json_type(cs.license)
                WHEN 'VARCHAR' THEN cs.license->>'$'
                WHEN 'ARRAY' THEN array_to_string(CAST(cs.license AS VARCHAR[]), ' OR ')
            END AS card_license,
            coalesce(
                card_license,
                list_first([substr(t, 9) FOR t IN tags IF starts_with(t, 'license:')])
            ) AS license,
            _hub_str(cs.license_name) AS license_name,
            _hub_str(cs.license_link) AS license_link,
            CASE WHEN s.gated::VARCHAR = 'true' THEN 'true'
                 WHEN s.gated::VARCHAR IN ('false', '"false"', '0') THEN NULL
                 ELSE _hub_str(s.gated) END AS gated,
            tags, gguf, merge_config,
            -- only what the signals read of the card and of adapter configs
            cs.base_model AS card_base_model,
            CASE WHEN card_base_model IS NOT NULL
                 THEN lower(_hub_str(cs.base_model_relation)) END AS card_relation,
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
            CASE WHEN hf_id IS NOT NULL THEN concat_ws(chr(31),
                CASE WHEN _hub_not_str(s.author) IS NOT NULL THEN 'author' END,
                CASE WHEN _hub_not_str(s.sha) IS NOT NULL THEN 'sha' END,
                CASE WHEN _hub_not_str(s.library_name) IS NOT NULL THEN 'library_name' END,
                CASE WHEN _hub_not_str(s.pipeline_tag) IS NOT NULL THEN 'pipeline_tag' END,
                CASE WHEN s.gated IS NOT NULL AND gated IS NULL
                      AND s.gated::VARCHAR NOT IN ('false', '"false"', '0') THEN 'gated' END,
                CASE WHEN cs.license IS NOT NULL AND card_license IS NULL
                     THEN 'cardData.license' END,
                CASE WHEN _hub_not_str(cs.license_name) IS NOT NULL
                     THEN 'cardData.license_name' END,
                CASE WHEN _hub_not_str(cs.license_link) IS NOT NULL
                     THEN 'cardData.license_link' END,
                CASE WHEN json_type(cs.base_model) NOT IN ('VARCHAR', 'ARRAY', 'NULL')
                     THEN 'cardData.base_model' END
            ) END AS wrong_types,
            bad_doc, keys
        FROM c
    """


def create_parsed(store: Store) -> None:
    """An empty `_hub_parsed`, with the columns the parse gives (and the macros it uses)."""
    _macros(store)
    empty = "(SELECT NULL::BIGINT AS seq, NULL::BIGINT AS row, NULL::INTEGER AS file_no, "
    empty += "NULL::VARCHAR AS doc LIMIT 0)"
    store.con.execute(f"CREATE OR REPLACE TEMP TABLE {PARSED} AS {_parse_select(empty)}")


def parse_into(store: Store, relation: str) -> None:
    """Parse the documents of `relation` (a staged batch) into `_hub_parsed`.

    Batches are parsed as they are staged, so the documents' text is never held whole.
    """
    store.con.execute(f"INSERT INTO {PARSED} {_parse_select(relation)}")


def finish_parse(store: Store) -> None:
    """_hub_parsed (every document parsed) -> _hub_signals_norm, _hub_excluded."""
    con = store.con
    _signals(store)
    # Rows with an id that do not become a model: an invalid id, or a duplicate id whose later
    # row wins. Few; the warnings, the models and the edges are filtered by an anti-join on
    # this small table instead of a window over every row.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _hub_excluded AS
        WITH dups AS (
            SELECT hf_id, max(seq) AS last FROM _hub_parsed WHERE hf_id IS NOT NULL
            GROUP BY hf_id HAVING count(*) > 1
        )
        SELECT p.seq, p.row, p.file_no, p.hf_id, true AS duplicate
        FROM _hub_parsed p JOIN dups d ON d.hf_id = p.hf_id AND p.seq < d.last
        UNION ALL
        SELECT seq, row, file_no, hf_id, false FROM _hub_parsed
        WHERE hf_id IS NOT NULL AND NOT regexp_full_match(hf_id, '{ID_PATTERN}')
        """
    )


def _signals(store: Store) -> None:
    """Declared lineage signals: one row per (child, raw parent, relation, signal)."""
    con = store.con
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _hub_signals_norm AS
        WITH tag_rows AS (  -- only the base_model tags are unnested (a few in every ten)
            SELECT seq, hf_id,
                   unnest(list_filter(tags, lambda t: starts_with(t, 'base_model:'))) AS t
            FROM _hub_parsed WHERE hf_id IS NOT NULL AND len(tags) > 0
        ), tagged AS (
            SELECT seq, hf_id, t, string_split(t, ':') AS parts FROM tag_rows
        ), card_single AS (
            SELECT seq, hf_id, card_base_model AS bm, card_relation FROM _hub_parsed
            WHERE hf_id IS NOT NULL AND card_base_model IS NOT NULL
        ), card_list AS (
            SELECT seq, hf_id, card_relation,
                CASE json_type(bm)
                    WHEN 'VARCHAR' THEN [bm->>'$']
                    WHEN 'ARRAY' THEN CAST(bm AS VARCHAR[])
                END AS parents
            FROM card_single
        ), card_rows AS (
            SELECT seq, hf_id, unnest(parents) AS parent, len(parents) AS n,
                   card_relation AS rel
            FROM card_list WHERE parents IS NOT NULL
        ), gguf_rows AS (
            SELECT seq, hf_id, k, gguf->>k AS v FROM (
                SELECT seq, hf_id, gguf, unnest(json_keys(gguf)) AS k FROM _hub_parsed
                WHERE hf_id IS NOT NULL AND gguf IS NOT NULL
            ) WHERE regexp_full_match(k, 'general\\.base_model\\.[0-9]+\\.repo_url')
        ), merge_docs AS (
            SELECT seq, hf_id, merge_config AS mc
            FROM _hub_parsed WHERE hf_id IS NOT NULL AND merge_config IS NOT NULL
        ), merge_rows AS (
            SELECT seq, hf_id, unnest(list_distinct(list_concat(
                coalesce(json_extract_string(mc, '$.models[*].model'), []),
                coalesce(json_extract_string(mc, '$.slices[*].sources[*].model'), []),
                CASE WHEN (mc->>'base_model') IS NOT NULL THEN [mc->>'base_model'] ELSE [] END
            ))) AS parent
            FROM merge_docs
        ), signals AS (
        SELECT seq, hf_id AS child,
            CASE WHEN len(parts) >= 3 AND parts[2] IN ({_REL_LIST})
                 THEN array_to_string(parts[3:], ':') ELSE substr(t, 12) END AS parent_raw,
            CASE WHEN len(parts) >= 3 AND parts[2] IN ({_REL_LIST})
                 THEN parts[2] ELSE 'finetune' END AS relation,
            len(parts) >= 3 AND parts[2] IN ({_REL_LIST}) AS explicit,
            'tag' AS source, 'tag ' || t AS evidence
        FROM tagged
        UNION ALL
        SELECT seq, hf_id, parent,
            CASE WHEN rel IN ({_REL_LIST}) THEN rel WHEN n > 1 THEN 'merge' ELSE 'finetune' END,
            coalesce(rel IN ({_REL_LIST}), false), 'card',
            'cardData.base_model' || CASE WHEN rel IS NOT NULL
                THEN ' + base_model_relation: ' || rel ELSE '' END
        FROM card_rows
        UNION ALL
        SELECT seq, hf_id, v, 'quantized', false, 'gguf', 'gguf ' || k FROM gguf_rows
        UNION ALL
        SELECT seq, hf_id, adapter_parent,
            'adapter', true, 'adapter_config', 'adapter_config.json base_model_name_or_path'
        FROM _hub_parsed WHERE hf_id IS NOT NULL AND adapter_parent IS NOT NULL
        UNION ALL
        SELECT seq, hf_id, parent, 'merge', true, 'merge_config', 'mergekit config models'
        FROM merge_rows
        ), normalized AS (  -- parent ids without URL prefix, file path or trailing slash
            SELECT seq, child, relation, explicit, source, evidence, parent_raw,
                rtrim(regexp_replace(regexp_replace(trim(parent_raw),
                    '^(https?://)?(huggingface\\.co|hf\\.co)/', ''),
                    '/(tree|blob|resolve)/.*$', ''), '/') AS parent
            FROM signals WHERE parent_raw IS NOT NULL
        )
        SELECT *, regexp_full_match(parent, '{ID_PATTERN}') AS valid FROM normalized
        """
    )


def build_warnings(store: Store) -> None:
    """_hub_warnings (file_no, row, field, message): everything wrong in the stage."""
    store.con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _hub_warnings AS
        SELECT file_no, row, field, message FROM {READ_WARNINGS}
        UNION ALL
        SELECT file_no, row, NULL, 'not a JSON object: ' || bad_doc
        FROM _hub_parsed WHERE bad_doc IS NOT NULL AND trim(bad_doc) <> ''
        UNION ALL
        SELECT file_no, row, 'id', 'model without an id: row skipped'
        FROM _hub_parsed WHERE hf_id IS NULL AND bad_doc IS NULL AND id_bad IS NULL
        UNION ALL
        SELECT file_no, row, 'id', 'not a string: ' || left(id_bad, 60) || ': row skipped'
        FROM _hub_parsed WHERE id_bad IS NOT NULL
        UNION ALL
        SELECT file_no, row, 'id', 'invalid model id ' || hf_id || ': row skipped'
        FROM _hub_excluded WHERE NOT duplicate
        UNION ALL
        SELECT file_no, row, f, 'malformed value ' || left(v, 60) || ': ignored' FROM (
            SELECT file_no, row, 'downloads' AS f, downloads_bad AS v FROM _hub_parsed
            UNION ALL SELECT file_no, row, 'likes', likes_bad FROM _hub_parsed
            UNION ALL SELECT file_no, row, 'lastModified', last_modified_bad FROM _hub_parsed
            UNION ALL SELECT file_no, row, 'createdAt', created_bad FROM _hub_parsed
            UNION ALL SELECT file_no, row, 'tags', tags_bad FROM _hub_parsed
            UNION ALL SELECT file_no, row, 'cardData', card_bad FROM _hub_parsed
        ) WHERE v IS NOT NULL AND v <> 'null'
        UNION ALL
        SELECT file_no, row, unnest(string_split(wrong_types, chr(31))),
               'value of the wrong JSON type: ignored'
        FROM _hub_parsed WHERE wrong_types <> ''
        UNION ALL
        SELECT arg_min(file_no, seq), arg_min(row, seq), k,
               'unknown field in ' || sum(n) || ' record(s) checked: ignored'
        FROM (SELECT seq, file_no, row, n, unnest(keys) AS k FROM (
                SELECT keys, min(seq) AS seq, arg_min(file_no, seq) AS file_no,
                       arg_min(row, seq) AS row, count(*) AS n
                FROM _hub_parsed WHERE keys IS NOT NULL GROUP BY keys))
        WHERE k NOT IN ({_KNOWN}) GROUP BY k
        UNION ALL
        SELECT file_no, row, 'id', 'duplicate model ' || hf_id || ': the later row wins'
        FROM _hub_excluded WHERE duplicate
        UNION ALL
        SELECT f.file_no, f.row, 'base_model',
               'invalid parent id ' || left(s.parent_raw, 80) || ' (' || s.source || '): ignored'
        FROM _hub_signals_norm s JOIN _hub_parsed f USING (seq) WHERE NOT s.valid
        """
    )
