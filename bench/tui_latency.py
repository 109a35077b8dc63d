"""Play a scenario at speed 1 on the real clock, headless, until the exercise time given,
and print how late each inject appeared on screen (seconds after its due time), one per line.

    python bench/tui_latency.py SCENARIO UNTIL_SECONDS
"""

from __future__ import annotations

import sys
import time

from drillsim.tui.app import make_app
from drillsim.tui.widgets.inject_feed import InjectFeed


def main() -> None:
    lates: list[float] = []
    until = float(sys.argv[2])
    app = make_app(sys.argv[1], seed=1, speed=1.0)
    original = InjectFeed.add_inject

    def timed(self, t, *args):
        item = original(self, t, *args)
        due = self.screen.drill.wall_time_at(t)
        self.call_after_refresh(lambda: lates.append(time.monotonic() - due))
        return item

    InjectFeed.add_inject = timed  # type: ignore[method-assign]

    async def play(pilot) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        drill = pilot.app.screen
        while drill.drill.now < until:
            await pilot.pause(0.5)
        pilot.app.exit()

    app.run(headless=True, size=(100, 30), auto_pilot=play)
    first_after_start = lates[1:]  # the T+0 inject is drawn with the first frame of the drill
    print("\n".join(f"{late:.4f}" for late in first_after_start))


if __name__ == "__main__":
    main()
