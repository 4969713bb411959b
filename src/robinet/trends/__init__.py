"""Trends and the tap: half-yearly series, the capability gap, tap signals, one lab's story.

Entry points (pure functions over the store):

- `trend(store, metric, by) -> Trend`
- `gap(store, by_region=, view=) -> GapResult`, `gap_json(result)`
- `alerts(store, org=, since=) -> list[Alert]`, `alerts_json(items)`
- `lab_story(store, org) -> dict`
"""

from robinet.trends.alerts import alerts, alerts_json, gap, gap_json
from robinet.trends.lab import lab_story
from robinet.trends.series import Trend, trend

__all__ = ["Trend", "alerts", "alerts_json", "gap", "gap_json", "lab_story", "trend"]
