"""The bad baselines: panic (overreacts to everything), spam (empty updates), random."""

from __future__ import annotations

import random

from drillsim.engine.actions import (
    ChooseOption,
    SendUpdate,
    TakeAction,
    TeamAction,
    promise_window,
)
from drillsim.engine.drill import Drill
from drillsim.policies.base import Policy
from drillsim.scenario.model import Audience, Phase, Scenario
from drillsim.update_status import UPDATE_STATUSES

MINUTE = 60.0


class Panic(Policy):
    """Apologises at once, emails and pages everyone, re-sends, starts the biggest plan B,
    and sends speculative updates every few minutes with a resolution time."""

    name = "panic"
    interval = 5 * MINUTE

    resend_after = 30 * MINUTE

    def __init__(self, scenario: Scenario, rng: random.Random) -> None:
        super().__init__(scenario, rng)
        self.last_update: float | None = None
        self.acted = False
        self.repeated = False

    def act(self, drill: Drill) -> list[TeamAction]:
        actions: list[TeamAction] = []
        if not self.acted:  # everything at once
            self.acted = True
            actions.extend(TakeAction(action.id) for action in self.scenario.actions)
        elif not self.repeated and drill.now >= self.resend_after:  # and again, to be sure
            self.repeated = True
            actions.extend(TakeAction(action.id) for action in self.scenario.actions)
        for state in drill.open_decisions():
            drastic = max(
                (o for o in state.decision.options if drill.available(o)),
                key=lambda o: (o.effectiveness, o.cost),
                default=None,  # nothing to choose yet: the default comes on timeout
            )
            if drastic is not None:
                actions.append(ChooseOption(state.decision.id, drastic.id))
        if self.last_update is None or drill.now - self.last_update >= self.interval:
            self.last_update = drill.now
            actions.append(
                SendUpdate(
                    audiences=tuple(a.id for a in self.scenario.audiences),
                    facts=tuple(f.id for f in self.scenario.facts),
                    status="identified",
                    eta=True,
                    text="We think this is a hack. Everything will be back in ten minutes.",
                )
            )
        return actions

    def next_wake(self, drill: Drill) -> float:
        upcoming = (self.last_update or 0.0) + self.interval
        return upcoming if self.repeated else min(upcoming, self.resend_after)


class Spam(Policy):
    """Content-free updates to every audience every three minutes."""

    name = "spam"
    interval = 3 * MINUTE

    def __init__(self, scenario: Scenario, rng: random.Random) -> None:
        super().__init__(scenario, rng)
        self.last_update: float | None = None

    def act(self, drill: Drill) -> list[TeamAction]:
        if self.last_update is not None and drill.now - self.last_update < self.interval:
            return []
        self.last_update = drill.now
        return [
            SendUpdate(
                audiences=tuple(a.id for a in self.scenario.audiences),
                text="Quick update: we are still looking into it.",
            )
        ]

    def next_wake(self, drill: Drill) -> float:
        return (self.last_update or 0.0) + self.interval


class Random(Policy):
    """Every five minutes, one move drawn uniformly from everything available."""

    name = "random"
    interval = 5 * MINUTE
    promises = (None, 10 * MINUTE, 20 * MINUTE, 30 * MINUTE, 45 * MINUTE)

    def __init__(self, scenario: Scenario, rng: random.Random) -> None:
        super().__init__(scenario, rng)
        self.next_move = 0.0
        self._facts = tuple(f.id for f in scenario.facts)
        self._unknowns = tuple(u.id for u in scenario.unknowns)
        # Each move draws an update for every audience: the promises it may make in each of
        # its cadence phases are worked out once.
        self._promises = tuple(
            (audience.id, tuple(self._phase_promises(audience, phase) for phase in audience.phases))
            for audience in scenario.audiences
        )

    def act(self, drill: Drill) -> list[TeamAction]:
        if drill.now < self.next_move:
            return []
        self.next_move = drill.now + self.interval
        moves: list[TeamAction | None] = [None]
        for audience, phases in self._promises:
            moves.append(self._update(audience, _in_force(phases, drill.now)))
        for state in drill.open_decisions():
            moves.extend(
                ChooseOption(state.decision.id, option.id)
                for option in state.decision.options
                if drill.available(option)
            )
        moves.extend(TakeAction(action.id) for action in self.scenario.actions)
        move = self.rng.choice(moves)
        return [move] if move is not None else []

    def _phase_promises(
        self, audience: Audience, phase: Phase
    ) -> tuple[float, tuple[float | None, ...]]:
        """From when, the promises an update to ``audience`` may make in ``phase``."""
        window = promise_window([audience], phase.start)
        return phase.start, tuple(
            promise
            for promise in self.promises
            if promise is None or (window is not None and window[0] <= promise <= window[1])
        )

    def _update(self, audience: str, promises: tuple[float | None, ...]) -> SendUpdate:
        rng = self.rng
        draw = rng.random  # bound once: a move draws for every fact and unknown of every audience
        facts = [fact for fact in self._facts if draw() < 0.3]
        unknowns = [unknown for unknown in self._unknowns if draw() < 0.3]
        return SendUpdate(
            audiences=(audience,),
            facts=tuple(facts),
            unknowns=tuple(unknowns),
            status=rng.choice(UPDATE_STATUSES),
            next_update_in=rng.choice(promises),
            eta=rng.random() < 0.2,
        )

    def next_wake(self, drill: Drill) -> float:
        return self.next_move


def _in_force(
    phases: tuple[tuple[float, tuple[float | None, ...]], ...], now: float
) -> tuple[float | None, ...]:
    """What holds at ``now`` of per-phase values (each from its start), as cadence_at picks."""
    found = phases[0][1]
    for start, value in phases[1:]:
        if start > now:
            break
        found = value
    return found
