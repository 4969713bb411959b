"""The naming duty's one rule: does a model's name begin with the prefix a license requires?"""

from __future__ import annotations

_SEPARATORS = frozenset(" \t-_.")


def name_has_prefix(name: str, prefix: str) -> bool:
    """Whether a model `name` begins with a license's required `prefix` ("Llama", "Llama 3").

    The one rule for every path (the verdict of a `--derivative-name`, the `missing_naming`
    conflict of a Hub model). The name is the part after the last "/" (a Hub id's owner is not
    part of the model's name). Case does not matter, and separators (space, "-", "_", ".")
    between the prefix's characters are optional: on the Hub "Llama 3" is written "Llama-3",
    "Llama_3" or "Llama3". A prefix ending in a digit must not stop inside a number:
    "Llama-30B" does not begin with "Llama 3"; "Llama-3.1-8B" does.
    """
    name = name.rsplit("/", 1)[-1].casefold()
    wanted = [c for c in prefix.casefold() if c not in _SEPARATORS]
    if not wanted:
        return True
    position = 0
    for char in wanted:
        while position < len(name) and name[position] in _SEPARATORS:
            position += 1
        if position >= len(name) or name[position] != char:
            return False
        position += 1
    return not (wanted[-1].isdigit() and position < len(name) and name[position].isdigit())
