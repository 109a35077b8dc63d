"""Per-seed draws: the hidden outage duration and the scenario's text variables.

numpy drives the truth, Faker the names; both are imported only when a drill starts.
"""

from __future__ import annotations

import math
import random
from functools import cache
from typing import TYPE_CHECKING

from drillsim.scenario.model import (
    ChoiceVariable,
    Distribution,
    FakerVariable,
    Fixed,
    FixedVariable,
    Lognormal,
    Scenario,
)

if TYPE_CHECKING:
    from faker import Faker

MIN_DURATION = 60.0
MAX_DURATION = 24 * 3600.0


def draw_duration(distribution: Distribution, seed: int) -> float:
    """The true outage duration in whole seconds for ``seed``."""
    if isinstance(distribution, Fixed):
        return float(distribution.fixed)
    import numpy as np

    rng = np.random.default_rng([seed, 0x7E57])
    drawn = float(rng.lognormal(math.log(distribution.median), distribution.sigma))
    return float(round(min(MAX_DURATION, max(MIN_DURATION, drawn))))


def median_of(distribution: Distribution) -> float:
    if isinstance(distribution, Lognormal):
        return float(distribution.median)
    return float(distribution.fixed)


@cache
def _faker(locale: str) -> Faker:
    from faker import Faker

    return Faker(locale)


def draw_variables(scenario: Scenario, seed: int) -> dict[str, str]:
    """Values for the scenario's ``{name}`` variables, drawn in declaration order."""
    values: dict[str, str] = {}
    chooser = random.Random(seed)
    faker = None
    for name, variable in scenario.variables.items():
        match variable:
            case FixedVariable(value=value):
                values[name] = value
            case ChoiceVariable(choices=choices):
                values[name] = chooser.choice(choices)
            case FakerVariable(faker=provider, min=low, max=high):
                if faker is None:
                    faker = _faker(scenario.locale)
                    faker.seed_instance(seed)
                if provider == "random_int":
                    values[name] = f"{faker.random_int(min=low, max=high):,}"
                else:
                    values[name] = str(getattr(faker, provider)())
    return values
