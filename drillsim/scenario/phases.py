"""Checks of cadence phases (format 2): a list that starts at 0m and moves forward, each
phase a change of the audience's rhythm at an exercise moment."""

from __future__ import annotations

from itertools import pairwise

from drillsim.durations import format_duration
from drillsim.scenario.checker import Checker
from drillsim.scenario.model import Cadence

FORMAT_2 = "add format: 2 at the top of the file (docs/format.md, Format versions)"


def check_cadence_phases(checker: Checker) -> None:
    """Phases only in format 2, at least one, the first from 0m, each later than the one
    before, and the audience's weight written in the first only."""
    s = checker.scenario
    for audience in s.audiences:
        written = audience.cadence_written
        if written is None or isinstance(written, Cadence):
            continue
        where = checker.where(audience, "cadence")
        if s.format == 1:
            checker.error(
                where,
                "cadence phases (a list under cadence:) are format 2's",
                FORMAT_2 + ", or write one cadence mapping",
            )
            continue
        if not written:
            checker.error(
                where,
                "an empty list of cadence phases",
                "write at least one phase, e.g. [{from: 0m, max_silence: 30m}], or a mapping",
            )
            continue
        if float(written[0].start) != 0.0:
            checker.error(
                checker.where(written[0], "from"),
                f"the first cadence phase starts at T+{format_duration(written[0].start)}, "
                "so nothing says the rhythm before it",
                "start the first phase at from: 0m",
            )
        for before, phase in pairwise(written):
            if phase.start <= before.start:
                checker.error(
                    checker.where(phase, "from"),
                    f"this phase starts at T+{format_duration(phase.start)}, not after the "
                    f"one before it (T+{format_duration(before.start)})",
                    "list phases in time order, each from a later time",
                )
            if phase.weight is not None:
                checker.error(
                    checker.where(phase, "weight"),
                    "weight is the audience's share of the cadence score for the whole drill",
                    "write weight in the first phase only",
                )
