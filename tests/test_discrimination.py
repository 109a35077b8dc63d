"""Every shipped scenario separates good play from bad over 200 seeds: the bar `drillsim lint
--check-scoring` applies (drillsim/authoring/separation.py, docs/scoring.md)."""

from __future__ import annotations

import pytest
from conftest import SCENARIOS

from drillsim.authoring.separation import BARS, DEFAULT_SEEDS, run_bots, shortfalls, weights_of
from drillsim.scenario.loader import load_scenario_file


def test_the_bar_is_the_one_docs_scoring_states() -> None:
    from conftest import ROOT

    text = " ".join((ROOT / "docs" / "scoring.md").read_text(encoding="utf-8").split())
    assert "a median of at least 90, a rule-following team (`diligent`) at least 80" in text
    assert "each score below 50, and doing nothing stays below 50 on nine seeds in ten" in text
    assert {(bar.policy, bar.statistic, bar.bound, bar.at_least) for bar in BARS} == {
        ("oracle", "median", 90.0, True),
        ("diligent", "median", 80.0, True),
        ("passive", "median", 50.0, False),
        ("panic", "median", 50.0, False),
        ("spam", "median", 50.0, False),
        ("random", "median", 50.0, False),
        ("passive", "p90", 50.0, False),  # doing nothing is never satisfactory
    }


@pytest.mark.slow
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_oracle_scores_high_and_every_bad_policy_low(path) -> None:
    loaded = load_scenario_file(path)
    report = run_bots(loaded, DEFAULT_SEEDS)
    missed = shortfalls(report, weights_of(loaded))
    assert missed == [], [shortfall.message() for shortfall in missed]
