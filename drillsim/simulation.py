"""Batches of headless drills: baseline policies over many seeds, scored and summarised.

A batch runs its (policy, seed) drills in worker processes when asked for more than one job
(forked where the platform can fork, spawned otherwise) and puts the results back in
(policy, seed) order, so what it returns and the journals it writes are the same, byte for
byte, as one process playing them in turn.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from drillsim.collector import collector_paused
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
from drillsim.workers import Workers
from scoring import __version__ as scoring_version
from scoring import score_run
from scoring.card import ScoreCard

DIMENSIONS = ("overall", "cadence", "plan_b", "restraint")


class RunScores(NamedTuple):
    """The figures a batch keeps of one run's score card.

    A whole card also holds the time of every update each audience got: for thousands of
    long runs that is hundreds of megabytes nobody reads.
    """

    seed: int
    overall: float
    rating: str | None
    cadence: float
    plan_b: float | None
    restraint: float

    @classmethod
    def of(cls, card: ScoreCard) -> RunScores:
        return cls(card.seed, card.overall, card.rating, card.cadence, card.plan_b, card.restraint)


def journal_name(scenario_id: str, policy: str, seed: int) -> str:
    return f"{scenario_id}-{policy}-{seed}.jsonl"


def simulate(
    loaded: LoadedScenario,
    policies: Sequence[str],
    seeds: Sequence[int],
    *,
    journal_dir: str | os.PathLike[str] | None = None,
    on_run: Callable[[], None] | None = None,
    jobs: int = 1,
) -> dict[str, list[RunScores]]:
    """Play and score every (policy, seed); write sealed journals when a folder is given.

    ``jobs``: how many processes play at once (1: this one, in turn). ``on_run`` is called
    in this process once per finished drill.
    """
    folder = Path(journal_dir) if journal_dir is not None else None
    key = None
    if folder is not None:
        from drillsim.paths import data_dir

        folder.mkdir(parents=True, exist_ok=True)
        key = installation_key(data_dir(), create=True)
    batch = _Batch(loaded, folder, key)
    tasks = [(policy, seed) for policy in policies for seed in seeds]
    results: list[RunScores | None] = [None] * len(tasks)
    done = (
        _in_turn(batch, tasks)
        if min(jobs, len(tasks)) <= 1
        else _in_workers(batch, tasks, min(jobs, len(tasks)))
    )
    for index, finished in done:
        results[index] = finished
        if on_run is not None:
            on_run()
    merged: dict[str, list[RunScores]] = {policy: [] for policy in policies}
    for (policy, _), scores in zip(tasks, results, strict=True):
        assert scores is not None
        merged[policy].append(scores)
    return merged


class _Batch:
    """What every drill of a batch shares: the scenario, and where its journals go."""

    __slots__ = ("drawn", "folder", "key", "loaded", "ref")

    def __init__(self, loaded: LoadedScenario, folder: Path | None, key: bytes | None) -> None:
        scenario = loaded.scenario
        self.loaded = loaded
        self.folder = folder
        self.key = key
        self.ref = ScenarioRef.of(scenario, loaded.sha256, loaded.text)
        self.drawn: tuple[int, dict[str, str]] | None = None
        """The last seed this process drew variables for, with them: every policy plays a
        seed with the same names and numbers, and the batch hands out a seed's drills
        together (see :func:`_dispatch_order`)."""

    def variables(self, seed: int) -> dict[str, str]:
        """The values of the scenario's variables for ``seed``."""
        if self.drawn is None or self.drawn[0] != seed:
            from drillsim.engine.draws import draw_variables

            self.drawn = (seed, draw_variables(self.loaded.scenario, seed))
        return self.drawn[1]

    def warm(self, policies: Sequence[str]) -> None:
        """Load here what a drill loads on first use (the name generator, the policies, the
        scorers), so workers forked from this process share it instead of each loading it."""
        import scoring.cadence
        import scoring.planb
        import scoring.restraint
        import scoring.timeline  # noqa: F401
        from drillsim.engine.draws import draw_variables
        from drillsim.policies import make_policy

        scenario = self.loaded.scenario
        draw_variables(scenario, 0)
        for policy in policies:
            make_policy(policy, scenario, 0)

    def run(self, policy: str, seed: int) -> RunScores:
        """Play one drill, score it, and write its journal if the batch keeps them."""
        scenario = self.loaded.scenario
        # A drill allocates a lot and makes a few cycles (the drill and its condition watch):
        # the collector's passes during play would find next to nothing (2-3% of a batch).
        with collector_paused():
            drill = play(scenario, policy, seed, dict(self.variables(seed)))
            scores = RunScores.of(score_run(scenario, drill.events))
        if self.folder is not None:
            header = new_header(
                kind="simulated",
                run_id=simulated_run_id(self.ref, policy, seed),
                scenario=self.ref,
                seed=seed,
                player=Player(policy=policy),
                scoring_version=scoring_version,
            )
            path = self.folder / journal_name(scenario.id, policy, seed)
            write_journal(path, header, drill.events, self.key)
        return scores


def _dispatch_order(tasks: list[tuple[str, int]]) -> list[int]:
    """The indexes of ``tasks`` in the order they are played: seed by seed, so a process
    draws a seed's variables once for the policies it plays on it (results are put back in
    task order whatever the order of play)."""
    return sorted(range(len(tasks)), key=lambda index: (tasks[index][1], index))


def _in_turn(batch: _Batch, tasks: list[tuple[str, int]]) -> Iterator[tuple[int, RunScores]]:
    for index in _dispatch_order(tasks):
        policy, seed = tasks[index]
        yield index, batch.run(policy, seed)


_WORKER_BATCH: _Batch | None = None
"""The batch a worker process plays (set once, when the worker starts)."""


def _start_worker(batch: _Batch) -> None:
    import signal

    global _WORKER_BATCH
    _WORKER_BATCH = batch
    # Ctrl-C reaches every process of the terminal's group: the parent alone handles it
    # (and stops the workers), so one line says "interrupted", not a traceback per worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_tasks(tasks: list[tuple[int, str, int]]) -> list[tuple[int, RunScores]]:
    """Play a worker's share of drills, each returned with its task's index."""
    batch = _WORKER_BATCH
    assert batch is not None
    return [(index, batch.run(policy, seed)) for index, policy, seed in tasks]


def _in_workers(
    batch: _Batch, tasks: list[tuple[str, int]], jobs: int
) -> Iterator[tuple[int, RunScores]]:
    """Results as workers finish them, each with its task's index."""
    import gc
    import multiprocessing

    method = _start_method()
    if method == "fork":
        batch.warm(list(dict.fromkeys(policy for policy, _ in tasks)))
    context = multiprocessing.get_context(method)
    # A Ctrl-C while the workers start must neither kill one before it ignores SIGINT nor
    # interrupt the start half done (both left workers playing on after the parent gave up):
    # hold SIGINT back until every worker is up. Workers inherit the mask, so the signal can
    # only reach this process, which stops them on any exit.
    _hold_ctrl_c(True)
    # Forked workers share the parent's memory until they write to it; the cycle collector
    # would write to every object it tracks, so move them out of its sight first.
    gc.freeze()
    try:
        workers = Workers(context, jobs, _start_worker, (batch,), _run_tasks)
    except BaseException:
        _hold_ctrl_c(False)
        raise
    finally:
        gc.unfreeze()
    finished = False
    try:
        _hold_ctrl_c(False)  # a Ctrl-C held back lands here, with the workers to stop
        numbered = [(index, *tasks[index]) for index in _dispatch_order(tasks)]
        size = _chunk_size(len(tasks), jobs)
        yield from workers.results(
            [numbered[start : start + size] for start in range(0, len(numbered), size)]
        )
        finished = True
    finally:
        # Interrupted or failed: the workers are stopped now, and half-written journals go.
        workers.stop(finished=finished)
        if not finished and batch.folder is not None:
            _remove_partial_journals(batch, tasks)


def _chunk_size(tasks: int, jobs: int) -> int:
    """How many drills a worker is handed at once, and returns the results of at once: a few,
    so the messages (a share sent, its results back, a wake-up of this process) cost the
    batch less, and never so many that a worker is left idle at the end while another plays
    on."""
    return max(1, min(8, tasks // (jobs * 4)))


def _hold_ctrl_c(hold: bool) -> None:
    """Hold SIGINT back from this thread (and what it starts), or let a held one through."""
    import signal

    if sys.platform != "win32":  # Windows has no signal masks (nor fork)
        signal.pthread_sigmask(signal.SIG_BLOCK if hold else signal.SIG_UNBLOCK, {signal.SIGINT})


def usable_cpus() -> int:
    """The CPUs this process may run on (a container or taskset may allow fewer than exist)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _start_method() -> str:
    """Fork where the platform can (workers start at once, sharing what is loaded), else spawn."""
    import multiprocessing

    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _remove_partial_journals(batch: _Batch, tasks: list[tuple[str, int]]) -> None:
    assert batch.folder is not None
    scenario_id = batch.loaded.scenario.id
    for policy, seed in tasks:
        partial = batch.folder / (journal_name(scenario_id, policy, seed) + ".part")
        partial.unlink(missing_ok=True)


def stats(values: Sequence[float]) -> dict[str, float]:
    """Median and 10th/90th percentiles (linear interpolation), the figures numpy's
    ``median`` and ``percentile`` give to the last bit (a test holds them to it), without
    importing numpy into every batch."""
    ordered = sorted(float(value) for value in values)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return {"median": median, "p10": _percentile(ordered, 10), "p90": _percentile(ordered, 90)}


def _percentile(ordered: list[float], percent: int) -> float:
    """numpy's default (linear) percentile of sorted values, computed as numpy computes it."""
    at = (len(ordered) - 1) * (percent / 100)
    if at >= len(ordered) - 1:
        return ordered[-1]
    below = math.floor(at)
    weight = at - below
    low, high = ordered[below], ordered[below + 1]
    step = high - low
    # numpy interpolates from the nearer end, so a weight of 1 gives ``high`` exactly.
    return high - step * (1 - weight) if weight >= 0.5 else low + step * weight


def summary(
    scenario_id: str, seed_count: int, results: dict[str, list[RunScores]]
) -> dict[str, Any]:
    """The JSON that ``drillsim simulate --json`` prints."""
    policies: dict[str, Any] = {}
    for policy, runs in results.items():
        row: dict[str, Any] = {}
        for dimension in DIMENSIONS:
            values = [getattr(run, dimension) for run in runs]
            present = [value for value in values if value is not None]
            row[dimension] = stats(present) if present else None
        policies[policy] = row
    return {"scenario": scenario_id, "seeds": seed_count, "policies": policies}
