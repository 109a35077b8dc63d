"""The command line: help that teaches, exit codes, list and validate output."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import FLAGSHIP, MINIMAL

from drillsim.cli import main


def test_help_lists_commands_and_examples(capsys) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--help"])
    assert raised.value.code == 0
    out = capsys.readouterr().out
    for word in ("validate", "schema", "list", "examples:", "exit codes:"):
        assert word in out


def test_no_arguments_prints_help_without_failing(capsys) -> None:
    assert main([]) == 0
    assert "usage: drillsim" in capsys.readouterr().out


def test_unknown_command_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["frobnicate"])
    assert raised.value.code == 2
    assert "run 'drillsim --help' for help" in capsys.readouterr().err


def test_validate_without_paths_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["validate"])
    assert raised.value.code == 2


def test_validate_valid_file(capsys) -> None:
    assert main(["validate", str(FLAGSHIP)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "1 of 1 file valid" in captured.err


def test_validate_reports_every_problem_one_per_line(write, capsys) -> None:
    path = write(MINIMAL.replace("kind: external", "kind: externl").replace("[down]", "[dwn]"))
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{path}:") for line in lines)


def test_warnings_pass_unless_strict(write, capsys) -> None:
    path = write(MINIMAL.replace("reveals: [cause]", "reveals: []"))
    assert main(["validate", str(path)]) == 0
    assert "warning: facts[1]" in capsys.readouterr().out
    assert main(["validate", "--strict", str(path)]) == 1


def test_validate_json(write, capsys) -> None:
    path = write(MINIMAL.replace("kind: external", "kind: externl"))
    assert main(["validate", "--json", str(path), str(FLAGSHIP)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] == 1 and report["files"] == 2
    assert report["problems"][0]["line"] == 16
    assert report["problems"][0]["field"] == "audiences[1].kind"


def test_list_shows_the_bundled_library(capsys) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("map-outage-mid-send")
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"id", "title", "length", "difficulty", "path"} <= set(rows[0])


def test_python_dash_m_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "drillsim", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout.startswith("drillsim ")
