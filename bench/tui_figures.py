"""TUI figures, side by side with a bare Textual app showing one Static.

Start-up to the first frame painted in a terminal (the installed `drillsim play`, as a user
starts it), CPU over a running drill with a 10 Hz tick, peak memory, and how late injects
appear at speed 1 on the real clock. Set BENCH_TUI_SECONDS to shorten the 30-second runs
while iterating.
"""

from __future__ import annotations

import os
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import ROOT, Figure, drillsim_command, user_env

LAUNCH = str(ROOT / "bench" / "tui_launch.py")
RUN_SECONDS = float(os.environ.get("BENCH_TUI_SECONDS", "30"))
COLUMNS, LINES = 100, 30
# Textual paints a whole frame starting from the top-left cell; its set-up sequences before
# that (alternate screen, mouse modes) are not a frame.
FRAME_START = b"\x1b[1;1H"


def _spawn(*args: str) -> tuple[float, int]:
    """Run the launcher; return (CPU seconds, peak RSS KiB).

    CPU counts the launcher and the helper processes it waited for (the name draw).
    """
    process = subprocess.Popen(
        [sys.executable, LAUNCH, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=user_env(),
    )
    _, status, usage = os.wait4(process.pid, 0)
    out = process.stdout.read() if process.stdout else ""
    err = process.stderr.read() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"launcher failed: {' '.join(args)}\n{err}")
    peak = next(int(line.split()[1]) for line in out.splitlines() if line.startswith("peak-kib "))
    return usage.ru_utime + usage.ru_stime, peak


def _cpu_seconds(pid: int) -> float:
    """CPU (user + system) a running process has used so far, from /proc."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _in_terminal(command: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds from spawning ``command`` in a 100x30 pseudo-terminal to its
    first frame."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    spawned = time.monotonic()
    process = subprocess.Popen(
        command,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=user_env(TERM="xterm-256color"),
        start_new_session=True,
    )
    os.close(slave)
    seen = b""
    try:
        while FRAME_START not in seen:
            ready, _, _ = select.select([master], [], [], 60.0)
            if not ready:
                raise SystemExit(f"no frame within 60 s from {' '.join(command)}")
            try:
                seen += os.read(master, 65536)
            except OSError as error:  # the terminal closed: the program ended without a frame
                raise SystemExit(f"{' '.join(command)} ended before its first frame") from error
        return time.monotonic() - spawned, _cpu_seconds(process.pid)
    finally:
        process.kill()
        process.wait()
        os.close(master)


def _first_frame(which: str) -> tuple[float, float]:
    if which == "drill":
        return _in_terminal([*drillsim_command(), "play", "map-outage-mid-send", "--seed", "1"])
    return _in_terminal([sys.executable, LAUNCH, "bare", "terminal"])


def startup() -> tuple[float, float, str]:
    """CPU to the first frame, the ratio's measure: on a shared machine the wall time also
    counts waiting for a core (printed beside it)."""
    _first_frame("drill")  # prime the scenario cache and .pyc files, as earlier runs would
    _first_frame("bare")
    ours: list[tuple[float, float]] = []
    bare: list[tuple[float, float]] = []
    for index in range(10):
        pair = ("drill", "bare") if index % 2 == 0 else ("bare", "drill")
        for which in pair:
            (ours if which == "drill" else bare).append(_first_frame(which))
    wall = [statistics.median(wall for wall, _ in runs) * 1000 for runs in (ours, bare)]
    print(f"  (wall time to the first frame: drillsim {wall[0]:.0f} ms, bare {wall[1]:.0f} ms)")
    return (
        statistics.median(cpu for _, cpu in ours) * 1000,
        statistics.median(cpu for _, cpu in bare) * 1000,
        "ms",
    )


_RUNS: dict[str, list[tuple[float, int]]] = {}


def _running() -> dict[str, list[tuple[float, int]]]:
    """Two interleaved runs of each app for RUN_SECONDS: (CPU seconds, peak RSS KiB)."""
    if not _RUNS:
        for index in range(2):
            for which in ("drill", "bare") if index == 0 else ("bare", "drill"):
                cpu, rss = _spawn(which, "run", str(RUN_SECONDS))
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
length: 10m
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
            # The last inject is due at 89 s: the probe stops a little after it.
            [sys.executable, str(ROOT / "bench" / "tui_latency.py"), str(path), "95"],
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


def usable_briefing() -> tuple[float, float, str]:
    """Wall time to a usable briefing (tui_briefing.py) against a bare app's first paint."""
    import tui_briefing

    ours, bare = tui_briefing.measure(10)
    print(f"  ({tui_briefing.summary(ours, bare)})")
    return statistics.median(ours.wall), statistics.median(bare.wall), "ms"


def figures() -> list[Figure]:
    return [
        Figure(
            "tui.startup.usable-briefing",
            "time to a usable briefing (title, names, Enter accepted) of the installed"
            " `drillsim play` in tmux vs a bare app's first paint",
            1.25,
            usable_briefing,
        ),
        Figure(
            "tui.startup.first-frame",
            "CPU to the first frame of the installed `drillsim play <flagship>` in a terminal"
            " vs a bare app",
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
