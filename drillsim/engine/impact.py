"""Impact accounting: the loss a drill's streams accumulate while the incident is open, and
how the plan Bs in force cut it (the impact meter the team watches). A format-2 stream whose
rate follows conditions is kept in a :class:`StreamLedger`: the rate it had from each moment,
and the one-off losses that counted (the rule is :mod:`drillsim.scenario.streams`')."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from drillsim.engine.state import DecisionState
from drillsim.scenario.conditions import ConditionContext, holds
from drillsim.scenario.model import Impact, Stream, option_of
from drillsim.scenario.streams import is_flat, rate_at, recovery_loss, recovery_rate


def loss_by(
    t: float,
    streams: Mapping[str, float],
    decisions: Collection[DecisionState],
    resolution: float,
) -> float:
    """Loss accumulated by exercise time ``t`` (in the scenario's impact units): every
    stream's rate per minute, cut by the mitigations in force, until ``resolution``."""
    end = min(t, resolution)
    total = 0.0
    for stream, rate in streams.items():
        total += rate / 60.0 * _mitigated_span(_mitigations(decisions, stream), end)
    return total


def loss_rate_at(
    t: float,
    streams: Mapping[str, float],
    decisions: Collection[DecisionState],
    resolution: float,
) -> float:
    """Loss per minute at exercise time ``t``."""
    if t >= resolution:
        return 0.0
    total = 0.0
    for stream, rate in streams.items():
        factor = 1.0
        for start, effectiveness in _mitigations(decisions, stream):
            if start <= t:
                factor *= 1.0 - effectiveness
        total += rate * factor
    return total


def _mitigations(decisions: Collection[DecisionState], stream: str) -> list[tuple[float, float]]:
    """(effective from, effectiveness) of every plan B chosen on ``stream``, by time."""
    found = []
    for state in decisions:
        if state.decision.stream != stream or state.option is None:
            continue
        option = option_of(state.decision, state.option)
        if state.effective_at is not None and option.effectiveness > 0:
            found.append((state.effective_at, option.effectiveness))
    return sorted(found)


def _mitigated_span(mitigations: list[tuple[float, float]], end: float) -> float:
    """Integral over [0, end] of the product of (1 - effectiveness) of mitigations in force."""
    if end <= 0:
        return 0.0
    span = 0.0
    factor = 1.0
    cursor = 0.0
    for start, effectiveness in mitigations:
        if start >= end:
            break
        span += (max(start, cursor) - cursor) * factor
        cursor = max(start, cursor)
        factor *= 1.0 - effectiveness
    span += (end - cursor) * factor
    return span


class StreamLedger:
    """What the conditional streams of one drill did: the rate each had from each moment it
    changed, and each one-off loss as it counted. Flat streams are left to :func:`loss_by`."""

    def __init__(self, impact: Impact) -> None:
        self.flat: dict[str, float] = {
            name: float(stream.rate if isinstance(stream, Stream) else stream)
            for name, stream in impact.streams.items()
            if is_flat(stream)
        }
        self.streams: dict[str, Stream] = {
            name: stream
            for name, stream in impact.streams.items()
            if isinstance(stream, Stream) and not is_flat(stream)
        }
        self.rates: dict[str, list[tuple[float, float]]] = {name: [] for name in self.streams}
        """Per conditional stream: (from, rate per minute), in time order."""
        self.lumps: list[tuple[float, str, float]] = []
        """(at, stream, loss) of every one-off loss that counted."""
        self._judged: set[tuple[str, int]] = set()

    def observe(self, context: ConditionContext, t: float, resolution: float) -> None:
        """Note each stream's rate at ``t`` and judge the one-off losses due by then (only
        while the incident is open: none counts at or after ``resolution``)."""
        for name, stream in self.streams.items():
            history = self.rates[name]
            rate = rate_at(stream, context, t)
            if not history or history[-1][1] != rate:
                history.append((t, rate))
            for index, lump in enumerate(stream.once):
                if lump.at <= t and (name, index) not in self._judged:
                    self._judged.add((name, index))
                    if lump.at < resolution and not holds(lump.unless, context, t):
                        self.lumps.append((float(lump.at), name, float(lump.loss)))

    def loss_by(self, t: float, decisions: Collection[DecisionState], resolution: float) -> float:
        """Loss by ``t`` of every stream: flat ones as :func:`loss_by` counts them, the
        conditional ones from their history, one-off losses and recovery tails."""
        total = loss_by(t, self.flat, decisions, resolution) if self.flat else 0.0
        end = min(t, resolution)
        for name, history in self.rates.items():
            mitigations = _mitigations(decisions, name)
            for index, (start, rate) in enumerate(history):
                stop = history[index + 1][0] if index + 1 < len(history) else end
                low, high = min(start, end), min(stop, end)
                if rate and high > low:
                    covered = _mitigated_span(mitigations, high) - _mitigated_span(mitigations, low)
                    total += rate / 60.0 * covered
            total += recovery_loss(self.streams[name], resolution, resolution, t)
        for at, name, loss in self.lumps:
            if at <= t:
                total += loss * _factor(_mitigations(decisions, name), at)
        return total

    def rate_at(self, t: float, decisions: Collection[DecisionState], resolution: float) -> float:
        """Loss per minute at ``t`` of every stream, recovery tails included."""
        total = loss_rate_at(t, self.flat, decisions, resolution) if self.flat else 0.0
        for name, history in self.rates.items():
            if t >= resolution:
                total += recovery_rate(self.streams[name], resolution, t)
                continue
            rate = next((rate for start, rate in reversed(history) if start <= t), 0.0)
            total += rate * _factor(_mitigations(decisions, name), t)
        return total


def _factor(mitigations: list[tuple[float, float]], t: float) -> float:
    """The share of a stream's loss left at ``t`` by the mitigations in force then."""
    factor = 1.0
    for start, effectiveness in mitigations:
        if start <= t:
            factor *= 1.0 - effectiveness
    return factor
