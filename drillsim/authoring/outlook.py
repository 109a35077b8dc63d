"""What the plan-B model thinks of each decision, moment by moment, before anyone plays.

A decision's outlook is its information states: at its opening, after each inject that can
change the team's belief while it is open, and when a prerequisite can first be met. For
each, every option's expected loss if the team commits then, the expected loss of waiting,
and the model's best move. The numbers are the scoring model's own (scoring.planb), so what
an author sizes here is what the plan-B score judges.
"""

from __future__ import annotations

from dataclasses import dataclass

from drillsim.scenario.conditions import AllOf, AnyOf, Chosen, Condition
from drillsim.scenario.model import Decision, Distribution, Scenario, share_left
from drillsim.scenario.reachability import Reach
from drillsim.scenario.streams import Untouched
from scoring.planb import WAIT, Courses, courses, tables_for

WAITING = "wait"
"""The best move when committing to no option beats all of them (shown as this word)."""


@dataclass(frozen=True, slots=True)
class Moment:
    """One information state of a decision and what the model makes of it."""

    at: float
    """Exercise time (a checkpoint of the decision)."""
    cause: str
    """Why the team's knowledge is as it is: "opens", "inject ID" or "option ID available"."""
    belief: Distribution
    available: frozenset[str]
    """Options the team can choose now (the default always can be taken, by waiting)."""
    losses: dict[str, float]
    """Expected loss of committing to each option now, in impact units."""
    wait: float
    """Expected loss of waiting (and then playing the best policy)."""
    best: str
    """The model's best move now: an option id, or ``WAITING``."""


@dataclass(frozen=True, slots=True)
class Outlook:
    decision: Decision
    opens: float
    """The earliest it can open (its ``at:``, or when its condition can first hold)."""
    closes: float
    moments: tuple[Moment, ...]
    share: float = 1.0
    """The part of its stream left running when it opens, by the choices its condition
    requires (a follow-up to a plan B on the same stream); 1 when it requires none."""


def outlooks(scenario: Scenario) -> list[Outlook]:
    """The outlook of every decision that can open, in scenario order."""
    reach = Reach(scenario, thorough=True)
    reach.settle()
    return [
        outlook_of(scenario, decision, reach)
        for decision in scenario.decisions
        if decision.id in reach.decisions
    ]


def outlook_of(scenario: Scenario, decision: Decision, reach: Reach) -> Outlook:
    opens = reach.decisions[decision.id]
    closes = min(opens + float(decision.timeout), reach.end)
    belief = _belief_at_opening(scenario, opens)
    changes: list[tuple[float, str, Distribution | None]] = []
    for inject in scenario.injects:
        landed = reach.injects.get(inject.id)
        if inject.belief is None or landed is None or landed >= closes:
            continue
        if inject.at is not None and landed <= opens:
            continue  # surely in the belief at opening
        changes.append((max(landed, opens), f"inject {inject.id}", inject.belief))
    for option in decision.options:
        low, high = reach.window(option.requires)
        if opens < low < min(high, closes):
            changes.append((low, f"option {option.id} available", None))
    changes.sort(key=lambda change: change[0])
    share = assumed_share(scenario, decision)
    moments = [_moment(scenario, decision, reach, opens, opens, "opens", belief, share)]
    for at, cause, new_belief in changes:
        if new_belief is not None:
            belief = new_belief
        moments.append(_moment(scenario, decision, reach, opens, at, cause, belief, share))
    return Outlook(decision, opens, closes, tuple(moments), share)


def assumed_share(scenario: Scenario, decision: Decision) -> float:
    """The part of the decision's stream the plan Bs its condition requires leave running."""
    return share_left(
        decision.stream,
        (
            (scenario.decision(need.chosen.decision), need.chosen.option)
            for need in required_choices(decision.when)
        ),
    )


def assumed_courses(scenario: Scenario, decision: Decision, opens: float) -> Courses | None:
    """The decision's stream as the model expects it from ``opens`` before any run: nothing
    done yet but the choices its condition requires (see :func:`scoring.planb.courses`)."""
    return courses(scenario, decision, opens, _Following(scenario, required_choices(decision.when)))


def required_choices(when: Condition | None) -> list[Chosen]:
    """The choices a decision's condition requires: its own ``chosen`` or those in its
    top-level ``all`` (of an ``any`` there made only of choices, the first); a follow-up to
    them opens only once they were made, so its outlook assumes them."""
    if isinstance(when, Chosen):
        return [when]
    if not isinstance(when, AllOf):
        return []
    found = []
    for item in when.all:
        if isinstance(item, Chosen):
            found.append(item)
        elif isinstance(item, AnyOf) and all(isinstance(c, Chosen) for c in item.any):
            found.extend(c for c in item.any[:1] if isinstance(c, Chosen))
    return found


class _Following(Untouched):
    """Nothing done yet but the choices a follow-up decision's condition requires."""

    __slots__ = ("_made",)

    def __init__(self, scenario: Scenario, made: list[Chosen]) -> None:
        super().__init__(scenario)
        self._made = {(need.chosen.decision, need.chosen.option) for need in made}

    def option_chosen(self, decision: str, option: str) -> bool:
        return (decision, option) in self._made


def _belief_at_opening(scenario: Scenario, opens: float) -> Distribution:
    """The belief the team surely holds at ``opens``: the last timed inject's before it."""
    belief = scenario.belief
    timed = sorted(
        (inject for inject in scenario.injects if inject.at is not None and inject.belief),
        key=lambda inject: float(inject.at or 0.0),
    )
    for inject in timed:
        if float(inject.at or 0.0) <= opens and inject.belief is not None:
            belief = inject.belief
    return belief


def _moment(
    scenario: Scenario,
    decision: Decision,
    reach: Reach,
    opens: float,
    at: float,
    cause: str,
    belief: Distribution,
    share: float,
) -> Moment:
    everything = frozenset(option.id for option in decision.options)
    expected = assumed_courses(scenario, decision, opens)
    full = tables_for(scenario, decision, opens, belief, everything, share, expected)
    index = full.index_at_or_after(at)
    checkpoint = full.times[index]
    available = frozenset(
        option.id for option in decision.options if _can_hold_at(reach, option.requires, checkpoint)
    )
    actual = tables_for(scenario, decision, opens, belief, available, share, expected)
    move = actual.best_move[index]
    return Moment(
        at=checkpoint,
        cause=cause,
        belief=belief,
        available=available | {decision.default},
        losses=dict(full.commit[index]),
        wait=actual.wait[index],
        best=WAITING if move == WAIT else move,
    )


def _can_hold_at(reach: Reach, requires: object, t: float) -> bool:
    low, high = reach.window(requires)  # type: ignore[arg-type]
    return low <= t < high
