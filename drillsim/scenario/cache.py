"""Validated scenarios remembered between runs, so starting a drill skips parsing and
checking a text that was validated before.

An entry holds the scenario's plain data, keyed by the sha256 of the file's text and by the
drillsim version that validated it: an edit always misses, whatever it keeps of the file's
size or time. It is JSON (never pickle), lives under the data folder, and is only ever a
shortcut: a missing or unreadable entry means the text is checked in full.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from drillsim import __version__

CACHE_FORMAT = 2


def _entry_path(sha256: str) -> Path:
    from drillsim.paths import data_dir

    return data_dir() / "cache" / "scenarios" / f"{sha256}.json"


def recall(sha256: str) -> object | None:
    """The cached data of a text validated before by this drillsim version, if any."""
    try:
        entry = json.loads(_entry_path(sha256).read_text(encoding="utf-8"))
        if entry.get("format") != CACHE_FORMAT or entry.get("drillsim") != __version__:
            return None
        if entry.get("sha256") != sha256:
            return None
        data: object = entry["data"]
        return data
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def remember(sha256: str, data: object) -> None:
    """Remember validated data; a cache that cannot be written is silently skipped."""
    try:
        target = _entry_path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        entry = {"format": CACHE_FORMAT, "drillsim": __version__, "sha256": sha256, "data": data}
        temporary = target.with_name(target.name + f".{os.getpid()}.part")
        temporary.write_text(json.dumps(entry), encoding="utf-8")
        os.replace(temporary, target)
    except (OSError, TypeError, ValueError):
        return
