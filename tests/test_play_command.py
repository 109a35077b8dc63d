"""`drillsim play` at the command line: mistakes are reported first and plainly."""

from __future__ import annotations

import subprocess
import sys

import pytest


def play(*args: str) -> subprocess.CompletedProcess[str]:
    # Not a terminal (pipes): the scenario and the team are still checked first.
    return subprocess.run(
        [sys.executable, "-m", "drillsim", "play", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_a_mistyped_scenario_id_gets_a_did_you_mean_before_the_terminal_check() -> None:
    done = play("map-outage-mid-sned")
    assert done.returncode == 2
    assert "did you mean 'map-outage-mid-send'?" in done.stderr
    assert "needs a terminal" not in done.stderr


def test_an_empty_team_name_is_refused() -> None:
    done = play("--team", "  ")
    assert done.returncode == 2
    assert "the team name is empty" in done.stderr


@pytest.mark.slow
def test_a_good_command_without_a_terminal_says_it_needs_one() -> None:
    done = play("map-outage-mid-send", "--team", "Ops")
    assert done.returncode == 2 and "needs a terminal" in done.stderr
