"""Reachability: injects, decisions and options that can never happen, and facts nothing
reveals, found by a fixpoint over the earliest time each thing can happen."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

from drillsim.durations import format_duration
from drillsim.limits import SHORTEST_OUTAGE
from drillsim.scenario import conditions as cond
from drillsim.scenario.checker import Checker
from drillsim.scenario.conditions import Condition
from drillsim.scenario.model import Decision, Fixed, Scenario, option_of


def check_reachability(checker: Checker) -> None:
    """Find injects, decisions and options that can never happen, by a fixpoint over when
    each thing can happen at the earliest."""
    s = checker.scenario
    if checker.converter.problems or any(p.severity == "error" for p in checker.problems):
        return
    reach = Reach(s)
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


class Reach:
    """What can happen in a scenario, and how early: injects, facts, decisions.

    ``thorough`` (``drillsim lint``) also follows what a scripted outage and the options
    imply: a fixed outage's end bounds what needs the incident open (or resolved), a
    decision opening after it never really opens, and an option that can never be chosen
    never is. ``validate`` leaves these out: such a scenario still plays to the end, so
    they are lint warnings, not errors.
    """

    def __init__(self, scenario: Scenario, *, thorough: bool = False) -> None:
        self.scenario = scenario
        self.end = float(scenario.length)
        self.injects: dict[str, float] = {}
        self.facts: dict[str, float] = {}
        self.decisions: dict[str, float] = {}
        self.thorough = thorough
        self._asking: set[tuple[str, str]] = set()
        outage = scenario.truth.duration
        self.outage_end = float(outage.fixed) if thorough and isinstance(outage, Fixed) else None
        """When a scripted outage surely ends (None: it may end at any time)."""

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
                key = (ref.decision, ref.option)
                if self.thorough and ref.decision in self.decisions and key not in self._asking:
                    decision = self.scenario.decision(ref.decision)
                    option = option_of(decision, ref.option)
                    self._asking.add(key)  # a prerequisite may wait on a choice in turn
                    never = option.id != decision.default and self.unchoosable(
                        decision, option.requires
                    )
                    self._asking.discard(key)
                    if never:
                        return math.inf
                return self.decisions.get(ref.decision, math.inf)
        return 0.0

    def window(self, condition: Condition) -> tuple[float, float]:
        low, high = cond.time_window(condition, self.scenario.truth.flags, self.floor)
        if self.outage_end is not None:
            flags = self.scenario.truth.flags
            if needs_open(condition, flags):
                high = min(high, self.outage_end)
            if needs_resolved(condition, flags):
                low = max(low, self.outage_end)
        return low, high

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
                opens = self.earliest(decision.at, decision.when)
                if self.outage_end is not None and opens >= self.outage_end:
                    continue  # opening after the outage, it closes at once as moot
                if self.record(self.decisions, decision.id, opens):
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
            for node in affirmed(condition)
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


def needs_open(condition: Condition, flags: dict[str, Condition]) -> bool:
    """True when ``condition`` can only hold while the incident is open."""
    return _needs(condition, _is_open, flags)


def needs_resolved(condition: Condition, flags: dict[str, Condition]) -> bool:
    """True when ``condition`` can only hold once the incident is resolved."""
    return _needs(condition, _is_resolved, flags)


def _is_open(atom: Condition) -> bool:
    return isinstance(atom, cond.IncidentOpenFor) or atom == cond.IncidentIs(incident="open")


def _is_resolved(atom: Condition) -> bool:
    return atom == cond.IncidentIs(incident="resolved")


def _needs(
    condition: Condition,
    test: Callable[[Condition], bool],
    flags: dict[str, Condition] | None = None,
) -> bool:
    """True when ``condition`` can only hold while an atom passing ``test`` holds (truth
    flags followed when ``flags`` are given)."""
    match condition:
        case cond.AllOf(all=items):
            return any(_needs(item, test, flags) for item in items)
        case cond.AnyOf(any=items):
            return bool(items) and all(_needs(item, test, flags) for item in items)
        case cond.Not():
            return False
        case cond.FlagSet(flag=name) if flags is not None and name in flags:
            others = {key: value for key, value in flags.items() if key != name}
            return _needs(flags[name], test, others)
    return test(condition)


def _consistent(condition: Condition) -> bool:
    """False for a condition that needs the incident both open and resolved at once."""
    return not (_needs(condition, _is_open) and _needs(condition, _is_resolved))


def affirmed(condition: Condition) -> Iterator[Condition]:
    """The nodes of ``condition`` outside any not: (what it waits for, not what it avoids)."""
    if isinstance(condition, cond.Not):
        return
    yield condition
    if isinstance(condition, cond.AllOf | cond.AnyOf):
        for item in condition.all if isinstance(condition, cond.AllOf) else condition.any:
            yield from affirmed(item)
