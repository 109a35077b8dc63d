"""Import boundaries: the layers import only downwards, and the core never imports the UI.

Layers, lowest first: scenario -> engine -> journal -> scoring -> policies -> store (the run
history), views, authoring tools (which may play the bots), CLI.
A module imports its own layer and the layers below it; nothing below ``scoring`` imports it
(versions are handed in). Policies may use the plan-B model, as the oracle does; the other
baselines stay independent of it, and the diligent one sees neither scoring nor the hidden
truth (the drill, the truth draws, the conditions). The scenario, engine, journal, scoring and
store layers never import textual or rich. The clock is injected: only the engine's clock
module reads wall time below the views. The rules are checked on every import statement in
the source (lazy ones too), and a few imports are run in a subprocess to check what they pull
in.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

MODULE_LAYERS = {
    "drillsim": "foundation",  # the package itself: its version
    "drillsim.durations": "foundation",
    "drillsim.files": "foundation",
    "drillsim.paths": "foundation",
    "drillsim.startup": "foundation",
    "drillsim.collector": "foundation",
    "drillsim.workers": "foundation",
    "drillsim.update_status": "foundation",
    "drillsim.library": "scenario",
    "drillsim.timegrid": "foundation",
    "drillsim.templates": "foundation",
    "drillsim.limits": "foundation",
    "drillsim.journal": "journal",
    "drillsim.replay": "journal",
    "drillsim.recorded": "journal",
    "drillsim.live": "journal",
    "drillsim.resume": "journal",
    "drillsim.script": "journal",
    "drillsim.simulation": "simulation",
    "drillsim.cardtext": "views",
    "drillsim.comparison": "views",
    "drillsim.aar": "views",
    "drillsim.progress": "cli",
    "drillsim.cli": "cli",
    "drillsim.__main__": "cli",
}
PACKAGE_LAYERS = {
    "drillsim.scenario": "scenario",
    "drillsim.engine": "engine",
    "scoring": "scoring",
    "drillsim.policies": "policies",
    "drillsim.store": "store",
    "drillsim.tui": "views",
    "drillsim.commands": "cli",
    "drillsim.authoring": "authoring",
    "textual": "ui",
    "rich": "ui",
}
"""Every module's layer: a module by its name, or by the package it is in."""

CORE = ("foundation", "scenario", "engine", "journal", "scoring")
MAY_IMPORT = {layer: set(CORE[: rank + 1]) for rank, layer in enumerate(CORE)} | {
    "policies": {*CORE[:4], "policies"},
    "simulation": {*CORE, "policies", "simulation"},
    "store": {*CORE, "policies", "store"},
    "views": {*CORE, "store", "authoring", "views", "ui"},
    "authoring": {*CORE, "simulation", "authoring"},
    "cli": {*CORE, "policies", "simulation", "store", "views", "authoring", "cli", "ui"},
}
PLAN_B_MODEL = "scoring.planb"
USES_PLAN_B_MODEL = {"drillsim.policies.oracle"}
"""The policies that may import the plan-B model although it lives in ``scoring``."""

UI = ("textual", "rich")


def layer_of(module: str) -> str | None:
    if module in MODULE_LAYERS:
        return MODULE_LAYERS[module]
    for package, layer in PACKAGE_LAYERS.items():
        if module == package or module.startswith(package + "."):
            return layer
    return None


def source_modules() -> dict[str, Path]:
    found = {}
    for top in ("drillsim", "scoring"):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = source_modules()


def imports_of(module: str, path: Path) -> Iterator[tuple[int, str]]:
    """(line, imported module) for every import statement in the file, however nested."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                yield node.lineno, submodule if submodule in MODULES else base


def violations(layer: str) -> list[str]:
    found = []
    for module, path in MODULES.items():
        if layer_of(module) != layer:
            continue
        for line, imported in imports_of(module, path):
            target = layer_of(imported)
            if target is None or target in MAY_IMPORT[layer]:
                continue
            if module in USES_PLAN_B_MODEL and imported == PLAN_B_MODEL:
                continue
            where = path.relative_to(ROOT)
            found.append(f"{where}:{line}: the {layer} layer imports {imported} ({target})")
    return found


def test_every_module_has_a_layer() -> None:
    assert [module for module in MODULES if layer_of(module) is None] == []


@pytest.mark.parametrize(
    "layer",
    list(MAY_IMPORT),
)
def test_a_layer_imports_only_itself_and_the_layers_below(layer: str) -> None:
    assert violations(layer) == []


def test_only_the_oracle_uses_the_plan_b_model() -> None:
    """The other baselines must stay independent of what the scoring thinks is best."""
    users = {
        module
        for module, path in MODULES.items()
        if layer_of(module) == "policies"
        and any(imported == PLAN_B_MODEL for _, imported in imports_of(module, path))
    }
    assert users == USES_PLAN_B_MODEL


def test_the_diligent_baseline_sees_only_the_players_view() -> None:
    """No hidden truth and no scoring: it may not reach the drill, the model's truth or
    the plan-B model, only the view the engine hands it."""
    path = MODULES["drillsim.policies.diligent"]
    imported = {name for _, name in imports_of("drillsim.policies.diligent", path)}
    assert not any(name.startswith("scoring") for name in imported), imported
    hidden_modules = {
        "drillsim.engine.drill",
        "drillsim.engine.draws",
        "drillsim.scenario.conditions",
    }
    assert not hidden_modules & imported, hidden_modules & imported
    source = path.read_text(encoding="utf-8")
    for hidden in ("truth", "true_duration", "justified_if", ".drill", "resolved_at"):
        assert hidden not in source, hidden


WALL_CLOCK = ("time", "datetime")
CLOCK_MODULE = "drillsim.engine.clock"


@pytest.mark.slow
def test_only_the_injected_clock_reads_wall_time() -> None:
    """The clock is injected: the scenario, engine, scoring and policies never read the time
    of day or a timer themselves, except the one real clock handed to a drill in play."""
    readers = sorted(
        f"{path.relative_to(ROOT)}:{line}: imports {imported}"
        for module, path in MODULES.items()
        if layer_of(module) in ("scenario", "engine", "scoring", "policies")
        and module != CLOCK_MODULE
        for line, imported in imports_of(module, path)
        if imported.split(".")[0] in WALL_CLOCK
    )
    assert readers == []


def test_the_clock_check_sees_a_wall_clock_import(tmp_path) -> None:
    path = tmp_path / "impact.py"
    path.write_text("from time import monotonic\nimport datetime\n")
    assert [
        imported
        for _, imported in imports_of("drillsim.engine.impact", path)
        if imported.split(".")[0] in WALL_CLOCK
    ] == ["time", "datetime"]


def test_the_checker_sees_a_lazy_import_from_a_higher_layer(tmp_path) -> None:
    path = tmp_path / "drill.py"
    path.write_text("def f():\n    from scoring import score_run\n    from . import events\n")
    assert list(imports_of("drillsim.engine.drill", path)) == [
        (2, "scoring"),
        (3, "drillsim.engine.events"),
    ]


def imported_after(code: str) -> set[str]:
    program = (
        f"{code}\nimport sys\nloaded = sorted(sys.modules)\nimport json\nprint(json.dumps(loaded))"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_no_core_module_pulls_in_the_ui() -> None:
    """What the source check cannot see: a UI import through a third-party library."""
    core = [module for module in MODULES if layer_of(module) in (*CORE, "store")]
    code = (
        "import importlib, sys\n"
        f"for module in {core!r}:\n"
        "    importlib.import_module(module)\n"
        f"    if any(name.split('.')[0] in {UI!r} for name in sys.modules):\n"
        "        raise SystemExit(f'{module} pulls in the UI')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
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


@pytest.mark.parametrize("named_by", ["DRILLSIM_HOME", "XDG_DATA_HOME"])
def test_validate_imports_only_what_validation_needs(tmp_path, monkeypatch, named_by) -> None:
    """With the data folder named by drillsim's own variable, or found as on a user's Linux
    machine (platformdirs' rule, without importing it: drillsim.paths)."""
    from drillsim.library import resolve

    monkeypatch.delenv("DRILLSIM_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv(named_by, str(tmp_path / "data"))

    code = f"from drillsim.cli import main\nmain(['validate', {str(resolve(None))!r}])\n"
    loaded = imported_after(code)
    heavy = {name.split(".")[0] for name in loaded} & {
        "textual",
        "rich",
        "numpy",
        "faker",
        "typing",
        "pathlib",  # a few milliseconds of start-up, on the path `validate` must keep fast
        "argparse",  # plain `validate` arguments are read without it (commands.validate)
        "json",  # only `--json` and the scenario cache's data entries need it
        "platformdirs",  # about 16 ms of imports (pathlib, tempfile, shutil...)
    }
    assert heavy == set()
    unneeded = {
        name
        for name in loaded
        if name.startswith(("drillsim.engine", "drillsim.journal", "drillsim.policies", "scoring"))
    }
    assert unneeded == set()
    commands = {name for name in loaded if name.startswith("drillsim.commands.")}
    assert commands == {"drillsim.commands.validate"}


def test_the_path_to_the_briefing_loads_nothing_the_briefing_does_not_show(
    tmp_path, monkeypatch
) -> None:
    """`drillsim play` up to its first frame: a scenario validated before skips the YAML
    parser, and names are drawn in a helper (Faker stays out of the TUI's memory)."""
    monkeypatch.setenv("DRILLSIM_HOME", str(tmp_path))
    build = (
        "from drillsim.commands.play import plain_arguments, play_app\n"
        "app = play_app(plain_arguments(['play', '--seed', '1']))\n"
        "app.first_names.result()\n"
        "screen = app.get_default_screen()\n"
    )
    from drillsim.scenario.loader import load_scenario_file

    # Validate the flagship once, as any first run does (here: no second process for it).
    load_scenario_file(ROOT / "scenarios" / "map-outage-mid-send.yaml")
    loaded = imported_after(build)
    heavy = {name.split(".")[0] for name in loaded} & {
        "yaml",
        "faker",
        "numpy",
        "sqlite3",
        "scoring",
        "argparse",  # plain `play` arguments are read without it (commands.play)
    }
    assert heavy == set()
    engine = {name for name in loaded if name.startswith("drillsim.engine.")}
    assert engine <= {"drillsim.engine.clock", "drillsim.engine.draws"}
    assert not {
        name
        for name in loaded
        if name.startswith(
            ("drillsim.journal", "drillsim.tui.screens.drill", "drillsim.tui.screens.help")
        )
    }
