"""Benchmarks, each a ratio measured side by side with its reference in the same run.

    python bench/run.py                 every figure
    python bench/run.py validate        only the figures whose name starts with "validate"
    python bench/run.py --list          the figures and their limits

Machines here are shared and noisy, so every figure interleaves the two sides (A, B, A, B...)
and compares medians, and each row says how busy the whole machine was while it was measured
(other people's work included): a ratio measured on a crowded machine is a rough one. Every
measured process is the installed console script (``.venv/bin/drillsim``) started with a
user's environment: .pyc files written, as on a user's machine. The exit code is 1 when any
ratio is over its limit.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
# One data folder for every measured process, as a user's (never the real one): its scenario
# cache is primed by each figure's first, untimed run, so figures measure the usual start.
HOME = tempfile.mkdtemp(prefix="drillsim-bench-home-")


@dataclass
class Figure:
    name: str
    description: str
    limit: float
    measure: Callable[[], tuple[float, float, str]]
    """Returns (ours, reference, unit-or-note); ratio = ours / reference."""


def user_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell for a measured process, plus ``extra``.

    A development machine may set PYTHONDONTWRITEBYTECODE; a user's does not, so their
    second start reads .pyc files instead of compiling again. Start-up figures measure that.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["DRILLSIM_HOME"] = HOME
    env.update(extra)
    return env


def drillsim_command() -> list[str]:
    """The installed console script, as a user runs it (``python -m drillsim`` otherwise)."""
    script = Path(sys.executable).parent / "drillsim"
    return [str(script)] if script.exists() else [sys.executable, "-m", "drillsim"]


class MachineLoad:
    """How busy the machine's CPUs were over a span (everyone's work, not only ours)."""

    def __init__(self) -> None:
        self._start = self._busy_and_total()

    @staticmethod
    def _busy_and_total() -> tuple[int, int]:
        try:
            with open("/proc/stat", encoding="ascii") as stat:
                fields = [int(value) for value in stat.readline().split()[1:]]
        except (OSError, ValueError):
            return 0, 0
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        return sum(fields) - idle, sum(fields)

    def cores_busy(self) -> float | None:
        """CPUs kept busy on average since this was made (None where /proc is missing)."""
        busy, total = self._busy_and_total()
        if not total or total == self._start[1]:
            return None
        share = (busy - self._start[0]) / (total - self._start[1])
        return share * (os.cpu_count() or 1)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def side_by_side(
    ours: Callable[[], object], reference: Callable[[], object], repeats: int
) -> tuple[float, float]:
    """Median seconds of each, run alternately so both see the same machine load."""
    mine, theirs = [], []
    for index in range(repeats):
        if index % 2:
            theirs.append(timed(reference))
            mine.append(timed(ours))
        else:
            mine.append(timed(ours))
            theirs.append(timed(reference))
    return statistics.median(mine), statistics.median(theirs)


def side_by_side_cpu(
    ours: Callable[[], float], reference: Callable[[], float], repeats: int
) -> tuple[float, float]:
    """Like side_by_side, for callables that return their own measurement (e.g. CPU time)."""
    mine, theirs = [], []
    for index in range(repeats):
        pair = (reference, ours) if index % 2 else (ours, reference)
        first, second = pair[0](), pair[1]()
        if index % 2:
            theirs.append(first)
            mine.append(second)
        else:
            mine.append(first)
            theirs.append(second)
    return statistics.median(mine), statistics.median(theirs)


def registry() -> list[Figure]:
    from figures import all_figures

    return all_figures()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("only", nargs="*", help="run figures whose name starts with these")
    parser.add_argument("--list", action="store_true", help="list the figures and limits")
    args = parser.parse_args(argv)
    # A regular `pip install` compiles bytecode; an editable install under
    # PYTHONDONTWRITEBYTECODE would not, and start-up figures would measure the compiler.
    for package in ("drillsim", "scoring"):
        compileall.compile_dir(str(ROOT / package), quiet=1, force=False)
    figures = [
        figure
        for figure in registry()
        if not args.only or any(figure.name.startswith(prefix) for prefix in args.only)
    ]
    if args.list:
        for figure in figures:
            print(f"{figure.name:<34} <= {figure.limit:>5.2f}x  {figure.description}")
        return 0
    failed = 0
    cores = os.cpu_count() or 1
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{cores} CPUs, load average {load:.1f} at the start. 'busy' is how many CPUs the whole "
        "machine kept busy\nwhile a figure was measured, other people's work included: near "
        f"{cores} the sides queued for CPUs\nand wall-time ratios are rough; CPU-time ratios "
        "move less."
    )
    print(
        f"{'figure':<34} {'ours':>11} {'reference':>11} {'ratio':>7} {'limit':>6} "
        f"{'busy':>5}  verdict"
    )
    for figure in figures:
        machine = MachineLoad()
        ours, reference, unit = figure.measure()
        busy = machine.cores_busy()
        ratio = ours / reference if reference else float("inf")
        verdict = "ok" if ratio <= figure.limit else "OVER"
        failed += verdict != "ok"
        shown = f"{busy:>5.1f}" if busy is not None else f"{'?':>5}"
        print(
            f"{figure.name:<34} {ours:>9.4g}{unit:>2} {reference:>9.4g}{unit:>2} "
            f"{ratio:>6.2f}x {figure.limit:>5.2f}x {shown}  {verdict}"
        )
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
