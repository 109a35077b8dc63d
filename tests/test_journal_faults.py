"""A journal that cannot be written mid-drill (the disk fills, the folder turns read-only):
nothing the team did is lost, it goes on in an emergency copy (or in memory), the drill
pauses with a message on screen, never a traceback. The failure is injected as a journal
file whose disk fills: no real disk is filled."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import IO

import pytest
from conftest import FLAGSHIP
from test_store import LOADED, play, start

from drillsim import paths
from drillsim.engine.clock import ManualClock
from drillsim.engine.drill import Drill
from drillsim.journal import installation_key, read_journal
from drillsim.live import LiveRecorder
from drillsim.store import tracked
from drillsim.store.runs import open_history
from drillsim.store.tracked import EMERGENCY_FOLDER, TrackedJournal
from drillsim.tui.app import make_app
from drillsim.tui.screens.briefing import BriefingScreen
from drillsim.tui.screens.drill import DrillScreen
from drillsim.tui.screens.fault import JournalFaultDialog
from drillsim.tui.settings import Settings

pytestmark = pytest.mark.usefixtures("home")  # a data folder of its own per test

NEVER = 10**6


@pytest.fixture
def spare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The one folder an emergency copy may go in."""
    folder = tmp_path / "spare"
    folder.mkdir()
    monkeypatch.setattr(tracked, "emergency_folders", lambda: [folder])
    return folder / EMERGENCY_FOLDER


class FullDisk:
    """The journal's file on a disk that fills after ``room`` more bytes: a write that does
    not fit fails with ENOSPC after writing what fitted (as a real full disk does)."""

    def __init__(self, handle: IO[bytes], room: int = 0) -> None:
        self.handle = handle
        self.room = room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self.handle.write(data[: self.room])
            self.room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.handle.write(data)

    def flush(self) -> None:
        self.handle.flush()

    def fileno(self) -> int:
        return self.handle.fileno()

    def close(self) -> None:
        self.handle.close()


def flagship_app(home: Path, clock_factory=ManualClock):
    """The flagship on seed 3, journaled in ``home``, its clock moved by hand."""
    return make_app(
        FLAGSHIP,
        seed=3,
        clock_factory=clock_factory,
        tick=NEVER,
        journal_dir=home / "runs",
        settings=Settings(),
    )


async def names_drawn(pilot, app) -> None:
    """Wait for the briefing's names (Enter starts the drill from then)."""
    for _ in range(200):
        await pilot.pause(0.02)
        if getattr(app.screen, "variables", None) is not None:
            return


def fill_the_disk(journal: TrackedJournal, room: int = 0) -> None:
    assert journal._handle is not None
    journal._handle = FullDisk(journal._handle, room)  # type: ignore[assignment]


def test_a_full_disk_mid_run_goes_on_in_an_emergency_copy_that_holds_it_all(spare) -> None:
    journal = start(seed=3)
    original = journal.path
    told = []
    journal.on_fault = told.append
    drill = Drill(LOADED.scenario, 3)
    recorder = LiveRecorder(drill, journal)
    drill.advance_to(30 * 60)
    recorder.poll()
    fill_the_disk(journal, room=40)  # the next line is torn part-way
    drill.advance_to(drill.length)
    recorder.close()  # no exception: the run went on elsewhere

    [fault] = told
    assert fault.journal == original and fault.reason == "No space left on device"
    assert fault.emergency == spare / original.name == journal.path
    assert str(fault.emergency) in fault.message and "drillsim runs --reindex" in fault.message
    key = installation_key(paths.data_dir(), create=False)
    kept = read_journal(fault.emergency, key=key)  # whole, sealed, every event of the run
    assert kept.seal == "sealed"
    assert [e.seq for e in kept.events] == [e.seq for e in drill.events]
    assert b"".join(journal.kept) == fault.emergency.read_bytes()
    with open_history() as history:
        record = history.get(kept.header.run_id)
    assert record is not None and record.status == "finished"
    assert record.journal == str(fault.emergency), "the history points at the copy"


def test_with_no_folder_for_a_copy_the_run_is_kept_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(tracked, "emergency_folders", lambda: [blocker])
    journal = start(seed=3)
    drill = Drill(LOADED.scenario, 3)
    recorder = LiveRecorder(drill, journal)
    drill.advance_to(10 * 60)
    recorder.poll()
    fill_the_disk(journal)
    drill.advance_to(drill.length)
    recorder.close()
    assert journal.fault is not None and journal.fault.emergency is None
    assert "kept in memory only" in journal.fault.message
    lines = b"".join(journal.kept).splitlines()
    assert len(lines) > drill.events[-1].seq, "every event's line is in memory"
    assert any("kept in memory only" in problem for problem in journal.problems)


def test_a_run_without_a_fault_keeps_its_journal_where_it_was(spare) -> None:
    journal = start(seed=3)
    where = journal.path
    play(journal)
    assert journal.fault is None and journal.path == where and not spare.exists()


@pytest.mark.usefixtures("shared_name_helper")
async def test_a_write_failure_mid_drill_pauses_it_with_a_message_and_loses_nothing(
    home: Path, spare: Path
) -> None:
    clock = ManualClock()
    app = flagship_app(home, lambda: clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await names_drawn(pilot, app)
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("enter")
        await pilot.pause()
        drill = app.screen
        assert isinstance(drill, DrillScreen)
        journal = drill.journal
        assert isinstance(journal, TrackedJournal)
        original = journal.path
        clock.advance(5 * 60 / drill.drill.speed)
        drill.tick()
        fill_the_disk(journal)
        clock.advance(20 * 60 / drill.drill.speed)
        drill.tick()  # the write fails here
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, JournalFaultDialog)
        assert drill.drill.paused, "the drill waits for the room"
        message = str(dialog.query_one("#fault").content)
        assert str(original) in message and str(spare / original.name) in message
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is drill and drill.drill.paused, "still paused until resumed"
        await pilot.press("space")  # the facilitator resumes; the run goes on in the copy
        await pilot.pause()
        assert not drill.drill.paused
        clock.advance(10 * 60 / drill.drill.speed)
        drill.tick()
        assert journal.path == spare / original.name
        kept = read_journal(journal.path, partial=True)  # the whole run so far, in the copy
        assert [e.seq for e in kept.events] == [e.seq for e in drill.drill.events]


@pytest.mark.usefixtures("shared_name_helper")
async def test_a_folder_that_filled_up_since_the_picker_stops_the_drill_from_starting(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drillsim.store import runs

    app = flagship_app(home, ManualClock)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await names_drawn(pilot, app)
        monkeypatch.setattr(runs, "free_bytes", lambda folder: 1024 * 1024)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen), "the clock never started"
        [told] = list(app._notifications)
        assert told.title == "Cannot keep the run" and "a run needs 8 MB" in told.message
    assert not list((home / "runs").glob("*.jsonl"))


@pytest.mark.usefixtures("shared_name_helper")
async def test_a_damaged_history_is_named_on_screen_and_the_drill_is_journaled_anyway(
    home: Path,
) -> None:
    home.mkdir(parents=True, exist_ok=True)
    paths.history_file().write_bytes(b"\0not a database" * 300)
    app = flagship_app(home, ManualClock)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await names_drawn(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        drill = app.screen
        assert isinstance(drill, DrillScreen), "the drill starts: the journal is the truth"
        [told] = list(app._notifications)
        assert told.title == "Run history not updated"
        assert "damaged" in told.message and "drillsim runs --reindex" in told.message
        assert drill.journal is not None and drill.journal.path.is_file()
    assert paths.history_file().read_bytes() == b"\0not a database" * 300, "left as it was"


def test_a_saved_run_whose_disk_fills_says_where_it_went_not_a_traceback(
    spare: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """drillsim run --save: the runs folder's disk fills after the header (injected)."""
    from drillsim.cli import main
    from drillsim.journal import JournalWriter

    write = JournalWriter._write
    runs_folder = paths.runs_path()

    def full_in_the_runs_folder(self: JournalWriter, line: bytes) -> None:
        if self.path.parent == runs_folder and self.path.stat().st_size > 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        write(self, line)

    monkeypatch.setattr(JournalWriter, "_write", full_in_the_runs_folder)
    textbook = FLAGSHIP.parent / "examples" / "map-outage-mid-send-textbook.yaml"
    assert main(["run", str(FLAGSHIP), "--actions", str(textbook), "--save"]) == 0
    err = capsys.readouterr().err
    [copy] = list(spare.glob("*.jsonl"))
    assert "No space left on device" in err and str(copy) in err
    assert f"saved {copy}" in err
    key = installation_key(paths.data_dir(), create=False)
    assert read_journal(copy, key=key).seal == "sealed"
