"""Semantic checks on a converted scenario: references, ids, times, reachability.

Everything the type shape cannot say: a dangling reference, a duplicate id, an inject past
the exercise end or one that can never fire, a decision whose options change nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from drillsim.durations import format_duration
from drillsim.scenario import conditions as cond
from drillsim.scenario.conditions import Condition
from drillsim.scenario.document import PathKey
from drillsim.scenario.model import FakerVariable, Fixed, Scenario
from drillsim.scenario.problems import Problem, suggest
from drillsim.scenario.shape import Converter, Template, fields_of, is_model

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_STAND_IN = "\0stand-in"


class _Checker:
    """Collects semantic problems, located through the converter's record of origins."""

    def __init__(self, scenario: Scenario, converter: Converter) -> None:
        self.scenario = scenario
        self.converter = converter
        self.problems: list[Problem] = []

    def where(self, obj: object, *rest: str | int) -> PathKey:
        """Path of ``obj`` (plus ``rest``); ``(_STAND_IN,)`` for a stand-in of a broken value."""
        origin = self.converter.origins.get(id(obj))
        if origin is None and obj is not self.scenario:
            return (_STAND_IN,)
        return (*(origin or ()), *rest)

    def _reportable(self, where: PathKey) -> bool:
        return where[:1] != (_STAND_IN,) and not self.converter.is_broken(where)

    def error(self, where: PathKey, message: str, hint: str, *, key: bool = False) -> None:
        if self._reportable(where):
            self.problems.append(self.converter.document.problem(where, message, hint, key=key))

    def warn(self, where: PathKey, message: str, hint: str) -> None:
        if not self._reportable(where):
            return
        self.problems.append(self.converter.document.problem(where, message, hint).as_warning())


def check(scenario: Scenario, converter: Converter) -> list[Problem]:
    """All semantic problems (errors and warnings) of a converted scenario."""
    checker = _Checker(scenario, converter)
    _check_ids(checker)
    _check_references(checker)
    _check_templates(checker)
    _check_times(checker)
    _check_decisions(checker)
    _check_variables(checker)
    _check_flags(checker)
    _check_reachability(checker)
    return checker.problems


def _check_ids(checker: _Checker) -> None:
    scenario = checker.scenario
    groups = {
        "audiences": scenario.audiences,
        "facts": scenario.facts,
        "unknowns": scenario.unknowns,
        "injects": scenario.injects,
        "expectations": scenario.expectations,
        "decisions": scenario.decisions,
        "actions": scenario.actions,
    }
    for decision in scenario.decisions:
        groups[f"options of decision {decision.id}"] = decision.options
    for group, items in groups.items():
        seen: dict[str, object] = {}
        for item in items:
            if item.id in seen:
                first = checker.converter.document.position(checker.where(seen[item.id], "id"))
                checker.error(
                    checker.where(item, "id"),
                    f"duplicate id {item.id!r} in {group} (first at line {first[0]})",
                    "give each one its own id",
                )
            else:
                seen[item.id] = item


def _ids(items: tuple) -> set[str]:
    return {item.id for item in items}


def _check_references(checker: _Checker) -> None:
    s = checker.scenario
    facts, audiences, injects = _ids(s.facts), _ids(s.audiences), _ids(s.injects)
    decisions = {decision.id: _ids(decision.options) for decision in s.decisions}

    def ref(obj: object, name: str, value: str | None, known: set[str], what: str) -> None:
        if value is not None and value not in known:
            checker.error(
                checker.where(obj, name), f"no {what} with id {value!r}", suggest(value, known)
            )

    for inject in s.injects:
        for index, fact in enumerate(inject.reveals):
            if fact not in facts:
                checker.error(
                    checker.where(inject, "reveals", index),
                    f"no fact with id {fact!r}",
                    suggest(fact, facts),
                )
    for unknown in s.unknowns:
        ref(unknown, "answered_by", unknown.answered_by, facts, "fact")
    for expectation in s.expectations:
        ref(expectation, "audience", expectation.audience, audiences, "audience")
        ref(expectation, "after", expectation.after, injects, "inject")
    for decision in s.decisions:
        ref(decision, "stream", decision.stream, set(s.impact.streams), "impact stream")
        ref(decision, "default", decision.default, decisions[decision.id], "option")
    for where, condition in _conditions(checker):
        _check_condition_refs(checker, where, condition, decisions)


def _conditions(checker: _Checker) -> Iterator[tuple[PathKey, Condition]]:
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


def _check_condition_refs(
    checker: _Checker, where: PathKey, condition: Condition, decisions: dict[str, set[str]]
) -> None:
    s = checker.scenario
    tables = {
        cond.FactRevealed: ("fact", _ids(s.facts), "fact"),
        cond.ExpectationFailed: ("expectation_failed", _ids(s.expectations), "expectation"),
        cond.ExpectationMet: ("expectation_met", _ids(s.expectations), "expectation"),
        cond.FlagSet: ("flag", set(s.truth.flags), "truth flag"),
        cond.ActionTaken: ("action_taken", _ids(s.actions), "action"),
        cond.InjectDelivered: ("inject_delivered", _ids(s.injects), "inject"),
    }
    for node in cond.walk(condition):
        node_where = checker.converter.origins.get(id(node), where)
        if type(node) in tables:
            attribute, known, what = tables[type(node)]
            value = getattr(node, attribute)
            if value not in known:
                checker.error(
                    (*node_where, attribute), f"no {what} with id {value!r}", suggest(value, known)
                )
        elif isinstance(node, cond.Silent):
            audiences = _ids(s.audiences)
            if node.silent.audience not in audiences:
                checker.error(
                    (*node_where, "silent", "audience"),
                    f"no audience with id {node.silent.audience!r}",
                    suggest(node.silent.audience, audiences),
                )
        elif isinstance(node, cond.Chosen):
            ref = node.chosen
            if ref.decision not in decisions:
                checker.error(
                    (*node_where, "chosen", "decision"),
                    f"no decision with id {ref.decision!r}",
                    suggest(ref.decision, decisions),
                )
            elif ref.option not in decisions[ref.decision]:
                checker.error(
                    (*node_where, "chosen", "option"),
                    f"decision {ref.decision!r} has no option {ref.option!r}",
                    suggest(ref.option, decisions[ref.decision]),
                )


def _templates(obj: object, where: PathKey) -> Iterator[tuple[PathKey, str]]:
    """Every Template-typed text in the model, with its path."""
    if isinstance(obj, tuple):
        for index, item in enumerate(obj):
            yield from _templates(item, (*where, index))
        return
    if isinstance(obj, dict):
        for name, item in obj.items():
            yield from _templates(item, (*where, name))
        return
    if isinstance(obj, Template):
        yield where, obj
        return
    if is_model(type(obj)):
        for info in fields_of(type(obj)):
            yield from _templates(getattr(obj, info.name), (*where, info.key))


def _check_templates(checker: _Checker) -> None:
    names = set(checker.scenario.variables)
    for where, text in _templates(checker.scenario, ()):
        for match in PLACEHOLDER.finditer(text):
            if match.group(1) not in names:
                checker.error(
                    where,
                    f"text uses {{{match.group(1)}}} but no such variable is defined",
                    suggest(match.group(1), names)
                    + " (define it under variables:, or write the text without braces)",
                )


def _check_times(checker: _Checker) -> None:
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


def _check_inject_timing(checker: _Checker) -> None:
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


def _check_decisions(checker: _Checker) -> None:
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
        if rate < 0:
            checker.error(
                checker.where(checker.scenario.impact, "streams", name),
                f"loss rate {rate} is negative",
                "give a loss per minute of 0 or more",
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


def _check_variables(checker: _Checker) -> None:
    for name, variable in checker.scenario.variables.items():
        where = checker.where(checker.scenario, "variables", name)
        if not name.isidentifier():
            checker.error(
                where, f"{name!r} cannot be used as {{{name}}}", "use letters, digits and _ only"
            )
        if isinstance(variable, FakerVariable) and variable.min > variable.max:
            checker.error(where, "min is greater than max", "swap them")
        if hasattr(variable, "choices") and not variable.choices:
            checker.error((*where, "choices"), "no choices", "list at least one text")


def _check_flags(checker: _Checker) -> None:
    flags = checker.scenario.truth.flags

    def refers(name: str, seen: tuple[str, ...]) -> tuple[str, ...] | None:
        for node in cond.walk(flags.get(name, False)):
            if isinstance(node, cond.FlagSet):
                if node.flag in seen:
                    return (*seen, node.flag)
                cycle = refers(node.flag, (*seen, node.flag))
                if cycle:
                    return cycle
        return None

    for name in flags:
        cycle = refers(name, (name,))
        if cycle:
            checker.error(
                checker.where(checker.scenario.truth, "flags", name),
                "flag refers to itself: " + " -> ".join(cycle),
                "break the cycle",
            )
            return


def _check_reachability(checker: _Checker) -> None:
    """Find injects and decisions that can never happen, by a fixpoint over what can."""
    s = checker.scenario
    if checker.converter.problems or any(p.severity == "error" for p in checker.problems):
        return
    end = float(s.length)
    injects: set[str] = set()
    decisions: set[str] = set()
    facts: set[str] = set()

    def possible(condition: Condition) -> bool:
        low, high = cond.time_window(condition, s.truth.flags)
        if not (low < high and low < end):
            return False
        return _possible_state(condition)

    def _possible_state(condition: Condition) -> bool:
        match condition:
            case bool():
                return condition
            case cond.AllOf(all=items):
                return all(_possible_state(item) for item in items)
            case cond.AnyOf(any=items):
                return any(possible(item) for item in items)
            case cond.FactRevealed(fact=fact):
                return fact in facts
            case cond.InjectDelivered(inject_delivered=name):
                return name in injects
            case (
                cond.ExpectationFailed(expectation_failed=name)
                | cond.ExpectationMet(expectation_met=name)
            ):
                expectation = next(e for e in s.expectations if e.id == name)
                return expectation.after is None or expectation.after in injects
            case cond.Chosen(chosen=ref):
                return ref.decision in decisions
            case cond.FlagSet(flag=name):
                return possible(s.truth.flags[name])
        return True

    changed = True
    while changed:
        changed = False
        for inject in s.injects:
            if inject.id in injects:
                continue
            if inject.resolves:
                ok = not isinstance(s.truth.duration, Fixed) or s.truth.duration.fixed < end
            elif inject.at is not None:
                ok = inject.at < end
            else:
                ok = inject.when is not None and possible(inject.when)
            if ok:
                injects.add(inject.id)
                facts.update(inject.reveals)
                changed = True
        for decision in s.decisions:
            if decision.id not in decisions and (
                (decision.at is not None and decision.at < end)
                or (decision.when is not None and possible(decision.when))
            ):
                decisions.add(decision.id)
                changed = True
    for inject in s.injects:
        if inject.id not in injects and inject.when is not None:
            reason = _why_impossible(inject.when, s, facts, end)
            checker.error(
                checker.where(inject, "when"),
                f"inject {inject.id!r} can never fire: {reason}",
                "check the condition's times and the facts/injects it waits for",
            )
    for decision in s.decisions:
        if decision.id not in decisions and decision.when is not None:
            checker.error(
                checker.where(decision, "when"),
                f"decision {decision.id!r} can never open: "
                f"{_why_impossible(decision.when, s, facts, end)}",
                "check the condition's times and the facts/injects it waits for",
            )
    for fact in s.facts:
        if fact.id not in facts:
            checker.warn(
                checker.where(fact),
                f"no inject ever reveals fact {fact.id!r}",
                "add it to an inject's reveals, or remove it",
            )
    for action in s.actions:
        low, high = cond.time_window(action.justified_if, s.truth.flags)
        if low >= high and action.justified_if is not False:
            checker.warn(
                checker.where(action, "justified_if"),
                "this condition can never hold",
                "write justified_if: false if the action is never proportionate",
            )


def _why_impossible(condition: Condition, s: Scenario, facts: set[str], end: float) -> str:
    low, high = cond.time_window(condition, s.truth.flags)
    if low >= high:
        return "its time bounds exclude each other"
    if low >= end:
        return f"it cannot hold before T+{format_duration(low)}, after the exercise ends"
    missing = sorted(
        node.fact
        for node in cond.walk(condition)
        if isinstance(node, cond.FactRevealed) and node.fact not in facts
    )
    if missing:
        return "no inject that can fire reveals " + ", ".join(missing)
    if condition is False:
        return "the condition is false"
    return "it waits for something that never happens"


__all__ = ["PLACEHOLDER", "check"]
