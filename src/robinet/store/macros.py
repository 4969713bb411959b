"""The domain rules SQL needs, as DuckDB macros defined once and installed on every connection.

`Store.__init__` calls `install_macros`, so every query of the store (read-only connections
included: temporary macros and functions live in the connection, not in the file) can use:

    half_year(d)         DATE or TIMESTAMP -> 'YYYY-H1' (January to June) or 'YYYY-H2';
                         NULL -> NULL. The same label as `robinet.domain.half_year`.
    is_open_tier(tier)   VARCHAR -> BOOLEAN: the access tier publishes weights, i.e. it is one
                         of `robinet.model.OPEN_TIERS` (rendered from that set); NULL -> NULL,
                         which WHERE and FILTER treat as false.
    access_group(tier)   VARCHAR -> 'open-weight', 'api/hosted' or 'unreleased', the coarse
                         grouping of the charts (`robinet.model.Tier.group`, rendered from it);
                         NULL or a value that is no tier -> NULL.
    name_slug(text)      VARCHAR -> `robinet.domain.slug(text)`: lowercase ASCII words joined
                         by '-' ('Llama 3.1-405B' -> 'llama-3-1-405b', 'Tülu' -> 'tulu');
                         NULL -> NULL.

`name_slug` is exact on every input: ASCII text (nearly every name in the store) is slugged in
SQL, where the Python rule reduces to lowercase + replace + trim; any other text goes to the
Python function itself, registered as the UDF `robinet_slug_py`, because DuckDB's
`strip_accents` is no NFKD (it keeps ligatures, full-width and superscript forms that Python
folds to ASCII, and `lower` folds non-ASCII letters Python drops). tests/test_macros.py proves
each macro agrees with its Python definition.
"""

from __future__ import annotations

import contextlib

import duckdb

from robinet.domain import slug
from robinet.model import OPEN_TIERS, Tier

SLUG_UDF = "robinet_slug_py"


def _sql_list(values: list[str]) -> str:
    # Values come from the Tier enum (constants), never from input; quotes are doubled anyway.
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _access_group_sql() -> str:
    groups: dict[str, list[str]] = {}
    for tier in Tier:
        groups.setdefault(tier.group, []).append(tier.value)
    cases = " ".join(
        f"WHEN tier IN ({_sql_list(sorted(tiers))}) THEN '{group}'"
        for group, tiers in groups.items()
    )
    return f"CASE {cases} END"


MACROS: dict[str, str] = {
    "half_year": "half_year(d) AS "
    "year(d)::VARCHAR || '-H' || CASE WHEN month(d) <= 6 THEN '1' ELSE '2' END",
    "is_open_tier": "is_open_tier(tier) AS "
    f"tier IN ({_sql_list(sorted(t.value for t in OPEN_TIERS))})",
    "access_group": f"access_group(tier) AS {_access_group_sql()}",
    # strlen counts bytes, length characters: equal exactly when the text is ASCII.
    "name_slug": "name_slug(text) AS CASE WHEN strlen(text) = length(text) "
    "THEN trim(regexp_replace(lower(text), '[^a-z0-9]+', '-', 'g'), '-') "
    f"ELSE {SLUG_UDF}(text) END",
}


# The one macro that needs a Python UDF; registering a UDF makes DuckDB import numpy (~50 ms, a
# quarter of a CI gate's start-up), so it is installed on the first statement that uses it.
SLUG_MACROS = ("name_slug",)
SLUG_MARK = "name_slug("


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) the pure-SQL macros on `con` (see `install_slug` for the rest)."""
    for name, body in MACROS.items():
        if name not in SLUG_MACROS:
            con.execute(f"CREATE OR REPLACE TEMP MACRO {body}")


def install_slug(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) the slug UDF and the macros that call it on `con`."""
    with contextlib.suppress(duckdb.Error):  # a connection wrapped twice: register afresh
        con.remove_function(SLUG_UDF)
    # NULL in, NULL out without a call (DuckDB's default null handling). Cursors of one
    # connection share its functions: a cursor finds the UDF registered already.
    try:
        con.create_function(SLUG_UDF, slug, ["VARCHAR"], "VARCHAR", side_effects=False)
    except duckdb.Error as exc:
        if "already" not in str(exc).lower():
            raise
    for name in SLUG_MACROS:
        con.execute(f"CREATE OR REPLACE TEMP MACRO {MACROS[name]}")
