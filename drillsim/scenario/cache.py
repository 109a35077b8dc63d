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

from drillsim import __version__

CACHE_FORMAT = 2


def _entry_path(sha256: str) -> str:
    from drillsim.paths import data_dir_text

    return os.path.join(data_dir_text(), "cache", "scenarios", f"{sha256}.json")


def _entry(sha256: str) -> dict[str, object] | None:
    """The entry of a text validated before by this drillsim version, if any."""
    try:
        with open(_entry_path(sha256), encoding="utf-8") as handle:
            entry: object = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or "data" not in entry:
        return None
    if entry.get("format") != CACHE_FORMAT or entry.get("drillsim") != __version__:
        return None
    return entry if entry.get("sha256") == sha256 else None


def recall(sha256: str) -> object | None:
    """The cached data of a text validated before by this drillsim version, if any."""
    entry = _entry(sha256)
    return entry["data"] if entry is not None else None


def was_clean(sha256: str) -> bool:
    """Whether this drillsim version validated the text before and found no problem at all,
    not even a warning (``drillsim validate`` then has nothing to say of it)."""
    entry = _entry(sha256)
    return entry is not None and entry.get("clean") is True


def remember(sha256: str, data: object, *, clean: bool) -> None:
    """Remember validated data, and whether the text had no problem at all (``clean``); a
    cache that cannot be written is silently skipped."""
    try:
        target = _entry_path(sha256)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        entry = {
            "format": CACHE_FORMAT,
            "drillsim": __version__,
            "sha256": sha256,
            "clean": clean,
            "data": data,
        }
        temporary = f"{target}.{os.getpid()}.part"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(entry))
        os.replace(temporary, target)
    except (OSError, TypeError, ValueError):
        return
