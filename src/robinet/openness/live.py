"""Openness of any Hub model: from the store, else from its card fetched live (and stored).

fetch (`robinet.sources.hub_card`) -> load (`robinet.store.openness_evidence`) -> score
(`robinet.openness.engine.openness`, which never fetches). The store must be writable.
"""

from __future__ import annotations

from robinet.errors import NotFoundError, SourceError
from robinet.openness.engine import ReleaseOpenness, openness, unknown_model_error
from robinet.sources.hub_card import fetch_card
from robinet.store import Store
from robinet.store.openness_evidence import load_hub_card


def fetch_evidence(store: Store, hf_id: str) -> int:
    """Fetch `hf_id`'s card, README and LICENSE and store their facts; the number stored.
    NotFoundError when the Hub has no such model, or when it cannot be reached (offline)."""
    try:
        card = fetch_card(hf_id)
    except SourceError as exc:
        error = unknown_model_error(store, hf_id)
        raise NotFoundError(f"{error.message}; and the Hub cannot be reached ({exc.message})",
                            hint=error.hint) from exc  # fmt: skip
    if card is None:
        raise NotFoundError(
            f"the Hub has no model {hf_id!r}",
            hint="check the owner/name spelling (a private or gated model needs HF_TOKEN)",
        )
    return load_hub_card(store, card)


def openness_or_fetch(store: Store, model: str) -> ReleaseOpenness:
    """`openness(store, model)`; for a Hub id the store does not know, its card is fetched
    and stored first (with provenance), then scored from that evidence."""
    try:
        return openness(store, model)
    except NotFoundError:
        if "/" not in model:
            raise
    fetch_evidence(store, model)
    return openness(store, model)
