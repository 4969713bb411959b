"""The store's tables. Every fact table carries its provenance: source, file, row, retrieved_at.

`release_facts` holds one normalized row per source row; `releases` is derived from it by
merging the rows that describe the same publication (see store/merge.py), so the same release
seen in several sources is one release with several sources.
"""

from __future__ import annotations

SCHEMA_VERSION = 1

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
            message VARCHAR NOT NULL
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
    "release_facts": """
        CREATE TABLE IF NOT EXISTS release_facts (
            release_id VARCHAR NOT NULL,   -- key of the merged release this row belongs to
            name VARCHAR NOT NULL,
            organization VARCHAR,          -- organization id
            organizations VARCHAR[],       -- every organization id named by the row
            organization_raw VARCHAR,
            countries VARCHAR[],
            date DATE,
            tier VARCHAR,
            tier_raw VARCHAR,
            hf_id VARCHAR,
            domain VARCHAR,
            parameters DOUBLE,
            training_compute DOUBLE,
            base_model VARCHAR,
            notable BOOLEAN,
            frontier BOOLEAN,
            license_raw VARCHAR,
            training_code VARCHAR,         -- Epoch 'Training code accessibility'
            inference_code VARCHAR,        -- Epoch 'Inference code accessibility'
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
            date DATE,
            tier VARCHAR,
            hf_id VARCHAR,
            domain VARCHAR,
            parameters DOUBLE,
            training_compute DOUBLE,
            base_model VARCHAR,
            notable BOOLEAN,
            frontier BOOLEAN,
            license_raw VARCHAR,
            training_code VARCHAR,
            inference_code VARCHAR,
            link VARCHAR,
            sources VARCHAR[]
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
            hf_id VARCHAR PRIMARY KEY,     -- owner/name on the Hugging Face Hub
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
            source VARCHAR NOT NULL,       -- signal: 'card', 'tag', 'gguf', 'adapter_config', 'name'...
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
}
