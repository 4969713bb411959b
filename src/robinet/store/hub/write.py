"""Writing parsed Hub records: models, declared edges, license_refs, self-references; sources.

Runs inside the import's transaction, after store/hub/parse.py built its temp tables.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyarrow as pa

from robinet.store.db import Store
from robinet.store.hub.parse import RANK_CASE
from robinet.store.hub.stage import FILES

# One equality key for a license declaration (license, license_name, license_link), so that
# the join to its resolution is a hash join.
_LICENSE_KEY = (
    "concat_ws(chr(31), coalesce({t}.license, chr(0)), coalesce({t}.license_name, chr(0)), "
    "coalesce({t}.license_link, chr(0)))"
)
# The rows that become models: an id, valid, the last row of its id (see _hub_excluded).
_KEPT = "p.hf_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM _hub_excluded x WHERE x.seq = p.seq)"

WRITE_TABLES = ("_hub_edges", "_hub_resolved")
_MODEL_SLICES = 4  # models are written sorted by id, a quarter of them at a time
WRITE_VIEWS = ("_hub_models",)

Resolver = Callable[[str | None, str | None, str | None], str | None]


@dataclass(frozen=True)
class WriteCounts:
    rows: int  # documents parsed
    models: int  # models written
    edges: int  # declared edges written


def write_tables(store: Store, *, source: str, retrieved_at: str, resolve: Resolver) -> WriteCounts:
    """Upsert the parsed stage into models, edges, license_refs, lineage_anomalies.

    `resolve(license, license_name, license_link)` gives the knowledge-base id of a license
    declaration; it is called once per distinct declaration, not per model.
    """
    con = store.con
    declarations = con.execute(
        "SELECT DISTINCT license, license_name, license_link FROM _hub_parsed p "
        f"WHERE {_KEPT} AND coalesce(license, license_name) IS NOT NULL"
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
    # A view, not a table: inside the import's transaction nothing is freed before the commit
    # (a dropped table stays for a rollback), so a copy of the parsed rows would only add.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW _hub_models AS
        SELECT p.seq, p.row, f.file, p.hf_id, p.author, p.sha, p.created_at, p.last_modified,
               p.downloads, p.likes, p.library_name, p.pipeline_tag, p.license, p.license_name,
               p.license_link, p.gated, p.tags, r.license_id
        FROM _hub_parsed p JOIN {FILES} f USING (file_no)
        LEFT JOIN _hub_resolved r ON r.k = {_LICENSE_KEY.format(t="p")}
        WHERE {_KEPT}
        """
    )
    rows_read = int(store.scalar("SELECT count(*) FROM _hub_parsed"))
    params = [source, retrieved_at]
    models = _write_models(store, params)
    edges = _write_edges(store, params)
    _delete_for_imported(
        store,
        "license_refs",
        "subject_kind = 'model' AND source = ? AND subject IN (SELECT hf_id FROM _hub_models)",
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
    return WriteCounts(rows=rows_read, models=models, edges=edges)


def _delete_for_imported(store: Store, table: str, where: str, params: list[str]) -> None:
    """DELETE FROM `table` WHERE `where` (rows the import replaces): skipped on an empty table,
    where the subquery over every imported model would be evaluated for nothing."""
    if store.count(table):
        store.con.execute(f"DELETE FROM {table} WHERE {where}", params)


def _write_models(store: Store, params: list[str]) -> int:
    """_hub_models -> models: each model's earlier row replaced, rows written sorted by id;
    the number of models written.

    Ids are unique in `_hub_models` (duplicates were excluded), and an id already in the
    store is deleted first: `models` holds one row per id without a primary-key index (see
    schema.py). In id order, each row group covers a narrow range of ids, so a lookup by id
    reads one row group (zone maps), and the sort costs less than the index did.
    """
    _delete_for_imported(store, "models", "hf_id IN (SELECT hf_id FROM _hub_models)", [])
    # In slices of ids, each sorted, appended in order: the table ends up sorted all the same,
    # and a sort holds one slice at a time (a sort of every row at once was the import's peak).
    bounds = store.con.execute(
        "SELECT quantile_disc(hf_id, [i / ? FOR i IN range(1, ?)]) FROM _hub_models",
        [_MODEL_SLICES, _MODEL_SLICES],
    ).fetchall()
    cuts = sorted(set(bounds[0][0] or [])) if bounds else []
    edges = [None, *cuts, None]
    written = 0
    for low, high in itertools.pairwise(edges):
        inserted = store.con.execute(
            """
            INSERT INTO models BY NAME
            SELECT hf_id, author, NULL AS organization, sha, created_at, last_modified,
                   downloads, likes, library_name, pipeline_tag, license, license_name,
                   license_link, gated, tags, license_id, ? AS source, file, row::INTEGER AS row,
                   ?::TIMESTAMP AS retrieved_at
            FROM _hub_models
            WHERE (?::VARCHAR IS NULL OR hf_id >= ?) AND (?::VARCHAR IS NULL OR hf_id < ?)
            ORDER BY hf_id
            """,
            [*params, low, low, high, high],
        ).fetchall()
        written += int(inserted[0][0]) if inserted else 0
    return written


def _write_edges(store: Store, params: list[str]) -> int:
    """Declared edges of the imported children, replaced by what this import says."""
    con = store.con
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _hub_edges AS
        WITH v AS (  -- the signals of the rows that became models
            SELECT s.* FROM _hub_signals_norm s
            WHERE s.valid AND NOT EXISTS (SELECT 1 FROM _hub_excluded x WHERE x.seq = s.seq)
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
            arg_min(relation, (NOT explicit)::INT * 10 + {RANK_CASE}) AS relation,
            arg_min(source, {RANK_CASE}) AS source,
            array_to_string(list_sort(list_distinct(list(evidence))), '; ') AS evidence
        FROM s GROUP BY child, parent_id
        """
    )
    _delete_for_imported(store, "edges", "child IN (SELECT hf_id FROM _hub_models)", [])
    _delete_for_imported(
        store,
        "lineage_anomalies",
        "kind = 'self_reference' AND model IN (SELECT hf_id FROM _hub_models)",
        [],
    )
    con.execute(
        """
        INSERT INTO lineage_anomalies (kind, model, parent, detail, source, file, row)
        SELECT 'self_reference', child, parent, 'declares itself as its base model (' ||
               evidence || ')', ?, NULL, NULL
        FROM _hub_edges WHERE lower(child) = lower(parent)
        """,
        params[:1],
    )
    inserted = con.execute(
        """
        INSERT INTO edges BY NAME
        SELECT child, parent, relation, source, 1.0 AS confidence, evidence, ? AS origin,
               ?::TIMESTAMP AS retrieved_at
        FROM _hub_edges WHERE lower(child) <> lower(parent)
        """,
        params,
    ).fetchall()
    return int(inserted[0][0]) if inserted else 0


def write_warnings(store: Store, *, source: str, replace_files: bool) -> None:
    """_hub_warnings -> import_warnings; a re-import of the same files replaces theirs."""
    con = store.con
    if replace_files:
        con.execute(
            f"DELETE FROM import_warnings WHERE source = ? "
            f"AND file IN (SELECT file FROM {FILES} WHERE file IS NOT NULL)",
            [source],
        )
    con.execute(
        f"""
        INSERT INTO import_warnings (source, file, row, field, message)
        SELECT ?, f.file, w.row::INTEGER, w.field, w.message
        FROM _hub_warnings w JOIN {FILES} f USING (file_no)
        """,
        [source],
    )


def register_source(store: Store, source: str, files: str | Sequence[str] | None = None) -> None:
    """Write the `sources` row of a Hub import made outside the snapshot build (sync hub).

    Counts and dates are those of every row the source has in the store now; each file
    imported under the source name is listed (`files`: one path, several, or none).
    """
    named = [files] if isinstance(files, str) else list(files or [])
    with store.transaction():
        previous = store.con.execute(
            "SELECT files, rows_read FROM sources WHERE name = ?", [source]
        ).fetchone()
        listed = sorted({*(previous[0] or [] if previous else []), *named})
        models, first, last, newest = store.con.execute(
            "SELECT count(*), min(created_at)::DATE, max(coalesce(last_modified, created_at))"
            "::DATE, max(retrieved_at) FROM models WHERE source = ?",
            [source],
        ).fetchone() or (0, None, None, None)
        rejected = store.count_where("import_warnings", "source = ? AND field IS NULL", [source])
        store.con.execute("DELETE FROM sources WHERE name = ?", [source])
        store.con.execute(
            """
            INSERT INTO sources (name, title, origin, version, license, attribution, files,
                                 retrieved_at, imported_at, rows_read, rows_imported,
                                 rows_rejected, date_min, date_max)
            VALUES (?, 'Hugging Face Hub model metadata', 'https://huggingface.co/api/models',
                    NULL, 'public Hub metadata', 'Hugging Face Hub', ?, ?, now()::TIMESTAMP,
                    ?, ?, ?, ?, ?)
            """,
            [source, listed, newest, models + rejected, models, rejected, first, last],
        )
