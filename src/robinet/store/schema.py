"""The store's tables. Every fact table carries its provenance: source, file, row, retrieved_at.

`release_facts` holds one normalized row per source row; `releases` is derived from it by
merging the rows that describe the same publication (see store/merge.py), so the same release
seen in several sources is one release with several sources.
"""

from __future__ import annotations

SCHEMA_VERSION = 2

# (table, DDL) in creation order. Tables are rebuilt from sources, so a schema change bumps
# SCHEMA_VERSION and the store is re-seeded rather than migrated in place.
TABLES: dict[str, str] = {
    "meta": """
        CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)
    """,
    "sources": """
        CREATE TABLE IF NOT EXISTS sources (
            name VARCHAR PRIMARY KEY,      -- e.g. 'epoch-notable'
            title VARCHAR NOT NULL,
            origin VARCHAR NOT NULL,       -- repository or URL the data came from
            version VARCHAR,               -- commit or release of the origin
            license VARCHAR NOT NULL,
            attribution VARCHAR,
            files VARCHAR[],
            retrieved_at TIMESTAMP,
            imported_at TIMESTAMP,
            rows_read INTEGER,
            rows_imported INTEGER,
            rows_rejected INTEGER,
            date_min DATE,
            date_max DATE
        )
    """,
    "import_warnings": """
        CREATE TABLE IF NOT EXISTS import_warnings (
            source VARCHAR NOT NULL, file VARCHAR, row INTEGER, field VARCHAR,
            message VARCHAR NOT NULL,
            stage VARCHAR                  -- NULL: the import; 'merge': sources disagreeing
        )
    """,
    "snapshots": """
        CREATE TABLE IF NOT EXISTS snapshots (
            id INTEGER PRIMARY KEY,
            created_at TIMESTAMP NOT NULL,
            kind VARCHAR NOT NULL,         -- 'import', 'bundled', 'sync'
            source VARCHAR,
            robinet_version VARCHAR,
            counts JSON
        )
    """,
    "organizations": """
        CREATE TABLE IF NOT EXISTS organizations (
            id VARCHAR PRIMARY KEY,        -- slug, e.g. 'alibaba', 'deepseek', 'meta'
            name VARCHAR NOT NULL,
            country VARCHAR,               -- ISO 3166-1 alpha-2 of the headquarters
            countries VARCHAR[],           -- every country the sources associate with it
            region VARCHAR,                -- US, CN, EU, other
            parent VARCHAR,
            hf_orgs VARCHAR[],
            aliases VARCHAR[],
            source VARCHAR NOT NULL,
            source_file VARCHAR,
            retrieved_at TIMESTAMP
        )
    """,
    "org_regions": """
        CREATE TABLE IF NOT EXISTS org_regions (
            hf_org VARCHAR NOT NULL,       -- Hugging Face namespace
            organization VARCHAR NOT NULL, -- organization id it belongs to
            region VARCHAR,                -- US, CN, EU, other; NULL where the source says unknown
            notes VARCHAR,
            source VARCHAR NOT NULL,
            file VARCHAR,
            row INTEGER,
            retrieved_at TIMESTAMP
        )
    """,
    "release_facts": """
        CREATE TABLE IF NOT EXISTS release_facts (
            release_id VARCHAR,            -- the merged release this row belongs to (set by merge)
            name_key VARCHAR NOT NULL,     -- slug of the name: rows sharing it may merge
            name VARCHAR NOT NULL,
            organization VARCHAR,          -- organization id
            organizations VARCHAR[],       -- every organization id named by the row
            organization_raw VARCHAR,
            countries VARCHAR[],
            org_countries VARCHAR[],       -- country of each of `organizations` (NULL: unknown)
            date DATE,                     -- the row's date: `available`, else `announced`
            announced DATE,                -- paper, announcement or preview
            available DATE,                -- weights downloadable or API generally available
            tier VARCHAR,
            tier_raw VARCHAR,
            license_id VARCHAR,            -- knowledge-base id of the weights' license (catalog)
            hf_id VARCHAR,
            hf_ids VARCHAR[],              -- every Hub repo the row names (catalog)
            aliases VARCHAR[],             -- other names of the release (catalog)
            urls JSON,                     -- field -> URL the fact was read at (catalog)
            domain VARCHAR,
            parameters DOUBLE,
            training_compute DOUBLE,
            base_model VARCHAR,
            notable BOOLEAN,
            frontier BOOLEAN,
            license_raw VARCHAR,
            training_code VARCHAR,         -- Epoch 'Training code accessibility'
            inference_code VARCHAR,        -- Epoch 'Inference code accessibility'
            training_hardware VARCHAR,     -- Epoch 'Training hardware', raw
            hardware_quantity DOUBLE,      -- Epoch 'Hardware quantity'
            task VARCHAR,                  -- Epoch 'Task', the raw comma-joined list
            link VARCHAR,
            source VARCHAR NOT NULL,
            file VARCHAR,
            row INTEGER,
            retrieved_at TIMESTAMP
        )
    """,
    "releases": """
        CREATE TABLE IF NOT EXISTS releases (
            id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            organization VARCHAR,
            organizations VARCHAR[],
            countries VARCHAR[],
            region VARCHAR,
            date DATE,                     -- `available` when known, else `announced`
            announced DATE,
            available DATE,
            tier VARCHAR,
            license_id VARCHAR,
            hf_id VARCHAR,                 -- the primary Hub repo
            hf_ids VARCHAR[],              -- every Hub repo of the release (its variants)
            domain VARCHAR,
            parameters DOUBLE,
            training_compute DOUBLE,
            base_model VARCHAR,
            notable BOOLEAN,
            frontier BOOLEAN,
            license_raw VARCHAR,
            training_code VARCHAR,
            inference_code VARCHAR,
            training_hardware VARCHAR,
            hardware_quantity DOUBLE,
            task VARCHAR,
            link VARCHAR,
            sources VARCHAR[],
            -- which source gave each field (store/merge.py PRECEDENCE decides between them)
            name_source VARCHAR,
            organization_source VARCHAR,
            date_source VARCHAR,
            announced_source VARCHAR,
            available_source VARCHAR,
            tier_source VARCHAR,           -- 'license <id> (<where>)' or a source's label
            license_source VARCHAR,
            hf_id_source VARCHAR,
            provenance JSON                -- field -> {source, file, row, url}
        )
    """,
    "capability_scores": """
        CREATE TABLE IF NOT EXISTS capability_scores (
            benchmark VARCHAR NOT NULL,    -- 'eci' (Epoch Capabilities Index)
            model_version VARCHAR NOT NULL,
            name VARCHAR,
            release_id VARCHAR,
            organization VARCHAR,
            countries VARCHAR[],
            region VARCHAR,
            date DATE,
            tier VARCHAR,
            score DOUBLE,
            source VARCHAR NOT NULL,
            file VARCHAR,
            row INTEGER,
            retrieved_at TIMESTAMP
        )
    """,
    "arena_entries": """
        CREATE TABLE IF NOT EXISTS arena_entries (
            snapshot_date DATE NOT NULL,
            model VARCHAR NOT NULL,
            organization VARCHAR,
            organization_raw VARCHAR,
            license_raw VARCHAR,
            tier VARCHAR,                  -- 'api' for Proprietary, open-* from the license
            score DOUBLE,
            votes INTEGER,
            source VARCHAR NOT NULL,
            file VARCHAR,
            row INTEGER,
            retrieved_at TIMESTAMP
        )
    """,
    "models": """
        CREATE TABLE IF NOT EXISTS models (
            -- owner/name on the Hugging Face Hub; unique (the Hub loader, store/hub, is the
            -- only writer and replaces a model's row). No primary-key index: the loader
            -- writes rows sorted by hf_id, so a lookup reads one row group via its zone map
            -- (an ART index over millions of ids cost more at import than all the rest).
            hf_id VARCHAR NOT NULL,
            author VARCHAR,
            organization VARCHAR,          -- organization id when the author is a known lab
            sha VARCHAR,
            created_at TIMESTAMP,
            last_modified TIMESTAMP,
            downloads BIGINT,
            likes BIGINT,
            library_name VARCHAR,
            pipeline_tag VARCHAR,
            license VARCHAR,               -- raw license tag
            license_name VARCHAR,
            license_link VARCHAR,
            gated VARCHAR,
            tags VARCHAR[],
            license_id VARCHAR,            -- knowledge-base id resolved from the tag (lineage/)
            source VARCHAR NOT NULL,
            file VARCHAR,
            row INTEGER,
            retrieved_at TIMESTAMP
        )
    """,
    "edges": """
        CREATE TABLE IF NOT EXISTS edges (
            child VARCHAR NOT NULL,
            parent VARCHAR NOT NULL,
            relation VARCHAR NOT NULL,     -- finetune, adapter, quantized, merge, distill
            source VARCHAR NOT NULL,       -- signal: card, tag, gguf, adapter_config, name...
            confidence DOUBLE NOT NULL,
            evidence VARCHAR,
            origin VARCHAR,                -- dataset the signal came from
            retrieved_at TIMESTAMP
        )
    """,
    "license_refs": """
        CREATE TABLE IF NOT EXISTS license_refs (
            subject VARCHAR NOT NULL,      -- hf_id or release id
            subject_kind VARCHAR NOT NULL, -- 'model' or 'release'
            license_raw VARCHAR NOT NULL,
            license_id VARCHAR,            -- knowledge-base id when resolved
            source VARCHAR NOT NULL,
            file VARCHAR,
            row INTEGER,
            retrieved_at TIMESTAMP
        )
    """,
    # -- lineage (src/robinet/lineage): derived from models + edges, rebuilt after each import --
    "lineage_closure": """
        CREATE TABLE IF NOT EXISTS lineage_closure (
            model VARCHAR NOT NULL,        -- descendant
            ancestor VARCHAR NOT NULL,
            depth INTEGER NOT NULL,        -- 1 = direct parent
            relation VARCHAR NOT NULL,     -- relation of the hop into `ancestor`'s child
            first_relation VARCHAR NOT NULL, -- how `model` itself was made on this path
            all_quantized BOOLEAN NOT NULL,  -- every hop on the path is a quantization
            source VARCHAR NOT NULL,       -- signal of the hop into `ancestor`
            confidence DOUBLE NOT NULL,    -- product of the path's edge confidences
            inferred BOOLEAN NOT NULL      -- some hop on the path is inferred
        )
    """,
    "lineage_descendants": """
        CREATE TABLE IF NOT EXISTS lineage_descendants (
            ancestor VARCHAR NOT NULL,     -- descendants of each model, counted by how each
            relation VARCHAR NOT NULL,     -- descendant was made (its first hop)
            n BIGINT NOT NULL
        )
    """,
    "lineage_anomalies": """
        CREATE TABLE IF NOT EXISTS lineage_anomalies (
            kind VARCHAR NOT NULL,         -- 'cycle', 'self_reference', 'dangling_parent'
            model VARCHAR NOT NULL,
            parent VARCHAR,
            detail VARCHAR,
            source VARCHAR,
            file VARCHAR,
            row INTEGER
        )
    """,
    "lineage_terms": """
        CREATE TABLE IF NOT EXISTS lineage_terms (
            license_id VARCHAR NOT NULL,   -- the terms of each license present in `models`,
            kind VARCHAR NOT NULL,         -- copied from the license knowledge base at rebuild
            clause VARCHAR,
            quote VARCHAR,
            summary VARCHAR,
            mode VARCHAR,                  -- same_license | pass_through_use_restrictions
            prefix VARCHAR                 -- naming: the required name prefix
        )
    """,
    "lineage_obligations": """
        CREATE TABLE IF NOT EXISTS lineage_obligations (
            model VARCHAR NOT NULL,        -- one row per license a model inherits:
            license_id VARCHAR NOT NULL,   -- its terms are in lineage_terms
            origin VARCHAR NOT NULL,       -- the nearest ancestor under that license
            depth INTEGER NOT NULL,
            first_relation VARCHAR NOT NULL, -- how the model itself was made on that path
            confidence DOUBLE NOT NULL
        )
    """,
    "lineage_conflicts": """
        CREATE TABLE IF NOT EXISTS lineage_conflicts (
            model VARCHAR NOT NULL,
            type VARCHAR NOT NULL,         -- more_permissive, noncommercial_ancestor,
                                           -- missing_naming, missing_license
            ancestor VARCHAR,
            ancestor_license VARCHAR,
            license VARCHAR,               -- the model's own license id (or raw tag)
            clause VARCHAR,                -- clause of ancestor_license that is not honoured
            quote VARCHAR,                 -- its verbatim words
            detail VARCHAR NOT NULL,
            depth INTEGER,
            confidence DOUBLE NOT NULL
        )
    """,
    "hub_sync_state": """
        CREATE TABLE IF NOT EXISTS hub_sync_state (
            key VARCHAR PRIMARY KEY,       -- the query: 'all', 'author:x', 'search:y', 'family:z'
            cursor VARCHAR,                -- next page URL of an unfinished run (resume point)
            run_started VARCHAR,           -- lastModified of the newest model when the run began
            watermark VARCHAR,             -- lastModified reached by the last finished run
            pages INTEGER,
            models INTEGER,
            updated_at TIMESTAMP
        )
    """,
    # -- openness evidence (src/robinet/openness): quoted facts of a release or a Hub model --
    "openness_evidence": """
        CREATE TABLE IF NOT EXISTS openness_evidence (
            subject VARCHAR NOT NULL,      -- hf_id ('model'), or the fact row's name
                                           -- ('release_fact')
            subject_kind VARCHAR NOT NULL, -- 'model', or 'release_fact' (joined to release_facts
                                           -- on source, file, row)
            field VARCHAR NOT NULL,        -- e.g. card_section, license_file, sibling, link,
                                           -- training_dataset, accessibility_notes, reference
            value VARCHAR,                 -- the field's value (a section title, a file name)
            quote VARCHAR,                 -- verbatim words supporting it (trimmed)
            url VARCHAR,                   -- where the quote can be read
            source VARCHAR NOT NULL,
            file VARCHAR,
            row INTEGER,
            retrieved_at TIMESTAMP
        )
    """,
}
