"""How an impact stream loses over time (format 2): the rate its phases give at a moment, its
one-off losses, its recovery tail after the resolution, and the schedule of all three that the
plan-B model expects from a moment on.

One rule for the engine's meter, the plan-B model and the debrief: a phase's rate holds while
the incident is open and its condition holds (the first phase that holds wins, else the
stream's own ``rate``); a one-off loss counts at its moment if the incident is still open then
and its ``unless`` does not hold; recovery phases follow the resolution one after another and
no plan B cuts them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from drillsim.scenario.conditions import Condition, ConditionContext, holds, next_change
from drillsim.scenario.model import Scenario, Stream

TYPE_CHECKING = False
if TYPE_CHECKING:
    from drillsim.scenario.outage import Outage


def is_flat(stream: float | Stream) -> bool:
    """A stream with one rate from T+0 to the resolution and nothing else (all of format 1)."""
    return not isinstance(stream, Stream) or not (stream.phases or stream.once or stream.recovery)


def peak_rate(stream: float | Stream) -> float:
    """The highest loss per minute the stream runs at while the incident is open."""
    if not isinstance(stream, Stream):
        return float(stream)
    return max([float(stream.rate), *(float(phase.rate) for phase in stream.phases)])


def in_words(stream: float | Stream, unit: str) -> str:
    """A stream in a few words, e.g. '0 to 12 leads/min by phase, 8 one-off losses'."""
    from drillsim.durations import format_duration

    if is_flat(stream):
        return f"{peak_rate(stream):g} {unit}/min"
    assert isinstance(stream, Stream)
    low = min([float(stream.rate), *(float(phase.rate) for phase in stream.phases)])
    parts = [
        f"{low:g} to {peak_rate(stream):g} {unit}/min by phase"
        if stream.phases
        else f"{float(stream.rate):g} {unit}/min"
    ]
    if stream.once:
        count = len(stream.once)
        parts.append(f"{count} one-off loss{'es' if count > 1 else ''}")
    if stream.recovery:
        parts.append(f"recovery over {format_duration(recovery_length(stream))}")
    return ", ".join(parts)


def rate_at(stream: Stream, context: ConditionContext, t: float) -> float:
    """The stream's loss per minute at ``t`` while the incident is open, before plan Bs."""
    for phase in stream.phases:
        if holds(phase.when, context, t):
            return float(phase.rate)
    return float(stream.rate)


def next_rate_change(stream: Stream, context: ConditionContext, t: float) -> float:
    """When the clock alone may next change the stream's rate after ``t`` (inf: never)."""
    return min((next_change(phase.when, context, t) for phase in stream.phases), default=math.inf)


def recovery_length(stream: float | Stream) -> float:
    """How long the stream's recovery lasts after the resolution, in seconds."""
    if not isinstance(stream, Stream):
        return 0.0
    return sum(float(phase.lasting) for phase in stream.recovery)


def recovery_loss(stream: float | Stream, resolution: float, start: float, stop: float) -> float:
    """Loss of the recovery phases (after ``resolution``) between ``start`` and ``stop``."""
    if not isinstance(stream, Stream):
        return 0.0
    total = 0.0
    begins = resolution
    for phase in stream.recovery:
        ends = begins + float(phase.lasting)
        overlap = min(ends, stop) - max(begins, start)
        if overlap > 0:
            total += phase.rate / 60.0 * overlap
        begins = ends
    return total


def recovery_rate(stream: float | Stream, resolution: float, t: float) -> float:
    """The recovery's loss per minute at ``t`` (0 before the resolution and after the tail)."""
    if not isinstance(stream, Stream) or t < resolution:
        return 0.0
    begins = resolution
    for phase in stream.recovery:
        ends = begins + float(phase.lasting)
        if begins <= t < ends:
            return float(phase.rate)
        begins = ends
    return 0.0


class Assumed:
    """A condition context as the plan-B model reads it: the state frozen as ``base`` saw it,
    the clock moving, the incident still open (the model's belief weighs its end), and, if
    given, one option of one decision taken."""

    __slots__ = ("_base", "_chosen")

    def __init__(self, base: ConditionContext, chosen: tuple[str, str | None] | None) -> None:
        self._base = base
        self._chosen = chosen

    def fact_revealed(self, fact: str) -> bool:
        return self._base.fact_revealed(fact)

    def option_chosen(self, decision: str, option: str) -> bool:
        if self._chosen is not None and self._chosen[0] == decision:
            return self._chosen[1] == option
        return self._base.option_chosen(decision, option)

    def last_update(self, audience: str) -> float | None:
        return self._base.last_update(audience)

    def expectation(self, expectation: str) -> str | None:
        return self._base.expectation(expectation)

    def resolved_at(self) -> float | None:
        return None

    def flag_condition(self, name: str) -> Condition:
        return self._base.flag_condition(name)

    def action_taken(self, action: str) -> bool:
        return self._base.action_taken(action)

    def inject_delivered(self, inject: str) -> bool:
        return self._base.inject_delivered(inject)


class Untouched:
    """A condition context of a drill where nothing has happened yet: what the model assumes
    where no run is at hand (lint, preview)."""

    __slots__ = ("_flags",)

    def __init__(self, scenario: Scenario) -> None:
        self._flags = scenario.truth.flags

    def fact_revealed(self, fact: str) -> bool:
        return False

    def option_chosen(self, decision: str, option: str) -> bool:
        return False

    def last_update(self, audience: str) -> float | None:
        return None

    def expectation(self, expectation: str) -> str | None:
        return None

    def resolved_at(self) -> float | None:
        return None

    def flag_condition(self, name: str) -> Condition:
        return self._flags.get(name, False)

    def action_taken(self, action: str) -> bool:
        return False

    def inject_delivered(self, inject: str) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class Schedule:
    """The loss a stream is expected to cause from some moment on while the incident lasts:
    rates by time and one-off losses at moments (times in seconds, rates per minute)."""

    pieces: tuple[tuple[float, float], ...]
    """(from, rate): each rate holds until the next piece's start, the last one for good."""
    lumps: tuple[tuple[float, float], ...]
    """(at, loss) of the one-off losses that would count at their moment."""

    def _spans(self) -> list[tuple[float, float, float]]:
        ends = [start for start, _ in self.pieces[1:]] + [math.inf]
        return [(start, end, rate) for (start, rate), end in zip(self.pieces, ends, strict=True)]

    def expected(self, outage: Outage, a: float, b: float = math.inf) -> float:
        """Expected loss in [a, b) (minutes) under ``outage``, not conditioned on it lasting
        to ``a`` (divide by the survival at ``a`` for that)."""
        total = 0.0
        for start, end, rate in self._spans():
            low, high = max(a, start / 60.0), min(b, end / 60.0)
            if rate and high > low:
                tail = 0.0 if math.isinf(high) else outage.excess(high)
                total += rate * (outage.excess(low) - tail)
        for at, loss in self.lumps:
            if a <= at / 60.0 < b:
                total += loss * outage.survival(at / 60.0)
        return total

    def realised(self, a: float, b: float) -> float:
        """Loss in [a, b) (minutes) when the incident is open throughout it."""
        total = 0.0
        for start, end, rate in self._spans():
            overlap = min(b, end / 60.0) - max(a, start / 60.0)
            if overlap > 0:
                total += rate * overlap
        return total + sum(loss for at, loss in self.lumps if a <= at / 60.0 < b)

    def scaled(self, share: float) -> Schedule:
        """The same schedule with every rate and loss times ``share``."""
        if share == 1.0:
            return self
        return Schedule(
            tuple((start, rate * share) for start, rate in self.pieces),
            tuple((at, loss * share) for at, loss in self.lumps),
        )

    @property
    def peak(self) -> float:
        """The highest rate it reaches."""
        return max((rate for _, rate in self.pieces), default=0.0)


def schedule(stream: Stream, context: ConditionContext, start: float) -> Schedule:
    """The stream's schedule from ``start`` (seconds) in ``context`` (see :class:`Assumed`):
    its rate at each moment the clock alone may change it, and the one-off losses still to
    come whose ``unless`` would not hold at their moment."""
    pieces: list[tuple[float, float]] = []
    t = start
    while True:
        rate = rate_at(stream, context, t)
        if not pieces or pieces[-1][1] != rate:
            pieces.append((t, rate))
        following = next_rate_change(stream, context, t)
        if math.isinf(following) or following <= t:
            break
        t = following
    lumps = tuple(
        (float(lump.at), float(lump.loss))
        for lump in stream.once
        if lump.at >= start and not holds(lump.unless, context, float(lump.at))
    )
    return Schedule(tuple(pieces), lumps)
