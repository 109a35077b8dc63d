"""History figures: `drillsim runs` over a long history, and what keeping a run costs."""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from run import ROOT, Figure, drillsim_command, side_by_side, side_by_side_cpu, user_env

FLAGSHIP = ROOT / "scenarios" / "map-outage-mid-send.yaml"
START = datetime(2025, 1, 1, tzinfo=UTC)
TEXTBOOK = ROOT / "scenarios" / "examples" / "map-outage-mid-send-textbook.yaml"


def _history(runs: int) -> str:
    """A data folder whose history holds ``runs`` finished runs (rows made from one real
    saved run, each with its own id and start time)."""
    home = tempfile.mkdtemp(prefix=f"drillsim-bench-history-{runs}-")
    env = user_env(DRILLSIM_HOME=home)
    subprocess.run(
        [*drillsim_command(), "run", str(FLAGSHIP), "--actions", str(TEXTBOOK), "--save"],
        env=env,
        check=True,
        capture_output=True,
    )
    os.environ["DRILLSIM_HOME"] = home
    from drillsim.store.runs import open_history

    with open_history() as history:
        [model] = history.find()
        history.put(
            *(
                replace(
                    model,
                    id=f"2026{index:010d}Z-bench",
                    started_at=(START + timedelta(minutes=index)).isoformat(timespec="seconds"),
                    seed=index,
                    team=f"team {index % 17}",
                )
                for index in range(runs - 1)
            )
        )
    return home


def _runs_process(home: str) -> float:
    """CPU seconds of one `drillsim runs` as a user types it (the default page)."""
    process = subprocess.Popen(
        [*drillsim_command(), "runs"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=user_env(DRILLSIM_HOME=home),
    )
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"drillsim runs failed: {process.stderr.read().decode()}")  # type: ignore[union-attr]
    return usage.ru_utime + usage.ru_stime


def runs_listing() -> tuple[float, float, str]:
    large, small = _history(10_000), _history(10)
    _runs_process(large), _runs_process(small)  # .pyc files written, as for a user
    ours, reference = side_by_side_cpu(
        lambda: _runs_process(large), lambda: _runs_process(small), repeats=10
    )
    return ours, reference, "s"


def _disk(folder: str) -> str:
    """The file system a folder is on, from /proc/mounts (Linux), for the figure's note."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return "unknown disk"
    best = ("", "unknown")
    for line in mounts:
        parts = line.split()
        if len(parts) > 2 and folder.startswith(parts[1]) and len(parts[1]) >= len(best[0]):
            best = (parts[1], f"{parts[2]} on {parts[0]}")
    return best[1]


def saved_run() -> tuple[float, float, str]:
    """`drillsim run --save` (each journal line synced to disk as it is written, the lock
    held, the run indexed with the baseline bots' scores on its seed) against the same
    `drillsim run` unsaved: wall time, since syncing is waiting, not computing. Each pair
    plays a seed not played before, as a new drill would."""
    home = tempfile.mkdtemp(prefix="drillsim-bench-save-")
    seeds = iter(range(1000, 2000))
    pair: dict[str, int] = {}

    def command(*extra: str) -> list[str]:
        return [*drillsim_command(), "run", str(FLAGSHIP), "--actions", str(TEXTBOOK), *extra]

    def saved() -> None:
        pair["seed"] = next(seeds)
        _run(command("--seed", str(pair["seed"]), "--save"), home)

    def unsaved() -> None:
        _run(command("--seed", str(pair.get("seed", 0))), home)

    saved(), unsaved()  # .pyc files written, as for a user
    ours, reference = side_by_side(saved, unsaved, repeats=10)
    print(f"(history-saved-run-fsync: journals written to {home}, {_disk(home)})")
    return ours, reference, "s"


def _run(command: list[str], home: str) -> None:
    subprocess.run(command, env=user_env(DRILLSIM_HOME=home), check=True, capture_output=True)


def figures() -> list[Figure]:
    return [
        Figure(
            "history-runs-10000-vs-10",
            "drillsim runs (CPU) with 10,000 runs kept vs 10 runs",
            1.5,
            runs_listing,
        ),
        Figure(
            "history-saved-run-fsync",
            "drillsim run --save (fsync per journal line, indexed) vs unsaved (wall)",
            3.0,
            saved_run,
        ),
    ]
