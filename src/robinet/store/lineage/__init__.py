"""The derived lineage tables: inferred edges, closure, anomalies, obligations, conflicts.

Rebuilt by the writer that changed `models` or `edges`, inside its transaction (`rebuild`);
`repair` rebuilds a store that a sync left stale. Their reads are in `queries`.

Imports point down only: this package uses robinet.store, robinet.licenses, robinet.domain,
robinet.model and robinet.errors, never the lineage engine (robinet.lineage) above it.
"""

from robinet.store.lineage.build import (
    LineageCoverage,
    LineageSummary,
    RepairReport,
    lineage_summary,
    rebuild,
    repair,
)

__all__ = [
    "LineageCoverage",
    "LineageSummary",
    "RepairReport",
    "lineage_summary",
    "rebuild",
    "repair",
]
