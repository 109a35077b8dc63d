"""Time to a usable briefing in a real terminal, against a bare Textual app's first paint.

    python bench/tui_briefing.py            5 rounds, each side in turn; limit 1.25x
    python bench/tui_briefing.py 9          9 rounds

"Usable" is what a team needs to start: the title, the situation with the run's names
filled in, and "Press Enter when the team is ready" (Enter is accepted from that moment;
before it the screen says "Preparing..."). Both sides run in tmux at 80x24 as a user
starts them: the console script `drillsim play --seed 1` and a bare app from a script.
Time is from starting the command to the text appearing on the pane (polled every 5 ms),
so both sides carry the same interpreter start-up and the same polling error.
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
from pathlib import Path

LIMIT = 1.25

BARE = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("bare app ready")

Bare().run()
"""


def time_to_text(command: str, text: str, env: dict[str, str], timeout: float = 30.0) -> float:
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
            f"env {exports} {command}",
        ],
        check=True,
    )
    try:
        while time.perf_counter() - start < timeout:
            pane = subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", name], capture_output=True, text=True
            ).stdout
            if text in pane:
                return time.perf_counter() - start
            time.sleep(0.005)
        raise RuntimeError(f"{text!r} never appeared for {command}")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def main() -> int:
    if shutil.which("tmux") is None:
        print("tui_briefing: needs tmux")
        return 2
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
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
    ours, theirs = [], []
    time_to_text(play, "Press Enter when the team is ready", env)  # warm the file caches
    time_to_text(bare, "bare app ready", env)
    for index in range(rounds):
        sides = [
            (ours, play, "Press Enter when the team is ready"),
            (theirs, bare, "bare app ready"),
        ]
        for found, command, text in sides if index % 2 == 0 else reversed(sides):
            found.append(time_to_text(command, text, env))
    usable, paint = statistics.median(ours), statistics.median(theirs)
    ratio = usable / paint
    print(
        f"tui-briefing  usable briefing {usable * 1000:.0f} ms / bare first paint "
        f"{paint * 1000:.0f} ms = {ratio:.2f}x (limit {LIMIT}x, median of {rounds})"
    )
    return 0 if ratio <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
