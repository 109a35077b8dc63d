"""Resuming an interrupted run: its journal read and replayed into a live drill that goes on
exactly where the run stopped, clock paused until the facilitator resumes (docs/reports.md).

Only a run that stopped without an end (a crash, a kill, a closed terminal) is resumable: a
finished run, or one ended early on purpose (partial), is not. A journal that does not
replay (edited, first format, another engine) is not resumed, and the reason is given.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from drillsim.durations import format_minute
from drillsim.engine.clock import Clock, ExerciseClock
from drillsim.engine.drill import Drill
from drillsim.engine.events import (
    FACILITATOR_KINDS,
    DrillEnded,
    DrillStarted,
    Event,
    without_wall,
)
from drillsim.journal import JournalWriter
from drillsim.live import LiveRecorder, play_live
from drillsim.recorded import RecordedRun, RunRefused, open_run
from drillsim.script import Script, ScriptedRun, ScriptPlayer, team_inputs


class NotResumable(Exception):
    """The run cannot be resumed; the message says why and what can be done instead."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


@dataclass(slots=True)
class ResumedRun:
    """An interrupted run, replayed: the drill holds every event of the journal (``history``,
    already journaled), then any it made at the moment the run stopped that the run had no
    time to journal (the drill's fresh events, journaled first when it goes on). On a live
    clock it is paused, its ``paused`` event fresh too; headless (a script goes on), it
    stands where the run stopped."""

    recorded: RecordedRun
    drill: Drill
    history: list[Event]

    @property
    def stopped_at(self) -> float:
        return self.drill.now


def open_interrupted(path: str | os.PathLike[str], clock: Clock | None) -> ResumedRun:
    """Replay the interrupted run in ``path``, to go on with ``clock`` (None: headless);
    NotResumable says why it cannot be."""
    from drillsim.engine import ENGINE_VERSION

    shown = os.fspath(path)
    try:
        recorded = open_run(path, partial=True)
    except RunRefused as error:
        raise NotResumable(f"not resumed: {error}", error.exit_code) from None
    journal = recorded.journal
    header = journal.header
    if journal.finished:
        end = journal.events[-1]
        assert isinstance(end, DrillEnded)  # what a finished journal ends with
        why = "it finished" if not _partial(recorded) else "it was ended early on purpose"
        how = "time was up" if end.reason == "time" else f"by the {end.reason}"
        raise NotResumable(
            f"{shown}: not resumable: {why} ({how} at {format_minute(end.t)}); "
            "drillsim report or drillsim score it, or play it again"
        )
    if journal.seal == "unverified":
        raise NotResumable(
            f"{shown}: not resumable: a first-format journal cannot be replayed; "
            "score it with drillsim score --partial"
        )
    if header.versions.engine != ENGINE_VERSION:
        raise NotResumable(
            f"{shown}: not resumable: recorded by engine {header.versions.engine}, this "
            f"drillsim runs engine {ENGINE_VERSION}, so it cannot be replayed; resume it with "
            f"the drillsim that recorded it ({header.versions.drillsim or 'unknown'})"
        )
    start = journal.events[0]
    assert isinstance(start, DrillStarted)  # the reader refuses a journal that does not start
    drill = Drill(
        recorded.scenario,
        start.seed,
        clock=clock,
        speed=start.speed,
        length=start.length,
        variables=dict(start.variables),
    )
    for event in journal.events:
        if event.is_input:
            drill.apply(without_wall(event))  # open_run replayed the same inputs already
    drill.advance_to(max(journal.events[-1].t, journal.clock_until or 0.0))
    count = len(journal.events)
    if drill.events[:count] != [without_wall(event) for event in journal.events]:
        raise NotResumable(  # open_run's replay would have marked it edited
            f"{shown}: not resumed: replay does not give the journal's events"
        )
    # Events due at the moment it stopped that the run had no time to journal are made
    # again, and journaled first when it goes on.
    history = drill.drain(count)
    if clock is not None and not drill.ended:  # killed as it ended: the end is still fresh
        drill.hold_after_replay()
    return ResumedRun(recorded, drill, history)


def _partial(recorded: RecordedRun) -> bool:
    """Ended while the outage was still on (end or quit before it ended)."""
    from drillsim.engine.events import IncidentResolved

    return not any(isinstance(event, IncidentResolved) for event in recorded.journal.events)


def catch_up(script: Script, resumed: ResumedRun) -> ScriptPlayer:
    """The script going on from where the resumed run stopped: played headless on a fresh
    drill up to that moment, its team inputs checked against the journal's, then handed the
    resumed drill with the steps still to take (those in the journal are not taken again)."""
    journal = resumed.recorded.journal
    start = journal.events[0]
    assert isinstance(start, DrillStarted)
    shadow = ScriptPlayer(
        script,
        Drill(
            resumed.recorded.scenario,
            start.seed,
            speed=start.speed,
            length=start.length,
            variables=dict(start.variables),
        ),
    )
    recorded = [event for event in journal.events if _team_input(event)]
    shadow.play_until(resumed.stopped_at, inputs=len(recorded))
    made = [event for event in shadow.drill.events if _team_input(event)]
    for index in range(max(len(made), len(recorded))):
        ours = made[index] if index < len(made) else None
        theirs = recorded[index] if index < len(recorded) else None
        if ours is None or theirs is None or _body(ours) != _body(theirs):
            line = journal.lines[journal.events.index(theirs)] if theirs is not None else None
            raise NotResumable(
                f"{journal.path}{f':{line}' if line else ''}: not resumed: the actions file "
                f"does not match the run ({_what(theirs)} in the journal, {_what(ours)} from "
                "the file); pass the actions file the run was started with"
            )
    assert team_inputs(shadow.drill) == len(recorded)
    return shadow.handed_to(resumed.drill)


def _team_input(event: Event) -> bool:
    return event.is_input and event.kind not in FACILITATOR_KINDS


def _body(event: Event) -> tuple[object, ...]:
    plain = without_wall(event)
    return tuple(getattr(plain, name) for name in plain.__struct_fields__ if name != "seq")


def _what(event: Event | None) -> str:
    return "nothing" if event is None else f"{event.kind} at T+{event.t:g}s"


def play_rest(
    player: ScriptPlayer,
    journal: JournalWriter | None,
    pace: ExerciseClock,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> ScriptedRun:
    """Play the rest of a resumed scripted run (``player`` from :func:`catch_up`) on the live
    clock ``pace``, from where the run stopped, appending to its journal; ScriptError if the
    drill refuses a step."""
    pace.jump_to(player.drill.now)
    play_live(player, LiveRecorder(player.drill, journal), pace, sleep=sleep)
    return player.finish()
