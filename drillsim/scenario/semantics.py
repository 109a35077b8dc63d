"""Semantic checks on a converted scenario: references, ids, times, reachability.

Everything the type shape cannot say: a dangling reference, a duplicate id, an inject past
the exercise end or one that can never fire, a decision whose options change nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from functools import cache

from drillsim.durations import format_duration
from drillsim.limits import MAX_LOSS_RATE, MOST_CONDITION_PARTS, SHORTEST_OUTAGE
from drillsim.scenario import conditions as cond
from drillsim.scenario.conditions import Condition
from drillsim.scenario.document import PathKey
from drillsim.scenario.model import (
    Decision,
    FakerVariable,
    Fixed,
    Scenario,
)
from drillsim.scenario.problems import Problem, suggest
from drillsim.scenario.shape import Converter, FieldInfo, Template, fields_of, is_model
from drillsim.templates import PLACEHOLDER

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
    _check_condition_parts(checker)
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
    return {item.id for item in items if item.id != "?"}  # "?": a stand-in for a broken id


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
        if not checker.converter.is_broken(checker.where(s.impact, "streams", decision.stream)):
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
        for info in _template_fields(type(obj)):
            yield from _templates(getattr(obj, info.name), (*where, info.key))


@cache
def _template_fields(cls: type) -> tuple[FieldInfo, ...]:
    """The fields of a model whose values can hold Template text (conditions, numbers and
    ids never do, so validation does not walk them)."""
    return tuple(info for info in fields_of(cls) if _can_hold_template(info.type, set()))


def _can_hold_template(tp: object, seen: set[int]) -> bool:
    if id(tp) in seen:
        return False  # a recursive type (conditions): whatever it holds is found elsewhere
    seen.add(id(tp))
    if isinstance(tp, type) and issubclass(tp, Template):
        return True
    if is_model(tp):
        return any(_can_hold_template(info.type, seen) for info in fields_of(tp))
    return any(_can_hold_template(arg, seen) for arg in getattr(tp, "__args__", ()))


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
    acyclic: set[str] = set()  # flags already followed to the end: each is walked once

    def refers(name: str, seen: tuple[str, ...]) -> tuple[str, ...] | None:
        for node in cond.walk(flags.get(name, False)):
            if isinstance(node, cond.FlagSet) and node.flag not in acyclic:
                if node.flag in seen:
                    return (*seen, node.flag)
                cycle = refers(node.flag, (*seen, node.flag))
                if cycle:
                    return cycle
        acyclic.add(name)
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


def _check_condition_parts(checker: _Checker) -> None:
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
    for where, condition in _conditions(checker):
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


def _check_reachability(checker: _Checker) -> None:
    """Find injects, decisions and options that can never happen, by a fixpoint over when
    each thing can happen at the earliest."""
    s = checker.scenario
    if checker.converter.problems or any(p.severity == "error" for p in checker.problems):
        return
    reach = _Reach(s)
    reach.settle()
    for inject in s.injects:
        if inject.id not in reach.injects and inject.when is not None:
            checker.error(
                checker.where(inject, "when"),
                f"inject {inject.id!r} can never fire: {reach.why(inject.when)}",
                "check the condition's times and the facts/injects it waits for",
            )
    for decision in s.decisions:
        if decision.id not in reach.decisions and decision.when is not None:
            checker.error(
                checker.where(decision, "when"),
                f"decision {decision.id!r} can never open: {reach.why(decision.when)}",
                "check the condition's times and the facts/injects it waits for",
            )
        for item in decision.options:
            if item.id == decision.default and item.requires is not True:
                checker.warn(
                    checker.where(item, "requires"),
                    f"the default option {item.id!r} has a prerequisite, which is ignored",
                    "the default is taken when time runs out whatever holds: remove its "
                    "requires, or make another option the default",
                )
            elif decision.id in reach.decisions and (
                reason := reach.unchoosable(decision, item.requires)
            ):
                checker.warn(
                    checker.where(item, "requires"),
                    f"option {item.id!r} can never be chosen: {reason}",
                    "check the prerequisite, or remove the option",
                )
    for fact in s.facts:
        if fact.id not in reach.facts:
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


class _Reach:
    """What can happen in a scenario, and how early: injects, facts, decisions."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.end = float(scenario.length)
        self.injects: dict[str, float] = {}
        self.facts: dict[str, float] = {}
        self.decisions: dict[str, float] = {}

    def floor(self, atom: Condition) -> float:
        """Earliest time a state atom can become true (inf: never)."""
        match atom:
            case cond.FactRevealed(fact=fact):
                return self.facts.get(fact, math.inf)
            case cond.InjectDelivered(inject_delivered=name):
                return self.injects.get(name, math.inf)
            case (
                cond.ExpectationFailed(expectation_failed=name)
                | cond.ExpectationMet(expectation_met=name)
            ):
                expectation = self.scenario.expectation(name)
                start = (
                    0.0
                    if expectation.after is None
                    else self.injects.get(expectation.after, math.inf)
                )
                late = (
                    float(expectation.within) if isinstance(atom, cond.ExpectationFailed) else 0.0
                )
                return start + late
            case cond.Chosen(chosen=ref):
                return self.decisions.get(ref.decision, math.inf)
        return 0.0

    def window(self, condition: Condition) -> tuple[float, float]:
        return cond.time_window(condition, self.scenario.truth.flags, self.floor)

    def possible(self, condition: Condition) -> bool:
        low, high = self.window(condition)
        return low < high and low < self.end and _consistent(condition)

    def unchoosable(self, decision: Decision, requires: Condition) -> str | None:
        """Why an option's prerequisite can never hold while its decision is open, or None."""
        if not self.possible(requires):
            return self.why(requires)
        if _needs(requires, self.means_resolved):
            return "it needs the outage over, and open decisions close (moot) when it ends"
        opens = self.decisions[decision.id]
        closes = self.end
        if decision.at is not None:  # a decision on a condition may open later, close later
            closes = min(closes, opens + float(decision.timeout))
        low, high = self.window(requires)
        if low >= closes:
            return (
                f"it cannot hold before T+{format_duration(low)}, "
                f"after the decision closes (T+{format_duration(closes)})"
            )
        if high <= opens:
            return f"it stops holding at T+{format_duration(high)}, before the decision opens"
        return None

    def means_resolved(self, atom: Condition) -> bool:
        match atom:
            case cond.IncidentIs(incident="resolved"):
                return True
            case cond.InjectDelivered(inject_delivered=name):
                return self.scenario.inject(name).resolves
        return False

    def earliest(self, at: float | None, when: Condition | None) -> float:
        """The earliest time something with ``at:`` or ``when:`` can happen (inf: never)."""
        if at is not None:
            return float(at)
        if when is not None and self.possible(when):
            return self.window(when)[0]
        return math.inf

    def record(self, table: dict[str, float], key: str, at: float) -> bool:
        """Keep ``at`` if it is earlier than known and within the exercise; True if kept."""
        if at >= self.end or at >= table.get(key, math.inf):
            return False
        table[key] = at
        return True

    def settle(self) -> None:
        """Grow the earliest times until nothing changes (a few passes at most)."""
        s = self.scenario
        for _ in range(len(s.injects) + len(s.decisions) + 2):
            changed = False
            for inject in s.injects:
                if inject.resolves:
                    outage = s.truth.duration
                    at = float(outage.fixed) if isinstance(outage, Fixed) else SHORTEST_OUTAGE
                else:
                    at = self.earliest(inject.at, inject.when)
                if self.record(self.injects, inject.id, at):
                    for fact in inject.reveals:
                        self.facts[fact] = min(self.facts.get(fact, math.inf), at)
                    changed = True
            for decision in s.decisions:
                if self.record(
                    self.decisions, decision.id, self.earliest(decision.at, decision.when)
                ):
                    changed = True
            if not changed:
                return

    def why(self, condition: Condition) -> str:
        """In words, why ``condition`` can never hold (for a condition that cannot)."""
        if condition is False or condition == cond.Not(negated=True):
            return "the condition is always false"
        if not _consistent(condition):
            return "it needs the incident both open and resolved"
        bare_low, bare_high = cond.time_window(condition, self.scenario.truth.flags)
        if bare_low >= bare_high:
            return "its time bounds exclude each other"
        if bare_low >= self.end:
            return f"it cannot hold before T+{format_duration(bare_low)}, after the exercise ends"
        missing = sorted(
            node.fact
            for node in _affirmed(condition)
            if isinstance(node, cond.FactRevealed) and node.fact not in self.facts
        )
        if missing:
            return "no inject that can fire reveals " + ", ".join(missing)
        low, high = self.window(condition)
        if low < math.inf and low >= high:
            return (
                f"what it waits for cannot happen before T+{format_duration(low)}, "
                "too late for its time bounds"
            )
        if low < math.inf and low >= self.end:
            return (
                "what it waits for cannot happen before the exercise ends "
                f"(T+{format_duration(self.end)})"
            )
        return "it waits for something that never happens"


def _is_open(atom: Condition) -> bool:
    return isinstance(atom, cond.IncidentOpenFor) or atom == cond.IncidentIs(incident="open")


def _is_resolved(atom: Condition) -> bool:
    return atom == cond.IncidentIs(incident="resolved")


def _needs(condition: Condition, test: Callable[[Condition], bool]) -> bool:
    """True when ``condition`` can only hold while an atom passing ``test`` holds."""
    match condition:
        case cond.AllOf(all=items):
            return any(_needs(item, test) for item in items)
        case cond.AnyOf(any=items):
            return bool(items) and all(_needs(item, test) for item in items)
        case cond.Not():
            return False
    return test(condition)


def _consistent(condition: Condition) -> bool:
    """False for a condition that needs the incident both open and resolved at once."""
    return not (_needs(condition, _is_open) and _needs(condition, _is_resolved))


def _affirmed(condition: Condition) -> Iterator[Condition]:
    """The nodes of ``condition`` outside any not: (what it waits for, not what it avoids)."""
    if isinstance(condition, cond.Not):
        return
    yield condition
    if isinstance(condition, cond.AllOf | cond.AnyOf):
        for item in condition.all if isinstance(condition, cond.AllOf) else condition.any:
            yield from _affirmed(item)


__all__ = ["check"]
