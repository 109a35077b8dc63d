"""The engine's shortcuts only save work: with them off (no quiet sweeps skipped, conditions
walked instead of compiled, a fresh players' view at every wake, conditions that need the
incident open still waited on once it is resolved) every bot plays every bundled and test
scenario to the same events, bit for bit."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from drillsim.engine import plan as plan_module
from drillsim.engine import watch as watch_module
from drillsim.engine.view import player_view
from drillsim.library import bundled_paths
from drillsim.policies import POLICY_NAMES, play
from drillsim.policies.base import PlayerPolicy
from drillsim.scenario.conditions import Condition, holds, next_change
from drillsim.scenario.loader import load_scenario_file
from drillsim.scenario.model import Scenario

SEEDS = range(4)
PATHS = [*bundled_paths(), *sorted((Path(__file__).parent / "scenarios").glob("*.yaml"))]


def scenarios() -> list[Scenario]:
    return [load_scenario_file(path).scenario for path in PATHS]


def journals(every: list[Scenario]) -> dict[tuple[str, str, int], bytes]:
    return {
        (scenario.id, policy, seed): msgspec.json.encode(play(scenario, policy, seed).events)
        for scenario in every
        for policy in POLICY_NAMES
        for seed in SEEDS
    }


def walked(condition: Condition, flags: dict[str, Condition]) -> tuple[object, object]:
    return (
        lambda context, t: holds(condition, context, t),
        lambda context, after: next_change(condition, context, after),
    )


@pytest.mark.slow
def test_every_bot_plays_the_same_events_with_the_shortcuts_off(monkeypatch) -> None:
    with_shortcuts = journals(scenarios())
    monkeypatch.setattr(watch_module.ConditionWatch, "quiet", lambda self, now: False)
    monkeypatch.setattr(plan_module, "compile_condition", walked)
    monkeypatch.setattr(plan_module, "needs_incident_open", lambda condition, flags: False)
    monkeypatch.setattr(PlayerPolicy, "_view_now", lambda self, drill: player_view(drill))
    without = journals(scenarios())  # loaded afresh: new scenario objects, new plans
    assert with_shortcuts.keys() == without.keys()
    differ = [run for run in with_shortcuts if with_shortcuts[run] != without[run]]
    assert not differ
