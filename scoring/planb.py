"""Plan-B decision quality: judged on what the team could know, never on the outcome.

For each decision a dynamic programme over checkpoints (every ``scoring.checkpoint``, with
"wait" as an option) gives, under the belief the team held, the expected loss of committing
to each option now, of waiting, of letting the clock run out, and of the best and worst
courses a reasonable team would weigh from here. Regret is the expected loss the team's moves
added over the best move at each checkpoint they passed; it is normalised by the decision's
stakes (what a reasonable course could lose over the best one when the decision opened, plus
every change in that which news brought while it was open), so a decision between near-ties
weighs little and regret never exceeds the stakes. The realised outcome is reported beside it
as luck.

Tables depend only on the scenario, the opening time, the belief, which options are
available and the share of the stream earlier plan Bs left running (a follow-up decision on a
stream already cut is weighed on what is left of it); they are computed once and cached, not
per seed.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

import msgspec

from drillsim.durations import format_minute as minute
from drillsim.engine import events as ev
from drillsim.scenario.conditions import (
    Condition,
    ConditionContext,
    depends_on_clock,
    holds,
    next_change,
)
from drillsim.scenario.model import (
    Decision,
    Distribution,
    Option,
    Scenario,
    Stream,
    option_of,
    share_left,
)
from drillsim.scenario.outage import Outage
from drillsim.scenario.streams import Assumed, Schedule, Untouched, is_flat, schedule
from drillsim.timegrid import to_ms
from scoring.card import DecisionScore, Deduction, Luck
from scoring.memo import per_scenario
from scoring.timeline import VISIBLE, Choice, Timeline, View, seen_by

WAIT = "\0wait"


@dataclass(frozen=True, slots=True)
class Tables:
    """Expected losses (impact units) at each checkpoint for one information state."""

    times: tuple[float, ...]
    commit: tuple[dict[str, float], ...]
    wait: tuple[float, ...]
    best: tuple[float, ...]
    worst: tuple[float, ...]
    """The worst course among those a reasonable team would weigh: waiting, and options
    expected to lose no more than letting the clock run out (``idle``)."""
    best_move: tuple[str, ...]
    idle: tuple[float, ...]
    """Waiting to the deadline and taking the default."""
    carry: tuple[float, ...]
    """The chance the outage outlasts the next checkpoint, given it lasted to this one."""

    def gap(self, index: int) -> float:
        """What was at stake at a checkpoint: the worst reasonable course over the best."""
        return self.worst[index] - self.best[index]

    def reasonable(self, index: int, option: str) -> bool:
        """Whether committing to ``option`` then was a course a reasonable team would weigh."""
        return self.commit[index][option] <= self.idle[index] * (1 + 1e-9) + 1e-9

    def index_at_or_after(self, t: float) -> int:
        for index, when in enumerate(self.times):
            if when >= t - 1e-6:
                return index
        return len(self.times) - 1

    def nearest(self, t: float) -> int:
        """The checkpoint closest to ``t`` (the earlier one on a tie): one of the two either
        side of it (checkpoints are in order, far more than a rounding error apart)."""
        times = self.times
        after = bisect_left(times, t)
        if after == 0:
            return 0
        if after == len(times):
            return after - 1
        before = after - 1
        return before if abs(times[before] - t) <= abs(times[after] - t) else after


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


@dataclass(frozen=True, slots=True)
class Courses:
    """What a conditional stream is expected to lose (see :mod:`drillsim.scenario.streams`):
    while the team waits, and once it has committed to each option."""

    waiting: Schedule
    committed: tuple[tuple[str, Schedule], ...]

    def of(self, option: str) -> Schedule:
        return next(found for name, found in self.committed if name == option)

    def scaled(self, share: float) -> Courses:
        """The same courses on the ``share`` of the stream earlier plan Bs left running."""
        return Courses(
            self.waiting.scaled(share),
            tuple((name, found.scaled(share)) for name, found in self.committed),
        )


def courses(
    scenario: Scenario, decision: Decision, start: float, state: ConditionContext | None = None
) -> Courses | None:
    """The decision's stream as the model expects it from ``start``, with the state frozen as
    ``state`` saw it (None: as at T+0, nothing done yet), the clock moving and the incident
    open; None for a flat stream."""
    stream = scenario.impact.streams.get(decision.stream, 0.0)
    if is_flat(stream) or not isinstance(stream, Stream):
        return None
    view = state if state is not None else Untouched(scenario)
    return Courses(
        schedule(stream, Assumed(view, (decision.id, None)), start),
        tuple(
            (option.id, schedule(stream, Assumed(view, (decision.id, option.id)), start))
            for option in decision.options
        ),
    )


def _commit_loss(
    outage: Outage,
    option: Option,
    rate_per_min: float,
    t_min: float,
    alive: float,
    course: Schedule | None = None,
) -> float:
    """Expected loss from ``t_min`` on when committing to ``option`` then (times in minutes);
    ``course``: the stream's schedule once it is chosen (None: a flat ``rate_per_min``)."""
    setup_min = float(option.setup) / 60.0
    if course is not None:
        lost = course.expected(outage, t_min) - option.effectiveness * course.expected(
            outage, t_min + setup_min
        )
        return lost / alive + option.cost + option.expected_risk_cost
    lost = outage.excess(t_min) - option.effectiveness * outage.excess(t_min + setup_min)
    return rate_per_min * lost / alive + option.cost + option.expected_risk_cost


def build_tables(
    scenario: Scenario,
    decision: Decision,
    opened_at: float,
    belief: Distribution,
    available: frozenset[str],
    share: float = 1.0,
    expected: Courses | None = None,
) -> Tables:
    """Backward induction over the decision's checkpoints for one information state;
    ``share``: the part of the stream's loss the plan Bs chosen before it opened left running;
    ``expected``: a conditional stream's courses (None: the stream's flat rate)."""
    outage = Outage(belief)
    rate = float(scenario.impact.stream(decision.stream).rate) * share
    if expected is not None and share != 1.0:
        expected = expected.scaled(share)
    times = checkpoints(scenario, decision, opened_at)
    minutes = [t / 60.0 for t in times]
    options = [o for o in decision.options if o.id in available or o.id == decision.default]
    count = len(times)
    commit: list[dict[str, float]] = [{} for _ in range(count)]
    wait = [0.0] * count
    best = [0.0] * count
    worst = [0.0] * count
    idle = [0.0] * count
    carry = [0.0] * count
    move = [WAIT] * count
    for k in range(count - 1, -1, -1):
        t = minutes[k]
        alive = max(outage.survival(t), 1e-12)
        commit[k] = {
            o.id: _commit_loss(outage, o, rate, t, alive, expected.of(o.id) if expected else None)
            for o in options
        }
        if k == count - 1:
            forced = commit[k][decision.default]
            wait[k] = best[k] = worst[k] = idle[k] = forced
            move[k] = decision.default
            continue
        if expected is None:
            step_loss = rate * (outage.excess(t) - outage.excess(minutes[k + 1])) / alive
        else:
            step_loss = expected.waiting.expected(outage, t, minutes[k + 1]) / alive
        carry[k] = outage.survival(minutes[k + 1]) / alive
        wait[k] = step_loss + carry[k] * best[k + 1]
        idle[k] = step_loss + carry[k] * idle[k + 1]
        choice = min(commit[k], key=lambda o: commit[k][o])
        if commit[k][choice] < wait[k] - 1e-9:
            best[k], move[k] = commit[k][choice], choice
        else:
            best[k], move[k] = wait[k], WAIT
        # An option expected to lose more than sitting the decision out is not one a
        # reasonable team weighs: it must not inflate what the decision is worth.
        sensible = [loss for loss in commit[k].values() if loss <= idle[k] * (1 + 1e-9) + 1e-9]
        worst[k] = max([step_loss + carry[k] * worst[k + 1], *sensible])
    return Tables(
        tuple(times),
        tuple(commit),
        tuple(wait),
        tuple(best),
        tuple(worst),
        tuple(move),
        tuple(idle),
        tuple(carry),
    )


_TablesKey = tuple[str, float, Distribution, frozenset[str], float, Courses | None]


class _Watch(NamedTuple):
    """What can change a decision's information state as it stays open, besides the belief."""

    events: frozenset[type[ev.Event]]
    """The events that can: what the options' conditions read, and for a stream that is not
    flat, anything a condition can see. News of the outage's length (a new belief) comes
    with some injects, and is watched by its own times."""
    clocked: tuple[Condition, ...]
    """The options' conditions the clock alone can turn."""


@dataclass(slots=True)
class _Cached:
    """What plan-B scoring works out once per scenario (:func:`scoring.memo.per_scenario`)."""

    tables: dict[_TablesKey, Tables] = field(default_factory=dict)
    watches: dict[str, _Watch] = field(default_factory=dict)
    expected_losses: dict[tuple[str, str, float, float, float, Distribution], float] = field(
        default_factory=dict
    )
    """What a course was expected to lose (:func:`_expected_loss`): bots that decide alike
    on every seed take the same course from the same moment."""


def tables_for(
    scenario: Scenario,
    decision: Decision,
    opened_at: float,
    belief: Distribution,
    available: frozenset[str],
    share: float = 1.0,
    expected: Courses | None = None,
) -> Tables:
    """Cached :func:`build_tables`: computed once per scenario and information state."""
    cache = per_scenario(scenario, _Cached).tables
    key = (decision.id, opened_at, belief, available, share, expected)
    found = cache.get(key)
    if found is None:
        found = cache[key] = build_tables(
            scenario, decision, opened_at, belief, available, share, expected
        )
    return found


def _watch(scenario: Scenario, decision: Decision) -> _Watch:
    """What can change ``decision``'s information state (worked out once per scenario)."""
    watches = per_scenario(scenario, _Cached).watches
    found = watches.get(decision.id)
    if found is None:
        events: set[type[ev.Event]] = set()
        for option in decision.options:
            events |= seen_by(option.requires, scenario)
        if not is_flat(scenario.impact.streams.get(decision.stream, 0.0)):
            events |= VISIBLE
        flags = scenario.truth.flags
        clocked = tuple(
            option.requires
            for option in decision.options
            if depends_on_clock(option.requires, flags)
        )
        found = watches[decision.id] = _Watch(frozenset(events), clocked)
    return found


def stream_share(timeline: Timeline, decision: Decision, opened_at: float) -> float:
    """The part of ``decision``'s stream the plan Bs chosen before it opened left running."""
    scenario = timeline.scenario
    return share_left(
        decision.stream,
        (
            (scenario.decision(choice.decision), choice.option)
            for choice in timeline.choices.values()
            if choice.decision != decision.id and choice.closed_at <= opened_at
        ),
    )


class _Readings:
    """The tables one open decision is read with at each checkpoint, each worked out once
    (judging the decision and finding its best plan read the same checkpoints).

    What earlier plan Bs left of the stream is fixed when the decision opens; the belief, the
    options available and a conditional stream's courses are what the team knew at each
    checkpoint. That information state changes only when something happens in the run that it
    can see (news, or what an option's condition reads), when the clock turns an option's
    condition, or when the outage ends, so the checkpoints before the next such moment share
    the tables of the last one read (most of them: news is rare, updates do not count).
    """

    __slots__ = ("_at", "_last", "_steady", "_watch", "decision", "opened", "share", "timeline")

    def __init__(self, timeline: Timeline, decision: Decision, opened: float) -> None:
        self.timeline = timeline
        self.decision = decision
        self.opened = opened
        self.share = stream_share(timeline, decision, opened)
        self._at: dict[float, Tables] = {}
        """The tables read in full, by time (the checkpoints in between hold ``_steady``)."""
        self._last: tuple[Distribution, frozenset[str], Courses | None, Tables] | None = None
        self._steady: tuple[float, float, Tables] | None = None
        """(read at, changes from, tables): the state read at one time holds until the other."""
        self._watch = _watch(timeline.scenario, decision)

    def at(self, t: float) -> Tables:
        """The tables for the information state the team was in at exercise time ``t``."""
        steady = self._steady
        if steady is not None and steady[0] <= t < steady[1]:
            return steady[2]
        found = self._at.get(t)
        if found is None:
            found = self._at[t] = self._read(t)
        return found

    def holding(self, t: float) -> tuple[Tables, float]:
        """:meth:`at`, and the time before which the checkpoints from ``t`` on share those
        tables (``t`` itself when that is not known: read them checkpoint by checkpoint)."""
        found = self.at(t)
        steady = self._steady
        if steady is not None and steady[0] <= t < steady[1] and steady[2] is found:
            return found, steady[1]
        return found, t

    def at_choice(self, t: float, option: str) -> Tables:
        """The tables a choice made at ``t`` is judged with: as :meth:`at`, the chosen option
        among those available. The engine took it, so it was; an event at the same instant
        after the choice (an update ending a silence the option needed) may have turned its
        condition since, and the choice is judged in the state it was made in."""
        found = self.at(t)
        if option in found.commit[0]:
            return found
        timeline, decision = self.timeline, self.decision
        view = timeline.view(t)
        available = frozenset(
            o.id for o in decision.options if o.id == option or holds(o.requires, view, t)
        )
        expected = courses(timeline.scenario, decision, self.opened, view)
        belief = timeline.belief_at(t)  # kept apart from the checkpoints' shared tables
        return tables_for(
            timeline.scenario, decision, self.opened, belief, available, self.share, expected
        )

    def _read(self, t: float) -> Tables:
        timeline, decision = self.timeline, self.decision
        view = timeline.view(t)
        belief = timeline.belief_at(t)
        available = frozenset(o.id for o in decision.options if holds(o.requires, view, t))
        expected = courses(timeline.scenario, decision, self.opened, view)
        last = self._last
        if last is not None and last[0] is belief and last[1] == available and last[2] == expected:
            found = last[3]
        else:
            found = tables_for(
                timeline.scenario, decision, self.opened, belief, available, self.share, expected
            )
            self._last = (belief, available, expected, found)
        self._steady = (t, self._changes_after(t, view), found)
        return found

    def _changes_after(self, t: float, view: View) -> float:
        """The first time after ``t`` the information state may differ from the one at ``t``:
        news of the outage's length, the next event that can change it otherwise, the clock
        turning an option's condition, or the end of the outage."""
        timeline = self.timeline
        times = timeline.times_of(self._watch.events)
        index = bisect_right(times, t)
        changes = times[index] if index < len(times) else math.inf
        news = min((when for when, _, _ in timeline.beliefs if when > t), default=math.inf)
        changes = min(changes, news)
        if timeline.true_duration > t:
            changes = min(changes, timeline.true_duration)
        for condition in self._watch.clocked:
            changes = min(changes, next_change(condition, view, t))
        return changes


class Judgement(msgspec.Struct, frozen=True):
    """One decision judged move by move on what the team knew at each checkpoint."""

    regret: float
    stakes: float
    waits: tuple[tuple[float, float, str], ...]
    """(checkpoint time, regret, the better move then) for each checkpoint the team waited
    when waiting cost something (a regret over 1e-9)."""
    choice_regret: float
    better_choice: str
    """The best move when the team chose (an option id, or :data:`WAIT`)."""


def judge(
    timeline: Timeline,
    decision: Decision,
    opened: float,
    choice: Choice,
    readings: _Readings | None = None,
) -> Judgement:
    """Regret and stakes of one decision, each checkpoint read in its own information state.

    The checkpoints the team passed are walked in order. Each is weighed by the chance the
    decision was still live there, as the team could reckon it step by step from what it
    knew; waiting costs what it was expected to lose over the best move, and the choice what
    it was expected to lose over the best move when it was made. The stakes are what was at
    stake at the first checkpoint (the worst reasonable course over the best), plus every
    change, up or down, in what was still at stake when news (a new belief, an option becoming
    available) arrived while the decision was open. Within one information state the regrets
    telescope to at most the drop in what is at stake, so regret never exceeds the stakes, and
    a team that sat a decision out to its deadline loses exactly its stakes. The end of the
    outage while a decision is open is such news: nothing is at stake after it. An option worse
    than sitting the decision out is not weighed in the stakes; a team that takes one loses
    all that was at stake, and what it lost beyond that is added to the stakes as well.
    """
    readings = readings or _Readings(timeline, decision, opened)
    first = readings.at(opened)
    times = first.times
    # The option the team chose (or let default); None when it did not decide.
    decided_for = choice.option if choice.reason in ("chosen", "default") else None
    judged_at = first.nearest(choice.closed_at) if decided_for is not None else len(times)
    waited = 0  # the checkpoints the team passed waiting: those before the choice is judged
    while waited < judged_at and times[waited] < choice.closed_at + 1e-6:
        waited += 1
    if not waited and decided_for is None:
        return Judgement(0.0, first.gap(0), (), 0.0, WAIT)
    weight, stakes, regret = 1.0, 0.0, 0.0
    previous: Tables | None = None
    previous_index = 0

    def reach(state: Tables, index: int) -> None:
        """Step on to checkpoint ``index``, read in ``state``: the chance the decision is
        still live there, and the change in what is at stake when news changed the state."""
        nonlocal weight, stakes, previous, previous_index
        if previous is None:
            stakes = state.gap(index)
        else:
            weight *= previous.carry[previous_index]
            if state is not previous:
                stakes += weight * (state.gap(index) - previous.gap(index))
        previous, previous_index = state, index

    waits: list[tuple[float, float, str]] = []
    index = 0
    while index < waited:  # a run of checkpoints read in one information state at a time
        state, until = readings.holding(times[index])
        reach(state, index)
        carry, wait, best, best_move = state.carry, state.wait, state.best, state.best_move
        while True:
            lost = weight * (wait[index] - best[index])
            regret += lost
            if lost > 1e-9:
                waits.append((times[index], lost, best_move[index]))
            index += 1
            if index >= waited or times[index] >= until:
                break
            weight *= carry[index - 1]
        previous_index = index - 1
    choice_regret, better = 0.0, WAIT
    if decided_for is not None:
        state = readings.at_choice(choice.closed_at, decided_for)
        reach(state, judged_at)
        option = decided_for
        # Never below zero: a choice within the tie tolerance of the best (or equal to it but
        # for rounding) costs nothing, and gains nothing either.
        choice_regret = weight * max(0.0, state.commit[judged_at][option] - state.best[judged_at])
        better = state.best_move[judged_at]
        if not state.reasonable(judged_at, option):
            stakes += max(0.0, choice_regret - weight * state.gap(judged_at))
        regret += choice_regret
    assert previous is not None
    after = previous_index + 1
    if choice.reason == "moot" and after < len(previous.times):
        # The outage ended while the decision was open: news that left nothing at stake.
        stakes -= weight * previous.carry[previous_index] * previous.gap(after)
    return Judgement(regret, stakes, tuple(waits), choice_regret, better)


def score_plan_b(
    timeline: Timeline,
) -> tuple[float | None, list[DecisionScore], list[Deduction], Luck]:
    """Plan-B score (None when no decision opened), per-decision detail, deductions, luck."""
    scenario = timeline.scenario
    details: list[DecisionScore] = []
    judged: list[tuple[Decision, Judgement]] = []
    total_regret = total_stakes = 0.0
    expected_total = realised_total = 0.0
    for decision in scenario.decisions:
        choice = timeline.choices.get(decision.id)
        opened = timeline.arisen(decision.id)
        if opened is None or choice is None:
            continue
        readings = _Readings(timeline, decision, opened)
        judgement = judge(timeline, decision, opened, choice, readings)
        best_at, best_option = _best_plan(readings, choice.closed_at)
        expected, realised = _luck(
            timeline, decision, opened, choice.closed_at, choice.option, readings.share
        )
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
                regret=judgement.regret,
                stakes=judgement.stakes,
                expected_loss=expected,
                realised_loss=realised,
            )
        )
        if judgement.stakes > 1e-9:
            total_regret += judgement.regret
            total_stakes += judgement.stakes
            judged.append((decision, judgement))
    luck = Luck(scenario.impact.unit, expected_total, realised_total)
    if total_stakes <= 0:
        return (100.0 if details else None), details, [], luck
    # Regret never exceeds the stakes (tests/test_scoring_properties.py proves it, belief
    # injects and all); only rounding in the last bits can take the share past one.
    score = 100.0 * (1.0 - min(1.0, total_regret / total_stakes))
    deductions = _deductions(timeline, details, judged, total_stakes)
    return score, details, deductions, luck


def _best_plan(readings: _Readings, closed: float) -> tuple[float | None, str | None]:
    """The first checkpoint at which, on what was known then, committing beat waiting.

    Information arrives during a decision (a prerequisite is met, the vendor's estimate
    changes), so each checkpoint is read with the tables of its own information state.
    """
    first = readings.at(readings.opened)
    for index, t in enumerate(first.times):
        if t > closed + 1e-6:
            break
        move = readings.at(t).best_move[index]
        if move != WAIT:
            return t, move
    return None, None


def _luck(
    timeline: Timeline,
    decision: Decision,
    opened: float,
    closed: float,
    option_id: str | None,
    share: float,
) -> tuple[float, float]:
    """Expected (on the belief at opening) and realised loss of the team's course on the
    ``share`` of the stream earlier plan Bs left running."""
    if option_id is None:
        return 0.0, 0.0
    scenario = timeline.scenario
    option = option_of(decision, option_id)
    belief = timeline.belief_at(opened)
    t_open, t_close = opened / 60.0, closed / 60.0
    expected_course = courses(scenario, decision, opened, timeline.view(opened))
    if expected_course is not None:
        scaled = expected_course.scaled(share)
        return _conditional_luck(timeline, scaled, option, Outage(belief), opened, closed)
    rate = float(scenario.impact.stream(decision.stream).rate) * share
    expected = _expected_loss(scenario, decision, option, belief, opened, closed, rate)
    true_end = timeline.true_duration / 60.0
    effective = t_close + float(option.setup) / 60.0
    before = max(0.0, min(true_end, effective) - t_open)
    after = max(0.0, true_end - effective) * (1.0 - option.effectiveness)
    fixed = option.cost + option.expected_risk_cost
    realised = rate * (before + after) + (fixed if true_end > t_close else 0.0)
    return expected, realised


def _expected_loss(
    scenario: Scenario,
    decision: Decision,
    option: Option,
    belief: Distribution,
    opened: float,
    closed: float,
    rate: float,
) -> float:
    """What waiting from ``opened`` to ``closed`` and then committing to ``option`` was
    expected to lose on a flat ``rate``, on the ``belief`` held when the decision opened
    (worked out once per scenario and course)."""
    cache = per_scenario(scenario, _Cached).expected_losses
    key = (decision.id, option.id, opened, closed, rate, belief)
    found = cache.get(key)
    if found is None:
        outage = Outage(belief)
        t_open, t_close = opened / 60.0, closed / 60.0
        alive = max(outage.survival(t_open), 1e-12)
        waiting = rate * (outage.excess(t_open) - outage.excess(t_close)) / alive
        later = outage.survival(t_close) / alive
        found = cache[key] = waiting + later * _commit_loss(
            outage, option, rate, t_close, max(outage.survival(t_close), 1e-12)
        )
    return found


def _conditional_luck(
    timeline: Timeline,
    expected_course: Courses,
    option: Option,
    outage: Outage,
    opened: float,
    closed: float,
) -> tuple[float, float]:
    """:func:`_luck` for a conditional stream: its schedules as the model read them when the
    decision opened, expected under the belief then and realised on the true outage length."""
    t_open, t_close = opened / 60.0, closed / 60.0
    alive = max(outage.survival(t_open), 1e-12)
    waiting, chosen = expected_course.waiting, expected_course.of(option.id)
    later = outage.survival(t_close) / alive
    expected = waiting.expected(outage, t_open, t_close) / alive + later * _commit_loss(
        outage, option, 0.0, t_close, max(outage.survival(t_close), 1e-12), chosen
    )
    true_end = timeline.true_duration / 60.0
    effective = t_close + float(option.setup) / 60.0
    realised = (
        waiting.realised(t_open, min(true_end, t_close))
        + chosen.realised(t_close, min(true_end, effective))
        + (1.0 - option.effectiveness) * chosen.realised(effective, true_end)
    )
    if true_end > t_close:
        realised += option.cost + option.expected_risk_cost
    return expected, realised


def _deductions(
    timeline: Timeline,
    details: list[DecisionScore],
    judged: list[tuple[Decision, Judgement]],
    total_stakes: float,
) -> list[Deduction]:
    """A deduction for the time a decision was left waiting when acting was better, and one
    for a choice that was not the best move when it was made, each naming the better move."""
    raw: list[Deduction] = []
    by_id = {d.decision: d for d in details}
    for decision, judgement in judged:
        detail = by_id[decision.id]
        label: dict[str, str] = {o.id: timeline.render(o.label) for o in decision.options}
        costly = judgement.waits
        if costly:
            raw.append(
                Deduction(
                    "plan_b",
                    100.0 * sum(lost for _, lost, _ in costly) / total_stakes,
                    _waited(detail, decision, label, costly[0][0], costly[0][2]),
                    start=costly[0][0],
                    end=detail.closed_at,
                    decision=decision.id,
                )
            )
        if judgement.choice_regret > 1e-9 and detail.option is not None:
            better = judgement.better_choice
            instead = "waiting" if better == WAIT else f"'{label[better]}'"
            raw.append(
                Deduction(
                    "plan_b",
                    100.0 * judgement.choice_regret / total_stakes,
                    f"At {minute(detail.closed_at)} the team chose '{label[detail.option]}'; "
                    f"{instead} had a lower expected loss on the odds known then",
                    start=detail.closed_at,
                    decision=decision.id,
                )
            )
    return raw


def _waited(
    detail: DecisionScore, decision: Decision, label: dict[str, str], since: float, move: str
) -> str:
    """Why waiting from ``since`` cost points: acting sooner (``move``) was the better call."""
    until = minute(detail.closed_at)
    # Compared on the millisecond grid, written with the one time formatter: a choice at
    # T+0:12 is never told that choosing at T+0:12 would have saved more.
    sooner = to_ms(since) < to_ms(detail.closed_at) and minute(since) != until
    better = f"acting sooner ('{label[move]}')"
    if detail.reason == "default":
        kept = detail.option or decision.default
        took = "took the default" if kept == decision.default else "kept the team's choice"
        return (
            f"Let the clock run out ({minute(since)} to {until}) and {took}, "
            f"'{label[kept]}'; {better} was the better call on what was known"
        )
    if detail.reason == "chosen" and detail.option == move:
        if sooner:
            return (
                f"Chose '{label[move]}' at {until}; choosing it at {minute(since)} would have "
                "saved more"
            )
        # Seconds late, within the minute it became the better call: "a little sooner" read
        # as advice nobody could follow (a tester chose in the minute the decision opened).
        return (
            f"Chose '{label[move]}' at {until}, within the minute it became the better call; "
            "choosing it at once would have saved a little more"
        )
    if detail.reason == "chosen":
        took = (
            f"Took from {minute(since)} to {until} to decide" if sooner else "Chose a moment late"
        )
        return f"{took}; {better} was the better call on what was known"
    closed = "the drill stopped" if detail.reason == "unfinished" else "the outage ended"
    # Within one minute there is no "from ... until" to speak of (never "from T+0:12 until
    # the drill stopped at T+0:12").
    waited = (
        f"from {minute(since)} until {closed} at {until}" if sooner else f"when {closed} at {until}"
    )
    return f"Had not decided {waited}; {better} was the better call on what was known"
