"""Impact accounting: the loss a drill's streams accumulate while the incident is open, and
how the plan Bs in force cut it (the impact meter the team watches)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from drillsim.engine.state import DecisionState
from drillsim.scenario.model import option_of


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
