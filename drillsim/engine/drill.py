"""The drill: a deterministic exercise over a scenario, driven by time and team actions.

Time only moves forward. Everything due is processed at its exact exercise time, in a fixed
order, whatever the polling rhythm: conditional injects fire at the instant their condition
first holds (see :func:`drillsim.scenario.conditions.next_change`). So the same scenario,
seed and timed actions give the same events, bit for bit.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass
from functools import partial
from typing import Any

from drillsim.engine import events as ev
from drillsim.engine.actions import (
    ActionRejected,
    AddNote,
    ChooseOption,
    SendMessage,
    SendUpdate,
    TakeAction,
    TeamAction,
    carries_content,
    promise_window,
)
from drillsim.engine.clock import Clock, ExerciseClock
from drillsim.engine.draws import draw_duration, draw_variables
from drillsim.engine.events import Belief, Event
from drillsim.limits import MAX_SPEED, MIN_SPEED
from drillsim.scenario.conditions import (
    ActionTaken,
    AllOf,
    AnyOf,
    Chosen,
    Condition,
    ExpectationFailed,
    ExpectationMet,
    FactRevealed,
    FlagSet,
    InjectDelivered,
    Not,
    Silent,
    depends_on_clock,
    holds,
    next_change,
    time_window,
)
from drillsim.scenario.model import (
    Audience,
    Decision,
    Distribution,
    Inject,
    Lognormal,
    Option,
    Scenario,
    option_of,
)
from drillsim.templates import fill
from drillsim.timegrid import MAX_SECONDS, on_grid
from drillsim.update_status import UPDATE_STATUSES

SKIP_LIMIT = 15 * 60.0
SKIP_MARGIN = 60.0

_VISIBLE = frozenset(
    {
        ev.INJECT_DELIVERED,
        ev.DECISION_OPENED,
        ev.DECISION_CLOSED,
        ev.PLAN_B_EFFECTIVE,
        ev.INCIDENT_RESOLVED,
        ev.AUDIENCE_AFFECTED,
        ev.DRILL_ENDED,
    }
)
"""Events the team sees on screen: skipping stops at the first of them."""


@dataclass(slots=True)
class DecisionState:
    """Where an open or closed plan-B decision stands."""

    decision: Decision
    opened_at: float
    closes_at: float
    option: str | None = None
    closed_at: float | None = None
    reason: str | None = None
    effective_at: float | None = None
    effective: bool = False

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(slots=True)
class ExpectationState:
    started_at: float
    deadline: float
    status: str = "pending"


@dataclass(frozen=True, slots=True)
class _Plan:
    """What every drill of a scenario works out about it before it starts (shared)."""

    clocked: dict[int, bool]
    """Per condition (by id): whether the clock alone can flip it; if not, it waits for events."""
    earliest: dict[int, float]
    """Per condition: no condition holds before the earliest time its clock atoms allow."""
    reads: dict[int, tuple[tuple[str, str], ...]]
    """Per condition: the state it reads, as (kind, name) stamps (see Drill._touch)."""
    turning: dict[int, tuple[tuple[str, str], ...]]
    """Per condition: the part of what it reads whose change can make it hold."""
    timed_injects: tuple[Inject, ...]
    """Injects with an ``at``, in delivery order."""
    conditional_injects: tuple[Inject, ...]
    """Injects with a ``when``, in scenario order; ``clocked_injects`` those the clock flips."""
    clocked_injects: tuple[Inject, ...]
    clocked_audiences: tuple[Audience, ...]
    conditional_decisions: tuple[Decision, ...]
    audience_ids: frozenset[str]
    fact_ids: frozenset[str]
    unknown_ids: frozenset[str]
    action_ids: frozenset[str]


_PLANS: dict[int, tuple[weakref.ref[Scenario], _Plan]] = {}
"""Plans by scenario id, each dropped when its scenario is freed."""


def _plan_of(scenario: Scenario) -> _Plan:
    owner = id(scenario)
    cached = _PLANS.get(owner)
    if cached is not None and cached[0]() is scenario:
        return cached[1]
    flags = scenario.truth.flags
    conditional = [
        *(inject.when for inject in scenario.injects if inject.when is not None),
        *(decision.when for decision in scenario.decisions if decision.when is not None),
        *(audience.impacted for audience in scenario.audiences),
    ]
    order = {inject.id: index for index, inject in enumerate(scenario.injects)}
    clocked = {id(c): depends_on_clock(c, flags) for c in conditional}
    conditional_injects = tuple(i for i in scenario.injects if i.when is not None)
    plan = _Plan(
        clocked=clocked,
        earliest={id(c): time_window(c, flags)[0] for c in conditional},
        reads={id(c): _reads(c, flags)[0] for c in conditional},
        turning={id(c): _reads(c, flags)[1] for c in conditional},
        timed_injects=tuple(
            sorted(
                (inject for inject in scenario.injects if inject.at is not None),
                key=lambda inject: (inject.at, order[inject.id]),
            )
        ),
        conditional_injects=conditional_injects,
        clocked_injects=tuple(i for i in conditional_injects if clocked[id(i.when)]),
        clocked_audiences=tuple(a for a in scenario.audiences if clocked[id(a.impacted)]),
        conditional_decisions=tuple(d for d in scenario.decisions if d.when is not None),
        audience_ids=frozenset(audience.id for audience in scenario.audiences),
        fact_ids=frozenset(fact.id for fact in scenario.facts),
        unknown_ids=frozenset(unknown.id for unknown in scenario.unknowns),
        action_ids=frozenset(action.id for action in scenario.actions),
    )
    # The callback must not hold the scenario itself, or it would never be freed.
    _PLANS[owner] = (weakref.ref(scenario, partial(_forget_plan, owner)), plan)
    return plan


def _forget_plan(owner: int, _freed: object) -> None:
    _PLANS.pop(owner, None)


def _reads(
    condition: Condition, flags: dict[str, Condition]
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """The state ``condition`` reads through the condition protocol (flags followed), and
    the part of it whose change can make the condition hold where it did not.

    An update to an audience only ever pushes its ``silent`` time later: where every such
    atom counts positively (under an even number of ``not``), an update cannot make the
    condition hold, so it is left out of the second list.
    """
    polarity: dict[tuple[str, str], set[bool]] = {}

    def visit(node: Condition, positive: bool, followed: frozenset[str]) -> None:
        read: tuple[str, str] | None = None
        match node:
            case AllOf(all=items) | AnyOf(any=items):
                for item in items:
                    visit(item, positive, followed)
            case Not(negated=inner):
                visit(inner, not positive, followed)
            case FlagSet(flag=name) if name in flags and name not in followed:
                visit(flags[name], positive, followed | {name})
            case FactRevealed(fact=fact):
                read = ("fact", fact)
            case Chosen(chosen=ref):
                read = ("chosen", ref.decision)
            case Silent(silent=ref):
                read = ("silent", ref.audience)
            case ExpectationFailed(expectation_failed=name) | ExpectationMet(expectation_met=name):
                read = ("expectation", name)
            case ActionTaken(action_taken=name):
                read = ("action", name)
            case InjectDelivered(inject_delivered=name):
                read = ("inject", name)
        if read is not None:
            polarity.setdefault(read, set()).add(positive)

    visit(condition, True, frozenset())
    every = tuple(polarity)
    return every, tuple(read for read in every if read[0] != "silent" or False in polarity[read])


def belief_of(distribution: Distribution) -> Belief:
    """A scenario's distribution as the journal records it."""
    if isinstance(distribution, Lognormal):
        return Belief(median=float(distribution.median), sigma=float(distribution.sigma))
    return Belief(fixed=float(distribution.fixed))


class Drill:
    """One run of a scenario. Drive it with :meth:`poll` (clocked) or :meth:`advance_to`."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        *,
        clock: Clock | None = None,
        speed: float | None = None,
        length: float | None = None,
        variables: dict[str, str] | None = None,
    ) -> None:
        """``variables``: values already drawn for this seed (see draw_variables_apart)."""
        self.scenario = scenario
        self.seed = seed
        self.length = on_grid(float(length if length is not None else scenario.length))
        self.variables = variables if variables is not None else draw_variables(scenario, seed)
        self.true_duration = on_grid(draw_duration(scenario.truth.duration, seed))
        self._speed = float(speed or scenario.speed)
        self._clock = ExerciseClock(clock, self._speed) if clock is not None else None
        self.now = 0.0
        self.ended = False
        self.events: list[Event] = []
        self._cursor = 0
        self.delivered: dict[str, float] = {}
        self.revealed: dict[str, float] = {}
        self.belief: Distribution = scenario.belief
        self.decisions: dict[str, DecisionState] = {}
        self.expectations: dict[str, ExpectationState] = {}
        self.last_updates: dict[str, float] = {}
        self.actions_taken: dict[str, list[float]] = {}
        self.resolution_processed = False
        self._version = 0  # bumped on every change of state, for the next_instant memo
        self.promised: dict[str, float] = {}  # audience -> when the next update was promised
        self.affected: dict[str, float] = {}  # audience -> when it started to be affected
        self._next_memo: tuple[tuple[int, float], float] = ((-1, -1.0), 0.0)
        self._plan = _plan_of(scenario)
        self._next_timed = 0  # index of the first timed inject not yet due
        # Change stamps of the state conditions read (a fact, a choice, an audience's last
        # update...): a condition found false stays false until the clock reaches a time that
        # may flip it or something it reads changes, and the clock time found for it stays
        # right until the clock gets there or something it reads changes.
        self._tick = 0
        self._stamps: dict[tuple[str, str], int] = {}
        self._false_until: dict[int, tuple[float, int]] = {}
        self._due: dict[int, tuple[float, int]] = {}
        self._emit(
            ev.DrillStarted,
            scenario=scenario.id,
            version=scenario.version,
            seed=seed,
            speed=self.speed,
            length=self.length,
            variables=dict(self.variables),
            truth=ev.Truth(duration=self.true_duration),
            belief=belief_of(scenario.belief),
        )
        for expectation in scenario.expectations:
            if expectation.after is None:
                self.expectations[expectation.id] = ExpectationState(
                    0.0, on_grid(expectation.within)
                )
        self._process_instant(0.0)

    # ----------------------------------------------------------------- time
    @property
    def speed(self) -> float:
        return self._clock.speed if self._clock else self._speed

    def wall_time_at(self, exercise_time: float) -> float:
        """When ``exercise_time`` falls on the injected wall clock, at the current pace."""
        return self._require_clock().wall_time_at(exercise_time)

    @property
    def paused(self) -> bool:
        return bool(self._clock and self._clock.paused)

    @property
    def incident_open(self) -> bool:
        return not self.resolution_processed

    def poll(self) -> list[Event]:
        """Advance to the clock's exercise time; return every event not returned before."""
        if self._clock is not None and not self.ended:
            self.advance_to(self._clock.elapsed())
        fresh = self.events[self._cursor :]
        self._cursor = len(self.events)
        return fresh

    def advance_to(self, target: float) -> None:
        """Process everything due up to exercise time ``target`` (headless driving)."""
        if self.ended:
            return
        target = on_grid(min(float(target), self.length))
        while True:
            instant = self.next_instant()
            if instant > target:
                break
            self.now = max(self.now, instant)
            self._process_instant(self.now)
            if self.now >= self.length:
                self._end("time")
            if self.ended:
                return
        self.now = max(self.now, target)

    def next_instant(self) -> float:
        """The next exercise time at which the engine has something to process."""
        key = (self._version, self.now)
        if self._next_memo[0] == key:
            return self._next_memo[1]
        found = self._compute_next_instant()
        self._next_memo = (key, found)
        return found

    def _compute_next_instant(self) -> float:
        found = self.length
        delivered = self.delivered
        timed = self._plan.timed_injects
        for index in range(self._next_timed, len(timed)):
            if timed[index].id not in delivered:
                found = min(found, float(timed[index].at))  # type: ignore[arg-type]
                break
        for inject in self._plan.clocked_injects:
            if inject.id not in delivered:
                found = min(found, self._next_change(inject.when))  # type: ignore[arg-type]
        if not self.resolution_processed:
            found = min(found, self.true_duration)
            for audience in self._plan.clocked_audiences:
                if audience.id not in self.affected:
                    found = min(found, self._next_change(audience.impacted))
        for decision in self.scenario.decisions:
            state = self.decisions.get(decision.id)
            if state is None:
                if decision.at is not None:
                    found = min(found, float(decision.at))
                elif decision.when is not None and self._plan.clocked[id(decision.when)]:
                    found = min(found, self._next_change(decision.when))
            elif state.is_open:
                found = min(found, state.closes_at)
            elif (
                state.effective_at is not None
                and not state.effective
                and not self.resolution_processed
            ):
                found = min(found, state.effective_at)
        for expectation in self.expectations.values():
            if expectation.status == "pending":
                found = min(found, expectation.deadline)
        return found

    def _next_change(self, condition: Condition) -> float:
        """When the clock may next flip ``condition`` after now; remembered until the clock
        gets there or something the condition reads changes."""
        key = id(condition)
        known = self._due.get(key)
        if (
            known is not None
            and self.now < known[0]
            and self._unchanged(self._plan.reads[key], known[1])
        ):
            return known[0]
        earliest = self._plan.earliest[key]
        due = earliest if earliest > self.now else next_change(condition, self, self.now)
        self._due[key] = (due, self._tick)
        return due

    def _may_hold(self, condition: Condition) -> bool:
        """Whether ``condition`` holds now.

        A condition found false stays false until the clock reaches a time that may flip it
        (its next change, its earliest time, the hidden resolution) or something it reads
        changes; until then it is not evaluated again.
        """
        key = id(condition)
        t = self.now
        known = self._false_until.get(key)
        if (
            known is not None
            and t < known[0]
            and self._unchanged(self._plan.turning[key], known[1])
        ):
            return False
        if t >= self._plan.earliest[key] and holds(condition, self, t):
            return True
        until = self._next_change(condition) if self._plan.clocked[key] else math.inf
        if self.true_duration > t:
            until = min(until, self.true_duration)
        self._false_until[key] = (until, self._tick)
        return False

    def _unchanged(self, reads: tuple[tuple[str, str], ...], tick: int) -> bool:
        """Whether none of ``reads`` changed after ``tick``."""
        if not reads:  # most conditions read only the clock
            return True
        stamps = self._stamps
        return all(stamps.get(read, 0) <= tick for read in reads)

    def _touch(self, kind: str, name: str) -> None:
        """Stamp a change of state that conditions read (see :class:`_Plan` reads)."""
        self._tick += 1
        self._stamps[(kind, name)] = self._tick

    # ------------------------------------------------------------ processing
    def _process_instant(self, t: float) -> None:
        self._version += 1
        s = self.scenario
        timed = self._plan.timed_injects
        while self._next_timed < len(timed) and timed[self._next_timed].at <= t:  # type: ignore[operator]
            inject = timed[self._next_timed]
            self._next_timed += 1
            if inject.id not in self.delivered:
                self._deliver(inject, t)
        if not self.resolution_processed and self.true_duration <= t:
            self._resolve(t)
        for decision in s.decisions:
            if decision.id not in self.decisions and decision.at is not None and decision.at <= t:
                self._open(decision, t)
        for state in self.decisions.values():
            if state.effective_at is not None and not state.effective and state.effective_at <= t:
                state.effective = True
                if not self.resolution_processed:  # after the outage a plan B changes nothing
                    self._emit(ev.PlanBEffective, decision=state.decision.id, option=state.option)
            if state.is_open and state.closes_at <= t:
                self._close(state, state.decision.default, "default")
        for name, expectation in self.expectations.items():
            if expectation.status == "pending" and expectation.deadline <= t:
                expectation.status = "failed"
                self._touch("expectation", name)
                audience = s.expectation(name).audience
                self._emit(ev.ExpectationFailed, expectation=name, audience=audience)
        self._settle(t)

    def _settle(self, t: float) -> None:
        """Fire every conditional inject and decision that holds at ``t`` (now), to a fixed
        point."""
        if not self.resolution_processed:
            for audience in self.scenario.audiences:
                if audience.id not in self.affected and self._may_hold(audience.impacted):
                    self.affected[audience.id] = t
                    self._emit(ev.AudienceAffected, audience=audience.id)
        changed = True
        while changed and not self.ended:
            changed = False
            for inject in self._plan.conditional_injects:
                if inject.id not in self.delivered and self._may_hold(inject.when):  # type: ignore[arg-type]
                    self._deliver(inject, t)
                    changed = True
            for decision in self._plan.conditional_decisions:
                if decision.id not in self.decisions and self._may_hold(decision.when):  # type: ignore[arg-type]
                    self._open(decision, t)
                    changed = True

    def _deliver(self, inject: Inject, t: float) -> None:
        self.delivered[inject.id] = t
        self._touch("inject", inject.id)
        for fact in inject.reveals:
            if fact not in self.revealed:
                self.revealed[fact] = t
                self._touch("fact", fact)
        if inject.belief is not None:
            self.belief = inject.belief
        self._emit(
            ev.InjectDelivered,
            inject=inject.id,
            channel=inject.channel,
            sender=self.render(inject.sender),
            subject=self.render(inject.subject),
            text=self.render(inject.text),
            reveals=tuple(inject.reveals),
            belief=belief_of(inject.belief) if inject.belief is not None else None,
        )
        for expectation in self.scenario.expectations:
            if expectation.after == inject.id and expectation.id not in self.expectations:
                self.expectations[expectation.id] = ExpectationState(
                    t, on_grid(t + expectation.within)
                )
                self._touch("expectation", expectation.id)

    def _resolve(self, t: float) -> None:
        self.resolution_processed = True
        self._emit(ev.IncidentResolved, duration=self.true_duration)
        for state in self.decisions.values():
            if state.is_open:
                self._close(state, None, "moot")
        resolver = next((i for i in self.scenario.injects if i.resolves), None)
        if resolver is not None and resolver.id not in self.delivered:
            self._deliver(resolver, t)

    def _open(self, decision: Decision, t: float) -> None:
        if self.resolution_processed:
            self.decisions[decision.id] = DecisionState(decision, t, t, None, t, "moot")
            return
        state = DecisionState(decision, t, on_grid(t + decision.timeout))
        self.decisions[decision.id] = state
        self._emit(ev.DecisionOpened, decision=decision.id, closes_at=state.closes_at)

    def _close(self, state: DecisionState, option_id: str | None, reason: str) -> None:
        t = self.now
        state.closed_at = t
        state.reason = reason
        state.option = option_id
        self._touch("chosen", state.decision.id)
        if option_id is not None:
            option = option_of(state.decision, option_id)
            state.effective_at = on_grid(t + option.setup)
            if float(option.setup) == 0.0:
                state.effective = True
        self._emit(
            ev.DecisionClosed,
            decision=state.decision.id,
            option=option_id,
            reason=reason,
            effective_at=state.effective_at,
        )

    # --------------------------------------------------------------- actions
    def act(self, action: TeamAction) -> Event:
        """Apply a team action now; raise ActionRejected if it cannot be taken."""
        if self.ended:
            raise ActionRejected("the drill has ended")
        if self._clock is not None:
            self.advance_to(self._clock.elapsed())
            if self.ended:
                raise ActionRejected("the drill has ended")
        match action:
            case SendUpdate():
                event = self._send_update(action)
            case ChooseOption():
                event = self._choose(action)
            case TakeAction():
                event = self._take(action)
            case AddNote():
                event = self._emit(ev.NoteAdded, text=str(action.text))
            case SendMessage(sender=sender, channel=channel, text=text):
                if not (sender.strip() and channel.strip() and text.strip()):
                    raise ActionRejected("a facilitator message needs a sender, a channel and text")
                event = self._emit(
                    ev.FacilitatorMessage,
                    sender=sender.strip(),
                    channel=channel.strip(),
                    text=text.strip(),
                )
            case _:
                raise ActionRejected(f"unknown action {action!r}")
        self._settle(self.now)
        return event

    def _send_update(self, update: SendUpdate) -> Event:
        s = self.scenario
        if not update.audiences:
            raise ActionRejected("pick at least one audience for the update")
        for name, given, valid in (
            ("audience", update.audiences, self._plan.audience_ids),
            ("fact", update.facts, self._plan.fact_ids),
            ("unknown", update.unknowns, self._plan.unknown_ids),
        ):
            for item in given:
                if item not in valid:
                    raise ActionRejected(f"no {name} {item!r} in this scenario")
        if len(set(update.audiences)) != len(update.audiences):
            raise ActionRejected("an audience is listed twice")
        doing = self.doing_refs() if update.doing else ()
        for ref in update.doing:
            if ref not in doing:
                raise ActionRejected(
                    f"'{ref}' is not something the team is doing: cite a plan B it chose "
                    "(DECISION/OPTION) or a catalogue action it took"
                )
        promise = update.next_update_in
        if promise is not None:
            if not isinstance(promise, int | float) or not 0 < promise <= MAX_SECONDS:
                raise ActionRejected(
                    "the next update must be promised in the future, within the drill"
                )
            promise = on_grid(float(promise))
            self._check_promise(promise, update.audiences)
        if update.status not in UPDATE_STATUSES:
            raise ActionRejected(
                f"status {update.status!r} is not one of {', '.join(UPDATE_STATUSES)}"
            )
        says_something = carries_content(update.facts, update.unknowns, promise, update.status)
        for audience in update.audiences:
            if says_something:  # an empty update breaks nobody's silence
                self.last_updates[audience] = self.now
                self._touch("silent", audience)
            if promise:
                self.promised[audience] = on_grid(self.now + promise)
            else:
                self.promised.pop(audience, None)
        event = self._emit(
            ev.UpdateSent,
            audiences=tuple(update.audiences),
            facts=tuple(update.facts),
            unknowns=tuple(update.unknowns),
            status=update.status,
            next_update_in=promise,
            eta=bool(update.eta),
            text=str(update.text),
            doing=tuple(update.doing),
        )
        for expectation in s.expectations if says_something else ():
            state = self.expectations.get(expectation.id)
            if (
                state is not None
                and state.status == "pending"
                and expectation.audience in update.audiences
            ):
                state.status = "met"
                self._touch("expectation", expectation.id)
                self._emit(
                    ev.ExpectationMet, expectation=expectation.id, audience=expectation.audience
                )
        return event

    def _check_promise(self, promise: float, audiences: tuple[str, ...]) -> None:
        """Refuse a next-update time an audience cannot be held to (see promise_window)."""
        chosen = [self.scenario.audience(name) for name in audiences]
        window = promise_window(chosen)
        if window is None:
            spans = ", ".join(
                f"{self.render(a.name)} {a.cadence.min_interval.minutes:g}-"
                f"{a.cadence.max_silence.minutes:g} min"
                for a in chosen
            )
            raise ActionRejected(
                f"these audiences have no next-update time in common ({spans}); "
                "send them separate updates"
            )
        low, high = window
        if not low <= promise <= high:
            raise ActionRejected(
                f"promise the next update in {low / 60:g} to {high / 60:g} min: sooner than "
                "the audience's minimum interval it would be noise, later than its longest "
                "silence it leaves them waiting"
            )

    def doing_refs(self) -> tuple[str, ...]:
        """What an update can say the team is doing: plan Bs chosen, actions taken."""
        chosen = tuple(
            f"{state.decision.id}/{state.option}"
            for state in self.decisions.values()
            if state.reason == "chosen" and state.option is not None
        )
        return chosen + tuple(self.actions_taken)

    def available(self, option: Option) -> bool:
        """Whether the option's prerequisite holds now."""
        return holds(option.requires, self, self.now)

    def _choose(self, choice: ChooseOption) -> Event:
        state = self.decisions.get(choice.decision)
        if state is None or not state.is_open:
            raise ActionRejected(f"decision {choice.decision!r} is not open")
        option = next((o for o in state.decision.options if o.id == choice.option), None)
        if option is None:
            raise ActionRejected(f"decision {choice.decision!r} has no option {choice.option!r}")
        if not self.available(option):
            note = self.render(option.requires_note) or "its prerequisite is not met yet"
            raise ActionRejected(f"{self.render(option.label)} is not available: {note}")
        self._close(state, option.id, "chosen")
        return self.events[-1]

    def _take(self, taken: TakeAction) -> Event:
        if taken.action not in self._plan.action_ids:
            raise ActionRejected(f"no action {taken.action!r} in this scenario")
        self.actions_taken.setdefault(taken.action, []).append(self.now)
        self._touch("action", taken.action)
        return self._emit(ev.ActionTaken, action=taken.action)

    # ------------------------------------------------------ facilitator
    def _require_clock(self) -> ExerciseClock:
        if self._clock is None:
            raise ActionRejected("this drill runs headless; it has no clock to control")
        return self._clock

    def pause(self) -> None:
        clock = self._require_clock()
        if not clock.paused and not self.ended:
            self.advance_to(clock.elapsed())
            if self.ended:  # the clock ran out first: nothing left to pause
                return
            clock.pause()
            self._emit(ev.Paused)

    def resume(self) -> None:
        clock = self._require_clock()
        if clock.paused and not self.ended:
            clock.resume()
            self._emit(ev.Resumed)

    def set_speed(self, speed: float) -> float:
        """Change the speed (clamped to a sane range); returns the speed now in force."""
        clock = self._require_clock()
        speed = min(MAX_SPEED, max(MIN_SPEED, float(speed)))
        if speed != clock.speed and not self.ended:
            self.advance_to(clock.elapsed())
            if self.ended:  # the clock ran out first: the drill is over
                return clock.speed
            clock.set_speed(speed)
            self._emit(ev.SpeedChanged, speed=speed)
        return clock.speed

    def skip(self) -> float:
        """Fast-forward to the next thing the team sees; returns the new exercise time.

        A skip goes at most ``SKIP_LIMIT`` ahead, stops a minute before any update the team
        promised, and never runs into the end of the drill (ending is the facilitator's
        call), so nobody is skipped past a moment they had to act.
        """
        clock = self._require_clock()
        if self.ended:
            return self.now
        self.advance_to(clock.elapsed())
        if self.ended:
            return self.now
        start = self.now
        limit = min(start + SKIP_LIMIT, self.length - SKIP_MARGIN)
        limit = min(
            [
                limit,
                *(due - SKIP_MARGIN for due in self.promised.values() if due - SKIP_MARGIN > start),
            ]
        )
        if limit <= start:
            return self.now
        count = len(self.events)
        while not any(event.kind in _VISIBLE for event in self.events[count:]):
            upcoming = self.next_instant()
            if upcoming > limit:
                self.advance_to(limit)
                break
            self.advance_to(upcoming)
        clock.jump_to(self.now)
        self._emit(ev.Skipped, start=start, to=self.now)
        return self.now

    def end(self, reason: str = "facilitator") -> None:
        if not self.ended:
            if self._clock is not None:
                self.advance_to(self._clock.elapsed())
            self._end(reason)

    def _end(self, reason: str) -> None:
        if self.ended:
            return
        for state in self.decisions.values():
            if state.is_open:
                self._close(state, None, "unfinished")
        self._emit(ev.DrillEnded, reason=reason, impact=round(self.impact(self.now), 3))
        self.ended = True

    # ---------------------------------------------------------------- replay
    def apply(self, record: Event) -> None:
        """Feed back an input a journal recorded, at its exercise time (replay, headless).

        The engine then makes the same events it made in play; replay compares them.
        Raises ActionRejected if the input could not have been taken at that moment.
        """
        if not record.is_input:
            raise ActionRejected(f"{record.kind} is made by the engine, not fed to it")
        if self.ended:
            raise ActionRejected("the drill has ended")
        self.advance_to(record.t)
        if self.now != record.t:
            raise ActionRejected(f"the drill ended before T+{record.t:g}s")
        match record:
            case ev.UpdateSent():
                self.act(
                    SendUpdate(
                        record.audiences,
                        record.facts,
                        record.unknowns,
                        record.status,
                        record.next_update_in,
                        record.eta,
                        record.text,
                        record.doing,
                    )
                )
            case ev.DecisionClosed(decision=decision, option=option) if option is not None:
                self.act(ChooseOption(decision, option))
            case ev.ActionTaken(action=action):
                self.act(TakeAction(action))
            case ev.NoteAdded(text=text):
                self.act(AddNote(text))
            case ev.FacilitatorMessage(sender=sender, channel=channel, text=text):
                self.act(SendMessage(sender, channel, text))
            case ev.Paused():
                self._emit(ev.Paused)
            case ev.Resumed():
                self._emit(ev.Resumed)
            case ev.SpeedChanged(speed=speed):
                self._speed = speed
                self._emit(ev.SpeedChanged, speed=speed)
            case ev.Skipped(start=start, to=to):
                self._emit(ev.Skipped, start=start, to=to)
            case ev.DrillEnded(reason=reason):
                self._end(reason)
            case _:
                raise ActionRejected(f"{record.kind} cannot be replayed")

    # ---------------------------------------------------------------- views
    def render(self, text: str) -> str:
        """Fill ``{variable}`` placeholders for this run."""
        return fill(text, self.variables)

    def impact(self, t: float) -> float:
        """Loss accumulated by exercise time ``t`` (in the scenario's impact units)."""
        end = min(t, self.true_duration)
        total = 0.0
        for stream, rate in self.scenario.impact.streams.items():
            total += rate / 60.0 * _mitigated_span(self._mitigations(stream), end)
        return total

    def impact_rate(self, t: float) -> float:
        """Loss per minute at exercise time ``t``."""
        if t >= self.true_duration:
            return 0.0
        total = 0.0
        for stream, rate in self.scenario.impact.streams.items():
            factor = 1.0
            for start, effectiveness in self._mitigations(stream):
                if start <= t:
                    factor *= 1.0 - effectiveness
            total += rate * factor
        return total

    def _mitigations(self, stream: str) -> list[tuple[float, float]]:
        found = []
        for state in self.decisions.values():
            if state.decision.stream != stream or state.option is None:
                continue
            option = option_of(state.decision, state.option)
            if state.effective_at is not None and option.effectiveness > 0:
                found.append((state.effective_at, option.effectiveness))
        return sorted(found)

    def open_decisions(self) -> list[DecisionState]:
        return [state for state in self.decisions.values() if state.is_open]

    # ------------------------------------------------ ConditionContext
    def fact_revealed(self, fact: str) -> bool:
        return fact in self.revealed

    def option_chosen(self, decision: str, option: str) -> bool:
        state = self.decisions.get(decision)
        return state is not None and state.option == option

    def last_update(self, audience: str) -> float | None:
        return self.last_updates.get(audience)

    def expectation(self, expectation: str) -> str | None:
        state = self.expectations.get(expectation)
        return state.status if state else None

    def resolved_at(self) -> float | None:
        return self.true_duration

    def flag_condition(self, name: str) -> Condition:
        return self.scenario.truth.flags[name]

    def action_taken(self, action: str) -> bool:
        return action in self.actions_taken

    def inject_delivered(self, inject: str) -> bool:
        return inject in self.delivered

    # --------------------------------------------------------------- output
    def _emit(self, kind: type[Event], **data: Any) -> Event:
        self._version += 1
        event = kind(len(self.events) + 1, self.now, **data)
        self.events.append(event)
        return event


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
