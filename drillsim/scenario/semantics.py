"""Semantic checks on a converted scenario: everything the type shape cannot say.

A dangling reference, a duplicate id (:mod:`.references`); an inject past the exercise end,
a decision whose options change nothing (:mod:`.values`); an inject that can never fire
(:mod:`.reachability`).
"""

from __future__ import annotations

from drillsim.scenario.checker import Checker
from drillsim.scenario.convert import Converter
from drillsim.scenario.linked import check_linked
from drillsim.scenario.model import Scenario
from drillsim.scenario.phases import check_cadence_phases
from drillsim.scenario.problems import Problem
from drillsim.scenario.reachability import check_reachability
from drillsim.scenario.references import (
    check_flags,
    check_ids,
    check_references,
    check_templates,
    check_variables,
)
from drillsim.scenario.values import (
    check_condition_parts,
    check_decisions,
    check_format_2_parts,
    check_times,
)


def check(scenario: Scenario, converter: Converter) -> list[Problem]:
    """All semantic problems (errors and warnings) of a converted scenario."""
    checker = Checker(scenario, converter)
    check_ids(checker)
    check_references(checker)
    check_templates(checker)
    check_times(checker)
    check_format_2_parts(checker)
    check_cadence_phases(checker)
    check_decisions(checker)
    check_variables(checker)
    check_linked(checker)
    check_flags(checker)
    check_condition_parts(checker)
    check_reachability(checker)
    return checker.problems


__all__ = ["check"]
