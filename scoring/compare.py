"""Comparing runs: two score cards side by side with deltas, what changed between the scenario
texts two runs were played on, and a bootstrap interval over a team's runs.

Two runs cannot show that a difference would hold up, and nothing here claims it: a
difference is reported as a difference, and a trend's latest run as inside or outside the
interval of its runs. numpy loads only for the interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scoring.card import ScoreCard

if TYPE_CHECKING:
    from drillsim.scenario.model import Scenario

DIMENSIONS = ("overall", "cadence", "plan_b", "restraint")
BOOTSTRAP_RESAMPLES = 10_000
BOOTSTRAP_LEVEL = 0.95
MIN_TREND_RUNS = 4
"""Runs a trend needs before an interval over them means anything."""


@dataclass(frozen=True, slots=True)
class Delta:
    """One figure of two runs; ``delta`` is B - A (None when either has no figure)."""

    name: str
    a: float | None
    b: float | None

    @property
    def delta(self) -> float | None:
        return None if self.a is None or self.b is None else self.b - self.a


@dataclass(frozen=True, slots=True)
class DecisionPair:
    """One plan-B decision as each run took it."""

    decision: str
    prompt: str
    a_option: str | None
    b_option: str | None
    a_regret: float | None
    b_regret: float | None
    best_option: str | None

    @property
    def regret_delta(self) -> float | None:
        if self.a_regret is None or self.b_regret is None:
            return None
        return self.b_regret - self.a_regret


def dimension_deltas(a: ScoreCard, b: ScoreCard) -> list[Delta]:
    return [Delta(name, getattr(a, name), getattr(b, name)) for name in DIMENSIONS]


def audience_deltas(a: ScoreCard, b: ScoreCard) -> list[Delta]:
    """Each audience's cadence score in both runs (an audience only one run has: None in
    the other), in the order A lists them, then B's own."""
    first = {score.audience: score for score in a.audiences}
    second = {score.audience: score for score in b.audiences}
    order = [*first, *(audience for audience in second if audience not in first)]
    return [
        Delta(
            (first.get(audience) or second[audience]).name,
            first[audience].score if audience in first else None,
            second[audience].score if audience in second else None,
        )
        for audience in order
    ]


def decision_pairs(a: ScoreCard, b: ScoreCard) -> list[DecisionPair]:
    first = {score.decision: score for score in a.decisions}
    second = {score.decision: score for score in b.decisions}
    pairs = []
    for decision in [*first, *(d for d in second if d not in first)]:
        one, two = first.get(decision), second.get(decision)
        either = one or two
        assert either is not None
        pairs.append(
            DecisionPair(
                decision,
                either.prompt,
                one.option if one else None,
                two.option if two else None,
                one.regret if one else None,
                two.regret if two else None,
                either.best_option,
            )
        )
    return pairs


def scenario_changes(a: Scenario, b: Scenario) -> list[str]:
    """What differs between two scenario texts, in the parts that move scores: injects,
    audiences, decisions and their options, actions, weights and other scoring settings,
    the hidden truth. Empty when those parts are the same."""
    changes: list[str] = []
    for what, first, second in (
        ("inject", a.injects, b.injects),
        ("audience", a.audiences, b.audiences),
        ("decision", a.decisions, b.decisions),
        ("action", a.actions, b.actions),
        ("expectation", a.expectations, b.expectations),
    ):
        changes.extend(_by_id(what, first, second))
    old_options = {decision.id: decision.options for decision in a.decisions}
    for decision in b.decisions:
        if decision.id in old_options:
            changes.extend(
                _by_id(f"option of {decision.id}", old_options[decision.id], decision.options)
            )
    if a.scoring.weights != b.scoring.weights:
        changes.append(
            "weights: "
            + ", ".join(
                f"{name} {getattr(a.scoring.weights, name):g} -> "
                f"{getattr(b.scoring.weights, name):g}"
                for name in ("cadence", "plan_b", "restraint")
                if getattr(a.scoring.weights, name) != getattr(b.scoring.weights, name)
            )
        )
    if a.scoring != b.scoring and a.scoring.weights == b.scoring.weights:
        changes.append("scoring settings (grace, checkpoints or penalties)")
    if a.truth != b.truth:
        changes.append("the hidden truth (outage duration or flags)")
    return changes


def _by_id(what: str, first: Sequence[Any], second: Sequence[Any]) -> list[str]:
    old = {item.id: item for item in first}
    new = {item.id: item for item in second}
    added = [key for key in new if key not in old]
    removed = [key for key in old if key not in new]
    changed = [key for key in new if key in old and new[key] != old[key]]
    lines = []
    for verb, keys in (("added", added), ("removed", removed), ("changed", changed)):
        if keys:
            plural = "s" if len(keys) > 1 else ""
            lines.append(f"{what}{plural} {verb}: {', '.join(keys)}")
    return lines


@dataclass(frozen=True, slots=True)
class Interval:
    """A bootstrap interval of the mean of some runs' figures."""

    low: float
    high: float
    runs: int

    def holds(self, value: float) -> bool:
        return self.low <= value <= self.high


def bootstrap_interval(
    values: Sequence[float],
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    level: float = BOOTSTRAP_LEVEL,
    seed: int = 0,
) -> Interval:
    """The percentile bootstrap interval of the mean of ``values`` (the same values give the
    same interval: the resampling is seeded)."""
    import numpy as np

    if len(values) < 2:
        raise ValueError("a bootstrap interval needs at least two values")
    data = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, len(data), size=(resamples, len(data)))].mean(axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return Interval(float(low), float(high), len(values))
