"""The drill room on the format-2 scenarios, as a facilitator plays it: the feed says what is
expected of the team and when it is overdue, the clock bar says whether the run counts, and
the board shows an audience whose update bounced."""

from __future__ import annotations

import pytest
from conftest import ROOT
from test_tui import advance, build, feed_text, start

pytestmark = pytest.mark.usefixtures("shared_name_helper")

EMAIL_DOWN = ROOT / "scenarios" / "email-platform-down.yaml"
SAAS = ROOT / "scenarios" / "saas-gone-for-days.yaml"


async def composing_twenty_minutes_in(app, clock, pilot):
    """The drill 20 minutes in, the update composer open over it; the drill screen."""
    drill = await start(app, pilot)
    await advance(pilot, clock, drill, 20 * 60)
    await pilot.press("u")
    await pilot.pause()
    return drill


async def test_the_feed_says_when_an_expected_action_is_owed_and_when_it_is_overdue() -> None:
    app, clock = build(EMAIL_DOWN)
    async with app.run_test(size=(100, 32)) as pilot:
        drill = await start(app, pilot)
        label = drill.drill.render(drill.setup.scenario.action("escalate-vendor").label)
        assert f"Expected of you: {label} by T+0:10" in feed_text(drill)
        await advance(pilot, clock, drill, 9 * 60)
        assert "Overdue" not in feed_text(drill)
        await advance(pilot, clock, drill, 2 * 60)
        assert f"✗ Overdue: {label} was expected by T+0:10" in feed_text(drill)
        assert feed_text(drill).count(f"Expected of you: {label}") == 1  # told once
        events = len(drill.drill.events)
        await advance(pilot, clock, drill, 60)
        assert feed_text(drill).count("Overdue") == 1
        assert not any(e.kind == "note_added" for e in drill.drill.events[events:])


@pytest.mark.parametrize("official", [True, pytest.param(False, marks=pytest.mark.slow)])
async def test_the_clock_bar_says_whether_the_run_is_official_at_80_columns(
    official: bool,
) -> None:
    app, _ = build(EMAIL_DOWN, official=official)
    async with app.run_test(size=(80, 24)) as pilot:
        drill = await start(app, pilot)
        bar = str(drill.query_one("#clock").render())
        assert ("official" if official else "practice") in bar
        assert ("practice" if official else "official") not in bar


@pytest.mark.parametrize("size", [pytest.param((110, 36), marks=pytest.mark.slow), (80, 24)])
async def test_the_board_marks_an_audience_whose_last_update_bounced_until_one_arrives(
    size: tuple[int, int],
) -> None:
    from test_channels_tui import CHANNELS, compose
    from textual.widgets import Select

    app, clock = build(CHANNELS)
    async with app.run_test(size=size) as pilot:
        drill = await start(app, pilot)
        await advance(pilot, clock, drill, 240)
        await compose(app, pilot, "down", "space")  # customers, over email: down
        await pilot.press("ctrl+s")
        await pilot.pause()
        drill.tick()
        await pilot.pause()

        def row(audience: str) -> str:
            return str(drill.query_one(f"#audience-{audience}").content)

        assert "bounced" in row("customers")
        assert "bounced" not in row("staff")
        composer = await compose(app, pilot, "down", "space")
        composer.query_one("#channel", Select).value = "banner"
        await pilot.press("ctrl+s")
        await pilot.pause()
        drill.tick()
        await pilot.pause()
        assert "bounced" not in row("customers")


@pytest.mark.slow
async def test_a_skip_stops_before_an_expected_action_falls_due() -> None:
    # Copying the lists is owed from T+0, due by T+0:30; nothing else stops a skip near it.
    app, _ = build(EMAIL_DOWN)
    action = "export-lists"
    async with app.run_test(size=(100, 32)) as pilot:
        drill = await start(app, pilot)
        expected = drill.setup.scenario.action(action).expected
        assert expected is not None
        for _ in range(40):  # skip on, sending nothing, until the action is owed
            if action in drill.drill.owed:
                break
            await pilot.press("s")
            await pilot.pause()
        else:
            pytest.fail(f"{action} never became owed")
        deadline = drill.drill.owed[action] + float(expected.within)
        while drill.drill.now < deadline - 60:
            before = drill.drill.now
            await pilot.press("s")
            await pilot.pause()
            if drill.drill.now == before:
                break
        assert drill.drill.now <= deadline - 60  # never skipped past it


@pytest.mark.slow
async def test_a_refused_update_says_why_where_the_team_can_see_it() -> None:
    from textual.widgets import Select, Static

    app, clock = build(SAAS)
    async with app.run_test(size=(120, 40)) as pilot:
        await composing_twenty_minutes_in(app, clock, pilot)
        # Three audiences held to a 30-minute promise, and 20 minutes chosen for them.
        await pilot.press("space", "down", "space", "down", "space")
        await pilot.pause()
        composer = app.screen
        composer.query_one("#next", Select).value = 20
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = composer.query_one("#error", Static)
        assert "Promise 30 min to these audiences" in str(error.content)
        shown, _ = composer.get_widget_at(error.region.x + 1, error.region.y)
        assert shown is error  # not hidden under the buttons
        composer._refuse("[@click=app.quit]All staff[/]", error)  # names from the scenario
        assert str(error.render()) == "[@click=app.quit]All staff[/]"


@pytest.mark.slow
async def test_the_catalogue_says_an_expected_action_is_overdue_once_its_deadline_passes() -> None:
    app, clock = build(EMAIL_DOWN)
    async with app.run_test(size=(100, 32)) as pilot:
        drill = await start(app, pilot)
        await advance(pilot, clock, drill, 11 * 60)
        await pilot.press("a")
        await pilot.pause()
        shown = [str(o.prompt) for o in app.screen.options]
        assert any(
            "Open a P1" in line and "(overdue: expected by T+0:10)" in line for line in shown
        )
        assert any(
            "Copy the customer" in line and "  (expected by T+0:30)" in line for line in shown
        )


async def test_the_impact_meter_does_not_call_a_loss_that_has_not_begun_stopped() -> None:
    # The webinar's attendees are lost from 10:00 (T+0:10), not before.
    app, _ = build(ROOT / "scenarios" / "webinar-down-before-launch.yaml")
    async with app.run_test(size=(80, 24)) as pilot:
        drill = await start(app, pilot)
        meter = drill.query_one("#impact")
        assert "nothing lost yet" in str(meter.render())
        assert "stopped" not in str(meter.render())
        assert not meter.has_class("-stopped")


async def test_the_command_palette_holds_the_clock_like_a_dialog_and_can_pause_it() -> None:
    from textual.command import CommandPalette

    app, clock = build()
    async with app.run_test(size=(100, 32)) as pilot:
        drill = await start(app, pilot)
        await advance(pilot, clock, drill, 60)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        clock.advance(600)
        drill.tick()
        assert drill.drill.now == pytest.approx(60.0)  # held while the palette is open
        titles = {command.title for command in app.get_system_commands(drill)}
        assert "Pause" in titles and "Resume" not in titles  # to the team the clock runs
        await pilot.press("escape")
        await pilot.pause()
        assert not drill.drill.paused  # closed without a choice: the clock runs on
        await advance(pilot, clock, drill, 60)
        assert drill.drill.now == pytest.approx(120.0)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Pause", "enter")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is drill and drill.drill.paused  # chosen: it stays paused


async def test_the_next_update_time_follows_the_ticked_audiences_until_the_team_picks_one() -> None:
    from textual.widgets import Select

    from drillsim.engine import events as ev
    from drillsim.tui.screens.composer import UpdateComposer

    app, clock = build(SAAS)
    async with app.run_test(size=(120, 40)) as pilot:
        drill = await composing_twenty_minutes_in(app, clock, pilot)
        assert isinstance(app.screen, UpdateComposer)
        # Exec and All staff, held to 30 minutes: the default 20 would be refused.
        await pilot.press("space", "down", "space", "ctrl+s")
        await pilot.pause()
        assert app.screen is drill, "sent with the default time, moved to one they accept"
        [sent] = [e for e in drill.drill.events if e.kind == ev.UPDATE_SENT]
        assert sent.next_update_in == 30 * 60
        await pilot.press("u")
        await pilot.pause()
        composer = app.screen
        composer.query_one("#next", Select).value = 45  # the team's pick
        await pilot.press("space", "down", "space")  # ticking no longer moves it
        await pilot.pause()
        assert composer.query_one("#next", Select).value == 45


@pytest.mark.slow
async def test_a_decision_that_opens_as_the_palette_holds_the_clock_keeps_it_paused() -> None:
    from test_tui import Settings

    app, clock = build(settings=Settings(pause_on_decision=True))
    async with app.run_test(size=(100, 32)) as pilot:
        drill = await start(app, pilot)
        clock.advance((5 * 60 + 5) / drill.drill.speed)  # past T+5, not yet ticked
        await pilot.press("ctrl+p")  # holding the clock catches up: the decision opens
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert drill.drill.paused and drill.drill.now == 5 * 60  # until the team resumes
        assert drill.clock_running is False


@pytest.mark.slow
async def test_f5_over_the_palette_pauses_for_good() -> None:
    app, _ = build()
    async with app.run_test(size=(100, 32)) as pilot:
        drill = await start(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("f5")  # the clock runs, as the team sees it: F5 pauses it
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert drill.drill.paused


@pytest.mark.slow
async def test_a_drill_that_ends_under_an_open_dialog_leaves_no_drill_behind() -> None:
    from test_tui import RUN_UNDER_DIALOGS, DebriefScreen, DrillScreen

    app, clock = build(settings=RUN_UNDER_DIALOGS)
    async with app.run_test(size=(100, 32)) as pilot:
        drill = await start(app, pilot)
        await pilot.press("u")  # the composer open, the clock running under it
        await pilot.pause()
        await advance(pilot, clock, drill, 2 * 3600)
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert not any(isinstance(screen, DrillScreen) for screen in app.screen_stack)
