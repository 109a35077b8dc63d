"""A compiled condition answers as holds and next_change do, and one said to need the incident
open never holds once it is resolved: every condition of every bundled scenario and of the
test scenarios, over many drill states and times."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from drillsim.library import bundled_paths
from drillsim.scenario.conditions import (
    Condition,
    compile_condition,
    holds,
    needs_incident_open,
    next_change,
    walk,
)
from drillsim.scenario.loader import load_scenario_file
from drillsim.scenario.model import Scenario

TEST_SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.yaml"))


class RandomState:
    """A ConditionContext with random answers, drawn once per state."""

    def __init__(self, scenario: Scenario, rng: random.Random) -> None:
        self.flags = scenario.truth.flags
        self.facts = {fact.id for fact in scenario.facts if rng.random() < 0.5}
        self.chosen = {
            (decision.id, option.id)
            for decision in scenario.decisions
            for option in decision.options
            if rng.random() < 0.3
        }
        self.updates = {
            audience.id: rng.choice([None, 0.0, 61.5, 600.0, 3600.0, 7200.25])
            for audience in scenario.audiences
        }
        self.statuses = {
            expectation.id: rng.choice([None, "pending", "met", "failed"])
            for expectation in scenario.expectations
        }
        self.resolved = rng.choice([None, 0.0, 1800.0, 5400.0, 36000.0])
        self.actions = {action.id for action in scenario.actions if rng.random() < 0.4}
        self.injects = {inject.id for inject in scenario.injects if rng.random() < 0.5}

    def fact_revealed(self, fact: str) -> bool:
        return fact in self.facts

    def option_chosen(self, decision: str, option: str) -> bool:
        return (decision, option) in self.chosen

    def last_update(self, audience: str) -> float | None:
        return self.updates.get(audience)

    def expectation(self, expectation: str) -> str | None:
        return self.statuses.get(expectation)

    def resolved_at(self) -> float | None:
        return self.resolved

    def flag_condition(self, name: str) -> Condition:
        return self.flags[name]

    def action_taken(self, action: str) -> bool:
        return action in self.actions

    def inject_delivered(self, inject: str) -> bool:
        return inject in self.injects


def conditions_of(scenario: Scenario) -> list[Condition]:
    """Every condition node the scenario holds, the flags' included."""
    roots: list[Condition] = [*scenario.truth.flags.values()]
    roots += [inject.when for inject in scenario.injects if inject.when is not None]
    roots += [decision.when for decision in scenario.decisions if decision.when is not None]
    roots += [option.requires for d in scenario.decisions for option in d.options]
    roots += [audience.impacted for audience in scenario.audiences]
    roots += [action.justified_if for action in scenario.actions]
    roots += [channel.down for channel in scenario.channels]
    return [node for root in roots for node in walk(root)]


def scenario_and_states(path: Path) -> tuple[Scenario, list[RandomState], random.Random]:
    """A scenario file's scenario (skipping one made to be refused), twelve random states of
    a drill of it, and the random source they came from (the same for the same file)."""
    try:
        scenario = load_scenario_file(path).scenario
    except Exception:
        pytest.skip("a test scenario made to be refused")
    rng = random.Random(path.stem)
    return scenario, [RandomState(scenario, rng) for _ in range(12)], rng


@pytest.mark.parametrize("path", [*bundled_paths(), *TEST_SCENARIOS], ids=lambda path: path.stem)
def test_compiled_conditions_answer_as_holds_and_next_change(path: Path) -> None:
    scenario, states, _ = scenario_and_states(path)
    times = [0.0, 59.999, 60.0, 600.0, 1800.0, 3599.5, 3600.0, 7200.0, 7261.5, 36000.0, 1e6]
    for condition in conditions_of(scenario):
        test, clock = compile_condition(condition, scenario.truth.flags)
        for state in states:
            for t in times:
                assert test(state, t) == holds(condition, state, t), (condition, t)
                assert clock(state, t) == next_change(condition, state, t), (condition, t)


@pytest.mark.parametrize("path", [*bundled_paths(), *TEST_SCENARIOS], ids=lambda path: path.stem)
def test_a_condition_that_needs_the_incident_open_never_holds_once_it_is_resolved(
    path: Path,
) -> None:
    scenario, states, rng = scenario_and_states(path)
    found = 0
    for condition in conditions_of(scenario):
        if not needs_incident_open(condition, scenario.truth.flags):
            continue
        found += 1
        for state in states:
            state.resolved = rng.choice([0.0, 1800.0, 5400.0])
            for t in (state.resolved, state.resolved + 0.001, state.resolved + 7200.0, 1e6):
                assert not holds(condition, state, t), (condition, t)
    assert found  # every scenario here has injects that come only while the outage lasts
