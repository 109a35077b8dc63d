"""Scoring figures: one drill against parsing its journal, and scoring that scales linearly."""

from __future__ import annotations

import json
import statistics
import time

from run import ROOT, Figure, side_by_side
from synthetic import chatty_run

from drillsim.journal import Player, ScenarioRef, journal_lines, new_header, simulated_run_id
from drillsim.policies import play
from drillsim.scenario.loader import load_scenario, load_scenario_file
from scoring import score_run

FLAGSHIP = ROOT / "scenarios" / "map-outage-mid-send.yaml"


def _flagship():
    return load_scenario(FLAGSHIP)


def drill_versus_parse() -> tuple[float, float, str]:
    """One flagship drill simulated and scored (oracle, the busiest bot) vs parsing its journal."""
    scenario, sha = _flagship()
    sample = play(scenario, "oracle", 0)
    score_run(scenario, sample.events)  # warm: Faker, plan-B tables
    text = load_scenario_file(FLAGSHIP).text
    ref = ScenarioRef.of(scenario, sha, text)
    header = new_header(
        kind="simulated",
        run_id=simulated_run_id(ref, "oracle", 0),
        scenario=ref,
        seed=0,
        player=Player(policy="oracle"),
        scoring_version="bench",
    )
    text = b"".join(journal_lines(header, sample.events, None)).decode()

    def ours() -> None:
        score_run(scenario, play(scenario, "oracle", 0).events)

    def reference() -> None:
        for line in text.splitlines():
            json.loads(line)

    mine, theirs = side_by_side(ours, reference, repeats=41)
    rate = 1.0 / mine
    print(f"  (drills per second, simulated and scored: {rate:.0f})")
    return mine * 1000, theirs * 1000, "ms"


def _score_time(events, repeats: int) -> float:
    scenario, _ = _flagship()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        score_run(scenario, events)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


_RUNS: dict[int, list] = {}


def _events(count: int):
    if count not in _RUNS:
        _RUNS[count] = chatty_run(_flagship()[0], count)
    return _RUNS[count]


def scale() -> tuple[float, float, str]:
    """Scoring a 100,000-event journal against a 10,000-event one (linear growth: about 10x)."""
    small, large = _events(10_000), _events(100_000)
    _score_time(small, 1)
    big, little = [], []
    for _ in range(5):
        little.append(_score_time(small, 1))
        big.append(_score_time(large, 1))
    return statistics.median(big) * 1000, statistics.median(little) * 1000, "ms"


def hundred_thousand() -> tuple[float, float, str]:
    """Scoring a 100,000-event journal against the one-second budget."""
    return _score_time(_events(100_000), 5), 1.0, "s"


def figures() -> list[Figure]:
    return [
        Figure(
            "simulate.flagship.drill",
            "simulate + score one flagship drill vs json-parsing its journal",
            20.0,
            drill_versus_parse,
        ),
        Figure(
            "score.scale.100k-vs-10k", "score a 100k-event journal vs a 10k-event one", 12.0, scale
        ),
        Figure(
            "score.100k-events", "score a 100k-event journal vs 1 second", 1.0, hundred_thousand
        ),
    ]
