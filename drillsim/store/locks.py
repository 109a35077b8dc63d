"""A run's lock file: held by the process playing the run, so others can tell running from
interrupted. The operating system drops the lock when that process dies, however it dies.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import IO


def lock_path(journal: Path) -> Path:
    """The lock file of the run journaled in ``journal``: in the data folder's ``locks``
    folder (never among the journals), named after the journal."""
    from drillsim.paths import data_dir

    return data_dir() / "locks" / f"{journal.stem}.lock"


class RunLock:
    """An exclusive, non-blocking lock on a run: ``acquire`` says whether this process got it."""

    def __init__(self, journal: Path) -> None:
        self.path = lock_path(journal)
        self._handle: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        """This process holds the lock."""
        return self._handle is not None

    def acquire(self) -> bool:
        """Take the lock; False when another process (or another RunLock) holds it."""
        if self._handle is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("ab")
        if not _try_lock(handle):
            handle.close()
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        """Let the lock go and remove the lock file (a file left behind locks nothing)."""
        handle, self._handle = self._handle, None
        if handle is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
        handle.close()


def is_locked(journal: Path) -> bool:
    """Some process (this one included) holds the lock of the run journaled in ``journal``."""
    path = lock_path(journal)
    try:
        handle = path.open("rb")
    except OSError:
        return False  # no lock file: nobody ever locked it, or the holder let it go
    with handle:
        if _try_lock(handle):
            _unlock(handle)
            return False
        return True


if sys.platform == "win32":  # pragma: no cover - the tests run on POSIX
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        # flock, not lockf: a second open of the file in the same process conflicts too,
        # so a screen listing runs sees its own process's live run as running.
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
