"""The command line: help that teaches, exit codes, list and validate output."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import FLAGSHIP, MINIMAL

from drillsim.cli import main
from drillsim.commands import COMMANDS


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


def test_validate_does_not_parse_again_a_text_it_found_free_of_problems(
    write, capsys, monkeypatch
) -> None:
    """The scenario cache answers for a text found clean before; an edit, or a text with a
    warning to show, is checked in full every time."""
    from drillsim.scenario import loader

    clean = write(MINIMAL, "clean.yaml")
    warned = write(MINIMAL.replace("reveals: [cause]", "reveals: []"), "warned.yaml")
    assert main(["validate", str(clean), str(warned)]) == 0
    first = capsys.readouterr()
    checked: list[str] = []
    real_check = loader.check_text

    def counting(text: str, shown: str) -> loader.Checked:
        checked.append(shown)
        return real_check(text, shown)

    monkeypatch.setattr(loader, "check_text", counting)
    assert main(["validate", str(clean), str(warned)]) == 0
    assert capsys.readouterr() == first  # the same verdict, word for word
    assert checked == [str(warned)]  # the warning is shown again; the clean text not parsed
    clean.write_text(MINIMAL.replace("kind: external", "kind: externl"))
    assert main(["validate", str(clean)]) == 1
    assert checked[-1] == str(clean)
    assert f"{clean}:16:" in capsys.readouterr().out


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


@pytest.mark.parametrize("command", [command.name for command in COMMANDS])
def test_every_command_teaches_with_examples(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as raised:
        main([command, "--help"])
    assert raised.value.code == 0
    help_text = capsys.readouterr().out
    assert help_text.startswith(f"usage: drillsim {command}")
    examples = help_text.split("examples:\n", 1)[1].splitlines()
    assert sum(line.startswith(f"  drillsim {command}") for line in examples) >= 2


def test_every_command_module_is_registered_and_runnable() -> None:
    """Adding a command is a module in drillsim/commands and one line in COMMANDS."""
    import importlib
    from pathlib import Path

    import drillsim.commands

    shared = {"__init__", "parser", "inputs", "values"}
    folder = Path(drillsim.commands.__file__).parent
    modules = {f"drillsim.commands.{path.stem}" for path in folder.glob("*.py")} - {
        f"drillsim.commands.{name}" for name in shared
    }
    assert modules == {command.module for command in COMMANDS}
    for command in COMMANDS:
        module = importlib.import_module(command.module)
        assert callable(module.configure) and callable(module.run)
        assert module.__doc__.startswith(f"``drillsim {command.name}")


def test_a_command_error_is_one_line_naming_the_command(tmp_path, capsys) -> None:
    target = tmp_path / "no-such-folder" / "schema.json"
    assert main(["schema", "--output", str(target)]) == 2
    assert capsys.readouterr().err == (
        f"drillsim schema: cannot write {target}: No such file or directory\n"
    )


def test_an_invalid_scenario_lists_its_problems_then_stops_the_command(write, capsys) -> None:
    path = write(MINIMAL.replace("kind: external", "kind: externl"))
    assert main(["simulate", str(path), "--seeds", "1"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith(f"{path}:16:")
    assert lines[-1] == (
        "drillsim simulate: the scenario has errors; fix them (drillsim validate) and retry"
    )


def test_an_unreadable_scenario_is_a_usage_error(tmp_path, capsys) -> None:
    missing = tmp_path / "nope.yaml"
    assert main(["simulate", str(missing)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"drillsim simulate: {missing}:1:1: (file): no such file")


def test_an_interrupted_command_exits_130(monkeypatch, capsys) -> None:
    import drillsim.simulation

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(drillsim.simulation, "simulate", interrupted)
    assert main(["simulate", "map-outage-mid-send", "--seeds", "1"]) == 130
    assert capsys.readouterr().err.endswith("drillsim simulate: interrupted\n")


def test_play_without_a_terminal_is_a_usage_error(capsys) -> None:
    assert main(["play"]) == 2
    assert capsys.readouterr().err == (
        "drillsim play: needs a terminal (stdin and stdout must be a TTY)\n"
    )


def test_only_the_commands_the_arguments_name_get_a_parser() -> None:
    """Start-up: `drillsim validate` builds one command's parser, not all of them."""
    from drillsim.commands.parser import build_parser

    def choices(argv: list[str]) -> list[str]:
        parser = build_parser(argv)
        [subparsers] = [a for a in parser._actions if a.dest == "command"]
        return list(subparsers.choices)

    assert choices(["validate", "a.yaml"]) == ["validate"]
    # A value that looks like a command still leaves the real one a parser.
    assert choices(["--data-dir", "runs", "validate", "a.yaml"]) == ["validate", "runs"]
    everything = [command.name for command in COMMANDS]
    assert choices([]) == choices(["--help", "validate"]) == choices(["valdate"]) == everything
    args = build_parser(["--data-dir", "runs", "validate", "a.yaml"]).parse_args(
        ["--data-dir", "runs", "validate", "a.yaml"]
    )
    assert (args.command, args.data_dir) == ("validate", "runs")


def test_validate_in_its_own_process_says_what_it_says_in_a_caller(tmp_path, capsys) -> None:
    """The console script's own process freezes its imports out of the garbage collector's
    sight and reads its arguments without argparse; its verdict is the in-process one."""
    broken = tmp_path / "broken.yaml"
    broken.write_text(FLAGSHIP.read_text(encoding="utf-8").replace("title:", "titel:", 1))
    arguments = ["validate", "--strict", str(broken), str(FLAGSHIP), "--json"]
    code = main(arguments)
    expected = capsys.readouterr()
    result = subprocess.run(
        [sys.executable, "-m", "drillsim", *arguments], capture_output=True, text=True, timeout=60
    )
    assert code == result.returncode == 1
    assert (result.stdout, result.stderr) == (expected.out, expected.err)
    assert json.loads(result.stdout)["problems"]


def test_every_example_in_help_lines_its_words_up_with_the_others() -> None:
    """A tester saw one example of `drillsim --help` a column off from the rest: in every
    command's examples a description starts at one column, or on its own line below."""
    import re
    from importlib import import_module

    from drillsim.commands import COMMANDS

    for module in ["drillsim.commands.parser", *(command.module for command in COMMANDS)]:
        for line in getattr(import_module(module), "EPILOG", "").splitlines():
            gap = re.search(r"\S(\s{2,})\S", line) if line.startswith("  drillsim") else None
            assert gap is None or gap.end(1) == 45, (module, line)
