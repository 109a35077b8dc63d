"""End to end: play the flagship through the real `drillsim play` in tmux, keys only."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Terminal:
    """A detached tmux session running one command."""

    def __init__(
        self, command: str, env: dict[str, str], width: int = 120, height: int = 40
    ) -> None:
        self.name = f"drillsim-e2e-{uuid.uuid4().hex[:8]}"
        # A server of its own: the shared default one exits when someone else's last
        # session ends, failing a new-session started at that moment.
        self.tmux = ["tmux", "-L", self.name]
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        subprocess.run(
            [
                *self.tmux,
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(width),
                "-y",
                str(height),
                f"env {exports} {command}; sleep 30",
            ],
            check=True,
        )

    def screen(self) -> str:
        result = subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def wait_for(self, pattern: str, timeout: float = 30.0) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.screen())
            if found:
                return found
            time.sleep(0.2)
        raise AssertionError(f"never saw {pattern!r}; the screen shows:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path):
    env = {
        "DRILLSIM_HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
    }
    command = (
        f"{shlex.quote(sys.executable)} -m drillsim play map-outage-mid-send"
        " --seed 5 --speed 30 --team E2E"
    )
    session = Terminal(command, env, width=80, height=24)  # a laptop in a meeting room
    yield session
    session.close()


def test_play_the_flagship_at_80x24_end_early_and_see_it_not_rated(terminal, tmp_path) -> None:
    terminal.wait_for(r"Press Enter when the team is ready")
    terminal.keys("Enter")
    terminal.wait_for(r"T\+\d+:\d\d")
    terminal.wait_for(r"ALERT")
    terminal.keys("u")
    terminal.wait_for(r"Send an update")
    clock_bar = terminal.screen().splitlines()[0]  # the top line, not hidden by the dialog
    assert re.match(r"\s*T\+\d+:\d\d .*PAUSED \(dialog open\)", clock_bar), clock_bar
    for _ in range(10):  # tick the first audience once the dialog has the keys
        terminal.keys("Space")
        try:
            terminal.wait_for(r"\[x\] Executive team", timeout=2)
            break
        except AssertionError:
            continue
    terminal.keys("C-s")
    terminal.wait_for(r"Update sent to Executive team")
    for _ in range(6):  # skip ahead to the first plan-B decision (T+0:05)
        if "Decision needed" in terminal.screen():
            break
        terminal.keys("s")
        time.sleep(0.5)
    terminal.wait_for(r"Decision needed")
    terminal.keys("d")
    terminal.wait_for(r"Enter picks")
    terminal.keys("Down", "Enter")
    terminal.wait_for(r"Go with: ")
    terminal.keys("y")
    terminal.wait_for(r"Plan B chosen")
    terminal.keys("e")
    terminal.wait_for(r"End the drill now\?")
    clock_bar = terminal.wait_for(r"partial and not rated").string.splitlines()[0]
    assert re.match(r"\s*T\+\d+:\d\d", clock_bar), clock_bar  # the clock bar stays in view
    terminal.keys("y")
    terminal.wait_for(r"NOT RATED", timeout=60)
    top = "\n".join(terminal.screen().splitlines()[:8])
    assert "NOT RATED" in top and "Textbook" not in terminal.screen()
    found = re.search(r"Score so far (\d+)/100", terminal.screen())
    assert found

    [journal] = list((tmp_path / "runs").iterdir())
    scored = subprocess.run(
        [sys.executable, "-m", "drillsim", "score", str(journal), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert scored.returncode == 0, scored.stderr
    card = json.loads(scored.stdout)
    assert card["partial"] and round(card["overall"]) == int(found.group(1))


def test_a_drill_killed_mid_play_resumes_in_the_terminal(tmp_path, monkeypatch) -> None:
    """SIGKILL the drill right after the screen showed a note as taken; `drillsim resume
    latest` opens it paused where it stopped, the note still there, and it plays on to a
    sealed journal."""
    from drillsim.recorded import open_run

    env = {
        "DRILLSIM_HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
    }
    drillsim = f"{shlex.quote(sys.executable)} -m drillsim"
    first = Terminal(f"{drillsim} play map-outage-mid-send --seed 5 --speed 1 --team E2E", env)
    try:
        first.wait_for(r"Press Enter when the team is ready")
        first.keys("Enter")
        first.wait_for(r"ALERT")
        first.keys("n")
        first.wait_for(r"Facilitator note")  # the dialog itself, not the footer's "n Note"
        first.keys("Lead", "Space", "wants", "Space", "a", "Space", "vendor", "Space", "call")
        first.keys("Enter")
        first.wait_for(r"Note: Lead wants a vendor call")
        pane = subprocess.run(
            [*first.tmux, "list-panes", "-t", first.name, "-F", "#{pane_pid}"],
            capture_output=True, text=True, check=True,
        ).stdout.split()[0]  # fmt: skip
        player = _child_running_drillsim(int(pane))
        os.kill(player, 9)  # SIGKILL: no chance to write anything more
    finally:
        first.close()
    second = Terminal(f"{drillsim} resume latest", env)
    try:
        second.wait_for(r"PAUSED")
        second.wait_for(r"Note: Lead wants a vendor call")  # what the screen showed is kept
        second.keys("Space")
        time.sleep(2)
        second.keys("e")
        second.wait_for(r"End the drill now\?")
        second.keys("y")
        second.wait_for(r"NOT RATED|Debrief", timeout=60)
    finally:
        second.close()
    [journal] = list((tmp_path / "runs").iterdir())
    monkeypatch.setenv("DRILLSIM_HOME", str(tmp_path))  # the seal's key
    recorded = open_run(journal)
    kinds = [event.kind for event in recorded.journal.events]
    assert recorded.seal == "sealed"
    assert kinds.count("note_added") == 1
    assert "paused" in kinds[kinds.index("note_added") :]
    assert kinds[-1] == "drill_ended"


def _child_running_drillsim(parent: int) -> int:
    """The pid of the drillsim process the tmux pane's shell started (``env`` execs it)."""
    for _ in range(50):
        for entry in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    command = handle.read()
            except OSError:
                continue
            if ppid == parent and b"-m\x00drillsim" in command:
                return int(entry)
        time.sleep(0.1)
    raise AssertionError(f"no drillsim process under {parent}")
