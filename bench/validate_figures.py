"""Validate figures: `drillsim validate` against parsing the same YAML raw."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from run import ROOT, Figure, drillsim_command, side_by_side_cpu, user_env

FLAGSHIP = ROOT / "scenarios" / "map-outage-mid-send.yaml"
PYTHON = sys.executable


def _run(command: list[str]) -> float:
    """Run a whole process; return the CPU seconds it used (user + system).

    CPU time rather than wall time: on a shared machine, time spent waiting for a core
    says nothing about the program. The environment is a user's (.pyc files written).
    """
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=user_env()
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(command)}\n{error}")
    return usage.ru_utime + usage.ru_stime


def _raw_parse(paths: list[Path]) -> list[str]:
    program = (
        "import sys, yaml\n"
        "for path in sys.argv[1:]:\n"
        "    with open(path, 'rb') as handle:\n"
        "        yaml.load(handle, Loader=yaml.CSafeLoader)\n"
    )
    return [PYTHON, "-c", program, *map(str, paths)]


def _validate(paths: list[Path]) -> list[str]:
    return [*drillsim_command(), "validate", *map(str, paths)]


def _warm(*commands: list[str]) -> None:
    """One untimed run of each, as a user's earlier runs would have: .pyc files and the
    scenario cache are written, so the figures measure the usual start."""
    for command in commands:
        _run(command)


def flagship_process() -> tuple[float, float, str]:
    _warm(_validate([FLAGSHIP]), _raw_parse([FLAGSHIP]))
    ours, reference = side_by_side_cpu(
        lambda: _run(_validate([FLAGSHIP])), lambda: _run(_raw_parse([FLAGSHIP])), repeats=10
    )
    return ours * 1000, reference * 1000, "ms"


def edited_flagship() -> tuple[float, float, str]:
    """The flagship as an editor leaves it: every run a text never validated before (a
    comment line differs), so the scenario cache has no answer and the file is checked in
    full. The reference parses the same edited file."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / FLAGSHIP.name
        original = FLAGSHIP.read_text(encoding="utf-8")
        edits = iter(range(1_000_000))

        def edit() -> None:
            target.write_text(f"{original}# edit {next(edits)}\n", encoding="utf-8")

        def ours() -> float:
            edit()
            return _run(_validate([target]))

        def reference() -> float:
            return _run(_raw_parse([target]))

        edit()
        _warm(_validate([target]), _raw_parse([target]))
        mine, theirs = side_by_side_cpu(ours, reference, repeats=10)
    return mine * 1000, theirs * 1000, "ms"


def fifty_files() -> tuple[float, float, str]:
    shipped = sorted((ROOT / "scenarios").glob("*.yaml"))
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index in range(50):
            target = Path(folder) / f"copy-{index:02d}-{shipped[index % len(shipped)].name}"
            shutil.copyfile(shipped[index % len(shipped)], target)
            paths.append(target)
        _warm(_validate(paths), _raw_parse(paths))
        ours, reference = side_by_side_cpu(
            lambda: _run(_validate(paths)), lambda: _run(_raw_parse(paths)), repeats=10
        )
    return ours * 1000, reference * 1000, "ms"


def figures() -> list[Figure]:
    return [
        Figure(
            "validate.flagship.process",
            "`drillsim validate <flagship>` vs a process parsing it with yaml's C safe loader",
            1.5,
            flagship_process,
        ),
        Figure(
            "validate.flagship.edited",
            "`drillsim validate` of a flagship edited since it was last checked (no cache "
            "answer) vs the same raw parse",
            1.5,
            edited_flagship,
        ),
        Figure(
            "validate.fifty-files",
            "validating 50 scenario files in one call vs parsing the 50 raw in one process",
            2.0,
            fifty_files,
        ),
    ]
