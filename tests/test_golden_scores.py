"""Scores do not move: every shipped scenario x bot x seed reproduces tests/golden_scores.json
exactly (floats compared bit for bit). Regenerate with `python tests/golden_scores.py` only in
a commit that says why the scores changed."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from golden_scores import GOLDEN, SCENARIOS, SEEDS, load, scenario_sha256, score_rows

from drillsim.policies import POLICY_NAMES

GOLDEN_RECORD = load()
REGENERATE = (
    f"regenerate {GOLDEN.name} with `python tests/golden_scores.py` in a commit that says why"
)


def test_the_record_covers_every_shipped_scenario_bot_and_seed() -> None:
    assert GOLDEN_RECORD["seeds"] == [SEEDS.start, SEEDS.stop]
    assert sorted(GOLDEN_RECORD["scenarios"]) == sorted(path.stem for path in SCENARIOS), REGENERATE
    for stem, entry in GOLDEN_RECORD["scenarios"].items():
        assert list(entry["policies"]) == list(POLICY_NAMES), (stem, REGENERATE)
        for rows in entry["policies"].values():
            assert [row["seed"] for row in rows] == list(SEEDS)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.stem)
def test_the_scenario_is_the_one_the_record_was_made_from(path) -> None:
    recorded = GOLDEN_RECORD["scenarios"][path.stem]["sha256"]
    assert scenario_sha256(path) == recorded, f"{path.name} changed since the record: {REGENERATE}"


def expected(path, policy: str, seeds: Sequence[int]) -> list[dict]:
    rows = {row["seed"]: row for row in GOLDEN_RECORD["scenarios"][path.stem]["policies"][policy]}
    return [rows[seed] for seed in seeds]


def quick_seeds(path, policy: str) -> tuple[int, int]:
    """Seed 0 and one more, a different one for each scenario and bot, so that the quick
    tier's 108 drills reach across all fifty recorded seeds."""
    index = SCENARIOS.index(path) * len(POLICY_NAMES) + POLICY_NAMES.index(policy)
    return 0, 1 + (index * 11) % (len(SEEDS) - 1)


@pytest.mark.parametrize("policy", POLICY_NAMES)
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.stem)
def test_two_seeds_score_exactly_as_recorded(path, policy: str) -> None:
    """The quick tier's early warning; the slow tier checks all fifty seeds."""
    seeds = quick_seeds(path, policy)
    assert score_rows(path, policy, seeds) == expected(path, policy, seeds)


def test_the_quick_seeds_reach_across_the_record() -> None:
    reached = {
        seed for path in SCENARIOS for policy in POLICY_NAMES for seed in quick_seeds(path, policy)
    }
    assert len(reached) >= min(len(SEEDS), len(SCENARIOS) * len(POLICY_NAMES))


@pytest.mark.slow
@pytest.mark.parametrize("policy", POLICY_NAMES)
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.stem)
def test_every_seed_scores_exactly_as_recorded(path, policy: str) -> None:
    assert score_rows(path, policy) == expected(path, policy, SEEDS)
