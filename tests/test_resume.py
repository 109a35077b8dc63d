"""Resuming interrupted runs: a journal cut anywhere (as a kill leaves it) goes on from where
it stopped and ends as the uninterrupted run does, sealed (manual clocks: no waiting)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from conftest import FLAGSHIP, ROOT

from drillsim.cli import main
from drillsim.engine.clock import ExerciseClock, ManualClock
from drillsim.engine.drill import Drill
from drillsim.engine.events import ENCODER, FACILITATOR_KINDS, Event
from drillsim.journal import (
    JournalWriter,
    Player,
    ScenarioRef,
    installation_key,
    new_header,
    read_journal,
)
from drillsim.live import LiveRecorder, play_live
from drillsim.paths import data_dir
from drillsim.recorded import open_run
from drillsim.resume import catch_up, open_interrupted, play_rest
from drillsim.scenario.loader import load_scenario_file
from drillsim.script import ScriptPlayer, read_script
from scoring import score_run

pytestmark = pytest.mark.usefixtures("home")  # a data folder of its own per test

EXAMPLES = ROOT / "scenarios" / "examples"
SERIOUS = EXAMPLES / "map-outage-mid-send-good-run-two-serious-errors.yaml"
LOADED = load_scenario_file(FLAGSHIP)
SPEED = 60.0


def live_run(path: Path, actions: Path, seed: int, rng: random.Random) -> Path:
    """A scripted run on a manual live clock, journaled as it goes, read at random moments."""
    header = new_header(
        kind="scripted",
        run_id=f"run-{seed}",
        scenario=ScenarioRef.of(LOADED.scenario, LOADED.sha256, LOADED.text),
        seed=seed,
        player=Player(team="test"),
        scoring_version="0",
    )
    writer = JournalWriter(path, header, installation_key(data_dir(), create=True))
    drill = Drill(LOADED.scenario, seed, speed=SPEED)
    wall = ManualClock()
    play_live(
        ScriptPlayer(read_script(actions, LOADED.scenario), drill),
        LiveRecorder(drill, writer),
        ExerciseClock(wall, SPEED),
        sleep=lambda _: wall.advance(rng.uniform(0.001, 3.0)),
    )
    return path


def resume_headless(path: Path, actions: Path, rng: random.Random) -> None:
    resumed = open_interrupted(path, None)
    journal = resumed.recorded.journal
    wall = ManualClock()
    writer = JournalWriter(
        path, journal.header, installation_key(data_dir(), create=True), going_on=journal
    )
    play_rest(
        catch_up(read_script(actions, LOADED.scenario), resumed),
        writer,
        ExerciseClock(wall, SPEED),
        sleep=lambda _: wall.advance(rng.uniform(0.001, 3.0)),
    )


def half(journal: Path, parts: int = 2) -> bytes:
    """The first lines of a journal, as a kill part way leaves it."""
    lines = journal.read_bytes().splitlines(keepends=True)
    return b"".join(lines[: len(lines) // parts])


def played(events: list[Event]) -> list[dict]:
    """The engine events and inputs, without what only the clock changes (seq, wall time,
    pauses and resumes)."""
    out = []
    for event in events:
        if event.kind in FACILITATOR_KINDS:
            continue
        body = json.loads(ENCODER.encode(event))
        body.pop("seq"), body.pop("wall", None)
        out.append(body)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 3])
def test_a_journal_cut_anywhere_resumes_to_the_uninterrupted_run(tmp_path, seed) -> None:
    rng = random.Random(seed)
    whole = live_run(tmp_path / "whole.jsonl", SERIOUS, seed, rng)
    reference = open_run(whole)
    assert reference.seal == "sealed"
    data = whole.read_bytes()
    first_event = data.index(b"\n", data.index(b"\n") + 1) + 1  # after drill_started
    cuts = sorted(rng.randrange(first_event + 200, len(data) - 400) for _ in range(4))
    for cut in cuts:
        path = tmp_path / f"cut-{cut}.jsonl"
        path.write_bytes(data[:cut])  # what a kill at that moment leaves, torn line and all
        resume_headless(path, SERIOUS, rng)
        resumed = open_run(path)
        assert resumed.seal == "sealed", cut
        assert played(resumed.journal.events) == played(reference.journal.events), cut
        assert score_run(LOADED.scenario, resumed.journal.events) == score_run(
            LOADED.scenario, reference.journal.events
        )


def test_a_run_can_be_resumed_again_after_a_second_kill(tmp_path) -> None:
    rng = random.Random(7)
    whole = live_run(tmp_path / "whole.jsonl", SERIOUS, 1, rng)
    first = half(whole, 3)
    path = tmp_path / "run.jsonl"
    path.write_bytes(first)
    resume_headless(path, SERIOUS, rng)
    again = path.read_bytes()
    # Killed again in the part the resume wrote: the seal and the last lines are gone.
    path.write_bytes(again[: (len(again) + len(first)) // 2])
    resume_headless(path, SERIOUS, rng)
    assert played(open_run(path).journal.events) == played(open_run(whole).journal.events)


def test_the_writer_cuts_a_torn_line_and_goes_on_with_the_chain(tmp_path) -> None:
    whole = live_run(tmp_path / "whole.jsonl", SERIOUS, 2, random.Random(2))
    key = installation_key(data_dir(), create=False)
    full = read_journal(whole, key=key)
    lines = whole.read_bytes().splitlines(keepends=True)
    path = tmp_path / "run.jsonl"
    path.write_bytes(b"".join(lines[:10]) + lines[10][:7])  # a torn last line
    journal = read_journal(path, partial=True)
    writer = JournalWriter(path, journal.header, key, going_on=journal)
    for event in full.events[len(journal.events) :]:
        writer.append(event)
    writer.ended()
    writer.close()
    again = read_journal(path, key=key)
    assert again.seal == "sealed" and writer.sealed
    assert again.events == full.events
    assert path.read_bytes().startswith(b"".join(lines[:10]) + b'{"kind"')


def resume(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["resume", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_finished_run_is_not_resumable(tmp_path, capsys) -> None:
    whole = live_run(tmp_path / "whole.jsonl", SERIOUS, 0, random.Random(0))
    code, _, err = resume(capsys, str(whole), "--actions", str(SERIOUS))
    assert code == 1 and "not resumable: it finished (time was up at T+2:00)" in err
    assert open_run(whole).seal == "sealed"


def test_a_run_ended_early_on_purpose_is_not_resumable(tmp_path, capsys) -> None:
    actions = tmp_path / "early.yaml"
    actions.write_text("- {at: 3m, add_note: leaving}\n- {at: 10m, end_drill: {}}\n", "utf-8")
    main(["run", "map-outage-mid-send", "--actions", str(actions), "--save"])
    path = Path(re.search(r"saved (\S+\.jsonl)", capsys.readouterr().err).group(1))
    code, _, err = resume(capsys, str(path), "--actions", str(actions))
    assert code == 1
    assert "not resumable: it was ended early on purpose (by the facilitator at T+0:10)" in err


def test_an_edited_journal_is_not_resumed(tmp_path, capsys) -> None:
    whole = live_run(tmp_path / "whole.jsonl", SERIOUS, 0, random.Random(0))
    path = tmp_path / "edited.jsonl"
    path.write_bytes(half(whole).replace(b'"t":120.0', b'"t":121.0', 1))
    before = path.read_bytes()
    code, _, err = resume(capsys, str(path), "--actions", str(SERIOUS))
    assert code == 1 and "not resumed" in err and "edited" in err
    assert path.read_bytes() == before  # nothing written


def test_another_actions_file_is_refused_and_nothing_is_written(tmp_path, capsys) -> None:
    whole = live_run(tmp_path / "whole.jsonl", SERIOUS, 0, random.Random(0))
    path = tmp_path / "run.jsonl"
    path.write_bytes(half(whole))
    other = EXAMPLES / "map-outage-mid-send-panicked.yaml"
    code, _, err = resume(capsys, str(path), "--actions", str(other))
    assert code == 1 and "the actions file does not match the run" in err
    assert path.read_bytes() == half(whole)


def test_resume_without_a_terminal_needs_actions(tmp_path, capsys) -> None:
    whole = live_run(tmp_path / "whole.jsonl", SERIOUS, 0, random.Random(0))
    path = tmp_path / "run.jsonl"
    path.write_bytes(half(whole))
    code, _, err = resume(capsys, str(path))
    assert code == 2 and "--actions" in err
    assert path.read_bytes() == half(whole)


def test_a_run_still_held_by_its_process_is_not_resumed(tmp_path, capsys) -> None:
    from drillsim.store.locks import RunLock

    whole = live_run(tmp_path / "whole.jsonl", SERIOUS, 0, random.Random(0))
    path = tmp_path / "run.jsonl"
    path.write_bytes(half(whole))
    lock = RunLock(path)
    assert lock.acquire()
    try:
        code, _, err = resume(capsys, str(path), "--actions", str(SERIOUS))
    finally:
        lock.release()
    assert code == 1 and "still being played by another drillsim" in err
    assert path.read_bytes() == half(whole)


def test_the_history_learns_the_resumed_run(tmp_path) -> None:
    import drillsim.commands.resume as command
    from drillsim.store.runs import current_status, open_history

    whole = live_run(tmp_path / "whole.jsonl", SERIOUS, 0, random.Random(0))
    runs = data_dir() / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    path = runs / "run-0.jsonl"
    path.write_bytes(half(whole))
    with open_history() as history:  # made now: it indexes the runs folder
        assert current_status(history.get("run-0")) == "interrupted"
    resumed = open_interrupted(path, None)
    writer = command.reopened(resumed)
    with open_history() as history:
        assert history.get("run-0").status == "running"
    wall = ManualClock()
    play_rest(
        catch_up(read_script(SERIOUS, LOADED.scenario), resumed),
        writer,
        ExerciseClock(wall, SPEED),
        sleep=lambda _: wall.advance(1.0),
    )
    with open_history() as history:
        record = history.get("run-0")
        assert record.status == "finished" and record.seal == "sealed"
        assert record.overall == score_run(LOADED.scenario, open_run(whole).journal.events).overall
