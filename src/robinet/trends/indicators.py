"""Indicators: a lab's best open model against its own best closed one. They describe the
lab's two tracks; they are not decisions to close or open, and are reported apart from the
tap signals (robinet.trends.signals)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from robinet.trends.signals import CLOSING, MEDIUM, OPENING, Alert, Compared, is_open_tier


def own_gap_indicators(
    org: str,
    scored: Iterable[tuple[str, dt.date, str | None, float]],
    *,
    threshold: float = 3.0,
    source: str = "epoch-eci",
) -> list[Alert]:
    """The lab's best open vs its own best closed score: a margin that grew or shrank. An
    indicator of the lab's two tracks, not a decision to close (reported apart)."""
    out: list[Alert] = []
    best_open: tuple[str, dt.date, str | None, float] | None = None
    best_closed: tuple[str, dt.date, str | None, float] | None = None
    anchor: float | None = None  # the margin at the last signal (or the first measurement)
    for name, date, tier, value in sorted(scored, key=lambda s: (s[1], s[0])):
        is_open = is_open_tier(tier)
        if is_open is None:
            continue
        if is_open and (best_open is None or value > best_open[3]):
            best_open = (name, date, tier, value)
        if not is_open and (best_closed is None or value > best_closed[3]):
            best_closed = (name, date, tier, value)
        if best_open is None or best_closed is None:
            continue
        margin = best_closed[3] - best_open[3]
        if anchor is None:
            anchor = margin
            continue
        # Only while the lab's closed models lead: an open model further ahead is no signal.
        if abs(margin - anchor) >= threshold and max(margin, anchor) > 0:
            widened = margin > anchor
            out.append(
                Alert(
                    org,
                    date,
                    CLOSING if widened else OPENING,
                    "open_trailing_own_flagship" if widened else "open_catching_own_flagship",
                    f"best open {best_open[0]} ({best_open[3]:g}) vs own best closed "
                    f"{best_closed[0]} ({best_closed[3]:g}): margin {margin:+g}, was {anchor:+g}",
                    (source,),
                    (
                        Compared(best_open[0], best_open[1], best_open[2]),
                        Compared(best_closed[0], best_closed[1], best_closed[2]),
                    ),
                    None,
                    MEDIUM,
                )
            )
            anchor = margin
    return out
