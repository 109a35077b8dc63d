"""The history screen: kept runs listed, a past debrief, two runs compared, a team's trend."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_history_cli import PANICKED, save

from drillsim.tui.app import make_app
from drillsim.tui.screens.history import HistoryScreen
from drillsim.tui.settings import Settings

pytestmark = pytest.mark.usefixtures("home")  # a data folder of its own per test


def detail(screen: HistoryScreen) -> str:
    return str(screen.query_one("#detail").content)


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.slow
async def test_the_history_lists_runs_shows_a_debrief_compares_and_trends(home: Path) -> None:
    older = save(official=True, seed=1, started_at="2026-01-01T09:00:00+00:00")
    newer = save(official=True, actions=PANICKED, seed=2, started_at="2026-02-01T09:00:00+00:00")
    app = make_app(None, journal_dir=home / "runs", settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        [command] = [c for c in app.get_system_commands(app.screen) if c.title == "Run history"]
        command.callback()
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one("#runs")
        assert table.row_count == 2
        assert str(table.coordinate_to_cell_key((0, 0)).row_key.value) == newer.stem
        await pilot.press("enter")
        await settle(app, pilot)
        assert detail(screen).startswith(f"Run {newer.stem} · scripted · official")
        assert "Overall" in detail(screen) and "Journal: sealed" in detail(screen)
        await pilot.press("c")
        await settle(app, pilot)
        assert "B - A" not in detail(screen), "nothing to compare before two runs are marked"
        await pilot.press("space", "down", "space", "c")
        await settle(app, pilot)
        text = detail(screen)
        assert text.startswith(f"A  {newer.stem}") and f"B  {older.stem}" in text
        assert "B - A" in text and "Skill on each run's own seed" in text
        await pilot.press("t")
        await settle(app, pilot)
        text = detail(screen)
        assert text.startswith("ops · map-outage-mid-send · 2 finished official runs")
        assert "no interval" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)


@pytest.mark.slow
async def test_an_empty_history_says_how_runs_get_there(home: Path) -> None:
    app = make_app(None, journal_dir=home / "runs", settings=Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        app.action_show_history()
        await settle(app, pilot)
        assert "No runs kept yet" in detail(app.screen)


@pytest.mark.slow
async def test_a_damaged_history_says_to_reindex_on_screen(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "history.sqlite3").write_bytes(b"\0not a database" * 300)
    app = make_app(None, journal_dir=home / "runs", settings=Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        app.action_show_history()
        await settle(app, pilot)
        assert "drillsim runs --reindex" in detail(app.screen)


async def test_the_palette_chooses_official_or_practice_for_the_runs_started_next(
    home: Path,
) -> None:
    from conftest import FLAGSHIP

    app = make_app(None, journal_dir=home / "runs", settings=Settings())
    async with app.run_test(size=(100, 30)):
        titles = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Play as official" in titles and "Play as practice" not in titles
        titles["Play as official"].callback()
        journal = app._journal(app.setup_for(FLAGSHIP))
        assert journal is not None
        header = journal.path.read_text(encoding="utf-8").splitlines()[0]
        assert '"official":true' in header
        journal.close()
        titles = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Play as practice" in titles
