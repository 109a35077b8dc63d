"""Scenario text with ``{variable}`` placeholders, and filling them: the one definition.

Stdlib only: validation imports it and must start fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
"""A ``{name}`` placeholder; any other brace is literal text."""


def fill(text: str, values: Mapping[str, object] | Callable[[str], str | None]) -> str:
    """``text`` with each placeholder replaced by its value; an unknown one stays as written.

    ``values``: a mapping of names to values, or a function giving a name's value (None:
    leave the placeholder)."""
    if "{" not in text:  # most scenario text has no placeholder
        return str(text)  # a plain str, as the substitution gives (events hold plain text)
    lookup = values if callable(values) else values.get

    def replace(match: re.Match[str]) -> str:
        value = lookup(match.group(1))
        return match.group(0) if value is None else str(value)

    return PLACEHOLDER.sub(replace, text)
