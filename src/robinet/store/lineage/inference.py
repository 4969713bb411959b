"""Inferred lineage: parents guessed from names and upload order, where nothing is declared.

Set-based SQL over `models`; every inferred edge has confidence < 1 and says why in `evidence`.
A model gets at most one inferred parent, from the first rule that finds one:

    rule          name pattern                               relation   confidence
    quant-suffix  X-GGUF, X-AWQ, X-GPTQ, X-bnb-4bit, X-MLX...   quantized  0.8 same author, 0.6
    instruct      X-Instruct, X-Chat, X-it of a known X         finetune   0.7 same author, 0.5
    same-name     the same name as an older known base (declared   finetune   0.4
                  as a base by others, or a lab's namespace)

Upload order is `created_at` (never `lastModified`, which moves with every commit): a candidate
parent must not be newer than the child when both are known, and the same-name rule needs both.
Among several candidates the most downloaded, then the oldest, wins.
"""

from __future__ import annotations

from robinet.store.db import Store

INFERRED_SOURCE = "name"
ORIGIN = "robinet-inference"

# Suffixes of quantized or converted copies; stripped repeatedly from the end of a name.
QUANT_SUFFIX = (
    r"([-_.](gguf|ggml|awq|gptq|exl2|mlx|bnb|nf4|fp8|fp16|int4|int8|w4a16|w8a8|imatrix|i1|"
    r"[2-8]bit|[2-8]-bit|[0-9]+(\.[0-9]+)?bpw|q[2-8]_k(_[sml])?|q[2-8]_[01]|4bits|8bits))+$"
)
INSTRUCT_SUFFIX = r"[-_](instruct|chat|it)$"
# Which candidate wins: first rule, highest confidence, most downloads, oldest, then by id.
_ORDER = "c.rule, c.confidence DESC, c.downloads DESC, c.t NULLS LAST, c.parent"


def _lab_namespaces(store: Store) -> None:
    """Hub namespaces of known labs: the alias file's, Interconnects', and the store's."""
    from robinet.domain import org_directory

    namespaces = sorted({ns.lower() for ns in org_directory().by_hf_org})
    store.con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _lab_namespaces AS
        SELECT DISTINCT lower(namespace) AS namespace FROM (
            SELECT unnest(?::VARCHAR[]) AS namespace
            UNION ALL SELECT hf_org FROM org_regions
            UNION ALL SELECT unnest(hf_orgs) FROM organizations
        )
        """,
        [namespaces],
    )


def infer(store: Store) -> int:
    """Replace every inferred edge by a fresh inference over the whole store; return count."""
    con = store.con
    con.execute("DELETE FROM edges WHERE origin = ?", [ORIGIN])
    _lab_namespaces(store)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _names AS
        SELECT hf_id, author, lower(split_part(hf_id, '/', 2)) AS name,
               created_at AS t, coalesce(downloads, 0) AS downloads, retrieved_at
        FROM models WHERE contains(hf_id, '/')
        """
    )
    # Only a model without any edge gets a guess; the name rules look at its name alone.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _orphans AS
        SELECT n.*, regexp_replace(n.name, '{QUANT_SUFFIX}', '') AS base_q,
               regexp_replace(n.name, '{INSTRUCT_SUFFIX}', '') AS base_i
        FROM _names n
        WHERE NOT EXISTS (SELECT 1 FROM edges e WHERE e.child = n.hf_id)
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _candidates AS
        SELECT o.hf_id AS child, p.hf_id AS parent, 1 AS rule, 'quantized' AS relation,
               CASE WHEN p.author = o.author THEN 0.8 ELSE 0.6 END AS confidence,
               'name: ' || split_part(o.hf_id, '/', 2) || ' is a quantized/converted copy of '
                   || p.hf_id AS evidence, p.downloads, p.t, o.retrieved_at
        FROM _orphans o JOIN _names p ON p.name = o.base_q
        WHERE o.base_q <> o.name AND p.hf_id <> o.hf_id
          AND (p.t IS NULL OR o.t IS NULL OR p.t <= o.t)
        UNION ALL
        SELECT o.hf_id, p.hf_id, 2, 'finetune',
               CASE WHEN p.author = o.author THEN 0.7 ELSE 0.5 END,
               'name: ' || split_part(o.hf_id, '/', 2) || ' is an instruction-tuned ' || p.hf_id,
               p.downloads, p.t, o.retrieved_at
        FROM _orphans o JOIN _names p ON p.name = o.base_i
        WHERE o.base_q = o.name AND o.base_i <> o.name AND p.hf_id <> o.hf_id
          AND (p.t IS NULL OR o.t IS NULL OR p.t <= o.t)
        """
    )
    # The same-name rule only for models the first two rules left without a candidate: a
    # lower rule always wins, and a popular name shared by many copies would otherwise pair
    # every copy with every older one. And only towards a known base: a model others declare
    # as their base, or one published under a known lab's namespace. Generic names ("test1",
    # "bert", "model1") shared by unrelated users are not ancestry.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _known_bases AS
        SELECT DISTINCT parent AS hf_id FROM edges WHERE origin IS DISTINCT FROM '{ORIGIN}'
        UNION
        SELECT n.hf_id FROM _names n
        WHERE lower(n.author) IN (SELECT namespace FROM _lab_namespaces)
        """
    )
    con.execute(
        """
        INSERT INTO _candidates
        SELECT o.hf_id, p.hf_id, 3, 'finetune', 0.4,
               'name: same name as ' || p.hf_id || ', a known base uploaded earlier by '
               || 'another author',
               p.downloads, p.t, o.retrieved_at
        FROM _orphans o JOIN _names p ON p.name = o.name
        WHERE p.author IS DISTINCT FROM o.author AND p.t IS NOT NULL AND o.t IS NOT NULL
          AND p.t < o.t
          AND p.hf_id IN (SELECT hf_id FROM _known_bases)
          AND NOT EXISTS (SELECT 1 FROM _candidates c WHERE c.child = o.hf_id)
        """
    )
    con.execute(
        f"""
        INSERT INTO edges BY NAME
        SELECT c.child, c.parent, c.relation, '{INFERRED_SOURCE}' AS source, c.confidence,
               c.evidence, '{ORIGIN}' AS origin, c.retrieved_at
        FROM _candidates c
        QUALIFY row_number() OVER (PARTITION BY c.child ORDER BY {_ORDER}) = 1
        """
    )
    count = con.execute("SELECT count(*) FROM edges WHERE origin = ?", [ORIGIN]).fetchone()
    for table in ("_names", "_orphans", "_candidates", "_known_bases", "_lab_namespaces"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return int(count[0]) if count else 0
