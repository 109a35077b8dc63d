"""Run one app for a benchmark: the drillsim drill or a bare Textual app.

    python bench/tui_launch.py bare terminal      (runs in the terminal until killed)
    python bench/tui_launch.py bare run 30        (a 10 Hz interval timer for 30 s)
    python bench/tui_launch.py drill run 30       (the flagship drill ticking at 10 Hz for 30 s)

The run mode exits after the given seconds. The start-up figure runs the bare app in a
pseudo-terminal and the drill with the installed `drillsim play`, and times their first frame.
"""

from __future__ import annotations

import sys
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


def main() -> None:
    which, mode = sys.argv[1], sys.argv[2]
    app = bare_app() if which == "bare" else drill_app()
    if mode == "terminal":
        app.run()
        return
    seconds = float(sys.argv[3])

    async def run_for(pilot) -> None:
        if which == "drill":
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("enter")  # start the clock
        await pilot.pause(seconds)
        pilot.app.exit()

    app.run(headless=True, size=(100, 30), auto_pilot=run_for)
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
