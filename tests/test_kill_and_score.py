"""A played drill killed with SIGKILL at a random moment scores with --partial up to within
one exercise minute of the kill: the live recorder (what the TUI journals through) keeps
every event and a clock mark a minute."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import FLAGSHIP

PLAYER = textwrap.dedent(
    """\
    import sys, time
    from datetime import UTC, datetime
    from drillsim.engine.actions import SendUpdate
    from drillsim.engine.clock import MonotonicClock
    from drillsim.engine.drill import Drill
    from drillsim.journal import (
        JournalWriter, Player, ScenarioRef, installation_key, new_header, new_run_id,
    )
    from drillsim.live import LiveRecorder
    from drillsim.paths import data_dir
    from drillsim.scenario.loader import load_scenario_file

    loaded = load_scenario_file(sys.argv[1])
    scenario = loaded.scenario
    ref = ScenarioRef.of(scenario, loaded.sha256, loaded.text)
    header = new_header(
        kind="played", run_id=new_run_id(), scenario=ref, seed=7,
        player=Player(team="Kill test"), scoring_version="test",
        started_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    writer = JournalWriter(sys.argv[2], header, installation_key(data_dir(), create=True))
    drill = Drill(scenario, 7, clock=MonotonicClock(), speed=240.0)
    recorder = LiveRecorder(drill, writer)
    sent = 0
    while not drill.ended:
        recorder.poll()
        if drill.now >= (sent + 1) * 600 and not drill.ended:
            drill.act(SendUpdate(("execs",), ("send-halted",), (), "investigating", 1200.0))
            sent += 1
        print(drill.now, flush=True)
        time.sleep(0.01)
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("attempt", range(3))
def test_a_killed_drill_scores_up_to_within_a_minute_of_the_kill(tmp_path: Path, attempt) -> None:
    journal = tmp_path / "killed.jsonl"
    player = subprocess.Popen(
        [sys.executable, "-c", PLAYER, str(FLAGSHIP), str(journal)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert player.stdout is not None
    reached = float(player.stdout.readline() or 0.0)  # the drill is running: start the clock
    deadline = time.monotonic() + random.Random(attempt).uniform(1.0, 6.0)
    while time.monotonic() < deadline:
        line = player.stdout.readline()
        if not line:
            break
        reached = float(line)
    player.send_signal(signal.SIGKILL)
    player.wait()
    assert reached > 60.0, "the drill never got going"
    scored = subprocess.run(
        [sys.executable, "-m", "drillsim", "score", str(journal), "--partial", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert scored.returncode == 0, scored.stderr
    card = json.loads(scored.stdout)
    assert card["partial"] is True and card["rating"] is None
    assert card["seal"] == "intact"
    assert card["ended_at"] >= reached - 60.0, (card["ended_at"], reached)
