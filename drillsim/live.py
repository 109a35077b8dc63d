"""A drill played on the live clock, journaled as it goes: every event on disk the moment
the engine makes it, and a clock mark at least once an exercise minute, so a run killed at
any moment keeps everything up to within a minute of the kill. The TUI drives it; so can
anything else that plays in real time. No UI here.
"""

from __future__ import annotations

from datetime import UTC, datetime

from drillsim.engine.drill import Drill
from drillsim.engine.events import Event
from drillsim.journal import JournalWriter

CLOCK_MARK_EVERY = 60.0
"""Exercise seconds between clock marks while the clock runs."""


def wall_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class LiveRecorder:
    """Polls a clocked drill and journals what comes out; the journal may be None (tests)."""

    def __init__(self, drill: Drill, journal: JournalWriter | None) -> None:
        self.drill = drill
        self.journal = journal

    def poll(self) -> list[Event]:
        """Advance the drill to its clock; journal and return every new event."""
        fresh = self.drill.poll()
        journal = self.journal
        if journal is not None:
            if fresh:
                wall = wall_now()
                for event in fresh:
                    journal.append(event, wall=wall)
            if not self.drill.paused and not self.drill.ended:
                journal.clock(self.drill.now, every=CLOCK_MARK_EVERY)
        return fresh

    def close(self) -> None:
        """Write what is left and close the journal, sealed if the drill ended."""
        self.poll()
        if self.journal is not None:
            if self.drill.ended:
                self.journal.ended()
            self.journal.close()
