"""The picker and the debrief show the run's seed and reach the history with a key; practice
or official is chosen in the picker and journaled; "play again with this seed" (from the
debrief and from a past run in the history) starts a new run of the same draw; the picker's
titles and summaries carry the names the next run's seed draws (Pilot, manual clock)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FLAGSHIP
from msgspec.structs import replace
from textual.widgets import DataTable, Label, OptionList

from drillsim.engine.clock import ManualClock
from drillsim.engine.draws import draw_variables
from drillsim.journal import read_journal
from drillsim.scenario.loader import load_scenario
from drillsim.store.replays import replay_of, scenario_file
from drillsim.templates import fill
from drillsim.tui.app import make_app
from drillsim.tui.screens.briefing import BriefingScreen
from drillsim.tui.screens.choice import ConfirmDialog
from drillsim.tui.screens.debrief import DebriefScreen
from drillsim.tui.screens.drill import DrillScreen
from drillsim.tui.screens.history import HistoryScreen
from drillsim.tui.screens.picker import PickerScreen
from drillsim.tui.settings import Settings

pytestmark = pytest.mark.usefixtures("shared_name_helper", "home")

NEVER = 10**6


async def until(app, pilot, done: Callable[[], bool], tries: int = 200) -> None:
    for _ in range(tries):
        await pilot.pause(0.02)
        if done():
            return
    raise AssertionError("the screen never got there")


def text_of(screen, selector: str) -> str:
    widget = screen.query_one(selector)
    return str(widget.content if hasattr(widget, "content") else widget.renderable)


async def brief_and_play_to_the_end(app, pilot, clock: ManualClock) -> DebriefScreen:
    await until(app, pilot, lambda: getattr(app.screen, "variables", None) is not None)
    await pilot.press("enter")
    await pilot.pause()
    drill = app.screen
    assert isinstance(drill, DrillScreen)
    clock.advance(drill.drill.length / drill.drill.speed + 1)
    drill.tick()
    await until(app, pilot, lambda: isinstance(app.screen, DebriefScreen))
    return app.screen


@pytest.mark.slow
async def test_official_in_the_picker_the_history_key_and_play_this_seed_again(home) -> None:
    clock = ManualClock()
    app = make_app(
        None,
        seed=41,
        clock_factory=lambda: clock,
        tick=NEVER,
        journal_dir=home / "runs",
        settings=Settings(),
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        assert "Next run: seed 41" in text_of(picker, "#seed")
        assert text_of(picker, "#mode").startswith("Practice run")
        await pilot.press("o")
        await pilot.pause()
        assert app.official and text_of(picker, "#mode").startswith("Official run")
        assert picker.query_one("#mode", Label).has_class("official")
        await pilot.press("enter")
        await pilot.pause()
        briefing = app.screen
        assert isinstance(briefing, BriefingScreen)
        facts = text_of(briefing, "#facts")
        assert "seed 41" in facts and "official run" in facts
        debrief = await brief_and_play_to_the_end(app, pilot, clock)
        assert "seed 41" in text_of(debrief, "#run")
        first = read_journal(debrief.journal_path, partial=True)
        assert first.header.seed == 41 and first.header.official

        await pilot.press("h")
        await pilot.pause()
        history = app.screen
        assert isinstance(history, HistoryScreen)
        table = history.query_one("#runs", DataTable)
        await until(app, pilot, lambda: table.row_count == 1)
        assert table.get_row_at(0)[6:8] == ["41", "official"]

        await pilot.press("p")
        await until(app, pilot, lambda: isinstance(app.screen, BriefingScreen))
        again = app.screen
        assert isinstance(again, BriefingScreen)
        assert again.setup.seed == 41 and again.setup.scenario.id == first.header.scenario.id
        assert again.setup.sha256 == first.header.scenario.sha256
        assert len(app.screen_stack) == 2, "the history and the old debrief are gone"
        debrief = await brief_and_play_to_the_end(app, pilot, clock)
        second = read_journal(debrief.journal_path, partial=True)
        assert second.header.run_id != first.header.run_id, "a new run"
        assert second.header.seed == 41
        started = [replace(journal.events[0], wall=None) for journal in (first, second)]
        assert started[0] == started[1], "the same names and hidden outage"

        await pilot.press("s", "s")  # the same seed, from the debrief: it asks first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog) and "seed 41" in str(app.screen.question)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen) and app.screen.setup.seed == 41
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert app.next_seed != 41, "a run started: the picker offers a new draw"
        assert f"Next run: seed {app.next_seed}" in text_of(app.screen, "#seed")


@pytest.mark.slow
async def test_the_facilitator_types_the_seed_of_the_next_run_in_the_picker() -> None:
    from drillsim.tui.screens.choice import SeedDialog

    app = make_app(None, seed=7, clock_factory=ManualClock, tick=NEVER, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        picker = app.screen
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SeedDialog)
        await pilot.press(*"4x1", "enter")  # only digits go in
        await pilot.pause()
        assert app.screen is picker and app.next_seed == 41
        assert "Next run: seed 41" in text_of(picker, "#seed")
        await pilot.press("enter")
        await until(app, pilot, lambda: isinstance(app.screen, BriefingScreen))
        assert app.screen.setup.seed == 41


async def test_the_picker_fills_each_summary_with_the_names_of_the_seed_it_shows() -> None:
    app = make_app(None, seed=7, clock_factory=ManualClock, tick=NEVER, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        options = app.screen.query_one(OptionList)

        def prompt() -> str:
            return str(options.get_option(str(FLAGSHIP)).prompt)

        await until(app, pilot, lambda: "‹" not in prompt())
        scenario, _ = load_scenario(FLAGSHIP)
        assert fill(scenario.summary, draw_variables(scenario, 7)) in prompt()
        await pilot.press("enter")
        await until(app, pilot, lambda: getattr(app.screen, "variables", None) is not None)
        assert app.screen.variables == draw_variables(scenario, 7), "the briefing agrees"


async def test_a_scenario_name_is_shown_as_typed_never_as_markup(tmp_path: Path) -> None:
    from drillsim.library import Entry

    entry = Entry(
        FLAGSHIP, "x", "[@click=app.quit]Quit[/] {who}", "[b]bold?[/b]", 3600.0, "easy", (), {}
    )
    app = make_app(None, clock_factory=ManualClock, tick=NEVER, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        picker.drawn = {str(FLAGSHIP): {"who": "[red]Mallory[/red]"}}
        shown = str(picker._prompt(entry))
        assert "[@click=app.quit]Quit[/] [red]Mallory[/red]" in shown
        assert "[b]bold?[/b]" in shown


def test_a_past_runs_draw_is_played_from_the_text_its_journal_carries(tmp_path: Path) -> None:
    """The bundled file when it still holds the text; else a copy, made once."""
    text = FLAGSHIP.read_text(encoding="utf-8")
    assert scenario_file("map-outage-mid-send", "a" * 64, text) == FLAGSHIP
    edited = text.replace("Launch day", "Launch night")
    copy = scenario_file("map-outage-mid-send", "b" * 64, edited)
    assert copy != FLAGSHIP and copy.read_text(encoding="utf-8") == edited
    assert scenario_file("map-outage-mid-send", "b" * 64, edited) == copy


def test_a_journal_that_cannot_be_read_is_not_played_again(tmp_path: Path) -> None:
    from drillsim.store import StoreError

    broken = tmp_path / "broken.jsonl"
    broken.write_text("not a journal\n", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot play that run again"):
        replay_of(broken)
