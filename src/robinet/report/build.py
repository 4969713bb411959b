"""Assemble the report: sections -> one self-contained HTML file, a JSON document, a summary."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import asdict, dataclass
from importlib.resources import files
from typing import Any

import jinja2
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from robinet import __version__
from robinet.report import landscape
from robinet.report.section import Section, SectionBuilder
from robinet.store import Store
from robinet.store.queries.report import last_snapshot


def section_builders() -> list[SectionBuilder]:
    """The findings, the landscape sections, the openness/tap sections, then the sources."""
    from robinet.report.findings import findings_section

    builders: list[SectionBuilder] = [findings_section, *landscape.SECTIONS]
    try:
        from robinet.report.tap_sections import SECTIONS as TAP_SECTIONS
    except ImportError:  # the tap engines are optional while they are being built
        TAP_SECTIONS = []
    builders.extend(TAP_SECTIONS)
    from robinet.report.duties_section import duties_section
    from robinet.report.hardware_section import hardware_section

    builders.extend([duties_section, hardware_section])
    builders.extend(landscape.CLOSING_SECTIONS)
    return builders


@dataclass(frozen=True)
class Report:
    sections: list[Section]
    store_snapshot: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The data behind every section (documented in docs/report.md)."""
        return {
            "robinet_version": __version__,
            "store": self.store_snapshot,
            "sections": {
                s.key: {
                    "title": s.title,
                    "description": s.description,
                    "columns": s.columns,
                    "rows": s.rows,
                }
                for s in self.sections
            },
        }


def build_report(store: Store) -> Report:
    sections = [build(store) for build in section_builders()]
    last = last_snapshot(store)
    snapshot = {
        "releases": store.count("releases"),
        "organizations": store.count("organizations"),
        "last_snapshot": None if last is None else asdict(last),
    }
    return Report(sections, snapshot)


def _cell(value: Any) -> str:
    if value is None:
        return '<span class="na">–</span>'
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)):
        return html.escape(", ".join(str(v) for v in value))
    text = str(value)
    if text.startswith(("http://", "https://")):
        safe = html.escape(text)
        return f'<a href="{safe}">{safe}</a>'
    return html.escape(text)


def render_html(report: Report) -> str:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(
        (files("robinet") / "report" / "templates" / "report.html.j2").read_text("utf-8")
    )
    rendered = []
    for section in report.sections:
        figure_html = (
            section.figure.to_html(
                full_html=False, include_plotlyjs=False, config={"displaylogo": False}
            )
            if section.figure is not None
            else ""
        )
        rendered.append(
            {
                "findings": [{"text": r["finding"], "command": r["command"]} for r in section.rows]
                if section.key == "findings"
                else [],
                "key": section.key,
                "title": section.title,
                "description": section.description,
                "columns": section.columns,
                "rows": [[Markup(_cell(r.get(c))) for c in section.columns] for r in section.rows],
                "figure": Markup(figure_html),
            }
        )
    return template.render(
        sections=rendered,
        plotly_js=Markup(get_plotlyjs()),
        version=__version__,
        generated=dt.date.today().isoformat(),
        store=report.store_snapshot,
    )


DEFAULT_NAME = "robinet-report.html"
