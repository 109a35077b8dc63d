"""The run history: the data folder, the SQLite index, run statuses, RUN references."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import FLAGSHIP

from drillsim import paths
from drillsim.engine.drill import Drill
from drillsim.journal import (
    Header,
    Player,
    ScenarioRef,
    installation_key,
    new_header,
    new_run_id,
)
from drillsim.live import LiveRecorder
from drillsim.scenario.loader import load_scenario_file
from drillsim.store import StoreError
from drillsim.store.database import MIGRATIONS, Database
from drillsim.store.locks import RunLock, is_locked
from drillsim.store.refs import resolve_run
from drillsim.store.runs import check_room, current_status, open_history, rebuild
from drillsim.store.tracked import TrackedJournal

pytestmark = pytest.mark.usefixtures("home")  # a data folder of its own per test

LOADED = load_scenario_file(FLAGSHIP)


def start(seed: int = 3, *, team: str = "ops", official: bool = False) -> TrackedJournal:
    header = header_for(seed, team=team, official=official)
    folder = check_room()
    return TrackedJournal(
        folder / f"{header.run_id}.jsonl", header, installation_key(paths.data_dir(), create=True)
    )


def header_for(seed: int = 3, *, team: str = "ops", official: bool = False) -> Header:
    run_id = new_run_id()
    return new_header(
        kind="played",
        run_id=run_id,
        scenario=ScenarioRef.of(LOADED.scenario, LOADED.sha256, LOADED.text),
        seed=seed,
        player=Player(team=team),
        scoring_version="0.1.0",
        started_at="2026-12-02T05:00:00+00:00",
        official=official,
    )


def play(journal: TrackedJournal, until: float | None = None, *, end: str | None = None) -> None:
    """Play the live recorder to ``until`` (the end when None); ``end`` ends it early."""
    drill = Drill(LOADED.scenario, journal_seed(journal))
    recorder = LiveRecorder(drill, journal)
    drill.advance_to(drill.length if until is None else until)
    recorder.poll()
    if end is not None:
        drill.end(end)
    recorder.close()


def journal_seed(journal: TrackedJournal) -> int:
    import json

    return json.loads(journal.path.read_text(encoding="utf-8").splitlines()[0])["seed"]


# ------------------------------------------------------------------ data folder
def test_the_override_wins_and_data_dir_sets_it(home: Path, tmp_path: Path) -> None:
    assert paths.data_dir() == home
    paths.use_data_dir(tmp_path / "elsewhere")
    assert paths.data_dir() == tmp_path / "elsewhere"


def test_an_existing_folder_at_the_old_default_keeps_being_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DRILLSIM_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    platform = tmp_path / "platform" / "drillsim"
    monkeypatch.setattr(paths, "platform_data_dir", lambda: platform)
    assert paths.data_dir() == platform, "nothing at the old default: the platform's folder"
    (tmp_path / "xdg" / "drillsim" / "runs").mkdir(parents=True)
    assert paths.data_dir() == tmp_path / "xdg" / "drillsim", "old runs are not lost"
    platform.mkdir(parents=True)
    assert paths.data_dir() == platform, "once the platform's folder exists, it is used"


def test_the_global_data_dir_option_points_every_command_there(tmp_path: Path, capsys) -> None:
    from drillsim.cli import main

    folder = tmp_path / "chosen"
    assert (
        main(
            [
                "--data-dir",
                str(folder),
                "run",
                str(FLAGSHIP),
                "--actions",
                str(FLAGSHIP.parent / "examples" / "map-outage-mid-send-textbook.yaml"),
                "--save",
            ]
        )
        == 0
    )
    assert len(list((folder / "runs").glob("*.jsonl"))) == 1
    assert (folder / "history.sqlite3").exists()


# ------------------------------------------------------------------ statuses
def test_a_live_run_is_running_while_its_lock_is_held_then_finished(home: Path) -> None:
    journal = start()
    with open_history() as history:
        record = history.get(journal.path.stem)
        assert record is not None and current_status(record) == "running"
        assert record.overall is None
    play(journal)
    assert (
        not is_locked(journal.path) and not (home / "runs" / f"{journal.path.stem}.lock").exists()
    )
    with open_history() as history:
        record = history.get(journal.path.stem)
    assert record is not None and record.status == "finished" and record.seal == "sealed"
    assert record.overall is not None and record.rating is not None and record.team == "ops"


def test_a_run_ended_before_the_outage_ended_is_partial(home: Path) -> None:
    journal = start()
    play(journal, 300.0, end="quit")
    with open_history() as history:
        record = history.get(journal.path.stem)
    assert record is not None and record.status == "partial" and record.rating is None


def test_a_run_whose_process_died_is_interrupted(home: Path) -> None:
    journal = start()
    drill = Drill(LOADED.scenario, 3)
    LiveRecorder(drill, journal).poll()
    with open_history() as history:
        record = history.get(journal.path.stem)
        assert record is not None and current_status(record) == "running"
        journal.lock.release()  # what the system does when the process dies
        assert current_status(record) == "interrupted"


def test_a_lock_held_elsewhere_cannot_be_taken_and_shows_as_held(tmp_path: Path) -> None:
    journal = tmp_path / "run.jsonl"
    first, second = RunLock(journal), RunLock(journal)
    assert first.acquire() and is_locked(journal)
    assert not second.acquire()
    first.release()
    assert not is_locked(journal) and second.acquire()
    second.release()


def test_a_run_without_a_team_says_so_not_an_empty_name() -> None:
    assert header_for(team="").who == "no team named"
    assert header_for(team="ops").who == "team 'ops'"


def test_the_official_choice_is_kept_from_the_header(home: Path) -> None:
    journal = start(official=True)
    play(journal)
    with open_history() as history:
        record = history.get(journal.path.stem)
    assert record is not None and record.official


# ------------------------------------------------------------------ references
def test_a_run_is_found_by_id_prefix_path_and_latest(home: Path) -> None:
    first, second = start(seed=1), start(seed=2)
    play(first)
    play(second)
    with open_history() as history:
        run_id = first.path.stem
        assert resolve_run(run_id, history).journal == first.path
        assert resolve_run(run_id[:-3], history).record.id == run_id  # type: ignore[union-attr]
        by_path = resolve_run(str(first.path), history)
        assert by_path.journal == first.path and by_path.record is not None
        latest = resolve_run("latest", history).record
        assert latest is not None and latest.id == max(run_id, second.path.stem)


def test_an_unknown_run_says_which_one_was_meant(home: Path) -> None:
    journal = start()
    play(journal)
    run_id = journal.path.stem
    with open_history() as history:
        typo = run_id[:6] + ("x" if run_id[6] != "x" else "y") + run_id[7:12]
        with pytest.raises(StoreError, match=f"no run '{typo}'; did you mean '{run_id}'") as error:
            resolve_run(typo, history)
        assert error.value.exit_code == 1
        with pytest.raises(StoreError, match="drillsim runs` lists"):
            resolve_run("zzzz", history)
        with pytest.raises(StoreError, match="did you mean 'latest'"):
            resolve_run("latset", history)


def test_a_prefix_of_several_ids_asks_for_more(home: Path) -> None:
    first, second = start(), start()
    with open_history() as history, pytest.raises(StoreError, match="start of 2 run ids"):
        resolve_run(first.path.stem[:4], history)
    first.close()
    second.close()


def test_latest_with_no_runs_says_how_to_make_one(home: Path) -> None:
    with open_history() as history, pytest.raises(StoreError, match="no runs yet"):
        resolve_run("latest", history)


# ------------------------------------------------------------------ the database
def test_the_database_is_in_wal_mode_at_the_latest_migration(home: Path) -> None:
    open_history().close()
    connection = sqlite3.connect(paths.history_file())
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_a_database_from_a_newer_drillsim_is_refused_in_one_line(home: Path) -> None:
    open_history().close()
    connection = sqlite3.connect(paths.history_file())
    connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    connection.close()
    with pytest.raises(StoreError) as error:
        open_history()
    assert "newer drillsim" in error.value.message and "\n" not in error.value.message


def test_a_corrupt_database_names_reindex_and_reindex_rebuilds_from_the_journals(
    home: Path,
) -> None:
    journal = start()
    play(journal)
    before = journal.path.read_bytes()
    paths.history_file().write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{paths.history_file()}{suffix}").unlink(missing_ok=True)
    with pytest.raises(StoreError, match=r"damaged .*drillsim runs --reindex"):
        open_history()
    rebuilt = rebuild()
    assert rebuilt.indexed == 1 and rebuilt.skipped == [] and rebuilt.kept_aside is not None
    assert journal.path.read_bytes() == before
    with open_history() as history:
        record = history.get(journal.path.stem)
    assert record is not None and record.status == "finished"


def test_a_new_database_takes_in_the_journals_already_there(home: Path) -> None:
    journal = start()
    play(journal)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{paths.history_file()}{suffix}").unlink(missing_ok=True)
    with open_history() as history:
        record = history.get(journal.path.stem)
    assert record is not None and record.status == "finished"


def test_baseline_scores_are_kept_for_the_runs_seed_and_scoring(home: Path) -> None:
    from drillsim.policies import POLICY_NAMES
    from scoring import __version__ as scoring_version

    journal = start(seed=5)
    play(journal)
    with Database(paths.history_file()) as history:
        kept = history.baselines(LOADED.sha256, 5, scoring_version)
    assert set(kept) == set(POLICY_NAMES)
    assert kept["oracle"].overall > kept["random"].overall


# ------------------------------------------------------------------ the folder
def test_a_read_only_folder_is_refused_before_the_drill_starts(home: Path) -> None:
    runs = home / "runs"
    runs.mkdir(parents=True)
    runs.chmod(0o500)
    try:
        if (runs / "probe").exists() or _writable(runs):
            pytest.skip("running as a user who can write anywhere")
        with pytest.raises(StoreError, match=r"cannot write runs in .*--data-dir") as error:
            check_room()
        assert error.value.exit_code == 2
    finally:
        runs.chmod(0o700)


def _writable(folder: Path) -> bool:
    try:
        (folder / "probe").write_text("x")
    except OSError:
        return False
    (folder / "probe").unlink()
    return True


def test_too_little_space_is_refused_before_the_drill_starts(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drillsim.store import runs

    monkeypatch.setattr(runs, "free_bytes", lambda folder: 1024 * 1024)
    with pytest.raises(StoreError, match=r"only 1\.0 MB free in .*a run needs 8 MB"):
        start()
    assert list((home / "runs").glob("*.jsonl")) == [], "nothing was written"


def test_a_data_folder_that_cannot_be_made_is_refused_with_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DRILLSIM_HOME", str(blocker / "home"))
    with pytest.raises(StoreError, match=r"cannot write runs in .*--data-dir") as error:
        check_room()
    assert error.value.exit_code == 2


@pytest.mark.slow
def test_a_played_runs_status_follows_its_process_until_it_is_killed(home: Path) -> None:
    """A real process holds the lock while it plays; SIGKILL leaves the run interrupted."""
    import json
    import signal
    import subprocess
    import sys

    from drillsim.cli import main

    player = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "sys.path.insert(0, sys.argv[1])\n"
            "import test_store\n"
            "journal = test_store.start()\n"
            "print(journal.path.stem, flush=True)\n"
            "sys.stdin.read()\n",
            str(Path(__file__).parent),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert player.stdout is not None
        run_id = player.stdout.readline().strip()
        assert run_id, "the player did not start"

        def status() -> str:
            import contextlib
            import io

            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                assert main(["runs", "--json"]) == 0
            [run] = json.loads(out.getvalue())["runs"]
            assert run["id"] == run_id
            return run["status"]

        assert status() == "running"
        player.send_signal(signal.SIGKILL)
        player.wait(timeout=60)
        assert status() == "interrupted"
    finally:
        player.kill()
        player.wait(timeout=60)


def test_the_app_journals_an_official_run_in_the_history(home: Path) -> None:
    from drillsim.tui.app import make_app

    app = make_app(FLAGSHIP, journal_dir=home / "runs", official=True, seed=4)
    assert app.first_setup is not None
    journal = app._journal(app.first_setup)
    assert isinstance(journal, TrackedJournal)
    with open_history() as history:
        record = history.get(journal.path.stem.split("-map-outage")[0])
    assert record is not None and record.official and record.status == "running"
    journal.close()


def test_a_journal_that_cannot_be_started_is_a_store_error_not_a_traceback(home: Path) -> None:
    header = header_for()
    taken = check_room() / f"{header.run_id}.jsonl"
    taken.write_text("someone else's file")
    with pytest.raises(StoreError, match="cannot start the run's journal") as error:
        TrackedJournal(taken, header, None)  # the file is there: never overwritten
    assert error.value.exit_code == 2 and taken.read_text() == "someone else's file"
