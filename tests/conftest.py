"""Shared fixtures: the shipped scenarios and a small scenario to vary in tests."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

# Keep compiled modules even where the shell sets PYTHONDONTWRITEBYTECODE: pytest rewrites
# the asserts of every module of a plugin's package (hypothesis' seventy, syrupy, xdist)
# and of every test file, and without its cache each run and each xdist worker pays about
# two CPU seconds to do it again. Set before hypothesis is imported below.
sys.dont_write_bytecode = False

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "long",
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
"""Thousands of examples per test: `pytest -m fuzz --hypothesis-profile long`."""

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
FLAGSHIP = ROOT / "scenarios" / "map-outage-mid-send.yaml"

MINIMAL = textwrap.dedent(
    """\
    format: 1
    id: mini
    title: Mini drill at {company}
    summary: A tiny drill for tests.
    version: "1"
    length: 1h
    briefing:
      situation: Things broke at {company}.
    variables:
      company: {value: Acme}
    audiences:
      - id: execs
        name: Executive team
      - id: customers
        name: Customers
        kind: external
        impacted: {flag: visible}
    facts:
      - {id: down, text: The platform is down.}
      - {id: cause, text: A bad deploy.}
    unknowns:
      - {id: when-back, text: When it is back.}
    truth:
      duration: {fixed: 40m}
      flags:
        visible: {incident_open_for: 30m}
    impact: {unit: leads, label: Leads lost, streams: {forms: 5}}
    injects:
      - {id: alert, at: 0m, channel: monitoring, from: Monitor, text: Alert!, reveals: [down]}
      - {id: cause, at: 10m, channel: status_page, from: Vendor, text: Bad deploy., reveals: [cause]}
      - id: nag
        when: {expectation_failed: execs-first}
        channel: chat
        from: CEO
        text: Why am I hearing nothing?
      - {id: fixed, resolves: true, channel: status_page, from: Vendor, text: Resolved.}
    expectations:
      - {id: execs-first, audience: execs, within: 15m}
    decisions:
      - id: plan-b
        prompt: Plan B?
        stream: forms
        at: 5m
        timeout: 20m
        default: wait
        options:
          - {id: wait, label: Wait}
          - {id: pages, label: CMS pages, setup: 10m, cost: 20, effectiveness: 0.8}
    actions:
      - id: apology
        label: Apologise in public
        justified_if: {all: [{flag: visible}, {incident_open_for: 35m}]}
        penalty: 40
    """
)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` runs tests named on the command line in this one process.

    Each worker imports and collects the whole suite (about 5 CPU seconds): worth it for a
    tier (quick: ~55 CPU s, half the wall time on two cores), not for a file or a test."""
    import os

    named = config.args_source == pytest.Config.ArgsSource.ARGS
    if named and "PYTEST_XDIST_AUTO_NUM_WORKERS" not in os.environ:
        return 0
    return None  # xdist's own count: every core


@pytest.fixture(autouse=True, scope="session")
def private_data_folder(tmp_path_factory: pytest.TempPathFactory):
    """Every test (and every process a test starts) keeps its files in a temporary folder,
    never in the user's real drillsim folder."""
    import os

    folder = tmp_path_factory.mktemp("drillsim-home")
    previous = os.environ.get("DRILLSIM_HOME")
    os.environ["DRILLSIM_HOME"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("DRILLSIM_HOME", None)
    else:
        os.environ["DRILLSIM_HOME"] = previous


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder of this test's own (the key, saved runs, the history); files that keep
    runs use it for every test (``pytestmark = pytest.mark.usefixtures("home")``)."""
    folder = tmp_path / "home"
    monkeypatch.setenv("DRILLSIM_HOME", str(folder))
    return folder


@pytest.fixture(scope="session")
def name_helper():
    """One helper process for the whole test run draws the names of every drill a test plays.

    The live screen draws them in a short-lived helper that loads Faker (half a second a
    drill); tests of the screen share this one instead. test_engine checks the real helper
    draws the same names."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the test process runs threads (Textual workers, the event loop).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        yield pool


@pytest.fixture
def shared_name_helper(name_helper, monkeypatch: pytest.MonkeyPatch) -> None:
    """Screens under test draw their names in the session's helper process."""
    from drillsim.engine import draws

    def draw_in_shared_helper(scenario, seed: int) -> dict[str, str]:
        return name_helper.submit(draws.draw_variables, scenario, seed).result(timeout=60)

    monkeypatch.setattr(draws, "draw_variables_apart", draw_in_shared_helper)

    from drillsim.tui.screens import picker_names

    def draw_library_in_shared_helper(seed: int, paths) -> dict[str, dict[str, str]]:
        return name_helper.submit(picker_names.draw_library, seed, list(paths)).result(timeout=60)

    monkeypatch.setattr(picker_names, "draw_library_apart", draw_library_in_shared_helper)


@pytest.fixture
def write(tmp_path: Path):
    """Write YAML text to a file and return its path."""

    def _write(text: str, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture(scope="session")
def flagship():
    from drillsim.scenario.loader import load_scenario

    return load_scenario(FLAGSHIP)[0]


PHASED_CADENCE = {
    "execs": "[{from: 0m, first_update: 15m, max_silence: 30m, min_interval: 10m}, "
    "{from: 40m, max_silence: 15m, min_interval: 5m}, {from: 1h20m, max_silence: 1h, "
    "min_interval: 20m}]",
    "sales": "[{from: 0m, first_update: 15m, max_silence: 30m, min_interval: 10m}, "
    "{from: 30m, max_silence: 1h, min_interval: 20m}]",
}
"""Cadence phases for the flagship (format 2): the executives' rhythm tightens at T+40 and
loosens at T+1h20; sales' loosens at T+30."""


def phased_flagship_text() -> str:
    """The flagship in format 2 with :data:`PHASED_CADENCE`."""
    text = FLAGSHIP.read_text(encoding="utf-8").replace("format: 1", "format: 2", 1)
    for audience, phases in PHASED_CADENCE.items():
        at = text.index(f"  - id: {audience}\n")
        line = text.index("    cadence: ", at)
        end = text.index("\n", line)
        text = text[:line] + f"    cadence: {phases}" + text[end:]
    return text


@pytest.fixture(scope="session")
def phased(tmp_path_factory: pytest.TempPathFactory):
    """The flagship with cadence phases (see :data:`PHASED_CADENCE`)."""
    from drillsim.scenario.loader import load_scenario

    path = tmp_path_factory.mktemp("phased") / "phased.yaml"
    path.write_text(phased_flagship_text(), encoding="utf-8")
    return load_scenario(path)[0]


@pytest.fixture(scope="session")
def mini(tmp_path_factory: pytest.TempPathFactory):
    from drillsim.scenario.loader import load_scenario

    path = tmp_path_factory.mktemp("mini") / "mini.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    return load_scenario(path)[0]


def run_script(scenario, seed: int, steps, *, length: float | None = None):
    """Play timed actions headless (skipping ones the engine rejects); return the drill."""
    from drillsim.engine.actions import ActionRejected
    from drillsim.engine.drill import Drill

    drill = Drill(scenario, seed, length=length)
    for at, action in sorted(steps, key=lambda step: step[0]):
        drill.advance_to(at)
        if drill.ended:
            break
        try:
            drill.act(action)
        except ActionRejected:
            continue
    drill.advance_to(drill.length)
    return drill


def record(scenario, policy: str, seed: int):
    """Play a baseline policy and return (drill, the timed actions it took)."""
    from drillsim.engine.drill import Drill
    from drillsim.policies import make_policy
    from drillsim.policies.base import drive

    inner = make_policy(policy, scenario, seed)
    taken: list = []

    class Recorder(type(inner)):  # type: ignore[misc]
        def act(self, drill):
            actions = super().act(drill)
            taken.extend((drill.now, action) for action in actions)
            return actions

    recorder = Recorder.__new__(Recorder)
    recorder.__dict__.update(inner.__dict__)
    drill = Drill(scenario, seed)
    drive(drill, recorder)
    return drill, taken
