"""Checks of times and amounts: nothing scheduled past the exercise end, each inject and
decision timed one way, decisions with a real choice, loss rates and scoring weights that
mean something, conditions small enough to evaluate at every instant."""

from __future__ import annotations

import math

from drillsim.durations import format_duration
from drillsim.limits import (
    MAX_LOSS_RATE,
    MOST_CONDITION_PARTS,
    TRUNCATION_WARNED,
    longest_outage,
)
from drillsim.scenario import conditions as cond
from drillsim.scenario.checker import Checker, conditions_of
from drillsim.scenario.conditions import Condition
from drillsim.scenario.model import Fixed, Stream


def check_times(checker: Checker) -> None:
    s = checker.scenario
    if checker.converter.is_broken(("length",)):
        return
    end = s.length
    shown = format_duration(end)
    for inject in s.injects:
        if inject.at is not None and inject.at >= end:
            checker.error(
                checker.where(inject, "at"),
                f"T+{format_duration(inject.at)} is past the exercise end (length {shown})",
                "move it earlier or make the exercise longer",
            )
    for decision in s.decisions:
        if decision.at is not None and decision.at >= end:
            checker.error(
                checker.where(decision, "at"),
                f"opens at T+{format_duration(decision.at)}, past the exercise end ({shown})",
                "open it earlier or make the exercise longer",
            )
        elif decision.at is not None and decision.at + decision.timeout > end:
            checker.warn(
                checker.where(decision, "timeout"),
                f"times out at T+{format_duration(decision.at + decision.timeout)}, "
                f"after the exercise ends ({shown})",
                "shorten the timeout so the default can be taken during play",
            )
    for expectation in s.expectations:
        if expectation.within >= end:
            checker.error(
                checker.where(expectation, "within"),
                f"{format_duration(expectation.within)} is longer than the exercise ({shown})",
                "use a shorter deadline",
            )
    if isinstance(s.truth.duration, Fixed) and s.truth.duration.fixed >= end:
        checker.warn(
            checker.where(s.truth, "duration"),
            "the scripted outage outlasts the exercise, so it never resolves during play",
            "that is fine for an endurance drill; otherwise shorten it",
        )
    _check_truncation(checker)


def check_format_2_parts(checker: Checker) -> None:
    """Refuse what only format 2 says in a format-1 file, pointing at the way out."""
    if checker.scenario.format != 1:
        return
    hint = "add format: 2 at the top of the file (docs/format.md, Format versions)"
    if checker.scenario.channels:
        checker.error(checker.where(checker.scenario, "channels"), "channels are format 2's", hint)
    for audience in checker.scenario.audiences:
        if audience.channels:
            checker.error(
                checker.where(audience, "channels"),
                "an audience's channels are format 2's",
                hint,
            )
    for audience in checker.scenario.audiences:
        if audience.kind == "press":
            checker.error(
                checker.where(audience, "kind"),
                "the press as an audience (kind: press) is format 2's",
                "add format: 2 at the top of the file (docs/format.md, Format versions), "
                "or write kind: external",
            )
    for fact in checker.scenario.facts:
        if fact.eta is not None:
            checker.error(
                checker.where(fact, "eta"),
                "a vendor's resolution time (eta: vendor) is format 2's",
                hint,
            )
    for action in checker.scenario.actions:
        if action.expected is not None:
            checker.error(
                checker.where(action, "expected"),
                "an expected action (expected:) is format 2's",
                "add format: 2 at the top of the file (docs/format.md, Format versions)",
                key=True,
            )
    for audience in checker.scenario.audiences:
        if audience.impacted_both_ways:
            checker.error(
                checker.where(audience, "impacted_both_ways"),
                "an audience affected both ways is format 2's",
                "add format: 2 at the top of the file (docs/format.md, Format versions)",
            )
    impact = checker.scenario.impact
    for name, stream in impact.streams.items():
        if isinstance(stream, Stream):
            checker.error(
                checker.where(impact, "streams", name),
                "a stream with phases, one-off losses or recovery is format 2's",
                "add format: 2 at the top of the file (docs/format.md, Format versions), "
                "or give a loss per minute, e.g. forms: 5",
            )


def _check_truncation(checker: Checker) -> None:
    """Warn when the drawn outage's distribution reaches well past the longest outage: those
    runs are drawn again inside it, so the odds played are not the ones written. Format 2
    only: a format-1 file validates as it always did (its 24h truncation is documented)."""
    s = checker.scenario
    truth = s.truth.duration
    if (
        s.format == 1
        or isinstance(truth, Fixed)
        or checker.converter.is_broken(("truth", "duration"))
    ):
        return
    longest = longest_outage(s.format)
    z = (math.log(longest) - math.log(truth.median)) / truth.sigma
    beyond = 0.5 * math.erfc(z / math.sqrt(2.0))
    if beyond > TRUNCATION_WARNED:
        checker.warn(
            checker.where(s.truth, "duration"),
            f"{beyond:.1%} of this outage's distribution lies past "
            f"{format_duration(longest)}, the longest outage; those runs are drawn "
            "again inside it, so the odds played are not the ones written",
            "lower the median or the sigma so that under 1% lies past the bound",
        )


def _check_inject_timing(checker: Checker) -> None:
    resolvers = [inject for inject in checker.scenario.injects if inject.resolves]
    for inject in checker.scenario.injects:
        where = checker.where(inject)
        if inject.resolves:
            if inject.at is not None or inject.when is not None:
                checker.error(
                    (*where, "at" if inject.at is not None else "when"),
                    "a resolves inject fires when the hidden truth says; it takes no at/when",
                    "remove at/when from this inject",
                )
        elif (inject.at is None) == (inject.when is None):
            checker.error(
                where,
                "an inject needs exactly one of at: or when:",
                "add at: T+ time (e.g. at: 5m) or when: a condition",
            )
    for extra in resolvers[1:]:
        checker.error(
            checker.where(extra, "resolves"),
            "only one inject may announce the resolution",
            "keep resolves: true on one inject",
        )
    if not resolvers:
        checker.warn(
            checker.where(checker.scenario, "injects"),
            "no inject announces the resolution",
            "add an inject with resolves: true so players learn when it is over",
        )
    for decision in checker.scenario.decisions:
        if (decision.at is None) == (decision.when is None):
            checker.error(
                checker.where(decision),
                "a decision needs exactly one of at: or when:",
                "add at: T+ time (e.g. at: 10m) or when: a condition",
            )


def check_decisions(checker: Checker) -> None:
    _check_inject_timing(checker)
    for decision in checker.scenario.decisions:
        if len(decision.options) < 2:
            checker.error(
                checker.where(decision, "options"),
                "a decision needs at least two options",
                "add the alternative, usually a wait option",
            )
        if decision.options and all(option.effectiveness == 0 for option in decision.options):
            checker.error(
                checker.where(decision, "options"),
                "no option has any effect (every effectiveness is 0)",
                "give the plan-B options an effectiveness between 0 and 1",
            )
    streams = checker.scenario.impact.streams
    for name, rate in streams.items():
        if isinstance(rate, Stream):  # its numbers are bounded where they are declared
            continue
        if rate < 0:
            checker.error(
                checker.where(checker.scenario.impact, "streams", name),
                f"loss rate {rate} is negative",
                "give a loss per minute of 0 or more",
            )
        elif rate > MAX_LOSS_RATE:
            checker.error(
                checker.where(checker.scenario.impact, "streams", name),
                f"loss rate {rate:g} is above the maximum {MAX_LOSS_RATE:g} per minute",
                "count the loss in a larger unit (thousands, not units)",
            )
    if not streams:
        checker.error(
            checker.where(checker.scenario.impact, "streams"),
            "no impact stream",
            "add at least one, e.g. forms: 5",
        )
    weights = checker.scenario.scoring.weights
    if weights.cadence + weights.plan_b + weights.restraint <= 0:
        checker.error(
            checker.where(weights),
            "all scoring weights are 0",
            "give at least one dimension a positive weight",
        )


def check_condition_parts(checker: Checker) -> None:
    """Bound the size of all conditions together, a truth flag counted wherever it is used
    (a flag used twice is evaluated twice): the engine evaluates them at every instant."""
    flags = checker.scenario.truth.flags
    flag_parts: dict[str, int] = {}

    def parts(condition: Condition, using: tuple[str, ...]) -> int:
        total = 0
        for node in cond.walk(condition):
            total += 1
            if isinstance(node, cond.FlagSet) and node.flag in flags and node.flag not in using:
                if node.flag not in flag_parts:
                    flag_parts[node.flag] = parts(flags[node.flag], (*using, node.flag))
                total += flag_parts[node.flag]
        return total

    defining_flags = checker.where(checker.scenario.truth, "flags")
    total = 0
    for where, condition in conditions_of(checker):
        if where[:-1] == defining_flags:
            continue  # counted where it is used
        total += parts(condition, ())
        if total > MOST_CONDITION_PARTS:
            checker.error(
                where,
                f"the conditions up to here have {total:,} parts (a truth flag counts wherever "
                f"it is used), more than the {MOST_CONDITION_PARTS} a drill evaluates at every "
                "instant",
                "simplify the largest conditions",
            )
            return
