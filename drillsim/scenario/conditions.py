"""Conditions: structured YAML that says when something holds, and what it means.

A condition is ``true``/``false`` or a one-key mapping (``after: 30m``, ``fact: forms-down``,
``all: [...]``). It is never evaluated code. :func:`holds` evaluates one against a
:class:`ConditionContext` at an exercise time; :func:`next_change` tells when a condition
that depends on the clock may next change value, so the engine can fire conditional injects
at the exact instant they become due, whatever the polling rhythm.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

from drillsim.durations import Duration
from drillsim.scenario.shape import Id, Model, spec
from drillsim.timegrid import on_grid

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal, Protocol
else:
    from drillsim.scenario.shape import Literal

    Protocol = object


class AllOf(Model):
    all: tuple[Condition, ...] = spec("Every one of these conditions holds.")


class AnyOf(Model):
    any: tuple[Condition, ...] = spec("At least one of these conditions holds.")


class Not(Model):
    negated: Condition = spec("This condition does not hold.", key="not")


class After(Model):
    after: Duration = spec("Exercise time is at least this (T+).")


class Before(Model):
    before: Duration = spec("Exercise time is still below this (T+).")


class FactRevealed(Model):
    fact: Id = spec("This fact has been revealed to the team by an inject.")


class OptionRef(Model):
    decision: Id = spec("The decision's id.")
    option: Id = spec("The option's id within that decision.")


class Chosen(Model):
    chosen: OptionRef = spec("The team chose (or defaulted to) this option.")


class SilenceRef(Model):
    audience: Id = spec("The audience's id.")
    longer_than: Duration = spec(
        "How long without an update (counted from the last update, or T+0).", key="for"
    )


class Silent(Model):
    silent: SilenceRef = spec("An audience has heard nothing for at least this long.")


class ExpectationFailed(Model):
    expectation_failed: Id = spec("This expectation's deadline passed unmet.")


class ExpectationMet(Model):
    expectation_met: Id = spec("This expectation was met in time.")


IncidentState = Literal["open", "resolved"]


class IncidentIs(Model):
    incident: IncidentState = spec("The incident's true state.")


class IncidentOpenFor(Model):
    incident_open_for: Duration = spec(
        "The incident is still open and has lasted at least this long (true state)."
    )


class FlagSet(Model):
    flag: Id = spec("A truth flag (defined under truth.flags) holds.")


class ActionTaken(Model):
    action_taken: Id = spec("The team took this catalogue action.")


class InjectDelivered(Model):
    inject_delivered: Id = spec("This inject has been delivered.")


Condition = (
    bool
    | AllOf
    | AnyOf
    | Not
    | After
    | Before
    | FactRevealed
    | Chosen
    | Silent
    | ExpectationFailed
    | ExpectationMet
    | IncidentIs
    | IncidentOpenFor
    | FlagSet
    | ActionTaken
    | InjectDelivered
)

CONDITION_FORMS: tuple[type, ...] = (
    AllOf,
    AnyOf,
    Not,
    After,
    Before,
    FactRevealed,
    Chosen,
    Silent,
    ExpectationFailed,
    ExpectationMet,
    IncidentIs,
    IncidentOpenFor,
    FlagSet,
    ActionTaken,
    InjectDelivered,
)


class ConditionContext(Protocol):
    """What a condition can ask about a drill at some exercise time."""

    def fact_revealed(self, fact: str) -> bool: ...
    def option_chosen(self, decision: str, option: str) -> bool: ...
    def last_update(self, audience: str) -> float | None: ...
    def expectation(self, expectation: str) -> str | None: ...
    def resolved_at(self) -> float | None: ...
    def flag_condition(self, name: str) -> Condition: ...
    def action_taken(self, action: str) -> bool: ...
    def inject_delivered(self, inject: str) -> bool: ...


def holds(condition: Condition, context: ConditionContext, t: float) -> bool:
    """Whether ``condition`` holds at exercise time ``t`` in ``context``."""
    match condition:
        case bool():
            return condition
        case AllOf(all=items):
            return all(holds(item, context, t) for item in items)
        case AnyOf(any=items):
            return any(holds(item, context, t) for item in items)
        case Not(negated=inner):
            return not holds(inner, context, t)
        case After(after=at):
            return t >= at
        case Before(before=at):
            return t < at
        case FactRevealed(fact=fact):
            return context.fact_revealed(fact)
        case Chosen(chosen=ref):
            return context.option_chosen(ref.decision, ref.option)
        case Silent(silent=ref):
            last = context.last_update(ref.audience)
            return t >= on_grid((last if last is not None else 0.0) + ref.longer_than)
        case ExpectationFailed(expectation_failed=name):
            return context.expectation(name) == "failed"
        case ExpectationMet(expectation_met=name):
            return context.expectation(name) == "met"
        case IncidentIs(incident=state):
            resolved = context.resolved_at()
            is_resolved = resolved is not None and resolved <= t
            return is_resolved == (state == "resolved")
        case IncidentOpenFor(incident_open_for=span):
            resolved = context.resolved_at()
            return t >= span and (resolved is None or resolved > t)
        case FlagSet(flag=name):
            return holds(context.flag_condition(name), context, t)
        case ActionTaken(action_taken=name):
            return context.action_taken(name)
        case InjectDelivered(inject_delivered=name):
            return context.inject_delivered(name)
    raise TypeError(f"not a condition: {condition!r}")


def next_change(condition: Condition, context: ConditionContext, after: float) -> float:
    """Earliest time after ``after`` when the clock alone may flip ``condition``.

    Returns ``math.inf`` when only a state change (an inject, an action) can flip it.
    """
    match condition:
        case AllOf(all=items) | AnyOf(any=items):
            return min((next_change(item, context, after) for item in items), default=math.inf)
        case Not(negated=inner):
            return next_change(inner, context, after)
        case After(after=at) | Before(before=at) | IncidentOpenFor(incident_open_for=at):
            return float(at) if at > after else math.inf
        case Silent(silent=ref):
            last = context.last_update(ref.audience)
            silent_from = on_grid((last if last is not None else 0.0) + ref.longer_than)
            return silent_from if silent_from > after else math.inf
        case FlagSet(flag=name):
            return next_change(context.flag_condition(name), context, after)
    return math.inf


Test = Callable[["ConditionContext", float], bool]
"""A condition compiled for :func:`holds`: (context, t) -> whether it holds at t."""
Clock = Callable[["ConditionContext", float], float]
"""A condition compiled for :func:`next_change`: (context, after) -> its next change."""


def compile_condition(condition: Condition, flags: dict[str, Condition]) -> tuple[Test, Clock]:
    """``condition`` as two closures that answer :func:`holds` and :func:`next_change` for a
    context whose flags are ``flags``, the same answers, without matching the condition's
    shape on every call (a drill asks thousands of times about the same few conditions)."""
    test, clock = _compile(condition, flags, frozenset())
    return test, clock if clock is not None else _never_changes


def _never_changes(context: ConditionContext, after: float) -> float:
    return math.inf


def _compile(
    condition: Condition, flags: dict[str, Condition], followed: frozenset[str]
) -> tuple[Test, Clock | None]:
    """The compiled pair; the clock is None where only a state change can flip it."""
    match condition:
        case bool():
            value = condition
            return (lambda context, t: value), None
        case AllOf(all=items) | AnyOf(any=items):
            parts = [_compile(item, flags, followed) for item in items]
            tests = tuple(test for test, _ in parts)
            clocks = tuple(clock for _, clock in parts if clock is not None)
            if isinstance(condition, AllOf):

                def test(context: ConditionContext, t: float) -> bool:
                    return all(item(context, t) for item in tests)

            else:

                def test(context: ConditionContext, t: float) -> bool:
                    return any(item(context, t) for item in tests)

            if not clocks:
                return test, None
            if len(clocks) == 1:
                return test, clocks[0]
            return test, lambda context, after: min(clock(context, after) for clock in clocks)
        case Not(negated=inner):
            inner_test, inner_clock = _compile(inner, flags, followed)
            return (lambda context, t: not inner_test(context, t)), inner_clock
        case After(after=at) | Before(before=at) | IncidentOpenFor(incident_open_for=at):
            point = float(at)

            def clock(context: ConditionContext, after: float) -> float:
                return point if point > after else math.inf

            if isinstance(condition, After):
                return (lambda context, t: t >= point), clock
            if isinstance(condition, Before):
                return (lambda context, t: t < point), clock

            def open_for(context: ConditionContext, t: float) -> bool:
                resolved = context.resolved_at()
                return t >= point and (resolved is None or resolved > t)

            return open_for, clock
        case Silent(silent=ref):
            audience, span = ref.audience, float(ref.longer_than)

            def silent_from(context: ConditionContext) -> float:
                last = context.last_update(audience)
                return on_grid((last if last is not None else 0.0) + span)

            def silent_clock(context: ConditionContext, after: float) -> float:
                start = silent_from(context)
                return start if start > after else math.inf

            return (lambda context, t: t >= silent_from(context)), silent_clock
        case FlagSet(flag=name) if name in flags and name not in followed:
            return _compile(flags[name], flags, followed | {name})
        case FactRevealed(fact=fact):
            return (lambda context, t: context.fact_revealed(fact)), None
        case Chosen(chosen=ref):
            decision, option = ref.decision, ref.option
            return (lambda context, t: context.option_chosen(decision, option)), None
        case ExpectationFailed(expectation_failed=name):
            return (lambda context, t: context.expectation(name) == "failed"), None
        case ExpectationMet(expectation_met=name):
            return (lambda context, t: context.expectation(name) == "met"), None
        case IncidentIs(incident=state):
            wanted = state == "resolved"

            def incident_is(context: ConditionContext, t: float) -> bool:
                resolved = context.resolved_at()
                return (resolved is not None and resolved <= t) == wanted

            return incident_is, None
        case ActionTaken(action_taken=name):
            return (lambda context, t: context.action_taken(name)), None
        case InjectDelivered(inject_delivered=name):
            return (lambda context, t: context.inject_delivered(name)), None
    # An unknown flag, or one that refers back to itself: asked as holds and next_change ask.
    node = condition
    return (
        lambda context, t: holds(node, context, t),
        lambda context, after: next_change(node, context, after),
    )


def needs_incident_open(condition: Condition, flags: dict[str, Condition]) -> bool:
    """Whether ``condition`` can hold only while the incident is open: once it is resolved,
    it never holds again (every way it can hold asks ``incident: open`` or
    ``incident_open_for``)."""
    match condition:
        case IncidentIs(incident="open") | IncidentOpenFor():
            return True
        case AllOf(all=items):
            return any(needs_incident_open(item, flags) for item in items)
        case AnyOf(any=items):
            return bool(items) and all(needs_incident_open(item, flags) for item in items)
        case FlagSet(flag=name) if name in flags:
            others = {other: flag for other, flag in flags.items() if other != name}
            return needs_incident_open(flags[name], others)
    return False


def depends_on_clock(condition: Condition, flags: dict[str, Condition]) -> bool:
    """Whether the passing of time alone can change the condition's value."""
    for node in walk(condition):
        if isinstance(node, After | Before | Silent | IncidentOpenFor):
            return True
        if isinstance(node, FlagSet) and node.flag in flags:
            others = {name: flag for name, flag in flags.items() if name != node.flag}
            if depends_on_clock(flags[node.flag], others):
                return True
    return False


def time_window(
    condition: Condition,
    flags: dict[str, Condition],
    floor: Callable[[Condition], float] | None = None,
) -> tuple[float, float]:
    """Loose bounds ``[earliest, latest)`` of exercise time in which ``condition`` can hold.

    Used to find conditions that can never hold. ``floor`` gives the earliest time a state
    atom (a fact, an inject, a choice) can become true; without it they are assumed to be
    possible from T+0.
    """
    match condition:
        case bool():
            return (0.0, math.inf) if condition else (math.inf, 0.0)
        case AllOf(all=items):
            windows = [time_window(item, flags, floor) for item in items]
            return (
                max((low for low, _ in windows), default=0.0),
                min((high for _, high in windows), default=math.inf),
            )
        case AnyOf(any=items):
            windows = [time_window(item, flags, floor) for item in items]
            possible = [window for window in windows if window[0] < window[1]]
            if not possible:
                return (math.inf, 0.0)
            return (min(low for low, _ in possible), max(high for _, high in possible))
        case Not(negated=inner):
            match inner:
                case bool():
                    return time_window(not inner, flags, floor)
                case After(after=at):
                    return (0.0, float(at))
                case Before(before=at):
                    return (float(at), math.inf)
            return (0.0, math.inf)
        case After(after=at) | IncidentOpenFor(incident_open_for=at):
            return (float(at), math.inf)
        case Silent(silent=ref):
            return (float(ref.longer_than), math.inf)
        case Before(before=at):
            return (0.0, float(at))
        case FlagSet(flag=name) if name in flags:
            others = {k: v for k, v in flags.items() if k != name}
            return time_window(flags[name], others, floor)
    return (floor(condition) if floor is not None else 0.0, math.inf)


def walk(condition: Condition) -> Iterator[Condition]:
    """Every condition node in ``condition``, depth first."""
    yield condition
    match condition:
        case AllOf(all=items) | AnyOf(any=items):
            for item in items:
                yield from walk(item)
        case Not(negated=inner):
            yield from walk(inner)
