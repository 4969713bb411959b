"""robinet: an observatory and compliance engine for open-weight AI models."""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    # Looked up on first use only: importlib.metadata costs ~20 ms, a tenth of a CI gate's
    # start-up, and only `--version` and the snapshot metadata need it.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("robinet")
        except PackageNotFoundError:  # running from a source tree without installation
            return "0.0.0+src"
    raise AttributeError(f"module 'robinet' has no attribute {name!r}")
