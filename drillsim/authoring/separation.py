"""Whether a scenario's scoring separates good play from bad: the baseline bots against the bar.

The bar (docs/scoring.md): over many seeds, oracle's median overall is at least 90 and
diligent's at least 80; passive, panic, spam and random have medians under 50, and passive's
90th percentile is under 50 too (doing nothing is never satisfactory). A policy on the
wrong side is reported with the dimensions that put it there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drillsim.scenario.loader import LoadedScenario

DEFAULT_SEEDS = 200


@dataclass(frozen=True, slots=True)
class Bar:
    """One line of the bar: a statistic of a policy's overall score and its bound."""

    policy: str
    statistic: str
    """``median`` or ``p90``."""
    bound: float
    at_least: bool
    """True: the statistic must reach ``bound``; False: it must stay under it."""

    def met(self, value: float) -> bool:
        return value >= self.bound if self.at_least else value < self.bound

    def describe(self) -> str:
        what = "median" if self.statistic == "median" else "90th percentile"
        return f"{self.policy}'s {what} overall {'at least' if self.at_least else 'under'} " + (
            f"{self.bound:g}"
        )


BARS = (
    Bar("oracle", "median", 90.0, at_least=True),
    Bar("diligent", "median", 80.0, at_least=True),
    Bar("passive", "median", 50.0, at_least=False),
    Bar("panic", "median", 50.0, at_least=False),
    Bar("spam", "median", 50.0, at_least=False),
    Bar("random", "median", 50.0, at_least=False),
    Bar("passive", "p90", 50.0, at_least=False),
)
POLICIES = tuple(dict.fromkeys(bar.policy for bar in BARS))

_FIXES = {
    "cadence": (
        "updates are owed to few audiences or late, or the outage is often over before any "
        "is due: impact internal audiences from T+0, keep first_update short, add "
        "expectations, or narrow truth.duration"
    ),
    "plan_b": (
        "waiting is (nearly) as good as the best plan B: give decisions real stakes "
        "(drillsim preview --decisions shows each option's expected loss)"
    ),
    "restraint": (
        "overreaction costs little: add tempting catalogue actions with penalties, and "
        "audiences (partners, customers) it is premature to tell early"
    ),
}
_TOO_LOW = {
    "cadence": "check that every expectation can be met and every audience can be reached",
    "plan_b": "check the best option can be chosen when the model says so (preview --decisions)",
    "restraint": "check what best practice does is justified when it does it (justified_if)",
}


@dataclass(frozen=True, slots=True)
class Shortfall:
    """A line of the bar a policy missed, and why in words."""

    bar: Bar
    value: float
    why: str
    fix: str

    def message(self) -> str:
        what = "median" if self.bar.statistic == "median" else "90th percentile"
        side = "too well" if not self.bar.at_least else "too badly"
        return (
            f"{self.bar.policy} scored {side}: {what} overall {self.value:.1f}, the bar is "
            f"{self.bar.describe()} ({self.why})"
        )


def run_bots(
    loaded: LoadedScenario,
    seeds: int,
    *,
    jobs: int = 1,
    on_run: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """The baseline bots' summary over seeds 0 to ``seeds - 1`` (as ``simulate --json``)."""
    from drillsim.simulation import simulate, summary

    results = simulate(loaded, list(POLICIES), range(seeds), jobs=jobs, on_run=on_run)
    return summary(loaded.scenario.id, seeds, results)


def shortfalls(report: dict[str, Any], weights: dict[str, float]) -> list[Shortfall]:
    """Every line of the bar the summary misses, with the dimensions to blame.

    ``weights``: the scenario's scoring weights, to say how much each dimension carried."""
    found = []
    for bar in BARS:
        row = report["policies"][bar.policy]
        value = float(row["overall"][bar.statistic])
        if bar.met(value):
            continue
        blame = _blame(row, weights, bar.statistic, high=not bar.at_least)
        fixes = _FIXES if not bar.at_least else _TOO_LOW
        found.append(
            Shortfall(
                bar,
                value,
                "; ".join(f"{name} {score:.0f}" for name, score in blame),
                "; ".join(fixes[name] for name, _ in blame[:1]),
            )
        )
    return found


def _blame(
    row: dict[str, Any], weights: dict[str, float], statistic: str, *, high: bool
) -> list[tuple[str, float]]:
    """The dimensions that carried a policy up (``high``) or held it down, by the same
    statistic as the bar (median or 90th percentile), most to blame first by their weighted
    share of the overall."""
    total = sum(weights.values()) or 1.0
    scored = [
        (name, float(row[name][statistic]))
        for name in ("cadence", "plan_b", "restraint")
        if row.get(name) is not None and weights.get(name, 0.0) > 0
    ]
    if high:
        ranked = sorted(scored, key=lambda item: -item[1] * weights[item[0]] / total)
        return [item for item in ranked if item[1] >= 50.0] or ranked[:1]
    ranked = sorted(scored, key=lambda item: -(100.0 - item[1]) * weights[item[0]] / total)
    return [item for item in ranked if item[1] < 90.0] or ranked[:1]


def weights_of(loaded: LoadedScenario) -> dict[str, float]:
    weights = loaded.scenario.scoring.weights
    return {"cadence": weights.cadence, "plan_b": weights.plan_b, "restraint": weights.restraint}
