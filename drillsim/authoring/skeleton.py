"""A new scenario file: the commented template (or a copy of a scenario) under a new id.

The text is copied as written, comments kept; only the top-level ``id`` changes, and the
first line becomes a yaml-language-server modeline naming the JSON Schema beside the file,
so editors complete and check it.
"""

from __future__ import annotations

import re
from pathlib import Path

SCHEMA_FILE = "scenario.schema.json"
MODELINE = f"# yaml-language-server: $schema={SCHEMA_FILE}"
_MODELINE = re.compile(r"\A#\s*yaml-language-server:[^\n]*\n?")
_ID_LINE = re.compile(r"^id:[ \t]*(\"[^\"\n]*\"|'[^'\n]*'|[^\s#]+)", re.MULTILINE)


def template_path() -> Path:
    """The commented template a new scenario starts from (shipped with the library)."""
    from drillsim.library import bundled_dir

    return bundled_dir() / "template" / "scenario.yaml"


def renamed(text: str, scenario_id: str) -> str:
    """``text`` with the modeline first and its top-level ``id`` set to ``scenario_id``.

    Raises ValueError when the text has no top-level ``id:`` line to change."""
    found = _ID_LINE.search(text)
    if found is None:
        raise ValueError("no top-level 'id:' line")
    text = text[: found.start(1)] + scenario_id + text[found.end(1) :]
    return f"{MODELINE}\n{_MODELINE.sub('', text, count=1)}"
