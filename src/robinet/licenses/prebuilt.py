"""The knowledge base and the identification index, validated and built once, shipped with
robinet.

Validating the knowledge base (81 YAML files, pydantic, every quote checked against its
reference text) costs about 0.2 s and building the shingle index about 0.5 s more; loading
them from `kb/_knowledge_base.marshal` (a few milliseconds, most of them the freshness check)
and `kb/_identify_index.marshal` (3 MB: a few tens of milliseconds) needs neither PyYAML nor
pydantic. They are files in the package, not a
user cache: an installed package may be read-only, and a shipped file makes the first run as
fast as the others.

Each file starts with a fingerprint of everything it is made from: every knowledge-base entry
and reference text, and the code that validates and loads (entries.py, kb.py, schema.py,
params.py, vocabulary.py, normalize.py); the index adds the code that shingles and builds it
(shingle_index.py, identify.py) and the interpreter's hashing (shingles are hashes of tuples
of ints). A load returns None when the fingerprint differs, and the caller then builds in
memory from the YAML: a stale file is never used. Tests check that the shipped files are
fresh and equal to a rebuild; after changing the knowledge base or that code, rebuild them:

    python -m robinet.licenses.prebuilt          # writes both files
    python -m robinet.licenses.prebuilt --check  # exit 1 when one is stale
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from robinet.licenses.entries import HERE, KB_DIR, KnowledgeBase, LicenseEntry, Term, TermKind

if TYPE_CHECKING:
    from robinet.licenses.shingle_index import Index

PATH = KB_DIR / "_identify_index.marshal"
MAGIC = b"robinet-identify-index 2 "
KB_PATH = KB_DIR / "_knowledge_base.marshal"
KB_MAGIC = b"robinet-knowledge-base 1 "


_CODE = (
    "entries.py",
    "kb.py",
    "schema.py",
    "params.py",
    "vocabulary.py",
    "normalize.py",
)  # what validates


def _listing(directory: Path, suffix: str = "") -> list[str]:
    with os.scandir(directory) as found:
        return sorted(e.path for e in found if e.name.endswith(suffix) and e.is_file())


def kb_sources(root: Path = HERE) -> list[str]:
    """The files the validated knowledge base is made from, in a fixed order."""
    code = [str(root / name) for name in _CODE]
    return [*_listing(root / "kb", ".yaml"), *_listing(root / "texts"), *code]


def sources(root: Path = HERE) -> list[str]:
    """The files the identification index is made from, in a fixed order."""
    return [*kb_sources(root), str(root / "shingle_index.py"), str(root / "identify.py")]


# One read of each source per process, shared by both fingerprints. A file's check is its
# CRC-32 and Adler-32 (64 bits): enough to see that a source changed, and zlib is loaded at
# start-up anyway, where hashlib would cost 3 ms of the ~40 ms a bare Python start takes
# here. It guards against no adversary: whoever can edit the sources can edit this file.
_DIGESTS: dict[str, bytes] = {}


def _digest(path: str, root: Path) -> bytes:
    digest = _DIGESTS.get(path)
    if digest is None:
        with open(path, "rb", buffering=0) as fh:  # (unbuffered: one read of the whole file)
            data = fh.readall()
        name = path[len(str(root)) :]  # (where robinet is installed does not count)
        check = f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"
        digest = _DIGESTS[path] = f"{name}\0{len(data)}\0{check}\n".encode()
    return digest


def _fingerprint(paths: list[str], probe: tuple[Any, ...], root: Path) -> str:
    records = repr(probe).encode() + b"".join(_digest(p, root) for p in paths)
    return f"{zlib.crc32(records):08x}{zlib.adler32(records):08x}{len(records):x}"


def fingerprint(root: Path = HERE) -> str:
    """The index's: its sources, the interpreter's tuple hashing and the marshal format."""
    probe = (sys.version_info[:2], sys.hash_info.width, hash((1, 2, 3, 4, 5)), marshal.version)
    return _fingerprint(sources(root), probe, root)


def kb_fingerprint(root: Path = HERE) -> str:
    """The knowledge base's: its sources and the marshal format (no hashes are stored)."""
    return _fingerprint(kb_sources(root), (marshal.version,), root)


def _read(path: Path, magic: bytes, fingerprint: Callable[[], str]) -> Any:
    """The marshalled state after a fresh header, else None (missing, unreadable, stale; or a
    source missing, as in an install without .py files: then nothing can be checked)."""
    try:
        with open(path, "rb") as fh:
            if fh.readline() != magic + fingerprint().encode() + b"\n":
                return None
            return marshal.loads(fh.read())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def _write(path: Path, magic: bytes, fingerprint: str, state: Any) -> int:
    data = magic + fingerprint.encode() + b"\n" + marshal.dumps(state)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")  # (then renamed: readers never see half)
    tmp.write_bytes(data)
    tmp.replace(path)
    return len(data)


# ---- the knowledge base ----------------------------------------------------------------------


def kb_state(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """Every entry as plain data (marshal-able): dates as ISO strings, kinds as their values."""
    out = []
    for e in kb.entries:
        fields = {name: getattr(e, name) for name in LicenseEntry.__dataclass_fields__}
        fields["release_date"] = e.release_date.isoformat() if e.release_date else None
        fields["terms"] = [(t.kind.value, t.clause, t.quote, t.summary, t.params) for t in e.terms]
        out.append(fields)
    return out


def kb_from_state(state: list[dict[str, Any]]) -> KnowledgeBase:
    entries = []
    for fields in state:
        date = fields["release_date"]
        fields["release_date"] = dt.date.fromisoformat(date) if date else None
        fields["terms"] = tuple(
            Term(TermKind(kind), clause, quote, summary, params)
            for kind, clause, quote, summary, params in fields["terms"]
        )
        entries.append(LicenseEntry(**fields))
    return KnowledgeBase(tuple(entries))


def load_knowledge_base(path: Path = KB_PATH) -> KnowledgeBase | None:
    """The shipped, validated knowledge base, or None when the file is missing or stale."""
    state = _read(path, KB_MAGIC, kb_fingerprint)
    if not isinstance(state, list):
        return None
    try:
        return kb_from_state(state)
    except (KeyError, TypeError, ValueError):  # a file written by other code: not ours
        return None


def build_knowledge_base() -> KnowledgeBase:
    """The knowledge base validated now from the bundled YAML."""
    from robinet.licenses.schema import read_entries

    return KnowledgeBase(read_entries(KB_DIR))


# ---- the identification index ----------------------------------------------------------------


def load(path: Path = PATH) -> Index | None:
    """The shipped index, or None when the file is missing, unreadable or stale."""
    from robinet.licenses.shingle_index import Index

    state = _read(path, MAGIC, fingerprint)
    if not isinstance(state, dict):
        return None
    return Index(state=state)


def build() -> Index:
    """The index built now from the bundled knowledge base."""
    from robinet.licenses.shingle_index import Index

    return Index(load_knowledge_base() or build_knowledge_base())


# ---- writing ---------------------------------------------------------------------------------


def write(path: Path = PATH, kb_path: Path = KB_PATH) -> dict[Path, int]:
    """Validate the knowledge base, build the index, write both with their fingerprints; the
    number of bytes of each file written."""
    from robinet.licenses.shingle_index import Index

    kb = build_knowledge_base()
    return {
        kb_path: _write(kb_path, KB_MAGIC, kb_fingerprint(), kb_state(kb)),
        path: _write(path, MAGIC, fingerprint(), Index(kb).state()),
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--check" in args:
        loaded = {KB_PATH: load_knowledge_base(), PATH: load()}
        stale = [p for p, found in loaded.items() if found is None]
        for p in stale:
            print(f"{p} is stale: run `python -m robinet.licenses.prebuilt`", file=sys.stderr)
        if not stale:
            print(f"{KB_PATH} and {PATH} are fresh", file=sys.stderr)
        return 1 if stale else 0
    for p, size in write().items():
        print(f"wrote {p} ({size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
