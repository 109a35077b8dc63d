"""Every shipped scenario separates good play from bad over 200 seeds (docs/scoring.md)."""

from __future__ import annotations

import pytest
from conftest import SCENARIOS

from drillsim.policies import POLICY_NAMES
from drillsim.scenario.loader import load_scenario_file
from drillsim.simulation import simulate, summary

SEEDS = range(200)


@pytest.mark.slow
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_oracle_scores_high_and_every_bad_policy_low(path) -> None:
    loaded = load_scenario_file(path)
    scenario = loaded.scenario
    results = simulate(loaded, list(POLICY_NAMES), SEEDS)
    medians = {
        policy: row["overall"]["median"]
        for policy, row in summary(scenario.id, len(SEEDS), results)["policies"].items()
    }
    assert medians["oracle"] >= 90, medians
    assert medians["diligent"] >= 80, medians
    for policy in ("passive", "panic", "spam", "random"):
        assert medians[policy] < 50, medians
    passive = summary(scenario.id, len(SEEDS), results)["policies"]["passive"]["overall"]
    assert passive["p90"] < 50, passive  # doing nothing is never satisfactory
