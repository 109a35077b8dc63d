"""Golden runs: scripted runs a scenario ships with, each pinned to a rating and a least score.

``scenarios/golden/NAME.yaml`` (NAME as the scenario's file) is a list of runs. Each has a
``seed``, the ``actions`` exactly as an actions file for ``drillsim run`` writes them (or the
path of such a file, relative to the golden file), the ``rating`` the run must get and the
least ``overall`` score it may get. ``drillsim lint``
plays them, and so does the test suite for every shipped scenario: an edit that changes how
the scenario plays or scores shows up as a failing golden run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from drillsim.scenario.convert import Converter
from drillsim.scenario.model import Scenario
from drillsim.scenario.problems import Problem, ScenarioError
from drillsim.scenario.shape import Model, spec
from drillsim.scenario.source import parse_document
from drillsim.scenario.textfile import FileKind, read_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal
else:
    from drillsim.scenario.shape import Literal

GOLDEN_FILE = FileKind(
    "golden-runs file",
    what="pass the golden-runs .yaml file",
    find="golden runs live in golden/NAME.yaml beside the scenario NAME.yaml",
    size="a golden-runs file is a few scripted runs; check you passed the right file",
    start="see docs/authoring.md (golden runs) for an example",
)

Rating = Literal["P", "S", "M", "U"]


class GoldenRun(Model):
    name: str = spec("What the run shows, e.g. textbook.", default="")
    seed: int = spec("The seed it is played on.", ge=0, le=2**63 - 1)
    rating: Rating = spec("The rating it must get: P, S, M or U.")
    overall: float = spec("The least overall score it may get.", ge=0, le=100)


RUN_KEYS = ("name", "seed", "rating", "overall", "actions")


@dataclass(frozen=True, slots=True)
class Outcome:
    """A golden run played: what it pinned, what it got, and where it is written."""

    run: GoldenRun
    rating: str | None
    overall: float
    where: Problem
    """A located line for the run itself (its message names the run)."""

    @property
    def held(self) -> bool:
        return self.rating == self.run.rating and self.overall >= self.run.overall


def golden_path(scenario_path: str | os.PathLike[str]) -> Path:
    """Where a scenario's golden runs live: ``golden/NAME.yaml`` beside ``NAME.yaml``."""
    path = Path(scenario_path)
    return path.parent / "golden" / f"{path.stem}.yaml"


def play_golden(path: str | os.PathLike[str], scenario: Scenario) -> list[Outcome]:
    """Play every golden run in ``path`` on ``scenario``; ScenarioError lists what is wrong
    with the file (UnreadableScenario if it cannot be read)."""
    from drillsim.script import ScriptError, check_script, play_script, read_script
    from scoring import score_run

    shown = os.fspath(path)
    document = parse_document(read_text(path, shown, GOLDEN_FILE), shown, GOLDEN_FILE)
    converter = Converter(document)
    runs: list[tuple[int, GoldenRun, object]] = []
    data = document.data
    if not isinstance(data, list) or not data:
        raise ScenarioError(
            [
                document.problem(
                    (),
                    "the file must be a list of golden runs",
                    "write '- seed: 0' items with rating, overall and actions (docs/authoring.md)",
                )
            ]
        )
    for index, item in enumerate(data):
        if not isinstance(item, dict) or "actions" not in item:
            converter.fail(
                (index,),
                "a golden run is a mapping with seed, rating, overall and actions",
                "add the missing actions: (a list as for drillsim run --actions, or the "
                "path of such a file)",
            )
            continue
        fields = {key: value for key, value in item.items() if key != "actions"}
        run = converter.convert(fields, GoldenRun, (index,))
        if isinstance(run, GoldenRun):
            runs.append((index, run, item["actions"]))
    problems = list(converter.problems)
    scripts = []
    for index, run, actions in runs:
        try:
            if isinstance(actions, str):  # an actions file, named relative to this one
                script = read_script(Path(shown).parent / actions, scenario)
            else:
                script = check_script(document.part((index, "actions"), actions), scenario)
        except ScriptError as error:
            problems.extend(error.problems)
            continue
        scripts.append((index, run, script))
    if problems:
        raise ScenarioError(sorted(problems, key=lambda p: (p.line, p.column)))
    outcomes = []
    for index, run, script in scripts:
        try:
            played = play_script(script, scenario, run.seed)
        except ScriptError as error:
            raise ScenarioError(list(error.problems)) from None
        card = score_run(scenario, played.drill.events)
        where = document.problem((index,), f"golden run {_name(run, index)}", "")
        outcomes.append(Outcome(run, card.rating, card.overall, where))
    return outcomes


def _name(run: GoldenRun, index: int) -> str:
    return f"{run.name!r} (seed {run.seed})" if run.name else f"#{index + 1} (seed {run.seed})"


def verdicts(outcomes: list[Outcome]) -> list[Problem]:
    """An error for each golden run that missed its rating or least score.

    Items a run's seed makes moot are skipped, as ``drillsim run`` skips them: one actions
    list may serve several seeds, and the card of the seed is what the run pins."""
    found: list[Problem] = []
    for outcome in outcomes:
        place = outcome.where
        run = outcome.run
        if not outcome.held:
            found.append(
                Problem(
                    place.path,
                    place.line,
                    place.column,
                    place.field,
                    f"{place.message} scored {outcome.overall:.1f} rated {outcome.rating}; "
                    f"it pins rating {run.rating} with overall at least {run.overall:g}",
                    "if the scenario changed on purpose, update the run's rating and overall; "
                    "otherwise the edit broke what this run pins",
                    rule="golden-run",
                )
            )
    return found
