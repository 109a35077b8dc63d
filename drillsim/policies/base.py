"""The policy protocol, the loop that drives a drill with one, and the passive baseline."""

from __future__ import annotations

import math
import random

from drillsim.engine.actions import ActionRejected, ChooseOption, TakeAction, TeamAction
from drillsim.engine.drill import Drill
from drillsim.engine.view import PlayerView, player_view
from drillsim.scenario.model import Scenario


class Policy:
    """Decides actions from what a drill shows; wakes at its own times and at every event."""

    name = "policy"

    def __init__(self, scenario: Scenario, rng: random.Random) -> None:
        self.scenario = scenario
        self.rng = rng

    def act(self, drill: Drill) -> list[TeamAction]:
        """Actions to take now."""
        return []

    def next_wake(self, drill: Drill) -> float:
        """The next exercise time this policy wants to act at (inf: only on events)."""
        return math.inf


class PlayerPolicy(Policy):
    """A policy that plays fair: it decides from the players' view alone (``decide`` and
    ``wake`` never see the drill, its hidden truth or its state)."""

    def __init__(self, scenario: Scenario, rng: random.Random) -> None:
        super().__init__(scenario, rng)
        self._seen: tuple[PlayerView, int] | None = None
        """The view ``act`` decided on, with the drill's event count then."""

    def act(self, drill: Drill) -> list[TeamAction]:
        view = player_view(drill)
        self._seen = (view, len(drill.events))
        return self.decide(view)

    def next_wake(self, drill: Drill) -> float:
        return self.wake(self._view_now(drill))

    def _view_now(self, drill: Drill) -> PlayerView:
        """The players' view now: the one ``act`` decided on while the drill is where it was
        then. Every action that goes through writes an event and only the clock moves
        otherwise, so the same time and event count mean the same view (half the views a
        batch builds otherwise: most wakes end with nothing to do)."""
        if self._seen is not None:
            view, count = self._seen
            if view.now == drill.now and count == len(drill.events):
                return view
        return player_view(drill)

    def decide(self, view: PlayerView) -> list[TeamAction]:
        """Actions to take now, on what the players can see."""
        return []

    def wake(self, view: PlayerView) -> float:
        """The next exercise time this policy wants to look again (inf: only on events)."""
        return math.inf


class Passive(Policy):
    """Does nothing at all: no update, no plan B, no action."""

    name = "passive"


def drive(drill: Drill, policy: Policy) -> None:
    """Play ``drill`` to its end with ``policy`` (headless, no clock)."""
    while not drill.ended:
        for action in policy.act(drill):
            try:
                drill.act(action)
            except ActionRejected:
                continue
            if drill.ended:
                return
        drill.step(policy.next_wake(drill))


def doing_after(doing: tuple[str, ...], moves: list[TeamAction]) -> tuple[str, ...]:
    """What the team will be doing, ``doing`` now, once the plan Bs chosen and actions
    taken among ``moves`` (queued before an update) are (what that update may cite)."""
    refs = list(doing)
    for move in moves:
        if isinstance(move, TakeAction):
            refs.append(move.action)
        elif isinstance(move, ChooseOption):
            refs.append(f"{move.decision}/{move.option}")
    return tuple(dict.fromkeys(refs))
