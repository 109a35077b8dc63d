"""When a drill's conditions need evaluating again: a condition found false stays false
until the clock reaches a time that may flip it or something it reads changes.

The drill stamps every change of state that conditions read (a fact revealed, a choice, an
audience's last update...) with :meth:`ConditionWatch.touch`; the watch then skips the
conditions that cannot have changed, and after a sweep that found every condition false,
tells the drill when the next would find the same (:meth:`ConditionWatch.quiet`). It only
saves work: the answers are those of :func:`~drillsim.scenario.conditions.holds` and
:func:`~drillsim.scenario.conditions.next_change` (tests/test_engine_shortcuts.py).
"""

from __future__ import annotations

import math

from drillsim.engine.plan import Plan, Read
from drillsim.scenario.conditions import Condition, ConditionContext


class ConditionWatch:
    """The change stamps of one drill's state, and what they let it skip."""

    __slots__ = (
        "_context",
        "_due",
        "_false_until",
        "_plan",
        "_quiet",
        "_resolution",
        "_stamps",
        "_sweep",
        "_tick",
        "_touched",
        "_turning",
        "_turns",
    )

    def __init__(self, plan: Plan, context: ConditionContext, resolution: float) -> None:
        """``resolution``: when the hidden incident resolves (conditions on it may flip)."""
        self._plan = plan
        self._context = context
        self._resolution = resolution
        self._tick = 0
        self._stamps: dict[Read, int] = {}
        self._false_until: dict[int, tuple[float, int, tuple[Read, ...]]] = {}
        """Per condition found false: until when, the tick then, and what it reads that
        can make it hold."""
        self._due: dict[int, tuple[float, int]] = {}
        self._touched: set[Read] = set()
        self._turning = frozenset(read for reads in plan.turning.values() for read in reads)
        self._turns = 0
        """How many changes of state that can make some condition hold (see ``turning``)."""
        self._sweep: tuple[float, int] | None = None
        """The sweep under way: the soonest time a condition it found false may flip, and
        ``_turns`` when it began; None once one found a condition holding."""
        self._quiet: tuple[float, int] = (-math.inf, -1)
        """Left by the last sweep that found every condition false: until when, and at what
        ``_turns``, none of them can hold."""

    def touch(self, kind: str, name: str) -> None:
        """Stamp a change of state that conditions read (see :attr:`Plan.reads`)."""
        read = (kind, name)
        self._tick += 1
        self._stamps[read] = self._tick
        self._touched.add(read)
        if read in self._turning:
            self._turns += 1

    # A sweep is a drill asking :meth:`may_hold` of every condition it waits on (one settle).
    # One that finds them all false leaves the watch quiet: until the clock reaches the
    # soonest time one of them may flip, or something that can make one hold changes, the
    # next sweep would find the same, and the drill may skip it.
    def quiet(self, now: float) -> bool:
        """Whether a sweep at ``now`` would find every condition false, as the last did."""
        until, turns = self._quiet
        return now < until and turns == self._turns

    def begin_sweep(self) -> None:
        self._sweep = (math.inf, self._turns)

    def end_sweep(self, settled: bool) -> None:
        """``settled``: the drill changed nothing during the sweep."""
        self._quiet = self._sweep if settled and self._sweep is not None else (-math.inf, -1)
        self._sweep = None

    def unsettle(self) -> None:
        """The drill waits on a condition again (an audience affected both ways no longer
        is): the next sweep is not skipped."""
        self._quiet = (-math.inf, -1)

    def take_touched(self) -> set[Read]:
        """What changed since the last call (the drill's agenda moves what reads it)."""
        touched = self._touched
        if touched:
            self._touched = set()
        return touched

    def next_change(self, condition: Condition, now: float) -> float:
        """When the clock may next flip ``condition`` after ``now``; remembered until the
        clock gets there or something the condition reads changes."""
        key = id(condition)
        known = self._due.get(key)
        if known is not None and now < known[0]:
            stamps, tick = self._stamps, known[1]
            for read in self._plan.reads[key]:  # unchanged since (a loop: this is hot)
                if stamps.get(read, 0) > tick:
                    break
            else:
                return known[0]
        earliest = self._plan.earliest[key]
        due = earliest if earliest > now else self._plan.compiled[key][1](self._context, now)
        self._due[key] = (due, self._tick)
        return due

    def may_hold(self, condition: Condition, now: float) -> bool:
        """Whether ``condition`` holds at ``now``.

        A condition found false stays false until the clock reaches a time that may flip it
        (its next change, its earliest time, the hidden resolution) or something it reads
        changes; until then it is not evaluated again.
        """
        key = id(condition)
        known = self._false_until.get(key)
        if known is not None and now < known[0]:
            until, tick, turning = known
            stamps = self._stamps
            for read in turning:  # unchanged since (a loop: this is hot)
                if stamps.get(read, 0) > tick:
                    break
            else:
                self._note_false(until)
                return False
        if now >= self._plan.earliest[key] and self._plan.compiled[key][0](self._context, now):
            self._sweep = None
            return True
        until = self.next_change(condition, now) if self._plan.clocked[key] else math.inf
        if self._resolution > now:
            until = min(until, self._resolution)
        self._false_until[key] = (until, self._tick, self._plan.turning[key])
        self._note_false(until)
        return False

    def _note_false(self, until: float) -> None:
        """A condition found false until ``until``: the quiet the sweep under way leaves
        lasts no longer than that."""
        sweep = self._sweep
        if sweep is not None and until < sweep[0]:
            self._sweep = (until, sweep[1])
