"""The oracle: best practice, with the true state to know who is impacted.

Timely, complete updates to impacted audiences only (what we know, what is still unknown,
when the next update comes), promises kept, questions answered, a closing message; plan B
chosen by the decision-quality dynamic programme; no unjustified action, and every expected
action taken once it is owed and justified.
"""

from __future__ import annotations

import math
import random

from drillsim.engine.actions import ChooseOption, SendUpdate, TakeAction, TeamAction
from drillsim.engine.drill import DecisionState, Drill
from drillsim.policies.base import Policy, doing_after
from drillsim.scenario.model import Audience, Scenario

MINUTE = 60.0
SLACK = 5 * MINUTE


class Oracle(Policy):
    name = "oracle"

    def __init__(self, scenario: Scenario, rng: random.Random) -> None:
        super().__init__(scenario, rng)
        self.sent: dict[str, float] = {}
        self.given: dict[str, set[str]] = {}
        self.closed: set[str] = set()
        self.escalated: set[str] = set()
        self._asks = {
            audience.id: tuple(e.id for e in scenario.expectations if e.audience == audience.id)
            for audience in scenario.audiences
        }
        """Per audience, the expectations of an answer from it (questions it may ask)."""

    # -------------------------------------------------------------- decisions
    def _plan_b(self, drill: Drill, state: DecisionState) -> str | None:
        from scoring.planb import WAIT, courses, tables_for

        available = frozenset(o.id for o in state.decision.options if drill.available(o))
        expected = courses(self.scenario, state.decision, state.opened_at, drill)
        tables = tables_for(
            self.scenario,
            state.decision,
            state.opened_at,
            drill.belief,
            available,
            drill.stream_share(state),
            expected,
        )
        move = tables.best_move[tables.index_at_or_after(drill.now)]
        return None if move == WAIT else move

    def _next_checkpoint(self, drill: Drill, state: DecisionState) -> float:
        step = float(self.scenario.scoring.checkpoint)
        passed = math.floor((drill.now - state.opened_at) / step + 1e-9) + 1
        return min(state.closes_at, state.opened_at + passed * step)

    # ---------------------------------------------------------------- updates
    def _promise(self, audience: Audience, at: float) -> float:
        """The promise made in an update sent at ``at``: the cadence phase in force then."""
        cadence = audience.cadence_at(at)
        return max(float(cadence.min_interval), float(cadence.max_silence) - SLACK)

    @staticmethod
    def _phase_send(audience: Audience, last: float) -> float | None:
        """When a cadence phase that began after the update sent at ``last`` owes the next
        one, less the slack (None: no phase begins after it)."""
        if not audience.phased:
            return None
        sends = [
            phase.start + float(phase.policy.max_silence) - SLACK
            for phase in audience.phases[1:]
            if phase.start > last
        ]
        return min(sends) if sends else None

    def _channel(self, drill: Drill, audience: Audience) -> str | None:
        """The first of the audience's channels that is up now (None: its default, when it
        has none or all are down)."""
        return next(
            (c for c in audience.channels if not drill.holds_now(drill.scenario.channel(c).down)),
            None,
        )

    def _pending_question(self, drill: Drill, audience: Audience) -> bool:
        return any(drill.expectation(name) == "pending" for name in self._asks[audience.id])

    def _wants_update(self, drill: Drill, audience: Audience, revealed: set[str]) -> bool:
        last = self.sent.get(audience.id)
        if last is None:
            return True
        since = drill.now - last
        novel = bool(revealed - self.given.get(audience.id, set()))
        spaced = since >= float(audience.cadence_at(drill.now).min_interval)
        if self._pending_question(drill, audience) and (novel or spaced):
            return True
        phase_send = self._phase_send(audience, last)
        if since >= self._promise(audience, last) - MINUTE or (
            phase_send is not None and drill.now >= phase_send
        ):
            return True
        return novel and spaced

    def _update(
        self, drill: Drill, audience: Audience, revealed: set[str], doing: tuple[str, ...] = ()
    ) -> SendUpdate:
        self.sent[audience.id] = drill.now
        self.given.setdefault(audience.id, set()).update(revealed)
        facts = tuple(f.id for f in self.scenario.facts if f.id in revealed)
        if not drill.incident_open:
            self.closed.add(audience.id)
            return SendUpdate(
                (audience.id,),
                facts=facts,
                status="resolved",
                text="Resolved.",
                channel=self._channel(drill, audience),
            )
        unknowns = tuple(
            u.id
            for u in self.scenario.unknowns
            if u.answered_by is None or u.answered_by not in revealed
        )
        return SendUpdate(
            (audience.id,),
            facts=facts,
            unknowns=unknowns,
            doing=doing,
            status="investigating",
            next_update_in=self._promise(audience, drill.now),
            text="What we know, what we don't, and when you'll hear from us next.",
            channel=self._channel(drill, audience),
        )

    # ------------------------------------------------------------------ loop
    def act(self, drill: Drill) -> list[TeamAction]:
        actions: list[TeamAction] = []
        for action in self.scenario.actions:
            if (
                (action.penalty == 0 or action.id in drill.owed)
                and action.id not in self.escalated
                and drill.holds_now(action.justified_if)
            ):
                self.escalated.add(action.id)
                actions.append(TakeAction(action.id))
        for state in drill.open_decisions():
            option = self._plan_b(drill, state)
            if option is not None:
                actions.append(ChooseOption(state.decision.id, option))
        revealed = set(drill.revealed)
        doing: tuple[str, ...] | None = None  # worked out for the first update of this wake
        for audience in self.scenario.audiences:
            if audience.id in self.closed:
                continue
            if not drill.incident_open:
                due = audience.id in self.sent  # close the loop with everyone we told
            else:
                due = drill.holds_now(audience.impacted) and self._wants_update(
                    drill, audience, revealed
                )
            if due:
                if doing is None:
                    doing = doing_after(drill.doing_refs(), actions)
                actions.append(self._update(drill, audience, revealed, doing))
        return actions

    def next_wake(self, drill: Drill) -> float:
        wakes = [math.inf]
        for state in drill.open_decisions():
            wakes.append(self._next_checkpoint(drill, state))
        for action in self.scenario.actions:  # an owed action waiting to be justified
            if action.id in drill.owed and action.id not in self.escalated:
                wakes.append(drill.next_change(action.justified_if))
        for audience in self.scenario.audiences:
            if audience.id in self.closed:
                continue
            last = self.sent.get(audience.id)
            if last is None:
                wakes.append(drill.next_change(audience.impacted))
                continue
            wakes.append(last + self._promise(audience, last) - MINUTE)
            phase_send = self._phase_send(audience, last)
            if phase_send is not None:
                wakes.append(phase_send)
            if self._pending_question(drill, audience):
                wakes.append(last + float(audience.cadence_at(last).min_interval))
        now = drill.now
        return min((wake for wake in wakes if wake > now), default=math.inf)
