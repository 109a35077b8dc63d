"""Per-seed draws: the hidden outage duration and the scenario's text variables.

The truth is a seeded uniform through the inverse normal distribution: the same outage for
the same seed on any Python or numpy version, and no numpy to load in the drill (it cost
12 MB of the memory the live screen may use). Faker draws the names, loading only the
providers the scenario uses, when the drill is prepared.
"""

from __future__ import annotations

import math
import random
from functools import cache
from typing import TYPE_CHECKING

from drillsim.limits import SHORTEST_OUTAGE
from drillsim.scenario.linked import fill_templates, placeholder_names
from drillsim.scenario.model import (
    ChoiceVariable,
    Distribution,
    FakerVariable,
    Fixed,
    FixedVariable,
    LinkedChoiceVariable,
    Scenario,
    TemplateVariable,
)

if TYPE_CHECKING:
    from faker import Faker


def draw_duration(distribution: Distribution, seed: int, *, longest: float) -> float:
    """The true outage duration in whole seconds for ``seed``.

    A lognormal is truncated to [SHORTEST_OUTAGE, ``longest``] (the scenario format's
    ``limits.longest_outage``; docs/format.md; validation warns when that cuts off much): a first
    draw outside them is replaced by a second one from the distribution restricted to them,
    so no run piles up at a bound and draws inside are those of the plain lognormal.
    """
    if isinstance(distribution, Fixed):
        return float(distribution.fixed)
    from statistics import NormalDist

    standard = NormalDist()
    mu, sigma = math.log(distribution.median), distribution.sigma
    low = standard.cdf((math.log(SHORTEST_OUTAGE) - mu) / sigma)
    high = standard.cdf((math.log(longest) - mu) / sigma)
    # String seeds are hashed (sha512) by random: stable across Python versions, and only
    # random() itself, which Python guarantees, is used.
    uniforms = random.Random(f"drillsim-truth/{seed}")
    uniform = uniforms.random()
    if not low <= uniform <= high:
        uniform = low + uniforms.random() * (high - low)
    normal = standard.inv_cdf(min(max(uniform, 1e-12), 1 - 1e-12))
    return float(round(math.exp(mu + sigma * normal)))


# The Faker providers each allowed variable needs (names feed company and internet ones).
PROVIDER_MODULES: dict[str, tuple[str, ...]] = {
    "company": ("company", "person"),
    "company_suffix": ("company",),
    "catch_phrase": ("company",),
    "bs": ("company",),
    "name": ("person",),
    "first_name": ("person",),
    "last_name": ("person",),
    "job": ("job",),
    "city": ("address", "person"),
    "country": ("address",),
    "domain_name": ("internet", "person", "company"),
    "user_name": ("internet", "person"),
    "color_name": ("color",),
    "word": ("lorem",),
    "month_name": ("date_time",),
    "day_of_week": ("date_time",),
    "random_int": (),
}


@cache
def _faker(locale: str, providers: tuple[str, ...]) -> Faker:
    from faker import Faker

    return Faker(locale, providers=[f"faker.providers.{name}" for name in providers])


def _providers(scenario: Scenario) -> tuple[str, ...]:
    needed = {
        module
        for variable in scenario.variables.values()
        if isinstance(variable, FakerVariable)
        for module in PROVIDER_MODULES[variable.faker]
    }
    return tuple(sorted(needed))


def draw_variables_apart(path: str, seed: int, scenario: Scenario) -> dict[str, str]:
    """The same values as :func:`draw_variables`, drawn in a short-lived helper process.

    The live screen stays lean: Faker's modules (about 6 MB resident once imported) load in
    the helper, which exits. If the helper fails for any reason the draw happens here.
    """
    return DrawApart(path, seed, scenario).result()


class DrawApart:
    """The helper process of :func:`draw_variables_apart`, started at once and read later,
    so Faker loads while the caller does something else (the TUI imports Textual)."""

    def __init__(self, path: str, seed: int, scenario: Scenario) -> None:
        import subprocess
        import sys

        self.seed = seed
        self.scenario = scenario
        self._process: subprocess.Popen[str] | None = None
        if any(isinstance(v, FakerVariable) for v in scenario.variables.values()):
            try:
                self._process = subprocess.Popen(
                    [sys.executable, "-m", "drillsim.engine.draws", path, str(seed)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    text=True,
                )
            except OSError:
                self._process = None

    def ready(self) -> bool:
        """True once :meth:`result` will not wait."""
        return self._process is None or self._process.poll() is not None

    def result(self) -> dict[str, str]:
        import json
        import subprocess

        process = self._process
        if process is not None:
            try:
                out, _ = process.communicate(timeout=30)
                drawn = json.loads(out) if process.returncode == 0 else None
                names = placeholder_names(self.scenario.variables)
                if isinstance(drawn, dict) and set(drawn) == set(names):
                    return {str(key): str(value) for key, value in drawn.items()}
            except (OSError, ValueError, subprocess.SubprocessError):
                process.kill()
        return draw_variables(self.scenario, self.seed)


def draw_variables(scenario: Scenario, seed: int) -> dict[str, str]:
    """Values for the scenario's ``{name}`` variables, drawn in declaration order; a linked
    choice gives a value to each of its keys, and templates are filled last from the rest."""
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
                    faker = _faker(scenario.locale, _providers(scenario))
                    faker.seed_instance(seed)
                if provider == "random_int":
                    values[name] = f"{faker.random_int(min=low, max=high):,}"
                else:
                    values[name] = str(getattr(faker, provider)())
            case LinkedChoiceVariable(linked_choices=options):
                values.update(chooser.choice(options))
            case TemplateVariable():
                pass
    if any(isinstance(variable, TemplateVariable) for variable in scenario.variables.values()):
        fill_templates(scenario.variables, values)
    return values


if __name__ == "__main__":  # the helper: python -m drillsim.engine.draws SCENARIO SEED
    import json
    import sys

    from drillsim.scenario.loader import load_scenario

    print(json.dumps(draw_variables(load_scenario(sys.argv[1])[0], int(sys.argv[2]))))
