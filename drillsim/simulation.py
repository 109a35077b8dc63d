"""Batches of headless drills: baseline policies over many seeds, scored and summarised."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from drillsim.journal import (
    Player,
    ScenarioRef,
    installation_key,
    new_header,
    simulated_run_id,
    write_journal,
)
from drillsim.policies import play
from drillsim.scenario.loader import LoadedScenario
from scoring import __version__ as scoring_version
from scoring import score_run
from scoring.card import ScoreCard

DIMENSIONS = ("overall", "cadence", "plan_b", "restraint")


def journal_name(scenario_id: str, policy: str, seed: int) -> str:
    return f"{scenario_id}-{policy}-{seed}.jsonl"


def simulate(
    loaded: LoadedScenario,
    policies: Sequence[str],
    seeds: Sequence[int],
    *,
    journal_dir: str | os.PathLike[str] | None = None,
    on_run: Callable[[], None] | None = None,
) -> dict[str, list[ScoreCard]]:
    """Play and score every (policy, seed); write sealed journals when a folder is given."""
    scenario = loaded.scenario
    folder = Path(journal_dir) if journal_dir is not None else None
    key = None
    if folder is not None:
        from drillsim.paths import data_dir

        folder.mkdir(parents=True, exist_ok=True)
        key = installation_key(data_dir(), create=True)
    ref = ScenarioRef(
        id=scenario.id, version=scenario.version, sha256=loaded.sha256, text=loaded.text
    )
    results: dict[str, list[ScoreCard]] = {}
    for policy in policies:
        cards = results.setdefault(policy, [])
        for seed in seeds:
            drill = play(scenario, policy, seed)
            cards.append(score_run(scenario, drill.events))
            if folder is not None:
                header = new_header(
                    kind="simulated",
                    run_id=simulated_run_id(ref, policy, seed),
                    scenario=ref,
                    seed=seed,
                    player=Player(policy=policy),
                    scoring_version=scoring_version,
                )
                path = folder / journal_name(scenario.id, policy, seed)
                write_journal(path, header, drill.events, key)
            if on_run is not None:
                on_run()
    return results


def stats(values: Sequence[float]) -> dict[str, float]:
    """Median and 10th/90th percentiles (linear interpolation)."""
    import numpy as np

    data = np.asarray(values, dtype=float)
    return {
        "median": float(np.median(data)),
        "p10": float(np.percentile(data, 10)),
        "p90": float(np.percentile(data, 90)),
    }


def summary(
    scenario_id: str, seed_count: int, results: dict[str, list[ScoreCard]]
) -> dict[str, Any]:
    """The JSON that ``drillsim simulate --json`` prints."""
    policies: dict[str, Any] = {}
    for policy, cards in results.items():
        row: dict[str, Any] = {}
        for dimension in DIMENSIONS:
            values = [getattr(card, dimension) for card in cards]
            present = [value for value in values if value is not None]
            row[dimension] = stats(present) if present else None
        policies[policy] = row
    return {"scenario": scenario_id, "seeds": seed_count, "policies": policies}
