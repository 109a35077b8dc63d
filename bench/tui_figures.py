"""TUI figures, side by side with a bare Textual app showing one Static.

Start-up to the first drawn frame, CPU over a running drill with a 10 Hz tick, peak memory,
and how late injects appear at speed 1 on the real clock. Set BENCH_TUI_SECONDS to shorten
the 30-second runs while iterating.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import ROOT, Figure

LAUNCH = str(ROOT / "bench" / "tui_launch.py")
RUN_SECONDS = float(os.environ.get("BENCH_TUI_SECONDS", "30"))
# One data folder for every launch, as a user's: its scenario cache is primed by the first
# (untimed) start, so the figures measure the usual start, not the very first one.
HOME = tempfile.mkdtemp(prefix="drillsim-bench-home-")


def _spawn(*args: str) -> tuple[float, str, float, int]:
    """Run the launcher; return (spawn monotonic time, stdout, CPU seconds, peak RSS KiB).

    CPU counts the launcher and the helper processes it waited for (the name draw).
    """
    spawned = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, LAUNCH, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "DRILLSIM_HOME": HOME},
    )
    _, status, usage = os.wait4(process.pid, 0)
    out = process.stdout.read() if process.stdout else ""
    err = process.stderr.read() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"launcher failed: {' '.join(args)}\n{err}")
    peak = next(int(line.split()[1]) for line in out.splitlines() if line.startswith("peak-kib "))
    return spawned, out, usage.ru_utime + usage.ru_stime, peak


def _first_frame(which: str) -> float:
    spawned, out, _, _ = _spawn(which, "first-frame")
    line = next(line for line in out.splitlines() if line.startswith("first-frame "))
    return float(line.split()[1]) - spawned


def startup() -> tuple[float, float, str]:
    _first_frame("drill")  # prime the scenario cache, as any earlier run would have
    ours, bare = [], []
    for index in range(10):
        pair = ("drill", "bare") if index % 2 == 0 else ("bare", "drill")
        for which in pair:
            (ours if which == "drill" else bare).append(_first_frame(which))
    return statistics.median(ours) * 1000, statistics.median(bare) * 1000, "ms"


_RUNS: dict[str, list[tuple[float, int]]] = {}


def _running() -> dict[str, list[tuple[float, int]]]:
    """Two interleaved runs of each app for RUN_SECONDS: (CPU seconds, peak RSS KiB)."""
    if not _RUNS:
        for index in range(2):
            for which in ("drill", "bare") if index == 0 else ("bare", "drill"):
                _, _, cpu, rss = _spawn(which, "run", str(RUN_SECONDS))
                _RUNS.setdefault(which, []).append((cpu, rss))
    return _RUNS


def cpu() -> tuple[float, float, str]:
    runs = _running()
    ours = statistics.median(cpu for cpu, _ in runs["drill"])
    bare = statistics.median(cpu for cpu, _ in runs["bare"])
    return ours, bare, "s"


def memory() -> tuple[float, float, str]:
    runs = _running()
    ours = max(rss for _, rss in runs["drill"]) / 1024
    bare = max(rss for _, rss in runs["bare"]) / 1024
    return ours, bare, "MB"


LATENCY_SCENARIO = """\
format: 1
id: latency
title: Latency probe
summary: Injects every few seconds, for the inject-latency benchmark.
version: "1"
length: 2m
speed: 1
briefing: {{situation: Probe.}}
audiences: [{{id: team, name: Team}}]
truth: {{duration: {{fixed: 10m}}}}
impact: {{unit: x, label: X, streams: {{a: 1}}}}
injects:
{injects}
"""


def latency() -> tuple[float, float, str]:
    """p99 of (time an inject is on screen - its due time) at speed 1, against 0.25 s."""
    injects = "\n".join(
        f"  - {{id: i{n}, at: {n * 2 + 1}s, channel: chat, from: Probe, text: Inject {n}}}"
        for n in range(45)
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "latency.yaml"
        path.write_text(LATENCY_SCENARIO.format(injects=injects))
        result = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "tui_latency.py"), str(path)],
            capture_output=True,
            text=True,
            timeout=300,
        )
    if result.returncode != 0:
        raise SystemExit(f"latency probe failed\n{result.stderr}")
    lates = sorted(float(value) for value in result.stdout.split())
    p99 = lates[min(len(lates) - 1, round(0.99 * (len(lates) - 1)))]
    median = statistics.median(lates) * 1000
    print(f"  (inject latency: median {median:.0f} ms, p99 {p99 * 1000:.0f} ms, n={len(lates)})")
    return p99, 0.25, "s"


def figures() -> list[Figure]:
    return [
        Figure(
            "tui.startup.first-frame",
            "first drawn frame of drillsim play <flagship> vs a bare app",
            1.25,
            startup,
        ),
        Figure(
            "tui.cpu.running-drill",
            f"CPU over {RUN_SECONDS:g} s of a drill ticking at 10 Hz vs a bare app's timer",
            1.5,
            cpu,
        ),
        Figure("tui.memory.peak", "peak memory of the running drill vs the bare app", 1.3, memory),
        Figure(
            "tui.latency.inject-p99",
            "p99 lateness of injects at speed 1 (real clock) vs 0.25 s",
            1.0,
            latency,
        ),
    ]
