"""The loader of openness evidence: a fetched Hub card's facts into `openness_evidence`.

Each fact keeps its provenance: the source (`hf-hub-card`), the file it was read from (the
README or LICENSE URL, or the model page for `model_info` facts), and when it was retrieved.
Loading a model's card again replaces that model's earlier card facts, in one transaction.
"""

from __future__ import annotations

from robinet.sources.hub_card import HUB_CARD_SOURCE, HubCard
from robinet.store.db import Store
from robinet.store.ingest import insert_rows


def load_hub_card(store: Store, card: HubCard) -> int:
    """Replace `card.hf_id`'s fetched facts with `card`'s; the number of facts written."""
    rows = [
        {
            "subject": card.hf_id,
            "subject_kind": "model",
            "field": fact.field,
            "value": fact.value,
            "quote": fact.quote,
            "url": fact.url,
            "source": HUB_CARD_SOURCE,
            "file": fact.url or card.url,
            "row": None,
            "retrieved_at": card.retrieved_at,
        }
        for fact in card.facts
    ]
    with store.transaction():
        store.con.execute(
            "DELETE FROM openness_evidence WHERE subject_kind = 'model' "
            "AND lower(subject) = lower(?) AND source = ?",
            [card.hf_id, HUB_CARD_SOURCE],
        )
        insert_rows(store, "openness_evidence", rows)
    return len(rows)
