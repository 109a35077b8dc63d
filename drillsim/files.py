"""What kind of file a path names, checked before drillsim opens it (stdlib only: the
validate path imports this, and it must start fast)."""

from __future__ import annotations

import os
import stat


def not_a_plain_file(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` is not an ordinary file drillsim may read, or None (also when missing).

    Opening a FIFO blocks until someone writes to it and a device such as /dev/zero never
    ends, so both are refused before anything is opened.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # let the open() report what is wrong, with its own words
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    return "is not a regular file"
