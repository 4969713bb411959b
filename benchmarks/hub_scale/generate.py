"""Synthetic Hugging Face Hub dump: N models as JSON Lines in the `GET /api/models` shape.

    python benchmarks/hub_scale/generate.py --models 2500000 --out /tmp/hub-2.5M.jsonl

Distributions (taken from, or calibrated on, the real 2024-09 top-models sample in
data/sources/hf-top-models; see README.md in this folder):

- families: roots with power-law (Zipf) family sizes; a third of models stand alone;
- derivatives: half are one hop from their root, the rest hang from an earlier non-quantized
  member of the family; quantized models are leaves; relations finetune 45%, quantized 30%,
  adapter 15%, merge 10% (a merge has a second parent: the root of another family);
- lineage declared by about 40% of all models (60% declare none), through tags (70%), the
  card's base_model (20%), GGUF metadata (5%) or an adapter config (5%); undeclared quantized
  copies keep a -GGUF/-AWQ/-GPTQ name suffix half of the time (the inference rules' signal);
- licenses drawn from the real sample's license tags; a derivative keeps its parent's license
  60% of the time (so conflicts arise as on the real Hub);
- 1 line in 100,000 is malformed JSON, to exercise the warnings path.

Structure is drawn with numpy; the JSON is assembled and written by DuckDB (COPY ... FORMAT
JSON), so generating 2.5 million models takes well under a minute.
"""

from __future__ import annotations

import argparse
import ast
import collections
import csv
import json
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

REPO = Path(__file__).resolve().parents[2]
REAL = REPO / "data" / "sources" / "hf-top-models" / "hf_models.csv"
RELATIONS = np.array(["finetune", "quantized", "adapter", "merge"])
REL_P = np.array([0.45, 0.30, 0.15, 0.10])
QUANT_SUFFIX = np.array(["GGUF", "AWQ", "GPTQ", "bnb-4bit", "MLX", "exl2"])


def real_license_distribution() -> tuple[list[str | None], np.ndarray]:
    """License tags of the real sample and their shares (None = no license tag)."""
    csv.field_size_limit(1 << 30)
    counts: collections.Counter[str | None] = collections.Counter()
    with REAL.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            tags = ast.literal_eval(row["tags"])
            lic = next((t[8:] for t in tags if t.startswith("license:")), None)
            counts[lic] += 1
    names = list(counts)
    shares = np.array([counts[n] for n in names], dtype=float)
    return names, shares / shares.sum()


def generate(n: int, out: Path, seed: int = 7) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    lic_names, lic_p = real_license_distribution()

    # -- families ------------------------------------------------------------------------
    standalone = int(n * 0.33)
    in_families = n - standalone
    sizes: list[int] = []
    total = 0
    while total < in_families:
        size = int(min(rng.zipf(1.7), 50_000))
        size = min(size, in_families - total)
        sizes.append(size)
        total += size
    sizes_a = np.array(sizes)
    n_fam = len(sizes_a)
    fam = np.concatenate([np.repeat(np.arange(n_fam), sizes_a), np.full(standalone, -1)])
    offset = np.concatenate([[0], np.cumsum(sizes_a)[:-1]])
    pos = np.concatenate(
        [np.arange(in_families) - np.repeat(offset, sizes_a), np.zeros(standalone, int)]
    )
    root_idx = np.where(fam >= 0, offset[np.maximum(fam, 0)], np.arange(n))
    is_root = (fam < 0) | (pos == 0)

    # -- relations and parents -------------------------------------------------------------
    rel = rng.choice(len(RELATIONS), size=n, p=REL_P)
    rel[is_root] = -1
    quantized = rel == 1
    one_hop = rng.random(n) < 0.5
    earlier = np.floor(rng.random(n) * np.maximum(pos, 1)).astype(np.int64)
    candidate = root_idx + earlier
    # Quantized models are leaves: never a parent; fall back to the root.
    candidate = np.where(quantized[candidate], root_idx, candidate)
    parent = np.where(one_hop, root_idx, candidate)
    parent[is_root] = -1
    roots = np.flatnonzero((fam >= 0) & (pos == 0))
    parent2 = np.where(rel == 3, roots[rng.integers(0, len(roots), n)], -1)
    parent2[parent2 == parent] = -1

    # -- declaration and signals -------------------------------------------------------------
    derivative = ~is_root
    declare_p = min(1.0, 0.40 * n / max(1, int(derivative.sum())))
    declared = derivative & (rng.random(n) < declare_p)
    signal = rng.choice(4, size=n, p=[0.70, 0.20, 0.05, 0.05])  # tag, card, gguf, adapter
    signal = np.where(quantized & (signal == 3), 0, signal)  # adapter config: adapters only
    signal = np.where((rel == 2) & (signal == 2), 3, signal)

    # -- licenses -----------------------------------------------------------------------------
    lic = rng.choice(len(lic_names), size=n, p=lic_p)
    keep = rng.random(n) < 0.6
    # Two passes propagate parents' licenses down two levels (enough for the mix).
    for _ in range(2):
        inherit = derivative & keep
        lic = np.where(inherit, lic[np.maximum(parent, 0)], lic)
    lic_arr = np.array([x or "" for x in lic_names])

    # -- names and times ----------------------------------------------------------------------
    author = np.where(is_root, rng.integers(0, max(1, n // 400), n), rng.integers(0, n // 8, n))
    suffix = QUANT_SUFFIX[rng.integers(0, len(QUANT_SUFFIX), n)]
    keep_suffix = quantized & (declared | (rng.random(n) < 0.5))
    created = np.zeros(n, dtype=np.int64)
    base_t = 1_600_000_000 + rng.integers(0, 40_000_000, n)
    created[:] = base_t
    has_parent = parent >= 0
    for _ in range(3):  # parents are uploaded before their children, along the chains
        created[has_parent] = created[parent[has_parent]] + rng.integers(
            3600, 9_000_000, int(has_parent.sum())
        )
    downloads = (rng.pareto(1.2, n) * 10).astype(np.int64)

    table = pa.table(
        {
            "i": np.arange(n),
            "is_root": is_root,
            "author_k": author,
            "parent": parent,
            "parent2": parent2,
            "rel": np.where(rel >= 0, RELATIONS[np.maximum(rel, 0)], ""),
            "declared": declared,
            "signal": signal,
            "license": lic_arr[lic],
            "suffix": np.where(keep_suffix, suffix, ""),
            "created": created,
            "downloads": downloads,
            "bad": rng.random(n) < 1e-5,
        }
    )
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    con.register("g", table)
    con.execute(
        """
        CREATE TABLE named AS
        SELECT g.*,
            CASE WHEN is_root THEN 'lab' || author_k || '/Base' || i || '-7B'
                 ELSE 'user' || author_k || '/model' || i ||
                      CASE WHEN suffix <> '' THEN '-' || suffix ELSE '' END END AS id
        FROM g
        """
    )
    # Undeclared quantized copies named after their parent: '<parent name>-GGUF'.
    con.execute(
        """
        UPDATE named SET id = 'user' || named.author_k || '/' || split_part(p.id, '/', 2)
                              || '-' || named.suffix
        FROM named p
        WHERE p.i = named.parent AND named.suffix <> '' AND NOT named.declared
        """
    )
    con.execute(
        f"""
        COPY (
            SELECT
                c.id AS id, split_part(c.id, '/', 1) AS author,
                md5(c.id) || '00000000' AS sha,
                strftime(to_timestamp(c.created), '%Y-%m-%dT%H:%M:%S.000Z') AS createdAt,
                strftime(to_timestamp(c.created + 86400), '%Y-%m-%dT%H:%M:%S.000Z')
                    AS lastModified,
                false AS private, false AS gated, c.downloads AS downloads,
                (c.downloads // 50) AS likes,
                CASE WHEN c.rel = 'adapter' THEN 'peft' ELSE 'transformers' END AS library_name,
                'text-generation' AS pipeline_tag,
                list_concat(
                    ['transformers', 'safetensors'],
                    CASE WHEN c.license <> '' THEN ['license:' || c.license] ELSE [] END,
                    CASE WHEN c.declared AND c.signal = 0 THEN
                        ['base_model:' || p.id, 'base_model:' || c.rel || ':' || p.id] ||
                        CASE WHEN p2.id IS NOT NULL
                             THEN ['base_model:merge:' || p2.id] ELSE [] END
                    ELSE [] END
                ) AS tags,
                json_object(
                    'license', nullif(c.license, ''),
                    'base_model', CASE WHEN c.declared AND c.signal = 1 THEN
                        CASE WHEN p2.id IS NOT NULL THEN to_json([p.id, p2.id])
                             ELSE to_json(p.id) END END,
                    'base_model_relation', CASE WHEN c.declared AND c.signal = 1
                        AND p2.id IS NULL THEN c.rel END
                ) AS cardData,
                CASE WHEN c.declared AND c.signal = 2 THEN json_object(
                    'total', 7000000000, 'architecture', 'llama',
                    'general.base_model.count', 1,
                    'general.base_model.0.repo_url', 'https://huggingface.co/' || p.id)
                END AS gguf,
                CASE WHEN c.declared AND c.signal = 3 THEN json_object(
                    'peft', json_object('base_model_name_or_path', p.id,
                                        'task_type', 'CAUSAL_LM'))
                END AS config
            FROM named c
            LEFT JOIN named p ON p.i = c.parent
            LEFT JOIN named p2 ON p2.i = c.parent2
            ORDER BY c.i
        ) TO '{out}' (FORMAT JSON)
        """
    )
    # Malformed lines: the flagged models' lines are cut in half.
    bad_ids = {r[0] for r in con.execute("SELECT id FROM named WHERE bad").fetchall()}
    if bad_ids:
        tmp = out.with_suffix(".tmp")
        with out.open() as src, tmp.open("w") as dst:
            for line in src:
                model = line[7 : line.find('"', 7)]
                dst.write(line[: len(line) // 2] + "\n" if model in bad_ids else line)
        tmp.replace(out)
    bad = len(bad_ids)
    elapsed = time.perf_counter() - started
    return {
        "models": n,
        "families": n_fam,
        "declared_share": round(float(declared.mean()), 4),
        "malformed_lines": bad,
        "bytes": out.stat().st_size,
        "seconds": round(elapsed, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(json.dumps(generate(args.models, args.out, args.seed)))


if __name__ == "__main__":
    main()
