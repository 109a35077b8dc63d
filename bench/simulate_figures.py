"""Simulate figures: `drillsim simulate` on the large synthetic scenario, run as a user runs it.

One batch (every bot, SEEDS seeds, journals kept; the scenario is as long as validation
allows, see synthetic.large_hours) is measured as a process tree: its wall
time, its CPU time (the workers' included) and its peak memory, sampled from /proc. The
reference is one process json-parsing, line by line, the journals that batch wrote.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from run import Figure, MachineLoad, drillsim_command, user_env
from synthetic import large_hours, write_large_scenario

from drillsim.policies import POLICY_NAMES

SEEDS = 200
REPEATS = 3
CORES_WANTED = 1.6
BOTS = len(POLICY_NAMES)

_JSON_PARSE = (
    "import json, sys\n"
    "for path in sys.argv[1:]:\n"
    "    with open(path, 'rb') as handle:\n"
    "        for line in handle:\n"
    "            json.loads(line)\n"
)


@dataclass
class Measured:
    wall: float
    cpu: float
    peak_rss: float
    """Peak of the summed resident set sizes of the process and its workers (bytes)."""
    peak_pss: float
    """Peak of their summed proportional set sizes: pages the workers share with the
    process they were forked from counted once (bytes)."""
    machine: float | None
    """CPUs the whole machine kept busy meanwhile (ours included), when /proc says."""


def _tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    pending.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def _memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in bytes, 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            fields = dict(line.split(":", 1) for line in handle if ":" in line)
    except (OSError, ValueError):
        return 0, 0

    def kib(name: str) -> int:
        return int(fields.get(name, "0 kB").split()[0]) * 1024

    return kib("Rss"), kib("Pss")


def measure(command: list[str]) -> Measured:
    """Run a whole process tree; its wall and CPU seconds and peak memory."""
    peaks = [0, 0]
    machine = MachineLoad()
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=user_env()
    )
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            sizes = [_memory(pid) for pid in _tree(process.pid)]
            peaks[0] = max(peaks[0], sum(rss for rss, _ in sizes))
            peaks[1] = max(peaks[1], sum(pss for _, pss in sizes))
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    # wait4 counts the CPU time of the children the process waited for: its workers.
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    error = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(command)}\n{error}")
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(wall, cpu, peaks[0], peaks[1], machine.cores_busy())


class _Batch:
    """The measured batch and its reference, run alternately; medians of each."""

    def __init__(self) -> None:
        self.ours: list[Measured] = []
        self.parse: list[Measured] = []

    def run(self) -> None:
        if self.ours:
            return
        with tempfile.TemporaryDirectory(prefix="drillsim-bench-") as folder:
            root = Path(folder)
            scenario = write_large_scenario(root)
            journals = root / "journals"
            batch = [*drillsim_command(), "simulate", str(scenario), "--seeds", str(SEEDS)]
            batch += ["--json", "--journal-dir", str(journals)]
            measure(batch)  # warm: bytecode, the scenario cache, the key
            paths = sorted(map(str, journals.glob("*.jsonl")))
            parse = [sys.executable, "-c", _JSON_PARSE, *paths]
            for index in range(REPEATS):
                pair = [(self.ours, batch), (self.parse, parse)]
                for results, command in pair[:: -1 if index % 2 else 1]:
                    results.append(measure(command))
            lines = sum(1 for path in paths for _ in open(path, "rb"))  # noqa: SIM115
        print(
            f"  (large scenario: {large_hours()} h, {SEEDS} seeds x {BOTS} bots, {lines} journal "
            f"lines; {self.cores:.2f} cores busy (CPU / wall) while others kept "
            f"{self.others:.1f} busy, {self.drills_per_second:.1f} drills/s, "
            f"peak {self.peak_rss / 2**20:.0f} MB RSS summed, "
            f"{self.peak_pss / 2**20:.0f} MB PSS; CPU seconds "
            f"{self.median(self.ours, 'cpu') / self.median(self.parse, 'cpu'):.1f}x the parse's: "
            "on a machine shared with other work, wall time says less)"
        )

    def median(self, results: list[Measured], field: str) -> float:
        return statistics.median(getattr(result, field) for result in results)

    @property
    def cores(self) -> float:
        return statistics.median(result.cpu / result.wall for result in self.ours)

    @property
    def others(self) -> float:
        """CPUs the rest of the machine kept busy during our batches (median)."""
        found = [r.machine - r.cpu / r.wall for r in self.ours if r.machine is not None]
        return max(0.0, statistics.median(found)) if found else float("nan")

    @property
    def drills_per_second(self) -> float:
        return SEEDS * BOTS / self.median(self.ours, "wall")

    @property
    def peak_rss(self) -> float:
        return self.median(self.ours, "peak_rss")

    @property
    def peak_pss(self) -> float:
        return self.median(self.ours, "peak_pss")


_BATCH = _Batch()


def cores_busy() -> tuple[float, float, str]:
    """Wall seconds against CPU seconds: at most 1/1.6 means 1.6 cores kept busy."""
    _BATCH.run()
    return _BATCH.median(_BATCH.ours, "wall"), _BATCH.median(_BATCH.ours, "cpu"), "s"


def versus_json() -> tuple[float, float, str]:
    _BATCH.run()
    return _BATCH.median(_BATCH.ours, "wall"), _BATCH.median(_BATCH.parse, "wall"), "s"


def peak_memory() -> tuple[float, float, str]:
    _BATCH.run()
    return _BATCH.peak_pss / 2**20, 100.0, "MB"


def figures() -> list[Figure]:
    return [
        Figure(
            "simulate.large.cores",
            f"simulate the large scenario (workers): wall vs CPU seconds (>= {CORES_WANTED} "
            "cores busy)",
            1 / CORES_WANTED,
            cores_busy,
        ),
        Figure(
            "simulate.large.vs-json",
            "simulate the large scenario, journals kept, vs json-parsing those journals",
            6.0,
            versus_json,
        ),
        Figure(
            "simulate.large.memory",
            "peak memory of the simulate process tree (PSS summed) vs 100 MB",
            1.0,
            peak_memory,
        ),
    ]
