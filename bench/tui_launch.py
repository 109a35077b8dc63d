"""Run one app headless for a benchmark: the drillsim drill or a bare Textual app.

    python bench/tui_launch.py bare first-frame
    python bench/tui_launch.py drill first-frame
    python bench/tui_launch.py bare run 30        (a 10 Hz interval timer for 30 s)
    python bench/tui_launch.py drill run 30       (the flagship drill ticking at 10 Hz for 30 s)

It exits as soon as the first frame is drawn (first-frame) or after the given seconds (run).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bare_app():
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("bare", id="text")

        def on_mount(self) -> None:
            self.count = 0
            self.set_interval(0.1, self.tick)

        def tick(self) -> None:
            self.count += 1
            self.query_one("#text", Static).update(f"tick {self.count}")

    return Bare()


def drill_app():
    """Built exactly as ``drillsim play <flagship> --seed 1`` builds it."""
    import os
    import tempfile

    from drillsim.commands.parser import build_parser
    from drillsim.commands.play import play_app

    os.environ.setdefault("DRILLSIM_HOME", tempfile.mkdtemp(prefix="drillsim-bench-"))
    flagship = str(ROOT / "scenarios" / "map-outage-mid-send.yaml")
    return play_app(build_parser().parse_args(["play", flagship, "--seed", "1"]))


def report_first_frame(which: str) -> None:
    """Print the monotonic time at which the app's first real screen is written out.

    (Monotonic time is system-wide: the parent compares it with when it spawned us.)
    """
    from textual.app import App

    original = App._display
    shown = False

    def display(self, screen, renderable) -> None:
        nonlocal shown
        original(self, screen, renderable)
        if renderable is not None and not shown:
            shown = True
            print(f"first-frame {time.monotonic()!r}", flush=True)

    App._display = display  # type: ignore[method-assign]


def main() -> None:
    which, mode = sys.argv[1], sys.argv[2]
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    if mode == "first-frame":
        report_first_frame(which)
    app = bare_app() if which == "bare" else drill_app()

    async def first_frame(pilot) -> None:
        await pilot.pause()
        pilot.app.exit()

    async def run_for(pilot) -> None:
        if which == "drill":
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("enter")  # start the clock
        await pilot.pause(seconds)
        pilot.app.exit()

    pilot = first_frame if mode == "first-frame" else run_for
    app.run(headless=True, size=(100, 30), auto_pilot=pilot)
    print(f"peak-kib {peak_kib()}", flush=True)


def peak_kib() -> int:
    """This process's peak resident memory since it started running Python (VmHWM).

    Not the rusage a parent sees: that also counts the parent's memory the child was
    forked from before it exec'd.
    """
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__":
    main()
