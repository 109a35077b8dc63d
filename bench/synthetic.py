"""Synthetic long journals for scaling figures: many content-rich updates through the engine."""

from __future__ import annotations

from drillsim.engine.actions import SendUpdate, TakeAction
from drillsim.engine.drill import Drill
from drillsim.engine.events import Event
from drillsim.scenario.model import Scenario


def chatty_run(scenario: Scenario, events: int, seed: int = 2) -> list[Event]:
    """A run of about ``events`` events: updates to rotating audiences, some actions."""
    drill = Drill(scenario, seed)
    audiences = [audience.id for audience in scenario.audiences]
    facts = [fact.id for fact in scenario.facts]
    unknowns = [unknown.id for unknown in scenario.unknowns]
    actions = [action.id for action in scenario.actions]
    count = max(1, events - len(drill.events) - 40)
    step = float(scenario.length) / (count + 1)
    for index in range(count):
        drill.advance_to((index + 1) * step)
        if drill.ended:
            break
        if index % 50 == 49:
            drill.act(TakeAction(actions[index % len(actions)]))
            continue
        known = [fact for fact in facts if fact in drill.revealed]
        drill.act(
            SendUpdate(
                (audiences[index % len(audiences)],),
                facts=tuple(known[-2:]),
                unknowns=tuple(unknowns[:1]),
                next_update_in=600.0 + 60 * (index % 20),
            )
        )
    drill.advance_to(drill.length)
    return drill.events
