"""Scores do not move: every shipped scenario x bot x seed reproduces tests/golden_scores.json
exactly (floats compared bit for bit). Regenerate with `python tests/golden_scores.py` only in
a commit that says why the scores changed."""

from __future__ import annotations

import pytest
from golden_scores import GOLDEN, SCENARIOS, SEEDS, load, scenario_sha256, score_rows

from drillsim.policies import POLICY_NAMES

GOLDEN_RECORD = load()
QUICK_SEEDS = range(5)
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


def expected(path, policy: str, seeds: range) -> list[dict]:
    rows = GOLDEN_RECORD["scenarios"][path.stem]["policies"][policy]
    return [row for row in rows if row["seed"] in seeds]


@pytest.mark.parametrize("policy", POLICY_NAMES)
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.stem)
def test_the_first_seeds_score_exactly_as_recorded(path, policy: str) -> None:
    """The quick tier's early warning; the slow tier checks all fifty seeds."""
    assert score_rows(path, policy, QUICK_SEEDS) == expected(path, policy, QUICK_SEEDS)


@pytest.mark.slow
@pytest.mark.parametrize("policy", POLICY_NAMES)
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.stem)
def test_every_seed_scores_exactly_as_recorded(path, policy: str) -> None:
    assert score_rows(path, policy) == expected(path, policy, SEEDS)
