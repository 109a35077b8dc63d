"""Reviewed snapshots of the three screens a team sees on the projector.

Regenerate only after looking at the new pictures:  pytest tests/test_snapshots.py --snapshot-update
(Textual is pinned, the clock is manual, the seed fixed, so the pictures are stable.)
"""

from __future__ import annotations

import pytest
from conftest import FLAGSHIP

from drillsim.engine.actions import ChooseOption, SendUpdate
from drillsim.engine.clock import ManualClock
from drillsim.tui.app import make_app
from drillsim.tui.settings import Settings

pytestmark = pytest.mark.usefixtures("shared_name_helper")

SIZE = (100, 30)


def _app(seed: int = 7):
    clock = ManualClock()
    app = make_app(
        FLAGSHIP,
        seed=seed,
        team="Marketing ops",
        clock_factory=lambda: clock,
        tick=10**6,
        settings=Settings(),
    )
    return app, clock


async def _ready(pilot) -> None:
    """The briefing drew its first frame, then prepared the run's names."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _settle(pilot) -> None:
    """Remove what depends on wall time: toasts and the fading highlight of new items."""
    await pilot.pause()  # let pending notifications arrive, then clear them
    pilot.app.clear_notifications()
    for item in pilot.app.screen.query("FeedItem.-new"):
        item.remove_class("-new")
    await pilot.pause()


def test_briefing(snap_compare) -> None:
    app, _ = _app()
    assert snap_compare(app, terminal_size=SIZE, run_before=_ready)


def test_live_drill_mid_incident(snap_compare) -> None:
    app, clock = _app(seed=3)  # an outage of about 49 minutes

    async def play(pilot) -> None:
        await _ready(pilot)
        await pilot.press("enter")
        await pilot.pause()
        drill = pilot.app.screen
        clock.advance(4 * 60 / 4)
        drill.tick()
        drill.act(
            SendUpdate(
                ("execs", "sales"),
                facts=("send-halted",),
                unknowns=("when-back",),
                next_update_in=1200,
            )
        )
        clock.advance(8 * 60 / 4)
        drill.tick()
        drill.act(ChooseOption("ads-plan", "pause-ads"))
        clock.advance(6 * 60 / 4)
        drill.tick()
        await _settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=play)


def test_debrief(snap_compare) -> None:
    app, clock = _app()

    async def play(pilot) -> None:
        await _ready(pilot)
        await pilot.press("enter")
        await pilot.pause()
        drill = pilot.app.screen
        clock.advance(2 * 60 / 4)
        drill.tick()
        drill.act(
            SendUpdate(
                ("execs",), facts=("send-halted",), unknowns=("when-back",), next_update_in=1200
            )
        )
        clock.advance(10 * 60 / 4)
        drill.tick()
        drill.act(ChooseOption("forms-plan", "cms-pages"))
        clock.advance(50 * 60 / 4)
        drill.tick()
        drill.drill.end()
        drill.tick()
        await _settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=play)
