"""A report section: a chart plus the table behind it, and the method that produced both.

Every section is built by a function `build(store) -> Section`; the HTML report, the terminal
summary and `robinet report --json` all read the same Section objects, so they show the same
numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from robinet.store import Store


@dataclass(frozen=True)
class Section:
    key: str  # snake_case key of this section in `robinet report --json`
    title: str
    description: str  # what is shown, how it is computed, from which sources
    rows: list[dict[str, Any]]  # the table behind the chart; JSON-ready values
    columns: list[str]  # column order for the HTML table
    figure: Any = None  # a plotly Figure, or None for table-only sections
    summary: list[str] = field(default_factory=list)  # a few lines for the terminal


SectionBuilder = Callable[[Store], Section]
