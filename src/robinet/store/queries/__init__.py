"""The query layer: every read of the store, one module per area, typed results.

    landscape   releases, organizations, sources and their import warnings
    trends      releases with their licenses, Hub downloads, capability scores, tap data
    openness    release and Hub evidence for the openness rubric, MOT matches
    report      the landscape report's aggregates

Engines and views call these functions; none of them writes SQL of its own. Parameters are
always bound. The domain rules SQL needs (half-year label, open tier, name slug) are DuckDB
macros defined once in `robinet.store.macros`.
"""
