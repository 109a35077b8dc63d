"""A live run's journal that the history follows: the run's lock is held and its row says
*running* from the first line, and the row is scored when the journal closes.

The journal stays the truth: when the history cannot be written (damaged, busy), the run
is still journaled in full, the problem is kept in ``problems`` for the screen to show,
and ``drillsim runs --reindex`` picks the run up later.

When the journal itself cannot be written mid-run (the disk fills, the folder turns
read-only), nothing is lost and nothing is raised: every line is also kept in memory, the
whole journal so far is written again as an emergency copy in the first writable folder
of :func:`emergency_folders`, the run goes on there, and ``on_fault`` is told (the screen
pauses the drill and shows the :class:`JournalFault`).
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from drillsim.journal import Header, Journal, JournalWriter
from drillsim.store import StoreError
from drillsim.store.database import Database
from drillsim.store.locks import RunLock
from drillsim.store.runs import check_room, index_journal, open_history, started_record

EMERGENCY_FOLDER = "drillsim-emergency"
"""The folder an emergency copy goes in, inside the first writable of emergency_folders()."""


def emergency_folders() -> list[Path]:
    """Where an emergency copy may go, in order: the system's temporary folder, the home
    folder, the current folder (any of them may be on another disk than the data folder)."""
    return [Path(tempfile.gettempdir()), Path.home(), Path.cwd()]


@dataclass(frozen=True, slots=True)
class JournalFault:
    """The run's journal could not be written: where, why, and where the run went on."""

    journal: Path
    reason: str
    emergency: Path | None
    """The emergency copy the run goes on in; None: it is kept in memory only."""

    @property
    def message(self) -> str:
        failed = f"The run's journal could not be written ({self.reason}):\n  {self.journal}\n"
        if self.emergency is None:
            return (
                f"{failed}No folder could take an emergency copy either, so the run is kept in "
                "memory only: the debrief will still score it, but it will not be kept."
            )
        return (
            f"{failed}Nothing the team did is lost: it is kept in memory and in this emergency "
            f"copy, where the run goes on being written:\n  {self.emergency}\n"
            "Once the data folder has room again (or is writable), move the copy back in place "
            "of the journal, then run drillsim runs --reindex."
        )


class TrackedJournal(JournalWriter):
    """A :class:`JournalWriter` whose run is locked while it is written and indexed in the
    history. Raises StoreError before anything is written when the folder cannot take a run
    (read-only, full)."""

    def __init__(
        self,
        path: str | Path,
        header: Header,
        key: bytes | None,
        *,
        going_on: Journal | None = None,
    ) -> None:
        """``going_on``: a resumed run's journal as read, appended to (see JournalWriter);
        StoreError if another process holds its lock (it is still being played)."""
        path = Path(path)
        check_room(path.parent)
        self.problems: list[str] = []
        """What could not be written to the history (the journal has it all)."""
        self.kept: list[bytes] = []
        """Every line written, in order: what a fault's emergency copy is made from."""
        self.fault: JournalFault | None = None
        """The last write failure, if any (the run went on in ``fault.emergency``)."""
        self.on_fault: Callable[[JournalFault], None] | None = None
        """Told of each write failure, once the run has gone on elsewhere (the screen)."""
        self._tried: set[Path] = set()
        self._started = False  # a failure while starting is refused, not failed over
        self.lock = RunLock(path)
        if going_on is not None and not self.lock.acquire():
            raise StoreError(
                f"{path}: the run is still being played by another drillsim (it holds the "
                "run's lock); go on there, or close that one and resume again"
            )
        try:
            super().__init__(path, header, key, going_on=going_on)
        except OSError as error:
            self.lock.release()
            raise StoreError(
                f"cannot start the run's journal {path} ({error.strerror}); pass --data-dir "
                "for another folder",
                2,
            ) from None
        self._started = True
        if going_on is not None:  # the lines already there belong in an emergency copy too
            self.kept.append(self.path.read_bytes())
        if not self.lock.acquire():  # a fresh file: only a stray process could hold it
            self.problems.append(f"{self.path}: another process holds this run's lock")
        self._keep(lambda database: database.put(started_record(header, self.path)))

    def close(self) -> None:
        """Close the journal (sealed if the run ended), score its row, let the lock go."""
        was_open = not self.closed
        try:
            super().close()
        except OSError as error:  # the last buffered bytes did not go: the copy has them all
            self._fail_over(error)
            handle, self._handle = self._handle, None
            if handle is not None:
                handle.close()
        if was_open:
            if self.fault is not None and self.fault.emergency is None:
                self.problems.append(f"{self.path}: the run was kept in memory only")
            else:
                self._keep(lambda database: index_journal(database, self.path, running=False))
        self.lock.release()

    def _write(self, line: bytes) -> None:
        if not self._started:
            super()._write(line)
            self.kept.append(line)
            return
        if self.closed:
            raise ValueError("the journal is closed")
        self.kept.append(line)
        if self.fault is not None and self.fault.emergency is None:
            return  # memory only
        try:
            super()._write(line)
        except OSError as error:
            self._fail_over(error)

    def _fail_over(self, error: OSError) -> None:
        """Write everything so far again as an emergency copy and go on there (else in
        memory only), then tell ``on_fault``."""
        failed = self.path
        self._tried.add(failed.parent)
        handle = self._handle
        self._handle = None
        if handle is not None:
            with suppress(OSError):  # its unwritten bytes are in self.kept
                handle.close()
        emergency = self._emergency_copy(failed.name)
        if emergency is None:
            self._handle = io.BytesIO()  # closes like a file; nothing is written to it
        else:
            self.path = emergency
        self.fault = JournalFault(failed, error.strerror or str(error), emergency)
        if self.on_fault is not None:
            self.on_fault(self.fault)

    def _emergency_copy(self, name: str) -> Path | None:
        """The journal so far, written whole in the first folder that takes it (named as
        the journal, so the run's lock and id stay the same), opened to go on; None if none
        does."""
        whole = b"".join(self.kept)
        for base in emergency_folders():
            folder = base / EMERGENCY_FOLDER
            if folder in self._tried:
                continue
            self._tried.add(folder)
            copy = folder / name
            try:
                folder.mkdir(parents=True, exist_ok=True)
                handle = copy.open("wb")
            except OSError:
                continue
            try:
                handle.write(whole)
                handle.flush()
                os.fsync(handle.fileno())
            except OSError:
                with suppress(OSError):
                    handle.close()
                continue
            self._handle = handle
            return copy
        return None

    def _keep(self, write: Callable[[Database], object]) -> None:
        try:
            with open_history() as database:
                write(database)
        except StoreError as error:
            self.problems.append(error.message)


def reopen(journal: Journal) -> TrackedJournal:
    """An interrupted run's journal as read, opened to go on: its lock taken (StoreError if
    another process holds it), back in the history as running, scored again when it ends."""
    from drillsim.journal import installation_key
    from drillsim.paths import data_dir

    key = installation_key(data_dir(), create=True)
    return TrackedJournal(journal.path, journal.header, key, going_on=journal)
