"""The one exception tree of robinet.

    RobinetError                   base of everything robinet raises on purpose
    ├── UsageError                 the caller asked for something that cannot be done (exit 2)
    │   └── NotFoundError          an id, model, organization or license that is not known
    ├── InputDataError             bad input data: names the file, row and field (exit 3)
    │   └── KnowledgeBaseError     a license knowledge-base entry that fails validation
    ├── StoreError                 the DuckDB store cannot be opened or is inconsistent
    │   └── StaleStoreError        derived tables out of date (an interrupted sync): repair it
    └── SourceError                an outside source failed (network, Hub, unreadable dump)

Library code raises these with plain facts; only the views (CLI, web) turn them into messages
and exit codes. Each class has a stable `code`: the `error.code` of the JSON contract
(docs/json.md), so that a script can tell a missing model from a damaged file.
"""

from __future__ import annotations


class RobinetError(Exception):
    """Base of every error robinet raises on purpose."""

    exit_code = 2
    code = "error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    @property
    def location(self) -> dict[str, str | int] | None:
        """Where the problem is (file, row, field), when the error knows."""
        return None

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


class UsageError(RobinetError):
    """The request cannot be served as asked (bad option value, unknown id)."""

    exit_code = 2
    code = "usage"


class NotFoundError(UsageError):
    """An id, model, organization or license that robinet does not know."""

    code = "not_found"


class InputDataError(RobinetError):
    """Input data that cannot be read; always says where."""

    exit_code = 3
    code = "bad_input"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.field = field
        where = ", ".join(
            part
            for part in (
                file,
                f"row {row}" if row is not None else None,
                f"field {field!r}" if field else None,
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message, hint=hint)

    @property
    def location(self) -> dict[str, str | int] | None:
        found = {"file": self.file, "row": self.row, "field": self.field}
        kept = {key: value for key, value in found.items() if value is not None}
        return kept or None


class KnowledgeBaseError(InputDataError):
    """A license knowledge-base entry that fails validation."""

    code = "knowledge_base"


class StoreError(RobinetError):
    """The store cannot be opened, or holds data robinet cannot use."""

    exit_code = 3
    code = "store"


class StaleStoreError(StoreError):
    """Derived tables (lineage) lag behind the facts: a sync stopped before it rebuilt them.

    Read commands never rebuild (they may run read-only, many at once): they raise this, and
    the hint names the command that repairs the store."""

    code = "stale_store"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(
            message,
            hint=hint
            or "run `robinet store repair` (rebuilds the derived tables), or run the "
            "interrupted `robinet sync hub` again: it resumes and rebuilds them",
        )


class SourceError(RobinetError):
    """An outside source failed: the Hub, a dump file, a network error."""

    exit_code = 3
    code = "source"
