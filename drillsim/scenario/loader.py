"""Loading a scenario file: safe YAML, then shape, then semantic checks."""

from __future__ import annotations

import os

from drillsim.scenario.convert import Converter
from drillsim.scenario.document import Document
from drillsim.scenario.model import Scenario
from drillsim.scenario.problems import Problem, ScenarioError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    MoreChecks = Callable[[Scenario, Converter], list[Problem]]


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


def check_text(text: str, shown: str, more: MoreChecks | None = None) -> Checked:
    """Check YAML text as if read from ``shown``; never raises for bad content.

    ``more`` (the lint rules) runs on a scenario free of errors and adds what it finds."""
    from drillsim.scenario.source import parse_document

    try:
        document = parse_document(text, shown)
    except ScenarioError as error:
        return Checked(shown, None, error.problems)
    return _check_document(document, more)


def _check_document(document: Document, more: MoreChecks | None = None) -> Checked:
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
        if more is not None and not any(p.severity == "error" for p in problems):
            problems.extend(more(scenario, converter))
    problems.sort(key=lambda p: (p.line, p.column))
    usable = scenario if isinstance(scenario, Scenario) else None
    return Checked(document.path, usable, tuple(problems))


def check_file(path: str | os.PathLike[str], more: MoreChecks | None = None) -> Checked:
    """Check one scenario file; raises UnreadableScenario only for unusable paths."""
    from drillsim.scenario.textfile import read_text

    shown = os.fspath(path)
    try:
        text = read_text(path, shown)
    except ScenarioError as error:
        if type(error) is not ScenarioError:
            raise
        return Checked(shown, None, error.problems)
    return check_text(text, shown, more)


class LoadedScenario:
    """A valid scenario, the sha256 of its text, and the text (a journal embeds it).

    (A plain class, not a NamedTuple: validation must not import typing.)"""

    __slots__ = ("scenario", "sha256", "text")

    def __init__(self, scenario: Scenario, sha256: str, text: str) -> None:
        self.scenario = scenario
        self.sha256 = sha256
        self.text = text

    def __iter__(self) -> Iterator[Scenario | str]:
        return iter((self.scenario, self.sha256, self.text))


def load_scenario(path: str | os.PathLike[str]) -> tuple[Scenario, str]:
    """The scenario in ``path`` and its text's sha256; ScenarioError if it has errors."""
    loaded = load_scenario_file(path)
    return loaded.scenario, loaded.sha256


def load_scenario_file(path: str | os.PathLike[str]) -> LoadedScenario:
    """The scenario in ``path`` with its text; ScenarioError if it has errors."""
    from drillsim.scenario.textfile import read_text

    shown = os.fspath(path)
    return load_scenario_text(read_text(path, shown), shown)


def load_scenario_text(text: str, shown: str) -> LoadedScenario:
    """The scenario in ``text`` (read from ``shown``); ScenarioError if it has errors.

    Text validated before comes from the cache, which is keyed by the text's sha256: an
    edit, whatever it keeps of the file's size or time, is always checked afresh.
    """
    from drillsim.scenario import cache

    sha256 = cache.text_sha256(text)
    remembered = cache.recall(sha256)
    if remembered is not None:
        scenario = _trusted(shown, remembered)
        if scenario is not None:
            return LoadedScenario(scenario, sha256, text)
    from drillsim.scenario.source import parse_document  # the YAML parser: only for new text

    try:
        document = parse_document(text, shown)
    except ScenarioError as error:
        raise ScenarioError(list(error.problems)) from None
    checked = _check_document(document)
    if not checked.ok or checked.scenario is None:
        raise ScenarioError(list(checked.errors))
    cache.remember(sha256, document.data)
    return LoadedScenario(checked.scenario, sha256, text)


def _trusted(shown: str, data: object) -> Scenario | None:
    """Build a scenario from data validated before (None if it no longer converts cleanly)."""
    converter = Converter(Document(shown, data))
    scenario = converter.convert(data, Scenario, ())
    if converter.problems or not isinstance(scenario, Scenario):
        return None
    return scenario
