"""The TUI's part in runs that last: the debrief writes the after-action report, and an
interrupted run is resumed (Pilot, manual clock: nothing waits on wall time)."""

from __future__ import annotations

import pytest
from conftest import FLAGSHIP

from drillsim.engine.clock import ManualClock
from drillsim.tui.app import make_app
from drillsim.tui.screens.briefing import BriefingScreen
from drillsim.tui.screens.debrief import DebriefScreen
from drillsim.tui.screens.drill import DrillScreen
from drillsim.tui.settings import Settings

pytestmark = pytest.mark.usefixtures("shared_name_helper", "home")

NEVER = 10**6


def build(**options):
    clock = ManualClock()
    app = make_app(
        FLAGSHIP,
        seed=3,
        clock_factory=lambda: clock,
        tick=NEVER,
        settings=Settings(),
        **options,
    )
    return app, clock


async def play_to_debrief(app, pilot, clock) -> DebriefScreen:
    await pilot.pause()
    await app.workers.wait_for_complete()
    for _ in range(100):
        await pilot.pause()
        if app.screen.variables is not None:
            break
    assert isinstance(app.screen, BriefingScreen)
    await pilot.press("enter")
    await pilot.pause()
    drill = app.screen
    assert isinstance(drill, DrillScreen)
    clock.advance(2 * 3600 / drill.drill.speed)
    drill.tick()
    await pilot.pause()
    assert isinstance(app.screen, DebriefScreen)
    return app.screen


@pytest.mark.slow
async def test_r_on_the_debrief_writes_the_report_once(tmp_path, home) -> None:
    app, clock = build(journal_dir=tmp_path / "runs", team="Marketing ops")
    async with app.run_test(size=(100, 32)) as pilot:
        debrief = await play_to_debrief(app, pilot, clock)
        await pilot.press("r")
        await pilot.pause()
        written = list((home / "reports").glob("*-aar.md"))
        assert [path.stem for path in written] == [f"{debrief.journal_path.stem}-aar"]
        text = written[0].read_text(encoding="utf-8")
        assert text.startswith("# After-Action Report / Improvement Plan")
        assert "| Team | Marketing ops |" in text and "| Seed | 3 |" in text
        written[0].write_text("filled in", encoding="utf-8")
        await pilot.press("r")
        await pilot.pause()
        assert written[0].read_text(encoding="utf-8") == "filled in"  # never overwritten


async def test_r_without_a_journal_says_so(home) -> None:
    app, clock = build()
    async with app.run_test(size=(100, 32)) as pilot:
        await play_to_debrief(app, pilot, clock)
        await pilot.press("r")
        await pilot.pause()
        assert not (home / "reports").exists()
        assert any("not journaled" in str(n.message) for n in app._notifications)


@pytest.mark.slow
async def test_an_interrupted_run_resumes_paused_where_it_stopped(tmp_path, home) -> None:
    from drillsim.engine import events as ev
    from drillsim.journal import JournalWriter, installation_key
    from drillsim.paths import data_dir
    from drillsim.recorded import open_run
    from drillsim.resume import open_interrupted
    from drillsim.tui.widgets.inject_feed import FeedItem

    app, clock = build(journal_dir=tmp_path / "runs", team="Marketing ops")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        for _ in range(100):
            await pilot.pause()
            if app.screen.variables is not None:
                break
        await pilot.press("enter")
        await pilot.pause()
        drill = app.screen
        clock.advance(25 * 60 / drill.drill.speed)
        drill.tick()
        await pilot.pause()
        # What a kill leaves at this moment: the journal as written so far.
        killed = tmp_path / "killed.jsonl"
        killed.write_bytes(drill.journal.path.read_bytes())
        stopped = drill.drill.now
        before = open_run(killed, partial=True).journal.events
    clock = ManualClock()
    resumed = open_interrupted(killed, clock)
    journal = resumed.recorded.journal
    writer = JournalWriter(
        killed, journal.header, installation_key(data_dir(), create=True), going_on=journal
    )
    app = make_app(
        None, resume=(resumed, writer), clock_factory=lambda: clock, tick=NEVER, settings=Settings()
    )
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DrillScreen)
        assert screen.drill.paused and screen.drill.now == stopped
        shown = "\n".join(str(item.content) for item in screen.query(FeedItem))
        delivered = [e for e in before if isinstance(e, ev.InjectDelivered)]
        assert delivered and all(e.text in shown for e in delivered)
        clock.advance(600)  # a paused clock does not move
        screen.tick()
        assert screen.drill.now == stopped
        await pilot.press("space")
        await pilot.pause()
        assert not screen.drill.paused
        clock.advance(3 * 3600 / screen.drill.speed)
        screen.tick()
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
    after = open_run(killed)
    assert after.seal == "sealed"
    events = after.journal.events
    assert events[: len(before)] == before
    assert [e.kind for e in events[len(before) : len(before) + 2]] == ["paused", "resumed"]
    assert events[len(before)].t == stopped and events[-1].kind == "drill_ended"


@pytest.mark.slow
async def test_the_picker_offers_an_interrupted_run_and_enter_resumes_it(home, capsys) -> None:
    import re
    from pathlib import Path

    from drillsim.cli import main
    from drillsim.recorded import open_run
    from drillsim.tui.screens.picker import RESUME, PickerScreen

    actions = FLAGSHIP.parent / "examples" / "map-outage-mid-send-textbook.yaml"
    assert main(["run", "map-outage-mid-send", "--actions", str(actions), "--save"]) == 0
    path = Path(re.search(r"saved (\S+\.jsonl)", capsys.readouterr().err).group(1))
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[: len(lines) // 2]))  # killed half way
    (home / "history.sqlite3").unlink()  # made again from the journals: it learns the cut
    stopped = open_run(path, partial=True).journal.events[-1].t
    clock = ManualClock()
    app = make_app(None, clock_factory=lambda: clock, tick=NEVER, settings=Settings())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        options = app.screen.query_one("#scenarios")
        ids = [str(options.get_option_at_index(i).id) for i in range(options.option_count)]
        assert ids[-1] == f"{RESUME}{path}"
        assert "Resume: " in str(options.get_option_at_index(options.option_count - 1).prompt)
        options.highlighted = options.option_count - 1
        await pilot.press("enter")
        await pilot.pause()
        drill = app.screen
        assert isinstance(drill, DrillScreen)
        assert drill.drill.paused and drill.drill.now == stopped
