"""The drill: a deterministic exercise over a scenario, driven by time and team actions.

Time only moves forward. Everything due is processed at its exact exercise time, in a fixed
order, whatever the polling rhythm: conditional injects fire at the instant their condition
first holds (see :func:`drillsim.scenario.conditions.next_change`). So the same scenario,
seed and timed actions give the same events, bit for bit.

This module holds the live state: the clock, delivery of injects, decisions, expectations,
the team's and the facilitator's inputs. Beside it: what is worked out about a scenario
before a drill starts (:mod:`.plan`), when conditions need evaluating again (:mod:`.watch`),
the checks an update must pass (:mod:`.checks`) and the impact meter (:mod:`.impact`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
)
from drillsim.engine.agenda import Agenda, Key
from drillsim.engine.channels import routes
from drillsim.engine.checks import checked_update, writable
from drillsim.engine.clock import Clock, ExerciseClock
from drillsim.engine.draws import draw_duration, draw_variables
from drillsim.engine.events import Belief, Event
from drillsim.engine.impact import StreamLedger
from drillsim.engine.plan import plan_of
from drillsim.engine.state import DecisionState, ExpectationState
from drillsim.engine.watch import ConditionWatch
from drillsim.limits import MAX_SPEED, MIN_SPEED, longest_outage
from drillsim.scenario.conditions import Condition, holds, next_change
from drillsim.scenario.model import (
    Decision,
    Distribution,
    Inject,
    Option,
    Scenario,
    option_of,
    share_left,
)
from drillsim.templates import fill
from drillsim.timegrid import on_grid

__all__ = ["DecisionState", "Drill", "ExpectationState"]
"""What other modules take from here; the decision and expectation states live in state."""

SKIP_MARGIN = 60.0
"""A skip stops this long before a promised update, and before the drill's end."""

_VISIBLE = frozenset(
    {
        ev.INJECT_DELIVERED,
        ev.DECISION_OPENED,
        ev.DECISION_CLOSED,
        ev.OPTION_HELD,
        ev.PLAN_B_EFFECTIVE,
        ev.INCIDENT_RESOLVED,
        ev.AUDIENCE_AFFECTED,
        ev.AUDIENCE_UNAFFECTED,
        ev.DRILL_ENDED,
    }
)
"""Events the team sees on screen: skipping stops at the first of them."""


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
        pause_on_decision: bool = False,
    ) -> None:
        """``variables``: values already drawn for this seed (see draw_variables_apart);
        ``pause_on_decision``: with a clock, the clock stops at the very instant a plan-B
        decision opens (a ``paused`` input at that time), before any more exercise time runs."""
        self.scenario = scenario
        self.seed = seed
        self.length = on_grid(float(length if length is not None else scenario.length))
        self.variables = variables if variables is not None else draw_variables(scenario, seed)
        self.true_duration = on_grid(
            draw_duration(scenario.truth.duration, seed, longest=longest_outage(scenario.format))
        )
        self._speed = float(speed or scenario.speed)
        self._clock = ExerciseClock(clock, self._speed) if clock is not None else None
        self.pause_on_decision = pause_on_decision
        self._instant_from = 0
        """Index of the first event of the instant being processed (for pause_on_decision)."""
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
        self._doing: tuple[str, ...] | None = ()
        """What the team is doing (see :meth:`doing_refs`); None once a choice or an action
        changed it, until asked again. It stays right only while ``actions_taken`` and a
        decision's ``reason`` change nowhere but in ``_take`` and ``_close``, which reset it."""
        self.resolution_processed = False
        self.promised: dict[str, float] = {}  # audience -> when the next update was promised
        self.affected: dict[str, float] = {}  # audience -> when it started to be affected
        self.bounced: dict[str, float] = {}  # audience -> when an update to it last bounced
        self.failed_channels: dict[str, float] = {}  # channel -> when it last bounced
        self.owed: dict[str, float] = {}  # expected action -> when it started to be owed
        self._plan = plan_of(scenario)
        self._both_ways = any(audience.impacted_both_ways for audience in scenario.audiences)
        self.ledger = StreamLedger(scenario.impact)
        self._next_timed = 0  # index of the first timed inject not yet due
        self._watch = ConditionWatch(self._plan, self, self.true_duration)
        # What falls due at a known time, and when the clock may next flip the conditions
        # still waited on (moved when something they read changes, or the clock gets there).
        self._agenda = Agenda()
        self._waiting: dict[Key, Condition] = dict(self._plan.watched)
        self._stale: set[Key] = set(self._waiting)
        self._on_conditions = Agenda()
        for at, inject in self._plan.timed_injects:
            self._agenda.set(("delivers", inject.id), at)
        self._agenda.set(("resolves", ""), self.true_duration)
        for name, stream in self.ledger.streams.items():
            for index, lump in enumerate(stream.once):
                self._agenda.set(("loses", f"{name}/{index}"), float(lump.at))
        for decision in scenario.decisions:
            if decision.at is not None:
                self._agenda.set(("opens", decision.id), float(decision.at))
        self._emit(
            ev.DrillStarted,
            scenario=scenario.id,
            version=scenario.version,
            seed=seed,
            speed=self.speed,
            length=self.length,
            variables=dict(self.variables),
            truth=ev.Truth(duration=self.true_duration),
            belief=Belief.of(scenario.belief),
        )
        for expectation in scenario.expectations:
            if expectation.after is None:
                self._expect(expectation.id, 0.0, on_grid(expectation.within))
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
        return self.drain()

    def drain(self, upto: int | None = None) -> list[Event]:
        """Every event not returned before (of the first ``upto`` only, if given), without
        moving time: for a driver that advances the drill itself, as a script on the live
        clock does, or a resumed run whose journal holds the first ``upto``."""
        end = len(self.events) if upto is None else min(upto, len(self.events))
        fresh = self.events[self._cursor : end]
        self._cursor = max(self._cursor, end)
        return fresh

    def advance_to(self, target: float) -> None:
        """Process everything due up to exercise time ``target`` (headless driving)."""
        if not self.ended:
            self._advance(target, self.next_instant())

    def step(self, wake: float) -> None:
        """Move on to the sooner of ``wake`` and the next instant at which the engine has
        something to process, processing it (a policy driving the drill acts between steps;
        a ``wake`` not after now moves the clock one second)."""
        if self.ended:
            return
        instant = self.next_instant()
        target = min(wake, instant)
        self._advance(target if target > self.now else self.now + 1.0, instant)

    def _advance(self, target: float, instant: float) -> None:
        """Process everything due up to ``target``; ``instant``: the next instant, just asked."""
        target = on_grid(min(float(target), self.length))
        while True:
            if instant > self.now and self._hold_for_decision():
                return
            if instant > target:
                break
            if instant > self.now:
                self._instant_from = len(self.events)
            self.now = max(self.now, instant)
            self._process_instant(self.now)
            if self.now >= self.length:
                self._end("time")
            if self.ended:
                return
            instant = self.next_instant()
        self.now = max(self.now, target)

    def hold_decisions(self, on: bool) -> None:
        """Turn ``pause_on_decision`` on or off from now on: decisions that opened before
        (a resumed run's past) are not held again."""
        self.pause_on_decision = on
        self._instant_from = len(self.events)

    def _hold_for_decision(self) -> bool:
        """With ``pause_on_decision`` on a live clock: if the instant just processed opened a
        decision, stop the clock at it and say so (True); the same instant is never held twice."""
        clock = self._clock
        if clock is None or not self.pause_on_decision or clock.paused:
            return False
        fresh = self.events[self._instant_from :]
        self._instant_from = len(self.events)
        if not any(event.kind == ev.DECISION_OPENED for event in fresh):
            return False
        clock.pause_at(self.now)
        self._emit(ev.Paused)
        self._instant_from = len(self.events)
        return True

    def next_instant(self) -> float:
        """The next exercise time at which the engine has something to process."""
        on_conditions = self._on_conditions
        stale = self._stale
        stale.update(on_conditions.take_due(self.now))
        readers = self._plan.readers
        for read in self._watch.take_touched():
            stale.update(readers.get(read, ()))
        if stale:
            waiting = self._waiting
            for key in stale:
                if key in waiting:
                    on_conditions.set(key, self._watch.next_change(waiting[key], self.now))
            stale.clear()
        return min(self.length, self._agenda.first(), on_conditions.first())

    def _done_waiting(self, key: Key) -> None:
        """A condition on the agenda stops mattering: what it brings has come."""
        if self._waiting.pop(key, None) is not None:
            self._on_conditions.drop(key)

    # ------------------------------------------------------------ processing
    def _process_instant(self, t: float) -> None:
        s = self.scenario
        timed = self._plan.timed_injects
        while self._next_timed < len(timed) and timed[self._next_timed][0] <= t:
            inject = timed[self._next_timed][1]
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
                self._agenda.drop(("effective", state.decision.id))
                if not self.resolution_processed:  # after the outage a plan B changes nothing
                    self._emit(ev.PlanBEffective, decision=state.decision.id, option=state.option)
            if state.is_open and state.closes_at <= t:
                self._close(state, state.held or state.decision.default, "default")
        for name, expectation in self.expectations.items():
            if expectation.status == "pending" and expectation.deadline <= t:
                expectation.status = "failed"
                self._agenda.drop(("expectation", name))
                self._watch.touch("expectation", name)
                audience = s.expectation(name).audience
                self._emit(ev.ExpectationFailed, expectation=name, audience=audience)
        self._settle(t)

    def _settle(self, t: float) -> None:
        """Fire every conditional inject and decision that holds at ``t`` (now), to a fixed
        point; then note what the conditional impact streams do from now on."""
        watch = self._watch
        # Nothing a waiting condition reads has changed, and the clock has not reached a
        # time that may flip one, since a sweep found them all false: none can hold now.
        sweep = not watch.quiet(t)
        if sweep:
            watch.begin_sweep()
        events = len(self.events)
        # Without a sweep, only an audience affected both ways (format 2) can change.
        if not self.resolution_processed and (sweep or self._both_ways):
            for audience in self.scenario.audiences:
                if audience.id not in self.affected:
                    if sweep and watch.may_hold(audience.impacted, self.now):
                        self.affected[audience.id] = t
                        if not audience.impacted_both_ways:
                            self._done_waiting(("affects", audience.id))
                        self._emit(ev.AudienceAffected, audience=audience.id)
                elif audience.impacted_both_ways and not self.holds_now(audience.impacted):
                    del self.affected[audience.id]  # format 2: its condition stopped holding
                    watch.unsettle()
                    self._emit(ev.AudienceUnaffected, audience=audience.id)
        if sweep:
            self._sweep(t)
            watch.end_sweep(settled=len(self.events) == events)
        if self.ledger.streams:
            self.ledger.observe(self, t, self.true_duration)
            self._drop_lumps(lambda at: at <= t)

    def _sweep(self, t: float) -> None:
        """Owe the expected actions, and fire the injects and decisions, whose condition
        holds at ``t``, to a fixed point."""
        for when, action in self._plan.expected_actions:
            if action.id not in self.owed and self._watch.may_hold(when, t):
                self.owed[action.id] = t
                self._done_waiting(("expects", action.id))
        changed = True
        delivered, may_hold = self.delivered, self._watch.may_hold  # hot: bound once
        while changed and not self.ended:
            changed = False
            for when, inject in self._plan.conditional_injects:
                if inject.id not in delivered and may_hold(when, t):
                    self._deliver(inject, t)
                    changed = True
            for when, decision in self._plan.conditional_decisions:
                # One whose condition first holds as play ends does not arise (as lint and
                # the scoring say of one due past the end): it could never be decided.
                if (
                    decision.id not in self.decisions
                    and t < self.length
                    and self._watch.may_hold(when, t)
                ):
                    self._open(decision, t)
                    changed = True

    def _drop_lumps(self, judged: Callable[[float], bool]) -> None:
        """Take the one-off losses already judged off the agenda."""
        for name, stream in self.ledger.streams.items():
            for index, lump in enumerate(stream.once):
                if judged(float(lump.at)):
                    self._agenda.drop(("loses", f"{name}/{index}"))

    def _deliver(self, inject: Inject, t: float) -> None:
        self.delivered[inject.id] = t
        self._agenda.drop(("delivers", inject.id))
        self._done_waiting(("inject", inject.id))
        self._watch.touch("inject", inject.id)
        for fact in inject.reveals:
            if fact not in self.revealed:
                self.revealed[fact] = t
                self._watch.touch("fact", fact)
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
            belief=Belief.of(inject.belief) if inject.belief is not None else None,
        )
        for expectation in self.scenario.expectations:
            if expectation.after == inject.id and expectation.id not in self.expectations:
                self._expect(expectation.id, t, on_grid(t + expectation.within))
                self._watch.touch("expectation", expectation.id)

    def _expect(self, name: str, since: float, deadline: float) -> None:
        self.expectations[name] = ExpectationState(since, deadline)
        self._agenda.set(("expectation", name), deadline)

    def _resolve(self, t: float) -> None:
        self.resolution_processed = True
        self._agenda.drop(("resolves", ""))
        # Once the outage is over, nobody becomes affected, no plan B takes effect, no
        # stream changes its rate and no one-off loss counts.
        for audience in self.scenario.audiences:
            self._done_waiting(("affects", audience.id))
        for key in self._plan.watched:
            if key[0] == "rate":
                self._done_waiting(key)
        for key in self._plan.open_only:  # an inject asking "incident: open" can no longer come
            self._done_waiting(key)
        self._drop_lumps(lambda _: True)
        for decision in self.scenario.decisions:
            self._agenda.drop(("effective", decision.id))
        self._emit(ev.IncidentResolved, duration=self.true_duration)
        for state in self.decisions.values():
            if state.is_open:
                self._close(state, None, "moot")
        resolver = next((i for i in self.scenario.injects if i.resolves), None)
        if resolver is not None and resolver.id not in self.delivered:
            self._deliver(resolver, t)

    def _open(self, decision: Decision, t: float) -> None:
        self._agenda.drop(("opens", decision.id))
        self._done_waiting(("opens", decision.id))
        if self.resolution_processed:
            self.decisions[decision.id] = DecisionState(decision, t, t, None, t, "moot")
            return
        state = DecisionState(decision, t, on_grid(t + decision.timeout))
        self.decisions[decision.id] = state
        self._agenda.set(("closes", decision.id), state.closes_at)
        self._emit(ev.DecisionOpened, decision=decision.id, closes_at=state.closes_at)

    def _close(self, state: DecisionState, option_id: str | None, reason: str) -> None:
        t = self.now
        state.closed_at = t
        state.reason = reason
        state.option = option_id
        if reason == "chosen":
            self._doing = None
        self._watch.touch("chosen", state.decision.id)
        self._agenda.drop(("closes", state.decision.id))
        if option_id is not None:
            option = option_of(state.decision, option_id)
            state.effective_at = on_grid(t + option.setup)
            if float(option.setup) == 0.0:
                state.effective = True
            elif not self.resolution_processed:
                self._agenda.set(("effective", state.decision.id), state.effective_at)
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
                event = self._emit(ev.NoteAdded, text=writable(action.text, "the note"))
            case SendMessage(sender=sender, channel=channel, text=text):
                for field, value in (("sender", sender), ("channel", channel), ("text", text)):
                    writable(value, f"the message's {field}")
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
        doing = self.doing_refs() if update.doing else ()
        promise = checked_update(update, s, self._plan, doing, self.render, self.now)
        # Without channels (format 1) every audience is reached directly: nothing bounces.
        bounced = (
            self._bounces(routes(s, update.audiences, update.channel, self.render))
            if s.channels or update.channel is not None
            else {}
        )
        says_something = carries_content(update.facts, update.unknowns, promise, update.status)
        reached = (
            tuple(audience for audience in update.audiences if audience not in bounced)
            if bounced
            else update.audiences
        )
        promised_by = on_grid(self.now + promise) if promise else None
        for audience in reached:  # a bounced update told its audience nothing
            if says_something:  # an empty update breaks nobody's silence
                self.last_updates[audience] = self.now
                self._watch.touch("silent", audience)
            if promised_by is not None:
                self.promised[audience] = promised_by
            else:
                self.promised.pop(audience, None)
        event = self._emit(
            ev.UpdateSent,
            audiences=tuple(update.audiences),
            facts=tuple(update.facts),
            unknowns=tuple(update.unknowns),
            status=update.status,
            next_update_in=promise,
            eta=update.eta,
            text=str(update.text),
            doing=tuple(update.doing),
            channel=update.channel,
        )
        for audience, channel in bounced.items():
            self.bounced[audience] = self.failed_channels[channel] = self.now
            self._emit(ev.UpdateBounced, update=event.seq, audience=audience, channel=channel)
        for expectation in s.expectations if says_something else ():
            state = self.expectations.get(expectation.id)
            if state is not None and state.status == "pending" and expectation.audience in reached:
                state.status = "met"
                self._agenda.drop(("expectation", expectation.id))
                self._watch.touch("expectation", expectation.id)
                self._emit(
                    ev.ExpectationMet, expectation=expectation.id, audience=expectation.audience
                )
        return event

    def _bounces(self, routes: dict[str, str | None]) -> dict[str, str]:
        """The audiences whose channel is down now, with that channel."""
        scenario = self.scenario
        return {
            audience: channel
            for audience, channel in routes.items()
            if channel is not None and self.holds_now(scenario.channel(channel).down)
        }

    def doing_refs(self) -> tuple[str, ...]:
        """What an update can say the team is doing: plan Bs chosen, actions taken."""
        if self._doing is None:  # worked out again only after a choice or a new action
            chosen = tuple(
                f"{state.decision.id}/{state.option}"
                for state in self.decisions.values()
                if state.reason == "chosen" and state.option is not None
            )
            self._doing = chosen + tuple(self.actions_taken)
        return self._doing

    def available(self, option: Option) -> bool:
        """Whether the option's prerequisite holds now."""
        return self.holds_now(option.requires)

    def holds_now(self, condition: Condition) -> bool:
        """Whether ``condition`` holds now (its compiled form when it is the scenario's)."""
        compiled = self._plan.compiled.get(id(condition))
        return compiled[0](self, self.now) if compiled else holds(condition, self, self.now)

    def next_change(self, condition: Condition) -> float:
        """When the clock alone may next flip ``condition`` (see
        :func:`~drillsim.scenario.conditions.next_change`)."""
        compiled = self._plan.compiled.get(id(condition))
        return compiled[1](self, self.now) if compiled else next_change(condition, self, self.now)

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
        if option.does_nothing:
            # Waiting by another name: the decision stays open, changeable and judged.
            if state.held == option.id:
                raise ActionRejected(f"{self.render(option.label)} is already the team's choice")
            state.held = option.id
            return self._emit(ev.OptionHeld, decision=state.decision.id, option=option.id)
        self._close(state, option.id, "chosen")
        return self.events[-1]

    def _take(self, taken: TakeAction) -> Event:
        if taken.action not in self._plan.action_ids:
            raise ActionRejected(f"no action {taken.action!r} in this scenario")
        if taken.action not in self.actions_taken:
            self._doing = None
        self.actions_taken.setdefault(taken.action, []).append(self.now)
        self._watch.touch("action", taken.action)
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
            if self.ended or clock.paused:  # the clock ran out, or a decision held it first
                return
            clock.pause()
            self._emit(ev.Paused)

    def hold_after_replay(self) -> None:
        """Go on from a replay (see :meth:`apply`) on the live clock: the clock set to where
        the replay got, at the run's last speed, and paused until the facilitator resumes.
        A ``paused`` event is written, unless the run was paused already when it stopped."""
        clock = self._require_clock()
        if self.ended:
            raise ActionRejected("the drill has ended")
        clock.set_speed(self._speed)
        clock.pause()
        clock.jump_to(self.now)
        last = next(
            (e for e in reversed(self.events) if isinstance(e, ev.Paused | ev.Resumed)), None
        )
        if not isinstance(last, ev.Paused):
            self._emit(ev.Paused)

    def resume(self) -> None:
        clock = self._require_clock()
        if clock.paused and not self.ended:
            clock.resume()
            self._emit(ev.Resumed)

    def set_speed(self, speed: float) -> float:
        """Change the speed; returns the speed now in force. A speed outside
        [MIN_SPEED, MAX_SPEED] (drillsim/limits.py, the one range everywhere) is refused."""
        clock = self._require_clock()
        speed = float(speed)
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise ActionRejected(
                f"speed {speed:g} is outside {MIN_SPEED:g} to {MAX_SPEED:g}; "
                "days go by with skips, not speed"
            )
        if speed != clock.speed and not self.ended:
            self.advance_to(clock.elapsed())
            if self.ended:  # the clock ran out first: the drill is over
                return clock.speed
            clock.set_speed(speed)
            self._emit(ev.SpeedChanged, speed=speed)
        return clock.speed

    def skip(self, due_times: Iterable[float] = ()) -> float:
        """Fast-forward to the next thing the team sees, however far; returns the new time.

        A skip stops a minute before any update the team promised, and before any time in
        ``due_times`` still ahead (the stakeholder board's due times: an update falling due, as
        :mod:`scoring.due` counts it, which the engine cannot import), and never runs into
        the end of the drill (ending is the facilitator's call), so nobody is skipped past a
        moment they had to act. It goes from one scheduled moment to the next (a multi-day
        quiet spell is one jump), never minute by minute.
        """
        clock = self._require_clock()
        if self.ended:
            return self.now
        self.advance_to(clock.elapsed())
        if self.ended:
            return self.now
        start = self.now
        limit = min(
            [
                self.length - SKIP_MARGIN,
                *(due - SKIP_MARGIN for due in self.promised.values() if due - SKIP_MARGIN > start),
                *(t - SKIP_MARGIN for t in due_times if t - SKIP_MARGIN > start),
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
                        record.channel,
                    )
                )
            case ev.DecisionClosed(decision=decision, option=option) if option is not None:
                self.act(ChooseOption(decision, option))
            case ev.OptionHeld(decision=decision, option=option):
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
        """Loss accumulated by exercise time ``t`` (in the scenario's impact units), the
        recovery after the resolution included."""
        return self.ledger.loss_by(t, self.decisions.values(), self.true_duration)

    def impact_rate(self, t: float) -> float:
        """Loss per minute at exercise time ``t``."""
        return self.ledger.rate_at(t, self.decisions.values(), self.true_duration)

    def open_decisions(self) -> list[DecisionState]:
        return [state for state in self.decisions.values() if state.is_open]

    def stream_share(self, state: DecisionState) -> float:
        """The part of ``state``'s stream the plan Bs chosen before it opened left running
        (a follow-up decision is weighed on what is left; scoring.planb counts it the same)."""
        return share_left(
            state.decision.stream,
            (
                (other.decision, other.option)
                for other in self.decisions.values()
                if other is not state
                and other.closed_at is not None
                and other.closed_at <= state.opened_at
            ),
        )

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
        event = kind(len(self.events) + 1, self.now, **data)
        self.events.append(event)
        return event
