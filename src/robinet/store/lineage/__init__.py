"""The derived lineage tables: inferred edges, closure, anomalies, obligations, conflicts.

Rebuilt by the writer that changed `models` or `edges`, inside its transaction (`rebuild`).
"""

from robinet.store.lineage.build import lineage_summary, rebuild

__all__ = ["lineage_summary", "rebuild"]
