"""Scripted runs on the real clock (`drillsim run --save --realtime`) killed with SIGKILL at
20 random moments, each resumed (`drillsim resume RUN --actions F`): the finished journal
holds the engine events and inputs of an uninterrupted run, and scores the same, sealed."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from drillsim.engine.events import ENCODER, FACILITATOR_KINDS
from drillsim.recorded import open_run
from scoring import score_run

ACTIONS = ROOT / "scenarios" / "examples" / "map-outage-mid-send-good-run-two-serious-errors.yaml"
SPEED = "240"  # the two-hour flagship in 30 s of wall time
SEEDS = (0, 1, 2, 3)
KILLS = 20


def drillsim(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "drillsim", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def realtime(seed: int, env: dict[str, str]) -> subprocess.Popen[str]:
    return drillsim(
        "run", "map-outage-mid-send", "--actions", str(ACTIONS), "--seed", str(seed),
        "--save", "--realtime", "--speed", SPEED, env=env,
    )  # fmt: skip


def journal_of(process: subprocess.Popen[str]) -> Path:
    """The journal the run announces on stderr once its drill has started."""
    assert process.stderr is not None
    line = process.stderr.readline()
    found = re.search(r"journaling run \S+ to (\S+\.jsonl)", line)
    assert found, line
    return Path(found.group(1))


def played(path: Path) -> tuple[list[dict], object]:
    """The run's engine events and inputs (without seq, wall time, pauses and resumes: what
    only the clock changes), its score card, and its seal."""
    recorded = open_run(path)
    events = recorded.journal.events
    kept = []
    for event in events:
        if event.kind in FACILITATOR_KINDS:
            continue
        body = json.loads(ENCODER.encode(event))
        body.pop("seq"), body.pop("wall", None)
        kept.append(body)
    return kept, (score_run(recorded.scenario, events), recorded.seal)


@pytest.mark.slow
def test_twenty_kills_at_random_moments_resume_to_the_uninterrupted_runs(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("DRILLSIM_HOME", str(tmp_path / "home"))  # the seal's key, here too
    env = dict(os.environ)
    rng = random.Random(20)
    # Every run sleeps between looks at the clock: they all play at once.
    references = {seed: realtime(seed, env) for seed in SEEDS}
    victims = [(index, SEEDS[index % len(SEEDS)]) for index in range(KILLS)]
    runs = {index: realtime(seed, env) for index, seed in victims}
    journals = {index: journal_of(process) for index, process in runs.items()}
    started = time.monotonic()
    # Random moments over the whole drill (30 s of wall time at this speed).
    moments = sorted((rng.uniform(0.0, 28.0), index) for index in runs)
    for moment, index in moments:
        time.sleep(max(0.0, started + moment - time.monotonic()))
        runs[index].send_signal(signal.SIGKILL)
    for process in runs.values():
        process.wait()
    # Every run was still playing when killed (30 s of drill, kills within the first 28).
    assert [process.returncode for process in runs.values()] == [-signal.SIGKILL] * KILLS
    resumers = {
        index: drillsim("resume", str(journals[index]), "--actions", str(ACTIONS), env=env)
        for index in runs
    }
    for index, process in resumers.items():
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, (index, err)
    expected = {}
    for seed, process in references.items():
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        expected[seed] = played(journal_of_text(err))
    for index, seed in victims:
        events, (card, seal) = played(journals[index])
        assert seal == "sealed", index
        assert events == expected[seed][0], index
        assert card == expected[seed][1][0], index


def journal_of_text(err: str) -> Path:
    found = re.search(r"journaling run \S+ to (\S+\.jsonl)", err)
    assert found, err
    return Path(found.group(1))
