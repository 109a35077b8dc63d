"""The run history: every played and saved run, indexed in SQLite next to its journal.

The journals stay the truth; the database (:mod:`drillsim.store.database`) is an index that
``drillsim runs --reindex`` rebuilds from them. :mod:`drillsim.store.runs` is what the
commands and the TUI use: open the history, index a journal, follow a live run, resolve a
RUN reference (a full id, a unique prefix, a journal path, or ``latest``). The store never
imports textual or rich.
"""

from __future__ import annotations


class StoreError(Exception):
    """The history or the data folder cannot be used; the message says what to do.

    ``exit_code``: 1 for a bad reference or a damaged history, 2 for a folder or file that
    cannot be read or written (the command line's convention).
    """

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
