"""Per-seed draws: the truncated outage duration, and every accepted locale draws in Faker."""

from __future__ import annotations

import json
import math
import os
import random
import subprocess
import sys
from statistics import NormalDist

import pytest

from drillsim.durations import Duration
from drillsim.engine.draws import PROVIDER_MODULES, draw_duration, draw_variables, fake_values
from drillsim.limits import FORMAT_1_LONGEST_OUTAGE, LONGEST_OUTAGE, SHORTEST_OUTAGE
from drillsim.scenario.model import FAKER_LOCALES, FAKER_PROVIDERS, FakerVariable, Lognormal

SEEDS = range(300)


def test_a_draw_inside_the_bounds_is_the_plain_lognormal_one() -> None:
    belief = Lognormal(median=Duration(4500), sigma=1.1)
    for seed in SEEDS:
        uniform = random.Random(f"drillsim-truth/{seed}").random()
        plain = round(4500 * math.exp(1.1 * NormalDist().inv_cdf(uniform)))
        if SHORTEST_OUTAGE <= plain <= FORMAT_1_LONGEST_OUTAGE:
            assert draw_duration(belief, seed, longest=FORMAT_1_LONGEST_OUTAGE) == plain


@pytest.mark.parametrize("longest", [FORMAT_1_LONGEST_OUTAGE, LONGEST_OUTAGE])
@pytest.mark.parametrize("at_bound", ["shortest", "longest"])
def test_a_drawn_outage_is_truncated_at_the_bounds_not_clamped_to_them(longest, at_bound) -> None:
    """Half of this lognormal lies past the bound: clamping would put half the runs on it."""
    bound = SHORTEST_OUTAGE if at_bound == "shortest" else longest
    drawn = [
        draw_duration(Lognormal(median=Duration(bound), sigma=3.0), seed, longest=longest)
        for seed in SEEDS
    ]
    assert all(SHORTEST_OUTAGE <= value <= longest for value in drawn)
    assert sum(value == bound for value in drawn) < len(drawn) / 50


def test_a_format_2_outage_is_drawn_past_a_day() -> None:
    """Format 2 draws days-long outages that format 1 truncates at 24 h."""
    days = Lognormal(median=Duration(3 * 86400), sigma=0.5)
    drawn = [draw_duration(days, seed, longest=LONGEST_OUTAGE) for seed in SEEDS]
    assert sum(value > FORMAT_1_LONGEST_OUTAGE for value in drawn) > len(drawn) * 0.9
    assert all(value <= LONGEST_OUTAGE for value in drawn)


def test_the_locales_are_faker_s_own_less_the_deprecated_one() -> None:
    from faker.config import AVAILABLE_LOCALES

    assert set(FAKER_LOCALES) <= set(AVAILABLE_LOCALES)
    assert set(AVAILABLE_LOCALES) - set(FAKER_LOCALES) == {"fr_QC"}


@pytest.mark.slow  # loads Faker's providers in 110 locales: about 12 s
def test_every_accepted_locale_draws_every_provider(mini) -> None:
    variables = {name: FakerVariable(faker=name) for name in FAKER_PROVIDERS}
    for locale in FAKER_LOCALES:
        drawn = draw_variables(mini.replace(locale=locale, variables=variables), 7)
        assert set(drawn) == set(FAKER_PROVIDERS)
        assert all(isinstance(value, str) for value in drawn.values()), locale


_LEAN_DRAWS = """
import json, sys
from drillsim.engine.draws import PROVIDER_MODULES, fake_values, import_faker_lean
import_faker_lean()
fakes = [(name, 10, 99) for name in PROVIDER_MODULES]
print(json.dumps({locale: fake_values(locale, 7, fakes) for locale in sys.argv[1:]}))
"""


def _lean_and_full(locales: list[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Every provider's draw in ``locales``: in a helper process that imported Faker lean,
    and here, with Faker's own config."""
    done = subprocess.run(
        [sys.executable, "-c", _LEAN_DRAWS, *locales],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    fakes = [(name, 10, 99) for name in PROVIDER_MODULES]
    return json.loads(done.stdout), {locale: fake_values(locale, 7, fakes) for locale in locales}


def test_a_helper_that_imports_faker_lean_draws_what_faker_draws() -> None:
    lean, full = _lean_and_full(["en_US", "ja_JP"])
    assert lean == full
    assert len(set(lean["en_US"])) > 5  # real draws, not one repeated value


@pytest.mark.slow  # Faker's providers in 110 locales, here and in the helper
def test_faker_imported_lean_draws_the_same_in_every_accepted_locale() -> None:
    lean, full = _lean_and_full(list(FAKER_LOCALES))
    assert lean == full


def test_a_seed_draws_the_same_city_in_every_process_even_where_faker_orders_by_hash() -> None:
    """Faker's it_IT cities come from a set: their order, and so the city a seed draws, would
    follow each process's string hashes (PYTHONHASHSEED)."""
    draw = "from drillsim.engine.draws import fake_values; print(fake_values('it_IT', 7, [('city', 0, 0)]))"
    cities = {
        subprocess.run(
            [sys.executable, "-c", draw],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        ).stdout
        for hash_seed in ("1", "2", "3")
    }
    assert len(cities) == 1
