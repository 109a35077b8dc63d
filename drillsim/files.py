"""Reading the files a user names: scenarios and journals, from disk or from a pipe.

Stdlib only: the validate path imports this and must start fast.
"""

from __future__ import annotations

import os
import stat

CHUNK = 1024 * 1024


class NotAFile(Exception):
    """The path names a directory or a device: nothing drillsim can read as a file."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def not_a_plain_file(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` cannot be read as a file, or None: a regular file, a pipe (``<(cat x)``,
    ``/dev/stdin`` fed by a pipe) or a missing path, which open() reports in its own words.

    Devices are refused: /dev/zero never ends, and a terminal would wait for typing.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISFIFO(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    return "is not a regular file"


def open_for_reading(path: str | os.PathLike[str]) -> int:
    """A descriptor for reading ``path``, opened without waiting for a pipe's writer (with
    nobody writing, a pipe reads as empty rather than hanging). Raises NotAFile for
    directories and devices, OSError otherwise."""
    reason = not_a_plain_file(path)
    if reason is not None:
        raise NotAFile(reason)
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    os.set_blocking(descriptor, True)  # a writer that shows up later is waited for
    return descriptor


def read_at_most(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of ``path``, stopping after ``limit + 1`` so a caller can tell "too large".

    A named pipe opens without waiting for a writer: with nobody writing it reads as empty
    rather than hanging. Raises NotAFile for directories and devices, OSError otherwise.
    """
    with open(open_for_reading(path), "rb", buffering=0) as handle:
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = handle.read(min(CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    return b"".join(chunks)
