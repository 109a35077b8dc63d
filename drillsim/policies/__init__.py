"""Baseline policies that play a drill headless: oracle, passive, panic, spam, random.

They prove a scenario's scoring separates good play from bad: best practice must score high,
doing nothing, panicking, spamming and acting at random must not.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drillsim.engine.drill import Drill
    from drillsim.policies.base import Policy
    from drillsim.scenario.model import Scenario

POLICY_NAMES = ("oracle", "diligent", "passive", "panic", "spam", "random")


def make_policy(name: str, scenario: Scenario, seed: int) -> Policy:
    """A fresh policy instance; its randomness depends on the scenario, name and seed only."""
    from drillsim.policies.base import Passive
    from drillsim.policies.diligent import Diligent
    from drillsim.policies.oracle import Oracle
    from drillsim.policies.reckless import Panic, Random, Spam

    classes = {
        "oracle": Oracle,
        "diligent": Diligent,
        "passive": Passive,
        "panic": Panic,
        "spam": Spam,
        "random": Random,
    }
    if name not in classes:
        raise ValueError(f"no policy {name!r}; choose from {', '.join(POLICY_NAMES)}")
    return classes[name](scenario, random.Random(f"{name}/{scenario.id}/{seed}"))


def play(
    scenario: Scenario, name: str, seed: int, variables: dict[str, str] | None = None
) -> Drill:
    """Run one whole drill headless with the named policy (``variables``: the values drawn
    for this seed already, see :func:`drillsim.engine.draws.draw_variables`)."""
    from drillsim.engine.drill import Drill
    from drillsim.policies.base import drive

    drill = Drill(scenario, seed, variables=variables)
    drive(drill, make_policy(name, scenario, seed))
    return drill
