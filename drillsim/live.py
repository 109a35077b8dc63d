"""A drill played on the live clock, journaled as it goes: every event on disk the moment
the engine makes it, and a clock mark at least once an exercise minute, so a run killed at
any moment keeps everything up to within a minute of the kill. The TUI drives it; so can
anything else that plays in real time. No UI here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from drillsim.engine.clock import ExerciseClock
from drillsim.engine.drill import Drill
from drillsim.engine.events import Event
from drillsim.journal import JournalWriter
from drillsim.script import ScriptPlayer

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
        return self._journal(self.drill.poll())

    def flush(self) -> list[Event]:
        """Journal and return the events the drill made since, without moving its time (for
        a driver that advances the drill itself)."""
        return self._journal(self.drill.drain())

    def _journal(self, fresh: list[Event]) -> list[Event]:
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


SCRIPT_TICK = 0.02
"""Wall seconds between looks at the clock while a script plays live."""


def play_live(
    player: ScriptPlayer,
    recorder: LiveRecorder,
    pace: ExerciseClock,
    *,
    sleep: Callable[[float], None] = time.sleep,
    tick: float = SCRIPT_TICK,
) -> None:
    """Play a script on a headless drill in step with ``pace`` (the live clock) until the
    drill ends, journaling as it goes.

    Each step runs at its own due time (not when the clock was next read) and is journaled
    before the clock mark of any later moment, so a run killed at any point has journaled
    every step due before its last line, and the events are those the script makes headless.
    """
    drill = player.drill
    while not drill.ended:
        player.play_until(pace.elapsed())
        recorder.flush()
        if not drill.ended:
            sleep(tick)
    recorder.close()
