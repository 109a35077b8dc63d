"""Expected actions missed: proportion both ways.

A catalogue action marked ``expected`` (format 2) is owed from the first moment its ``when``
condition holds (T+0, while the incident is open, without one) and due ``within`` after
that. Taken by then (at any time, even before it was owed), it earns nothing extra; missed,
it costs restraint. It is no longer owed when its condition stops holding before the
deadline (the outage ends first, say), until it holds again: then it is owed afresh, due
``within`` after that. A deadline the clock's end of play came before is not judged; one
the team ended a complete run before is (it is missed unless taken by then).
Everything is read from the run's journal, through the timeline.
"""

from __future__ import annotations

import math

from drillsim.durations import format_minute as minute
from drillsim.durations import format_span
from drillsim.scenario.conditions import Not
from drillsim.scenario.model import Action
from drillsim.timegrid import on_grid
from scoring.card import Deduction
from scoring.timeline import Timeline


def owed_deadline(timeline: Timeline, action: Action) -> tuple[float, float] | None:
    """When ``action`` became owed and its deadline, for an expected action whose deadline
    came in play with its condition still holding; None when it was never owed then."""
    expected = action.expected
    if expected is None:
        return None
    condition = expected.owed_while
    lapsed = Not(negated=condition)
    start = timeline.first_holding(condition, 0.0, timeline.end)
    # A complete run the team ended before a deadline (after the outage) does not escape it:
    # what was owed and not taken by then is missed, as a closing word is. Only the clock's
    # end leaves a deadline unjudged.
    judged_to = timeline.end if timeline.ended_by == "time" or timeline.partial else math.inf
    while start is not None:
        deadline = on_grid(start + float(expected.within))
        if deadline >= judged_to:
            return None
        stopped = timeline.first_holding(lapsed, start, min(deadline, timeline.end))
        if stopped is None:
            return start, deadline
        # It stopped holding before the deadline: no longer owed, until it holds again (a
        # condition that comes and goes, such as a silence broken once, owes it afresh).
        again = timeline.first_holding(condition, stopped, timeline.end)
        start = again if again is not None and again > start else None
    return None


def missed_actions(timeline: Timeline) -> list[tuple[str, float, Deduction]]:
    """Each expected action not taken by its deadline: (offence key, weight, deduction)."""
    found = []
    for action in timeline.scenario.actions:
        expected = action.expected
        if expected is None or expected.penalty <= 0:
            continue
        owed = owed_deadline(timeline, action)
        if owed is None:
            continue
        start, deadline = owed
        taken = timeline.first_taken(action.id)
        if taken is not None and taken <= deadline:
            continue
        label = timeline.render(action.label)
        why = timeline.render(expected.deduction) if expected.deduction else ""
        outcome = "came late" if taken is not None else "never came"
        if deadline >= timeline.end:
            outcome = f"the drill was ended at {minute(timeline.end)} without it"
        reason = (
            f"{label} was expected by {minute(deadline)}, {format_span(deadline - start)} "
            f"after it was owed, and {outcome}"
        )
        found.append(
            (
                f"missed:{action.id}",
                float(expected.penalty),
                Deduction(
                    "restraint",
                    0.0,
                    f"{reason}: {why}" if why else reason,
                    start=start,
                    end=deadline,
                    action=action.id,
                ),
            )
        )
    return found
