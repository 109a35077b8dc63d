"""Loading a scenario file: safe YAML, then shape, then semantic checks."""

from __future__ import annotations

import os

from drillsim.scenario.document import Document
from drillsim.scenario.model import Scenario
from drillsim.scenario.problems import Problem, ScenarioError
from drillsim.scenario.shape import Converter


class Checked:
    """The outcome of checking one file: the scenario if usable, and every problem."""

    __slots__ = ("path", "problems", "scenario")

    def __init__(self, path: str, scenario: Scenario | None, problems: tuple[Problem, ...]) -> None:
        self.path = path
        self.scenario = scenario
        self.problems = problems

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.severity == "error")

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not self.errors


def check_text(text: str, shown: str) -> Checked:
    """Check YAML text as if read from ``shown``; never raises for bad content."""
    from drillsim.scenario.source import parse_document

    try:
        document = parse_document(text, shown)
    except ScenarioError as error:
        return Checked(shown, None, error.problems)
    return _check_document(document)


def _check_document(document: Document) -> Checked:
    from drillsim.scenario.semantics import check

    converter = Converter(document)
    if not isinstance(document.data, dict):
        problem = document.problem(
            (),
            "the file must be a mapping of scenario keys",
            "copy a bundled scenario (drillsim list) and see docs/format.md",
        )
        return Checked(document.path, None, (problem,))
    scenario = converter.convert(document.data, Scenario, ())
    problems = list(converter.problems)
    if isinstance(scenario, Scenario):
        problems.extend(check(scenario, converter))
    problems.sort(key=lambda p: (p.line, p.column))
    usable = scenario if isinstance(scenario, Scenario) else None
    return Checked(document.path, usable, tuple(problems))


def check_file(path: str | os.PathLike[str]) -> Checked:
    """Check one scenario file; raises UnreadableScenario only for unusable paths."""
    from drillsim.scenario.source import read_text

    shown = os.fspath(path)
    try:
        text = read_text(path, shown)
    except ScenarioError as error:
        if type(error) is not ScenarioError:
            raise
        return Checked(shown, None, error.problems)
    return check_text(text, shown)


def load_scenario(path: str | os.PathLike[str]) -> tuple[Scenario, str]:
    """The scenario in ``path`` and its text's sha256; ScenarioError if it has errors.

    A file loaded and validated before, and unchanged since, comes from the cache.
    """
    from drillsim.scenario import cache

    remembered = cache.recall(path)
    if remembered is not None:
        data, sha256 = remembered
        scenario = _trusted(os.fspath(path), data)
        if scenario is not None:
            return scenario, sha256
    import hashlib

    from drillsim.scenario.source import parse_document, read_text

    shown = os.fspath(path)
    text = read_text(path, shown)
    try:
        document = parse_document(text, shown)
    except ScenarioError as error:
        raise ScenarioError(list(error.problems)) from None
    checked = _check_document(document)
    if not checked.ok or checked.scenario is None:
        raise ScenarioError(list(checked.errors))
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    cache.remember(path, document.data, sha256)
    return checked.scenario, sha256


def _trusted(shown: str, data: object) -> Scenario | None:
    """Build a scenario from data validated before (None if it no longer converts cleanly)."""
    converter = Converter(Document(shown, data))
    scenario = converter.convert(data, Scenario, ())
    if converter.problems or not isinstance(scenario, Scenario):
        return None
    return scenario
