"""The Hub loader: the only writer of Hub model records (models, edges, license_refs).

    stage.py   a Hub source's batches into DuckDB temp tables
    parse.py   the set-based parse of the staged documents, and their warnings
    write.py   the writes: models, declared edges, license_refs, import_warnings, sources
    load.py    import_dump / import_records / import_batches: stage -> parse -> write ->
               lineage rebuild, in one transaction (store/pipeline.py)
    sync.py    the live sync: pages of the Hub committed one by one with their checkpoint

Sources (sources/hub_dump.py, sources/hub_sync.py) only read; everything here writes.
"""

from robinet.store.hub.load import ImportReport, import_batches, import_dump, import_records
from robinet.store.hub.sync import SyncReport, sync_hub
from robinet.store.hub.write import register_source

__all__ = [
    "ImportReport",
    "SyncReport",
    "import_batches",
    "import_dump",
    "import_records",
    "register_source",
    "sync_hub",
]
