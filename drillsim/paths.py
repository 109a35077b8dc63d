"""Where drillsim keeps its files: one seam, so tests can point it at a temporary folder.

Nothing is created at import time; folders are made when something is written.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

HOME_VARIABLE = "DRILLSIM_HOME"


def data_dir() -> Path:
    """``$DRILLSIM_HOME``, else ``$XDG_DATA_HOME/drillsim``, else ``~/.local/share/drillsim``."""
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "drillsim"


def runs_dir() -> Path:
    """Folder of played runs' journals (created on first use)."""
    folder = data_dir() / "runs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


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
