"""Reviewed snapshots of the screens a team sees on the projector, at the two sizes that
matter: a laptop at 80x24 (usable) and a shared screen at 120x40 (comfortable).

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

# The quick tier checks the laptop size; the slow tier adds the shared screen, and the
# pictures of a dialog over the drill and of a debrief cut short (each screen keeps one
# quick picture).
SIZES = pytest.mark.parametrize(
    "size", [(80, 24), pytest.param((120, 40), marks=pytest.mark.slow)], ids=["80x24", "120x40"]
)


def _app(seed: int = 7, path=FLAGSHIP):
    clock = ManualClock()
    app = make_app(
        path,
        seed=seed,
        team="Marketing ops",
        clock_factory=lambda: clock,
        tick=10**6,
        settings=Settings(),
    )
    return app, clock


async def _ready(pilot) -> None:
    """The briefing drew its first frame, then prepared the run's names; its key bar
    follows."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    for _ in range(100):  # the names arrive through call_from_thread
        await pilot.pause()
        screen = pilot.app.screen
        if getattr(screen, "variables", None) is not None and screen.query("Footer"):
            return


async def _settle(pilot) -> None:
    """Remove what depends on wall time: toasts and the fading highlight of new items."""
    await pilot.pause()  # let pending notifications arrive, then clear them
    pilot.app.clear_notifications()
    for item in pilot.app.screen.query("FeedItem.-new"):
        item.remove_class("-new")
    await pilot.pause()


async def _mid_incident(pilot, clock) -> None:
    """Seed 3, T+0:18: one update sent, one plan B chosen, two decisions open."""
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


@pytest.mark.slow
@SIZES
def test_picker(snap_compare, size, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DRILLSIM_HOME", str(tmp_path))  # no last scores: an empty history
    app = make_app(None, seed=7, clock_factory=ManualClock, tick=10**6, settings=Settings())

    async def drawn(pilot) -> None:
        """Seed 7's names in the titles (they arrive from the helper)."""
        for _ in range(200):
            await pilot.pause(0.02)
            if pilot.app.screen.drawn:
                break
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=drawn)


@SIZES
def test_briefing(snap_compare, size) -> None:
    app, _ = _app()
    assert snap_compare(app, terminal_size=size, run_before=_ready)


@pytest.mark.slow
@SIZES
def test_live_drill_mid_incident(snap_compare, size) -> None:
    app, clock = _app(seed=3)  # an outage of about 49 minutes

    async def play(pilot) -> None:
        await _mid_incident(pilot, clock)

    assert snap_compare(app, terminal_size=size, run_before=play)


@pytest.mark.slow
@SIZES
def test_composer_over_the_paused_drill(snap_compare, size) -> None:
    app, clock = _app(seed=3)

    async def play(pilot) -> None:
        await _mid_incident(pilot, clock)
        await pilot.press("u")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=play)


@pytest.mark.slow
@SIZES
def test_debrief(snap_compare, size) -> None:
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

    assert snap_compare(app, terminal_size=size, run_before=play)


@pytest.mark.slow
@SIZES
def test_debrief_of_a_run_ended_early(snap_compare, size) -> None:
    app, clock = _app(seed=3)

    async def play(pilot) -> None:
        await _mid_incident(pilot, clock)
        pilot.app.screen.drill.end()
        pilot.app.screen.tick()
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=play)
