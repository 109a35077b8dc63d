"""The baseline bots' scores on a run's own seed, and a team's skill measured against them.

A draw can be easy or hard; the bots play the same draw, so ``(team - random) / (oracle -
random)`` says how much of the room between acting at random and playing perfectly the team
covered, whatever the draw. Bot scores are kept per scenario text, seed and scoring version:
skill scores do not drift when an upgrade changes the scoring.
"""

from __future__ import annotations

import math

from drillsim.policies import POLICY_NAMES, play
from drillsim.scenario.model import Scenario
from drillsim.store.database import BaselineScores, Database
from scoring import __version__ as scoring_version
from scoring import score_run

FLOOR, CEILING = "random", "oracle"
"""The bots skill is measured between."""
MIN_ROOM = 1.0
"""Points between the floor and the ceiling below which a skill score means nothing."""


def baseline_scores(
    database: Database, scenario: Scenario, sha256: str, seed: int
) -> dict[str, BaselineScores]:
    """Every baseline bot's scores on this seed under the current scoring (played once, then
    kept in the history)."""
    kept = database.baselines(sha256, seed, scoring_version)
    if set(kept) >= set(POLICY_NAMES):
        return kept
    played = [_play(scenario, policy, seed) for policy in POLICY_NAMES]
    database.put_baselines(sha256, seed, scoring_version, played)
    return {scores.policy: scores for scores in played}


def _play(scenario: Scenario, policy: str, seed: int) -> BaselineScores:
    card = score_run(scenario, play(scenario, policy, seed).events)
    return BaselineScores(policy, card.overall, card.cadence, card.plan_b, card.restraint)


def skill(
    team: float | None, baselines: dict[str, BaselineScores], dimension: str = "overall"
) -> float | None:
    """``(team - random) / (oracle - random)`` on one dimension; None when it means nothing
    (no score, no bot scores, or the bots less than a point apart on this draw)."""
    floor_card, ceiling_card = baselines.get(FLOOR), baselines.get(CEILING)
    if team is None or floor_card is None or ceiling_card is None:
        return None
    floor, ceiling = getattr(floor_card, dimension), getattr(ceiling_card, dimension)
    if floor is None or ceiling is None or ceiling - floor < MIN_ROOM:
        return None
    value = (team - floor) / (ceiling - floor)
    return value if math.isfinite(value) else None
