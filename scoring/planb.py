"""Plan-B decision quality: judged on what the team could know, never on the outcome.

For each decision a dynamic programme over checkpoints (every ``scoring.checkpoint``, with
"wait" as an option) gives, under the belief the team held, the expected loss of committing
to each option now, of waiting, and of the best and worst policies from here. Regret is the
expected loss the team's choices added over the best policy at each checkpoint they passed;
it is normalised by the decision's stakes (worst minus best expected loss at opening), so
near-ties cost little. The realised outcome is reported beside it as luck.

Tables depend only on the scenario, the opening time, the belief and which options are
available; they are computed once and cached, not per seed.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace
from functools import partial

from drillsim.durations import format_minute as minute
from drillsim.scenario.conditions import holds
from drillsim.scenario.model import Decision, Distribution, Option, Scenario, option_of
from drillsim.scenario.outage import Outage
from scoring.card import DecisionScore, Deduction, Luck
from scoring.timeline import Timeline

WAIT = "\0wait"


@dataclass(frozen=True, slots=True)
class Tables:
    """Expected losses (impact units) at each checkpoint for one information state."""

    times: tuple[float, ...]
    commit: tuple[dict[str, float], ...]
    wait: tuple[float, ...]
    best: tuple[float, ...]
    worst: tuple[float, ...]
    best_move: tuple[str, ...]

    def index_at_or_after(self, t: float) -> int:
        for index, when in enumerate(self.times):
            if when >= t - 1e-6:
                return index
        return len(self.times) - 1

    def nearest(self, t: float) -> int:
        """The checkpoint closest to ``t`` (the earlier one on a tie)."""
        return min(range(len(self.times)), key=lambda index: (abs(self.times[index] - t), index))


def checkpoints(scenario: Scenario, decision: Decision, opened_at: float) -> tuple[float, ...]:
    step = float(scenario.scoring.checkpoint)
    closes = opened_at + float(decision.timeout)
    times = []
    t = opened_at
    while t < closes - 1e-6:
        times.append(t)
        t += step
    times.append(closes)
    return tuple(times)


def _commit_loss(
    outage: Outage, option: Option, rate_per_min: float, t_min: float, alive: float
) -> float:
    """Expected loss from ``t_min`` on when committing to ``option`` then (times in minutes)."""
    setup_min = float(option.setup) / 60.0
    lost = outage.excess(t_min) - option.effectiveness * outage.excess(t_min + setup_min)
    return rate_per_min * lost / alive + option.cost + option.expected_risk_cost


def build_tables(
    scenario: Scenario,
    decision: Decision,
    opened_at: float,
    belief: Distribution,
    available: frozenset[str],
) -> Tables:
    """Backward induction over the decision's checkpoints for one information state."""
    outage = Outage(belief)
    rate = float(scenario.impact.streams.get(decision.stream, 0.0))
    times = checkpoints(scenario, decision, opened_at)
    minutes = [t / 60.0 for t in times]
    options = [o for o in decision.options if o.id in available or o.id == decision.default]
    count = len(times)
    commit: list[dict[str, float]] = [{} for _ in range(count)]
    wait = [0.0] * count
    best = [0.0] * count
    worst = [0.0] * count
    move = [WAIT] * count
    for k in range(count - 1, -1, -1):
        t = minutes[k]
        alive = max(outage.survival(t), 1e-12)
        commit[k] = {o.id: _commit_loss(outage, o, rate, t, alive) for o in options}
        if k == count - 1:
            forced = commit[k][decision.default]
            wait[k] = best[k] = worst[k] = forced
            move[k] = decision.default
            continue
        step_loss = rate * (outage.excess(t) - outage.excess(minutes[k + 1])) / alive
        carry = outage.survival(minutes[k + 1]) / alive
        wait[k] = step_loss + carry * best[k + 1]
        wait_worst = step_loss + carry * worst[k + 1]
        choice = min(commit[k], key=lambda o: commit[k][o])
        if commit[k][choice] < wait[k] - 1e-9:
            best[k], move[k] = commit[k][choice], choice
        else:
            best[k], move[k] = wait[k], WAIT
        worst[k] = max(wait_worst, max(commit[k].values()))
    return Tables(tuple(times), tuple(commit), tuple(wait), tuple(best), tuple(worst), tuple(move))


_TablesKey = tuple[str, float, Distribution, frozenset[str]]
_CACHES: dict[int, tuple[weakref.ref[Scenario], dict[_TablesKey, Tables]]] = {}


def tables_for(
    scenario: Scenario,
    decision: Decision,
    opened_at: float,
    belief: Distribution,
    available: frozenset[str],
) -> Tables:
    """Cached :func:`build_tables`: computed once per scenario and information state."""
    owner = id(scenario)
    entry = _CACHES.get(owner)
    if entry is None or entry[0]() is not scenario:
        cache: dict[_TablesKey, Tables] = {}
        # The callback must not hold the scenario itself, or it would never be freed.
        _CACHES[owner] = (weakref.ref(scenario, partial(_forget, owner)), cache)
    else:
        cache = entry[1]
    key = (decision.id, opened_at, belief, available)
    found = cache.get(key)
    if found is None:
        found = cache[key] = build_tables(scenario, decision, opened_at, belief, available)
    return found


def _forget(owner: int, _freed: weakref.ref[Scenario]) -> None:
    _CACHES.pop(owner, None)


def available_options(timeline: Timeline, decision: Decision, t: float) -> frozenset[str]:
    view = timeline.view(t)
    return frozenset(o.id for o in decision.options if holds(o.requires, view, t))


def info_tables(timeline: Timeline, decision: Decision, opened_at: float, t: float) -> Tables:
    """The tables for the information state the team was in at exercise time ``t``."""
    return tables_for(
        timeline.scenario,
        decision,
        opened_at,
        timeline.belief_at(t),
        available_options(timeline, decision, t),
    )


def score_plan_b(
    timeline: Timeline,
) -> tuple[float | None, list[DecisionScore], list[Deduction], Luck]:
    """Plan-B score (None when no decision opened), per-decision detail, deductions, luck."""
    scenario = timeline.scenario
    details: list[DecisionScore] = []
    regrets: list[tuple[Decision, float, list[tuple[float, float]], float]] = []
    total_regret = total_stakes = 0.0
    expected_total = realised_total = 0.0
    for decision in scenario.decisions:
        choice = timeline.choices.get(decision.id)
        opened = timeline.opened.get(decision.id)
        if opened is None or choice is None:
            continue
        first = info_tables(timeline, decision, opened, opened)
        # Regret at a checkpoint counts as much as the decision was still live there, as
        # seen at opening: the same footing as the stakes, so regret never exceeds them.
        opening = Outage(timeline.belief_at(opened))
        alive = max(opening.survival(opened / 60.0), 1e-12)
        stakes = _stakes(timeline, decision, opened, choice.closed_at, first, opening, alive)
        decided = choice.option is not None and choice.reason in ("chosen", "default")
        judged_at = first.nearest(choice.closed_at) if decided else len(first.times)
        waits: list[tuple[float, float]] = []
        regret = 0.0
        for index, t in enumerate(first.times):
            if index >= judged_at or t >= choice.closed_at + 1e-6:
                break
            state = info_tables(timeline, decision, opened, t)
            weight = opening.survival(t / 60.0) / alive
            lost = weight * (state.wait[index] - state.best[index])
            regret += lost
            waits.append((t, lost))
        choice_regret = 0.0
        if decided:
            state = info_tables(timeline, decision, opened, choice.closed_at)
            weight = opening.survival(first.times[judged_at] / 60.0) / alive
            # Never below zero: a choice within the tie tolerance of the best (or equal to it
            # but for rounding) costs nothing, and gains nothing either.
            choice_regret = weight * max(
                0.0,
                state.commit[judged_at][choice.option] - state.best[judged_at],  # type: ignore[index]
            )
            regret += choice_regret
        best_at, best_option = _best_plan(timeline, decision, opened, choice.closed_at)
        expected, realised = _luck(timeline, decision, opened, choice.closed_at, choice.option)
        expected_total += expected
        realised_total += realised
        details.append(
            DecisionScore(
                decision=decision.id,
                prompt=timeline.render(decision.prompt),
                opened_at=opened,
                closed_at=choice.closed_at,
                option=choice.option,
                reason=choice.reason,
                best_option=best_option,
                best_at=best_at,
                regret=regret,
                stakes=stakes,
                expected_loss=expected,
                realised_loss=realised,
            )
        )
        if stakes > 1e-9:
            total_regret += regret
            total_stakes += stakes
            regrets.append((decision, choice_regret, waits, stakes))
    luck = Luck(scenario.impact.unit, expected_total, realised_total)
    if total_stakes <= 0:
        return (100.0 if details else None), details, [], luck
    score = 100.0 * max(0.0, 1.0 - total_regret / total_stakes)
    deductions = _deductions(timeline, details, regrets, total_stakes, 100.0 - score)
    return score, details, deductions, luck


def _stakes(
    timeline: Timeline,
    decision: Decision,
    opened: float,
    closed: float,
    first: Tables,
    opening: Outage,
    alive: float,
) -> float:
    """What the decision could cost, judged from the first checkpoint at which the team had
    a real choice (an option besides the default available): a decision that opens before
    any of its options can be taken is not a decision with nothing at stake."""
    for index, t in enumerate(first.times):
        if t > closed + 1e-6:
            break
        state = info_tables(timeline, decision, opened, t)
        if len(state.commit[index]) > 1:
            weight = opening.survival(t / 60.0) / alive
            return weight * (state.worst[index] - state.best[index])
    return first.worst[0] - first.best[0]


def _best_plan(
    timeline: Timeline, decision: Decision, opened: float, closed: float
) -> tuple[float | None, str | None]:
    """The first checkpoint at which, on what was known then, committing beat waiting.

    Information arrives during a decision (a prerequisite is met, the vendor's estimate
    changes), so each checkpoint is read with the tables of its own information state.
    """
    first = info_tables(timeline, decision, opened, opened)
    for index, t in enumerate(first.times):
        if t > closed + 1e-6:
            break
        move = info_tables(timeline, decision, opened, t).best_move[index]
        if move != WAIT:
            return t, move
    return None, None


def _luck(
    timeline: Timeline, decision: Decision, opened: float, closed: float, option_id: str | None
) -> tuple[float, float]:
    """Expected (on the belief at opening) and realised loss of the team's course on the stream."""
    if option_id is None:
        return 0.0, 0.0
    scenario = timeline.scenario
    option = option_of(decision, option_id)
    rate = float(scenario.impact.streams.get(decision.stream, 0.0))
    outage = Outage(timeline.belief_at(opened))
    t_open, t_close = opened / 60.0, closed / 60.0
    alive = max(outage.survival(t_open), 1e-12)
    waiting = rate * (outage.excess(t_open) - outage.excess(t_close)) / alive
    later = outage.survival(t_close) / alive
    expected = waiting + later * _commit_loss(
        outage, option, rate, t_close, max(outage.survival(t_close), 1e-12)
    )
    true_end = timeline.true_duration / 60.0
    effective = t_close + float(option.setup) / 60.0
    before = max(0.0, min(true_end, effective) - t_open)
    after = max(0.0, true_end - effective) * (1.0 - option.effectiveness)
    fixed = option.cost + option.expected_risk_cost
    realised = rate * (before + after) + (fixed if true_end > t_close else 0.0)
    return expected, realised


def _deductions(
    timeline: Timeline,
    details: list[DecisionScore],
    regrets: list[tuple[Decision, float, list[tuple[float, float]], float]],
    total_stakes: float,
    lost_points: float,
) -> list[Deduction]:
    raw: list[Deduction] = []
    by_id = {d.decision: d for d in details}
    labels: dict[str, dict[str, str]] = {
        decision.id: {o.id: timeline.render(o.label) for o in decision.options}
        for decision in timeline.scenario.decisions
    }
    for decision, choice_regret, waits, _ in regrets:
        detail = by_id[decision.id]
        label = labels[decision.id]
        best = f"'{label[detail.best_option]}'" if detail.best_option else "waiting"
        costly = [(t, lost) for t, lost in waits if lost > 1e-9]
        if costly:
            since, until = minute(costly[0][0]), minute(detail.closed_at)
            if detail.reason == "default":
                what = (
                    f"Let the clock run out ({since} to {until}) and took the default, "
                    f"'{label[decision.default]}'; {best} was the better call on what was known"
                )
            elif detail.reason == "chosen" and detail.option == detail.best_option:
                what = f"Chose {best} at {until}; choosing it at {since} would have saved more"
            elif detail.reason == "chosen":
                what = (
                    f"Took from {since} to {until} to decide; {best} was the better call on "
                    "what was known"
                )
            else:
                closed = "the drill stopped" if detail.reason == "unfinished" else "it closed"
                what = (
                    f"Had not decided from {since} until {closed} at {until}; "
                    f"{best} was the better call on what was known"
                )
            raw.append(
                Deduction(
                    "plan_b",
                    100.0 * sum(lost for _, lost in costly) / total_stakes,
                    what,
                    start=costly[0][0],
                    end=detail.closed_at,
                    decision=decision.id,
                )
            )
        if choice_regret > 1e-9 and detail.option is not None:
            raw.append(
                Deduction(
                    "plan_b",
                    100.0 * choice_regret / total_stakes,
                    f"At {minute(detail.closed_at)} the team chose '{label[detail.option]}'; "
                    f"{best} had a lower expected loss on the odds known then",
                    start=detail.closed_at,
                    decision=decision.id,
                )
            )
    total = sum(d.points for d in raw)
    if total > lost_points > 0:  # regret beyond the stakes: the score stops at 0
        raw = [replace(d, points=d.points * lost_points / total) for d in raw]
    return raw
