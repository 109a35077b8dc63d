"""A live run's journal that the history follows: the run's lock is held and its row says
*running* from the first line, and the row is scored when the journal closes.

The journal stays the truth: when the history cannot be written (damaged, busy), the run
is still journaled in full, the problem is kept in ``problems`` for the screen to show,
and ``drillsim runs --reindex`` picks the run up later.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from drillsim.journal import Header, Journal, JournalWriter
from drillsim.store import StoreError
from drillsim.store.database import Database
from drillsim.store.locks import RunLock
from drillsim.store.runs import check_room, index_journal, open_history, started_record


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
        if not self.lock.acquire():  # a fresh file: only a stray process could hold it
            self.problems.append(f"{self.path}: another process holds this run's lock")
        self._keep(lambda database: database.put(started_record(header, self.path)))

    def close(self) -> None:
        """Close the journal (sealed if the run ended), score its row, let the lock go."""
        was_open = not self.closed
        super().close()
        if was_open:
            self._keep(lambda database: index_journal(database, self.path, running=False))
        self.lock.release()

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
