"""Validated scenarios remembered between runs, so starting a drill skips parsing and
checking a text that was validated before.

An entry holds the scenario's plain data, keyed by the sha256 of the file's text and by the
drillsim version that validated it: an edit always misses, whatever it keeps of the file's
size or time. It is JSON (never pickle), lives under the data folder, and is only ever a
shortcut: a missing or unreadable entry means the text is checked in full.
"""

from __future__ import annotations

import os

from drillsim import __version__

CACHE_FORMAT = 2


def _entry_path(sha256: str) -> str:
    from drillsim.paths import data_dir_text

    return os.path.join(data_dir_text(), "cache", "scenarios", f"{sha256}.json")


def _entry(sha256: str) -> dict[str, object] | None:
    """The entry of a text validated before by this drillsim version, if any."""
    import json  # not at module level: `drillsim validate` reads only clean marks

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


def remember(sha256: str, data: object) -> None:
    """Remember validated data; a cache that cannot be written is silently skipped."""
    import json

    try:
        target = _entry_path(sha256)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        entry = {"format": CACHE_FORMAT, "drillsim": __version__, "sha256": sha256, "data": data}
        _write(target, json.dumps(entry))
    except (OSError, TypeError, ValueError):
        return


def _clean_path(sha256: str) -> str:
    from drillsim.paths import data_dir_text

    return os.path.join(data_dir_text(), "cache", "scenarios", f"{sha256}.clean")


_CLEAN = f"format {CACHE_FORMAT}, drillsim {__version__}: no problem\n"
"""What a clean mark holds: a mark another drillsim version left is no answer."""


def was_clean(sha256: str) -> bool:
    """Whether this drillsim version checked the text before and found no problem at all,
    not even a warning (``drillsim validate`` then has nothing to say of it). A small mark
    file answers, so the answer needs neither json nor the scenario's data."""
    try:
        with open(_clean_path(sha256), encoding="utf-8") as handle:
            return handle.read() == _CLEAN
    except (OSError, ValueError):
        return False


def remember_clean(sha256: str) -> None:
    """Mark the text as free of any problem for this drillsim version (skipped silently when
    the cache cannot be written)."""
    try:
        target = _clean_path(sha256)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        _write(target, _CLEAN)
    except OSError:
        return


def _write(target: str, text: str) -> None:
    """Write a cache file whole (a reader never sees half of one)."""
    temporary = f"{target}.{os.getpid()}.part"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, target)


def text_sha256(text: str) -> str:
    """The sha256 of a scenario text (its cache key), from the interpreter's own SHA-256
    where it has one: hashlib's OpenSSL start-up costs ``drillsim validate`` milliseconds."""
    for name in ("_sha2", "_sha256"):  # CPython 3.12+, then 3.11
        try:  # __import__, not importlib (which imports warnings): both are top-level names
            sha256 = __import__(name).sha256
            break
        except (ImportError, AttributeError):
            continue
    else:
        from hashlib import sha256
    digest: str = sha256(text.encode("utf-8")).hexdigest()
    return digest
