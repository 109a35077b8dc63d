"""Time to a usable briefing in a real terminal, against a bare Textual app's first paint.

    python bench/tui_briefing.py            5 rounds, each side in turn; limit 1.25x
    python bench/tui_briefing.py 9          9 rounds

"Usable" is what a team needs to start: the title, the situation with the run's names
filled in, and "Press Enter when the team is ready" (Enter is accepted from that moment;
before it the screen says "Preparing..."). Both sides run in tmux at 80x24 as a user
starts them: the console script `drillsim play --seed 1` and a bare app from a script.
Time is from starting the command to the text appearing on the pane (polled every 5 ms),
so both sides carry the same interpreter start-up and the same polling error.

CPU is read from /proc at the same moment: the app's own process ("self"), and with the
helper processes it has waited for (the name draw, "with helpers"). On an idle machine the
name helper runs on another core while Textual loads, so the wall ratio follows the app's
own CPU; on a busy machine every process queues for a core, and the wall ratio drifts
towards the ratio of all the CPU used (the helper's Faker import included).
"""

from __future__ import annotations

import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

LIMIT = 1.25
READY = "Press Enter when the team is ready"

BARE = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("bare app ready")

Bare().run()
"""


@dataclass
class Side:
    """One side's measurements in milliseconds, a round each."""

    wall: list[float] = field(default_factory=list)
    cpu_self: list[float] = field(default_factory=list)
    cpu_all: list[float] = field(default_factory=list)

    def add(self, wall: float, cpu_self: float, cpu_all: float) -> None:
        self.wall.append(wall * 1000)
        self.cpu_self.append(cpu_self * 1000)
        self.cpu_all.append(cpu_all * 1000)


def _cpu(pid: str) -> tuple[float, float]:
    """(own, own + waited-for children) CPU seconds of a running process, from /proc."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = [int(value) for value in stat.read().rsplit(")", 1)[1].split()[11:15]]
    tick = os.sysconf("SC_CLK_TCK")
    return sum(fields[:2]) / tick, sum(fields) / tick


def time_to_text(
    command: str, text: str, env: dict[str, str], timeout: float = 30.0
) -> tuple[float, float, float]:
    """(wall seconds, own CPU seconds, CPU seconds with waited-for helpers) from starting
    ``command`` in tmux at 80x24 to ``text`` on its pane."""
    name = f"drillsim-bench-{uuid.uuid4().hex[:8]}"
    # A tmux server for this one run: a shared server exits when its last session ends,
    # failing a new-session started at that moment (as other people's sessions come and go).
    tmux = ["tmux", "-L", name]
    exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
    start = time.perf_counter()
    subprocess.run(
        [
            *tmux,
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            "80",
            "-y",
            "24",
            f"exec env {exports} {command}",
        ],
        check=True,
    )
    try:
        while time.perf_counter() - start < timeout:
            pane = subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", name], capture_output=True, text=True
            ).stdout
            if text in pane:
                wall = time.perf_counter() - start
                pid = subprocess.run(
                    [*tmux, "display-message", "-p", "-t", name, "#{pane_pid}"],
                    capture_output=True,
                    text=True,
                ).stdout.strip()
                return (wall, *_cpu(pid))
            time.sleep(0.005)
        raise RuntimeError(f"{text!r} never appeared for {command}")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def measure(rounds: int) -> tuple[Side, Side]:
    """(drillsim's usable briefing, the bare app's first paint), ``rounds`` of each in turn."""
    script = Path(sys.executable).with_name("drillsim")
    drillsim = str(script) if script.exists() else f"{shlex.quote(sys.executable)} -m drillsim"
    home = tempfile.mkdtemp(prefix="drillsim-bench-")
    env = {
        "DRILLSIM_HOME": home,
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
        "HOME": home,
    }
    bare_file = Path(home) / "bare.py"
    bare_file.write_text(BARE, encoding="utf-8")
    bare = f"{shlex.quote(sys.executable)} {shlex.quote(str(bare_file))}"
    play = f"{drillsim} play map-outage-mid-send --seed 1"
    ours, theirs = Side(), Side()
    time_to_text(play, READY, env)  # warm the file caches and the scenario cache
    time_to_text(bare, "bare app ready", env)
    for index in range(rounds):
        sides = [(ours, play, READY), (theirs, bare, "bare app ready")]
        for found, command, text in sides if index % 2 == 0 else reversed(sides):
            found.add(*time_to_text(command, text, env))
    return ours, theirs


def summary(ours: Side, theirs: Side) -> str:
    """The CPU medians beside the wall ratio."""
    median = statistics.median
    return (
        f"CPU to it: drillsim {median(ours.cpu_self):.0f} ms own "
        f"({median(ours.cpu_all):.0f} ms with the name helper), bare {median(theirs.cpu_self):.0f}"
        f" ms: {median(ours.cpu_self) / median(theirs.cpu_self):.2f}x own, "
        f"{median(ours.cpu_all) / median(theirs.cpu_all):.2f}x all"
    )


def main() -> int:
    if shutil.which("tmux") is None:
        print("tui_briefing: needs tmux")
        return 2
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    load = os.getloadavg()[0]
    ours, theirs = measure(rounds)
    usable, paint = statistics.median(ours.wall), statistics.median(theirs.wall)
    ratio = usable / paint
    print(
        f"tui-briefing  usable briefing {usable:.0f} ms / bare first paint "
        f"{paint:.0f} ms = {ratio:.2f}x (limit {LIMIT}x, median of {rounds}, "
        f"load average {load:.1f} at the start)\n  {summary(ours, theirs)}"
    )
    return 0 if ratio <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
