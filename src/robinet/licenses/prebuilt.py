"""The identification index, built once and shipped with robinet.

Building the shingle index from the knowledge base (YAML validated by pydantic, 81 reference
texts tokenized and shingled) costs about half a second; loading the same index from
`kb/_identify_index.marshal` costs a few milliseconds and needs neither pydantic nor YAML.

The file starts with a fingerprint of everything the index is made from: every knowledge-base
entry and reference text, the code that tokenizes and shingles (normalize.py, identify.py)
and the interpreter's hashing (shingles are hashes of tuples of ints). `load()` returns None
when the fingerprint differs, and `default_index()` then builds the index in memory: a stale
file is never used. A test checks that the shipped file is fresh; after changing the
knowledge base or that code, rebuild it:

    python -m robinet.licenses.prebuilt          # writes the file
    python -m robinet.licenses.prebuilt --check  # exit 1 when it is stale
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from pathlib import Path

from robinet.licenses.identify import Index

HERE = Path(__file__).resolve().parent
PATH = HERE / "kb" / "_identify_index.marshal"
MAGIC = b"robinet-identify-index 1 "


def sources() -> list[Path]:
    """The files the index is made from, in a fixed order."""
    kb = sorted((HERE / "kb").glob("*.yaml"))
    texts = sorted(p for p in (HERE / "texts").iterdir() if p.is_file())
    return [*kb, *texts, HERE / "normalize.py", HERE / "identify.py"]


def fingerprint() -> str:
    h = hashlib.blake2b(digest_size=16)
    probe = (sys.version_info[:2], sys.hash_info.width, hash((1, 2, 3, 4, 5)), marshal.version)
    h.update(repr(probe).encode())
    for path in sources():
        data = path.read_bytes()
        h.update(f"\0{path.parent.name}/{path.name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def load(path: Path = PATH) -> Index | None:
    """The shipped index, or None when the file is missing, unreadable or stale."""
    try:
        with open(path, "rb") as fh:
            head = fh.readline()
            if head != MAGIC + fingerprint().encode() + b"\n":
                return None
            state = marshal.loads(fh.read())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return Index(state=state)


def build() -> Index:
    """The index built now from the bundled knowledge base."""
    from robinet.licenses.kb import knowledge_base

    return Index(knowledge_base())


def write(path: Path = PATH) -> int:
    """Build the index and write it with its fingerprint; the number of bytes written."""
    data = MAGIC + fingerprint().encode() + b"\n" + marshal.dumps(build().state())
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return len(data)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--check" in args:
        if load() is None:
            print(f"{PATH} is stale: run `python -m robinet.licenses.prebuilt`", file=sys.stderr)
            return 1
        print(f"{PATH} is fresh", file=sys.stderr)
        return 0
    size = write()
    print(f"wrote {PATH} ({size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
