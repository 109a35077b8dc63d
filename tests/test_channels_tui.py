"""Channels in the drill room: the composer offers a channel only when the scenario has
channels, never says one is down before the team has seen an update bounce on it, and the
feed tells the team of the bounce."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui import advance, build, feed_text, start
from textual.widgets import Select

from drillsim.engine import events as ev
from drillsim.tui.screens.composer import UpdateComposer
from drillsim.tui.screens.debrief import DebriefScreen

CHANNELS = Path(__file__).parent / "scenarios" / "channels.yaml"

pytestmark = pytest.mark.usefixtures("shared_name_helper")


async def compose(app, pilot, *keys: str) -> UpdateComposer:
    await pilot.press("u")
    await pilot.pause()
    composer = app.screen
    assert isinstance(composer, UpdateComposer)
    await pilot.press(*keys)
    return composer


@pytest.mark.slow
async def test_a_bounce_is_told_and_the_team_picks_another_channel() -> None:
    app, clock = build(CHANNELS)
    async with app.run_test(size=(110, 36)) as pilot:
        drill = await start(app, pilot)
        await advance(pilot, clock, drill, 240)
        # Customers and staff, each over their usual channel: email, which is down.
        composer = await compose(app, pilot, "down", "space", "down", "space")
        over = composer.query_one("#channel", Select)
        labels = [str(prompt) for prompt, _ in over._options]
        assert labels == ["each one's usual channel", "Email", "In-app banner", "Team chat"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is drill
        assert "Delivery failure: your update to Customers over Email did not arrive" in (
            feed_text(drill)
        )
        composer = await compose(app, pilot, "down", "space", "down", "space")
        over = composer.query_one("#channel", Select)
        labels = [str(prompt) for prompt, _ in over._options]
        assert "Email (bounced T+0:04)" in labels  # what the team now knows, nothing more
        over.value = "banner"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is composer  # the banner does not reach staff
        assert "In-app banner does not reach All staff" in str(composer.query_one("#error").content)
        composer.query_one("#audiences").focus()
        await pilot.press("space")  # untick staff
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is drill
        sent = [e for e in drill.drill.events if isinstance(e, ev.UpdateSent)]
        assert [(e.audiences, e.channel) for e in sent] == [
            (("customers", "staff"), None),
            (("customers",), "banner"),
        ]
        assert "Update sent to Customers over In-app banner" in feed_text(drill)
        await pilot.press("e", "y")
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        lessons = str(debrief.query_one("#lessons").content)
        assert "Keep a backup of your lists and channels" in lessons
        assert "updates to All staff bounced" in lessons  # customers heard it over the banner


@pytest.mark.slow
async def test_no_channel_choice_where_the_scenario_has_no_channels() -> None:
    app, clock = build()
    async with app.run_test(size=(100, 32)) as pilot:
        drill = await start(app, pilot)
        await advance(pilot, clock, drill, 240)
        composer = await compose(app, pilot)
        assert not composer.query("#channel")
