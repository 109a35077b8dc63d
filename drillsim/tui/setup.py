"""What a played drill needs before it starts: the scenario, the seed, the pace, the team."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from drillsim.limits import MAX_SPEED, MIN_SPEED
from drillsim.scenario.model import Scenario

SPEEDS = (MIN_SPEED, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0, 120.0, MAX_SPEED)
"""The facilitator's speed steps: the whole range a scenario and --speed allow (limits)."""


@dataclass(frozen=True, slots=True)
class PlaySetup:
    """A drill about to be played."""

    scenario: Scenario
    path: Path
    sha256: str
    seed: int
    speed: float
    team: str
    text: str = ""
    """The scenario file's exact text, embedded in the run's journal."""
    official: bool = False
    """An official run counts in the team's trend; else practice (journaled either way)."""

    @staticmethod
    def new_seed() -> int:
        """A fresh seed for a new run (shown in the briefing so the run can be replayed)."""
        return int.from_bytes(os.urandom(4), "big") % 1_000_000


def faster(speed: float) -> float:
    return next((step for step in SPEEDS if step > speed + 1e-9), SPEEDS[-1])


def slower(speed: float) -> float:
    return next((step for step in reversed(SPEEDS) if step < speed - 1e-9), SPEEDS[0])
