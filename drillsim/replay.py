"""Replay: feed a journal's inputs back to a fresh engine and check every engine event.

The inputs (updates, choices, actions, notes, the facilitator's clock moves, an early end)
go in at their recorded times, with the header's seed and the recorded variable values
(never re-drawn, so another Faker cannot change them). The engine must then write every
event of the journal again, identical and in order: the first difference is reported.
"""

from __future__ import annotations

from drillsim.engine.actions import ActionRejected
from drillsim.engine.drill import Drill
from drillsim.engine.events import DrillStarted, Event, without_wall
from drillsim.scenario.model import Scenario


def first_difference(
    scenario: Scenario,
    events: list[Event],
    lines: list[int],
    *,
    finished: bool,
    clock_until: float | None = None,
) -> str | None:
    """Why the events could not have come from ``scenario`` with their own inputs, or None.

    ``finished``: the run reached its end; otherwise the journal may stop anywhere, and
    the engine's events need only begin with the journal's, except that every event due by
    ``clock_until`` (the live clock's last mark, written after all events up to it) must be
    there.
    """
    start = events[0]
    if not isinstance(start, DrillStarted):
        return f"line {lines[0]}: the run does not start with drill_started"
    drill = Drill(
        scenario,
        start.seed,
        speed=start.speed,
        length=start.length,
        variables=dict(start.variables),
    )
    for event, line in zip(events, lines, strict=True):
        if not event.is_input:
            continue
        try:
            drill.apply(without_wall(event))
        except ActionRejected as error:
            return f"line {line}: {event.kind} at T+{event.t:g}s could not have happened ({error})"
    if finished and not drill.ended:
        drill.advance_to(drill.length)
    elif not finished:
        drill.advance_to(max(events[-1].t, clock_until or 0.0))
    made = drill.events
    for index, (recorded, line) in enumerate(zip(events, lines, strict=True)):
        if index >= len(made):
            return f"line {line}: the engine would have stopped before this {recorded.kind}"
        expected = made[index]
        if without_wall(recorded) != expected:
            return (
                f"line {line}: the journal has {_brief(recorded)}, "
                f"the engine makes {_brief(expected)}"
            )
    extra = made[len(events) :]
    if finished and extra:
        return f"the engine makes {_brief(extra[0])} after the journal's last line"
    if not finished and clock_until is not None:
        missing = next((event for event in extra if event.t <= clock_until), None)
        if missing is not None:
            return (
                f"the engine makes {_brief(missing)} before the clock mark at "
                f"T+{clock_until:g}s, and the journal lacks it"
            )
    return None


def _brief(event: Event) -> str:
    fields = {
        name: getattr(event, name)
        for name in event.__struct_fields__
        if name not in ("seq", "wall", "variables", "text", "sender", "subject")
    }
    shown = ", ".join(f"{name}={value!r}" for name, value in fields.items())
    return f"{event.kind} ({shown})"
