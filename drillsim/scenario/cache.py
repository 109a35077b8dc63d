"""Validated scenarios remembered between runs, so starting a drill skips parsing and
checking a file that has not changed since it was last loaded.

An entry holds the file's plain data and sha256, keyed by its path, size and modification
time and by the drillsim version that validated it. It is JSON (never pickle), lives under
the data folder, and is only ever a shortcut: a missing, stale or unreadable entry means
the file is loaded and checked in full.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from stat import S_ISREG

from drillsim import __version__

CACHE_FORMAT = 1


def _entry_path(path: Path) -> Path:
    from drillsim.paths import data_dir

    resolved = str(path.resolve())
    name = f"{path.stem}-{zlib.crc32(resolved.encode()):08x}.json"
    return data_dir() / "cache" / "scenarios" / name


def _signature(path: Path) -> dict[str, object]:
    """What must be unchanged for a cache entry to hold; OSError for what is not a regular
    file (a pipe's size and time say nothing about what comes through it)."""
    stat = path.stat()
    if not S_ISREG(stat.st_mode):
        raise OSError(f"{path} is not a regular file")
    return {
        "format": CACHE_FORMAT,
        "drillsim": __version__,
        "path": str(path.resolve()),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
    }


def recall(path: str | os.PathLike[str]) -> tuple[object, str] | None:
    """The cached (data, sha256) of an unchanged, previously validated file, if any."""
    try:
        file = Path(path)
        entry = json.loads(_entry_path(file).read_text(encoding="utf-8"))
        if entry.get("signature") != _signature(file):
            return None
        return entry["data"], str(entry["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(path: str | os.PathLike[str], data: object, sha256: str) -> None:
    """Remember a validated file; a cache that cannot be written is silently skipped."""
    try:
        file = Path(path)
        target = _entry_path(file)
        target.parent.mkdir(parents=True, exist_ok=True)
        entry = {"signature": _signature(file), "sha256": sha256, "data": data}
        temporary = target.with_name(target.name + f".{os.getpid()}.part")
        temporary.write_text(json.dumps(entry), encoding="utf-8")
        os.replace(temporary, target)
    except (OSError, TypeError, ValueError):
        return
