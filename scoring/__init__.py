"""Pure scoring of drill runs: cadence, plan-B decision quality, restraint.

A score card is a pure function of (scenario, seed, event log): :func:`score_run`.
No I/O, no UI; numpy only where it pays (comparisons across many runs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drillsim.collector import collector_paused

__version__ = "0.1.0"

if TYPE_CHECKING:
    from collections.abc import Iterable

    from drillsim.engine.events import Event
    from drillsim.scenario.model import Scenario
    from scoring.card import ScoreCard


def score_run(scenario: Scenario, events: Iterable[Event], until: float | None = None) -> ScoreCard:
    """Score one run from its events; raises scoring.timeline.JournalMismatch for foreign runs.

    ``until``: for a run cut short, how far its live clock got after the last event.
    """
    # Scoring makes no reference cycles but allocates a lot: on a long journal the cycle
    # collector's passes over every live object would make the time grow faster than the
    # journal.
    with collector_paused():
        return _score(scenario, events, until)


def _score(scenario: Scenario, events: Iterable[Event], until: float | None) -> ScoreCard:
    from drillsim.engine.events import DrillEnded
    from scoring.bounces import never_repaired
    from scoring.cadence import score_cadence
    from scoring.card import Luck, ScoreCard, overall_score, rating_of
    from scoring.planb import score_plan_b
    from scoring.restraint import score_restraint
    from scoring.timeline import build

    timeline = build(scenario, events, until)
    cadence, audiences, cadence_lost = score_cadence(timeline)
    plan_b, decisions, plan_b_lost, luck = score_plan_b(timeline)
    restraint, restraint_lost = score_restraint(timeline)
    weights = scenario.scoring.weights
    weight_map = {
        "cadence": float(weights.cadence),
        "plan_b": float(weights.plan_b),
        "restraint": float(weights.restraint),
    }
    scored = [value for value in (cadence, plan_b, restraint) if value is not None]
    weakest = min(scored) if scored else None
    overall = overall_score(
        {"cadence": cadence, "plan_b": plan_b, "restraint": restraint}, weight_map
    )
    last = timeline.events[-1]
    # The engine writes the loss so far when a drill ends; a run cut short never said it.
    impact = last.impact if isinstance(last, DrillEnded) else None
    if timeline.partial:  # the outage's real cost is unknown: no luck to show
        luck = Luck(luck.unit, 0.0, 0.0)
    return ScoreCard(
        scenario=scenario.id,
        version=scenario.version,
        seed=timeline.seed,
        overall=overall,
        rating=None if timeline.partial else rating_of(overall, weakest),
        cadence=cadence,
        plan_b=plan_b,
        restraint=restraint,
        weights=weight_map,
        deductions=tuple(cadence_lost + plan_b_lost + restraint_lost),
        audiences=tuple(audiences),
        decisions=tuple(decisions),
        luck=luck,
        impact=impact,
        true_duration=timeline.true_duration,
        resolved_in_play=timeline.resolved_in_play,
        ended_at=timeline.end,
        partial=timeline.partial,
        never_repaired=never_repaired(timeline),
        not_arisen=tuple(d.id for d in scenario.decisions if timeline.arisen(d.id) is None),
    )
