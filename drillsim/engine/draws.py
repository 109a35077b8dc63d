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
from drillsim.scenario.linked import fill_templates
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


SET_ORDERED: dict[str, tuple[str, ...]] = {"it_IT": ("cities",)}
"""Lists a locale's Faker providers build from a set (it_IT's cities are ``list({...})``): in
the order of string hashes, which changes from process to process, so one seed would draw
another city in another process. Each is drawn from in sorted order instead."""


@cache
def _faker(locale: str, providers: tuple[str, ...]) -> Faker:
    from faker import Faker

    faker = Faker(locale, providers=[f"faker.providers.{name}" for name in providers])
    for provider in faker.get_providers():
        for name in SET_ORDERED.get(locale, ()):
            if isinstance(listed := getattr(provider, name, None), list):
                setattr(provider, name, sorted(listed))
    return faker


def draw_variables_apart(scenario: Scenario, seed: int) -> dict[str, str]:
    """The same values as :func:`draw_variables`, drawn in a short-lived helper process.

    The live screen stays lean: Faker's modules (about 6 MB resident once imported) load in
    the helper, which exits. If the helper fails for any reason the draw happens here.
    """
    names = DrawApart()
    names.draw(scenario, seed)
    return names.result()


class DrawApart:
    """The helper process of :func:`draw_variables_apart`, started before the scenario is
    read: it imports Faker while the caller loads the scenario and the TUI imports Textual,
    then draws what :meth:`draw` sends it (the Faker variables only, so it never loads the
    scenario), and exits."""

    def __init__(self) -> None:
        import subprocess
        import sys

        self._asked: tuple[Scenario, int] | None = None
        self._process: subprocess.Popen[str] | None
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "drillsim.engine.draws"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
        except OSError:
            self._process = None

    def draw(self, scenario: Scenario, seed: int) -> None:
        """Ask for ``scenario``'s names for ``seed`` (a scenario without Faker variables
        lets the helper go at once)."""
        self._asked = (scenario, seed)
        process = self._process
        if process is None or process.stdin is None:
            return
        asked = _fakes(scenario)
        if not asked:  # nothing to draw: no helper to wait for
            self.cancel()
            return
        import json

        request = {"locale": scenario.locale, "seed": seed, "fakes": asked}
        try:
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
        except OSError:  # the helper is gone: the draw happens here
            self.cancel()

    def cancel(self) -> None:
        """Stop the helper: its names are not wanted (the scenario could not be read)."""
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.wait()

    def ready(self) -> bool:
        """True once :meth:`result` will not wait."""
        return self._process is None or self._process.poll() is not None

    def result(self) -> dict[str, str]:
        """The run's names (:meth:`draw` first)."""
        import json
        import subprocess

        assert self._asked is not None, "draw() says what to draw before result()"
        scenario, seed = self._asked
        process, self._process = self._process, None
        if process is not None:
            try:
                out, _ = process.communicate(timeout=30)
                faked = json.loads(out) if process.returncode == 0 else None
                if isinstance(faked, list) and len(faked) == len(_fakes(scenario)):
                    return draw_variables(scenario, seed, faked=[str(value) for value in faked])
            except (OSError, ValueError, subprocess.SubprocessError):
                process.kill()
        return draw_variables(scenario, seed)


Fake = tuple[str, int, int]
"""A Faker draw: the provider, and the bounds ``random_int`` uses."""


def _fakes(scenario: Scenario) -> list[Fake]:
    """The scenario's Faker draws, in declaration order."""
    return [
        (variable.faker, variable.min, variable.max)
        for variable in scenario.variables.values()
        if isinstance(variable, FakerVariable)
    ]


def fake_values(locale: str, seed: int, fakes: list[Fake]) -> list[str]:
    """Faker's values for ``fakes`` in order, from one instance seeded with ``seed``: the
    same in the helper process as here."""
    needed = sorted({module for provider, _, _ in fakes for module in PROVIDER_MODULES[provider]})
    faker = _faker(locale, tuple(needed))
    faker.seed_instance(seed)
    return [
        f"{faker.random_int(min=low, max=high):,}"
        if provider == "random_int"
        else str(getattr(faker, provider)())
        for provider, low, high in fakes
    ]


def draw_variables(
    scenario: Scenario, seed: int, *, faked: list[str] | None = None
) -> dict[str, str]:
    """Values for the scenario's ``{name}`` variables, drawn in declaration order; a linked
    choice gives a value to each of its keys, and templates are filled last from the rest.

    ``faked``: the Faker variables' values, drawn already by the helper process."""
    values: dict[str, str] = {}
    chooser = random.Random(seed)
    if faked is None:
        fakes = _fakes(scenario)
        faked = fake_values(scenario.locale, seed, fakes) if fakes else []
    drawn = iter(faked)
    for name, variable in scenario.variables.items():
        match variable:
            case FixedVariable(value=value):
                values[name] = value
            case ChoiceVariable(choices=choices):
                values[name] = chooser.choice(choices)
            case FakerVariable():
                values[name] = next(drawn)
            case LinkedChoiceVariable(linked_choices=options):
                values.update(chooser.choice(options))
            case TemplateVariable():
                pass
    if any(isinstance(variable, TemplateVariable) for variable in scenario.variables.values()):
        fill_templates(scenario.variables, values)
    return values


def lean_faker_config() -> None:
    """Have Faker, once imported, skip its survey of locales.

    On import, ``faker.config`` imports every provider package and lists each one's locales
    (about half of Faker's import time) to learn ``AVAILABLE_LOCALES`` and ``PROVIDERS``.
    drillsim names its providers (:data:`PROVIDER_MODULES`) and draws only in the locales
    validation accepts (:data:`FAKER_LOCALES`, Faker's own list less a deprecated one), so a
    config holding just those stands in and the draws are the same (tests/test_draws.py
    compares them in every locale). Only for a process of drillsim's own (a name helper, the
    command line's): it changes what ``faker.config`` holds for everything in the process,
    and does nothing where Faker is loaded already.
    """
    import sys
    import types

    from drillsim.scenario.model import FAKER_LOCALES

    config = types.ModuleType("faker.config")
    vars(config).update(
        DEFAULT_LOCALE="en_US",
        AVAILABLE_LOCALES=list(FAKER_LOCALES),
        PROVIDERS=[],
        META_PROVIDERS_MODULES=["faker.providers"],
    )
    sys.modules.setdefault("faker.config", config)


def import_faker_lean() -> None:
    """Import Faker in a helper process of its own, without its survey of locales
    (:func:`lean_faker_config`)."""
    lean_faker_config()
    import faker  # noqa: F401


def _help() -> None:
    """The helper process: Faker loads first, while the parent reads the scenario; then one
    request, a line of JSON on stdin, and the values as a JSON list on stdout."""
    import json
    import sys

    import_faker_lean()  # the slow part, done before the request comes
    text = sys.stdin.readline()
    if text:
        request = json.loads(text)
        fakes = [(str(p), int(low), int(high)) for p, low, high in request["fakes"]]
        print(json.dumps(fake_values(str(request["locale"]), int(request["seed"]), fakes)))


if __name__ == "__main__":  # the helper: python -m drillsim.engine.draws
    _help()
