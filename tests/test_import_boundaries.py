"""The core never imports the UI: engine, loader, store and scoring stay free of textual/rich."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CORE_MODULES = [
    "drillsim.durations",
    "drillsim.library",
    "drillsim.scenario.loader",
    "drillsim.scenario.schema",
    "drillsim.scenario.semantics",
    "drillsim.engine.drill",
    "drillsim.engine.clock",
    "scoring",
]

UI = ("textual", "rich")


def imported_after(code: str) -> set[str]:
    program = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_imports_without_ui(module: str) -> None:
    loaded = imported_after(f"import {module}")
    assert not {name for name in loaded if name.split(".")[0] in UI}


def test_a_whole_headless_drill_runs_without_ui() -> None:
    code = (
        "from drillsim.library import resolve\n"
        "from drillsim.scenario.loader import load_scenario\n"
        "from drillsim.engine.drill import Drill\n"
        "scenario, _ = load_scenario(resolve(None))\n"
        "drill = Drill(scenario, 1)\n"
        "drill.advance_to(scenario.length)\n"
    )
    loaded = imported_after(code)
    assert not {name for name in loaded if name.split(".")[0] in UI}


def test_validate_imports_only_what_validation_needs(tmp_path) -> None:
    from drillsim.library import resolve

    code = f"from drillsim.cli import main\nmain(['validate', {str(resolve(None))!r}])\n"
    loaded = imported_after(code)
    heavy = {name.split(".")[0] for name in loaded} & {
        "textual",
        "rich",
        "numpy",
        "faker",
        "typing",
        "pathlib",  # a few milliseconds of start-up, on the path `validate` must keep fast
    }
    assert heavy == set()
    unneeded = {
        name
        for name in loaded
        if name.startswith(("drillsim.engine", "drillsim.journal", "drillsim.policies", "scoring"))
    }
    assert unneeded == set()
    commands = {name for name in loaded if name.startswith("drillsim.commands.")}
    assert commands == {"drillsim.commands.parser", "drillsim.commands.validate"}
