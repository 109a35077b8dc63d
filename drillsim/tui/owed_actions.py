"""What the feed says about expected actions (format 2): when one becomes owed, and when
its deadline passes with it not taken.

Read from the players' view of the drill (:func:`drillsim.engine.view.expected_by`, what the
action catalogue shows), never from hidden state; the journal and the scores do not change.
"""

from __future__ import annotations

from collections.abc import Callable

from drillsim.durations import format_minute
from drillsim.engine.drill import Drill
from drillsim.engine.view import expected_by
from drillsim.tui.narration import Notice


class OwedActions:
    """Tells each expected action once as owed and once as overdue, as the clock passes."""

    def __init__(self, drill: Drill, render: Callable[[str], str]) -> None:
        self.drill = drill
        self.render = render
        self._expected = tuple(a for a in drill.scenario.actions if a.expected is not None)
        self._resolvers = {i.id for i in drill.scenario.injects if i.resolves}
        self._told: dict[str, float] = {}
        """Expected action -> the deadline the feed told the team."""
        self._overdue: set[str] = set()

    def deadlines(self) -> list[float]:
        """The deadline of each expected action owed now and not yet taken: a skip stops
        a minute before each still ahead, as before an update falling due."""
        found = (expected_by(self.drill, action) for action in self._expected)
        return [deadline for deadline in found if deadline is not None]

    def notices(self) -> list[Notice]:
        """The lines due in the feed since the last call."""
        drill, found = self.drill, []
        now = drill.now
        over = bool(self._resolvers & drill.delivered.keys())  # the team was told it is over
        for action in self._expected:
            deadline = expected_by(drill, action)
            if deadline is None:
                continue  # not owed, or taken
            # The label is rendered only for a line to say, not on every tick.
            if self._told.get(action.id) != deadline:
                self._told[action.id] = deadline
                if deadline >= now:
                    label = self.render(action.label)
                    found.append(
                        Notice(now, f"Expected of you: {label} by {format_minute(deadline)}")
                    )
            if now > deadline and not over and action.id not in self._overdue:
                self._overdue.add(action.id)
                label = self.render(action.label)
                found.append(
                    Notice(
                        now,
                        f"✗ Overdue: {label} was expected by {format_minute(deadline)} "
                        "(press a to take it now)",
                    )
                )
        return found
