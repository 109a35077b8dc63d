"""The picker shows each scenario's last score from the run history, and p opens its events
list (the same text as `drillsim preview`)."""

from __future__ import annotations

import pytest
from conftest import FLAGSHIP, ROOT
from textual.widgets import OptionList, Static

from drillsim.authoring.msel import events_list
from drillsim.cli import main
from drillsim.engine.clock import ManualClock
from drillsim.scenario.loader import load_scenario
from drillsim.tui.app import make_app
from drillsim.tui.screens.picker import PickerScreen
from drillsim.tui.screens.preview import PreviewScreen

NEVER = 10**6
TEXTBOOK = ROOT / "scenarios" / "examples" / "map-outage-mid-send-textbook.yaml"


async def settle(pilot, done, tries: int = 100) -> None:
    for _ in range(tries):
        await pilot.pause(0.05)
        if done():
            return


def prompt_of(app, path) -> str:
    options = app.screen.query_one(OptionList)
    return str(options.get_option(str(path)).prompt)


@pytest.mark.slow
async def test_p_opens_the_highlighted_scenarios_events_list_and_escape_returns() -> None:
    """The events list is the next run's draw, the seed and names the picker shows (it
    showed seed 0's names under "Next run: seed 850250", tester finding 11)."""
    seed = 850250
    scenario, _ = load_scenario(FLAGSHIP)
    listed = events_list(scenario, seed)
    asks = next(e for e in listed.entries if e.id == "vp-sales-asks")
    assert (
        asks.sender
        != next(e for e in events_list(scenario, 0).entries if e.id == "vp-sales-asks").sender
    )
    app = make_app(None, seed=seed, clock_factory=ManualClock, tick=NEVER)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("p")
        assert isinstance(app.screen, PreviewScreen)
        events = app.screen.query_one("#events", Static)
        await settle(pilot, lambda: "alert" in str(events.content))
        text = str(events.content)
        assert text.startswith(listed.title)
        hint = str(app.screen.query_one(".hint", Static).content)
        assert f"seed {seed} " in text and f"Seed {seed}" in hint
        # It spoils the draw (a tester read the outage's length before playing it): it says so.
        assert "facilitator's eyes only" in str(app.screen.query_one(".title", Static).content)
        assert "gives the drill away" in hint and "set another seed (s in the picker)" in hint
        assert asks.sender in text and "starts expectation sales-answer" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_the_picker_shows_the_last_score_from_the_history(
    tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("DRILLSIM_HOME", str(tmp_path))
    app = make_app(None, clock_factory=ManualClock, tick=NEVER)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        assert "Last:" not in prompt_of(app, FLAGSHIP)
    args = ["run", "map-outage-mid-send", "--actions", str(TEXTBOOK), "--save", "--team", "ops"]
    assert main(args) == 0
    capsys.readouterr()
    app = make_app(None, clock_factory=ManualClock, tick=NEVER)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: "Last:" in prompt_of(app, FLAGSHIP))
        assert "Last: 97.8 (P) · team ops · " in prompt_of(app, FLAGSHIP)
        others = [path for path in sorted((ROOT / "scenarios").glob("*.yaml")) if path != FLAGSHIP]
        assert all("Last:" not in prompt_of(app, path) for path in others)
