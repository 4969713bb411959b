"""`--format table`: the audit for people, as plain text (rich tables, no colour codes)."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from robinet.audit.result import AuditResult

MARKER = "robinet audit"


def render(result: AuditResult, *, width: int = 120) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False)
    table = Table("model", "decision", "status", "deciding", "findings", title=MARKER)
    for m in result.models:
        d = m.deciding
        deciding = ""
        if d is not None:
            where = "itself" if d.depth == 0 else f"{d.model} (depth {d.depth})"
            deciding = f"{d.license or 'unknown license'} §{d.clause or '—'} via {where}"
        problems = [f for f in m.findings if f.level != "note"]
        table.add_row(
            m.model,
            m.decision,
            m.status,
            deciding,
            "\n".join(f"{f.level}: {f.message}" for f in problems) or "—",
        )
    console.print(table, markup=False)
    if result.obligations:
        todo = Table("kind", "obligation", "license §clause", "models", title="obligations")
        for o in result.obligations:
            todo.add_row(
                o.kind, o.text, f"{o.license or '—'} §{o.clause or '—'}", ", ".join(o.models)
            )
        console.print(todo, markup=False)
    for w in result.warnings:
        console.print(f"warning: {w['message']} ({w['field']})", markup=False)
    s = result.summary()
    console.print(
        f"gate: {s['gate']} — " + ", ".join(f"{k} {v}" for k, v in s["statuses"].items()),
        markup=False,
    )
    return buffer.getvalue()
