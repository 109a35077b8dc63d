"""Collecting a scenario's semantic problems, each located through the converter's record
of where every value came from; and what the checks share: ids, every condition."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from drillsim.scenario.conditions import Condition
from drillsim.scenario.convert import Converter
from drillsim.scenario.document import PathKey
from drillsim.scenario.model import Scenario, Stream
from drillsim.scenario.problems import Problem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    class Identified(Protocol):
        """A scenario part others refer to by its id."""

        @property
        def id(self) -> str: ...


STAND_IN = "\0stand-in"
"""The first step of the path of a stand-in for a value that failed to convert."""


class Checker:
    """Collects semantic problems, located through the converter's record of origins."""

    def __init__(self, scenario: Scenario, converter: Converter) -> None:
        self.scenario = scenario
        self.converter = converter
        self.problems: list[Problem] = []

    def where(self, obj: object, *rest: str | int) -> PathKey:
        """Path of ``obj`` (plus ``rest``); ``(STAND_IN,)`` for a stand-in of a broken value."""
        origin = self.converter.origins.get(id(obj))
        if origin is None and obj is not self.scenario:
            return (STAND_IN,)
        return (*(origin or ()), *rest)

    def _reportable(self, where: PathKey) -> bool:
        return where[:1] != (STAND_IN,) and not self.converter.is_broken(where)

    def error(self, where: PathKey, message: str, hint: str, *, key: bool = False) -> None:
        if self._reportable(where):
            self.problems.append(self.converter.document.problem(where, message, hint, key=key))

    def warn(self, where: PathKey, message: str, hint: str, rule: str = "") -> None:
        """A warning; ``rule`` names the lint rule that found it (docs/authoring.md)."""
        if not self._reportable(where):
            return
        problem = self.converter.document.problem(where, message, hint)
        self.problems.append(problem.as_warning(rule))


def ids_of(items: Iterable[Identified]) -> set[str]:
    """The ids of ``items``, less the stand-ins for ids that failed to convert."""
    return {item.id for item in items if item.id != "?"}


def conditions_of(checker: Checker) -> Iterator[tuple[PathKey, Condition]]:
    """Every condition in the scenario with the path of the field that holds it."""
    s = checker.scenario
    for audience in s.audiences:
        yield checker.where(audience, "impacted"), audience.impacted
    for name, flag in s.truth.flags.items():
        yield checker.where(s.truth, "flags", name), flag
    for inject in s.injects:
        if inject.when is not None:
            yield checker.where(inject, "when"), inject.when
    for decision in s.decisions:
        if decision.when is not None:
            yield checker.where(decision, "when"), decision.when
        for option in decision.options:
            yield checker.where(option, "requires"), option.requires
    for action in s.actions:
        yield checker.where(action, "justified_if"), action.justified_if
        if action.expected is not None and action.expected.when is not None:
            yield checker.where(action.expected, "when"), action.expected.when
    for channel in s.channels:
        yield checker.where(channel, "down"), channel.down
    for stream in s.impact.streams.values():
        if isinstance(stream, Stream):
            for phase in stream.phases:
                yield checker.where(phase, "when"), phase.when
            for lump in stream.once:
                yield checker.where(lump, "unless"), lump.unless
