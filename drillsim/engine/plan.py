"""What every drill of a scenario works out about it before it starts: which conditions the
clock alone can flip, what state each condition reads, the injects in delivery order.

A plan is computed once per scenario object and shared by all its drills; it is dropped when
the scenario is freed.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import partial

from drillsim.engine.agenda import Key
from drillsim.scenario.conditions import (
    ActionTaken,
    AllOf,
    AnyOf,
    Chosen,
    Clock,
    Condition,
    ExpectationFailed,
    ExpectationMet,
    FactRevealed,
    FlagSet,
    InjectDelivered,
    Not,
    Silent,
    Test,
    compile_condition,
    depends_on_clock,
    needs_incident_open,
    time_window,
)
from drillsim.scenario.model import Action, Decision, Inject, Scenario, Stream, StreamPhase

Read = tuple[str, str]
"""A piece of drill state a condition reads, as (kind, name): ("fact", "db_down")."""


@dataclass(frozen=True, slots=True)
class Plan:
    """What every drill of a scenario works out about it before it starts (shared)."""

    clocked: dict[int, bool]
    """Per condition (by id): whether the clock alone can flip it; if not, it waits for events."""
    earliest: dict[int, float]
    """Per condition: no condition holds before the earliest time its clock atoms allow."""
    reads: dict[int, tuple[Read, ...]]
    """Per condition: the state it reads (see :class:`~drillsim.engine.watch.ConditionWatch`)."""
    turning: dict[int, tuple[Read, ...]]
    """Per condition: the part of what it reads whose change can make it hold."""
    compiled: dict[int, tuple[Test, Clock]]
    """Per condition, those above and every option's prerequisite, action's justification and
    channel's outage: it compiled (see :func:`~drillsim.scenario.conditions.compile_condition`)."""
    timed_injects: tuple[tuple[float, Inject], ...]
    """Injects with an ``at``, with it, in delivery order."""
    conditional_injects: tuple[tuple[Condition, Inject], ...]
    """Injects with a ``when``, with it, in scenario order."""
    conditional_decisions: tuple[tuple[Condition, Decision], ...]
    """Decisions with a ``when``, with it, in scenario order."""
    expected_actions: tuple[tuple[Condition, Action], ...]
    """Expected actions (format 2), with the condition they are owed from, in scenario order."""
    watched: dict[Key, Condition]
    """The conditions whose next change the drill keeps on its agenda, by what they bring:
    ("inject", id) for a clocked inject, ("affects", id) for an audience's clocked impact,
    ("opens", id) for a clocked decision without an ``at``, ("expects", id) for an expected
    action's clocked condition, ("rate", "stream/index") for a clocked phase of a conditional
    stream (watched both ways until the resolution)."""
    readers: dict[Read, tuple[Key, ...]]
    """Per piece of state, the ``watched`` entries whose condition reads it."""
    open_only: tuple[Key, ...]
    """The ``watched`` entries whose condition holds only while the incident is open: once
    it is resolved, nothing is left to wait for."""
    audience_ids: frozenset[str]
    fact_ids: frozenset[str]
    unknown_ids: frozenset[str]
    action_ids: frozenset[str]
    vendor_etas: frozenset[str]
    """Facts that are a vendor's published resolution time (eta: vendor)."""


_PLANS: dict[int, tuple[weakref.ref[Scenario], Plan]] = {}
"""Plans by scenario id, each dropped when its scenario is freed."""


def plan_of(scenario: Scenario) -> Plan:
    """The plan of ``scenario``, worked out on first use and shared after."""
    owner = id(scenario)
    cached = _PLANS.get(owner)
    if cached is not None and cached[0]() is scenario:
        return cached[1]
    flags = scenario.truth.flags
    expected_actions = tuple(
        (action.expected.owed_while, action)
        for action in scenario.actions
        if action.expected is not None
    )
    conditional = [
        *(inject.when for inject in scenario.injects if inject.when is not None),
        *(decision.when for decision in scenario.decisions if decision.when is not None),
        *(audience.impacted for audience in scenario.audiences),
        *(when for when, _ in expected_actions),
        *(phase.when for _, phase in _phases(scenario)),
    ]
    order = {inject.id: index for index, inject in enumerate(scenario.injects)}
    clocked = {id(c): depends_on_clock(c, flags) for c in conditional}
    reads = {id(c): _reads(c, flags) for c in conditional}
    conditional_injects = tuple((i.when, i) for i in scenario.injects if i.when is not None)
    watched: dict[Key, Condition] = {
        **{
            ("inject", inject.id): when for when, inject in conditional_injects if clocked[id(when)]
        },
        **{("affects", a.id): a.impacted for a in scenario.audiences if clocked[id(a.impacted)]},
        **{
            ("opens", d.id): d.when
            for d in scenario.decisions
            if d.at is None and d.when is not None and clocked[id(d.when)]
        },
        **{("expects", a.id): when for when, a in expected_actions if clocked[id(when)]},
        **{key: phase.when for key, phase in _phases(scenario) if clocked[id(phase.when)]},
    }
    readers: dict[Read, list[Key]] = {}
    for key, condition in watched.items():
        for read in reads[id(condition)][0]:
            readers.setdefault(read, []).append(key)
    plan = Plan(
        clocked=clocked,
        earliest={id(c): time_window(c, flags)[0] for c in conditional},
        reads={key: every for key, (every, _) in reads.items()},
        turning={key: turning for key, (_, turning) in reads.items()},
        compiled={
            id(c): compile_condition(c, flags)
            for c in [
                *conditional,
                *(option.requires for d in scenario.decisions for option in d.options),
                *(action.justified_if for action in scenario.actions),
                *(channel.down for channel in scenario.channels),
            ]
        },
        timed_injects=tuple(
            sorted(
                (
                    (float(inject.at), inject)
                    for inject in scenario.injects
                    if inject.at is not None
                ),
                key=lambda timed: (timed[0], order[timed[1].id]),
            )
        ),
        conditional_injects=conditional_injects,
        conditional_decisions=tuple((d.when, d) for d in scenario.decisions if d.when is not None),
        expected_actions=expected_actions,
        watched=watched,
        readers={read: tuple(keys) for read, keys in readers.items()},
        open_only=tuple(
            key for key, condition in watched.items() if needs_incident_open(condition, flags)
        ),
        audience_ids=frozenset(audience.id for audience in scenario.audiences),
        fact_ids=frozenset(fact.id for fact in scenario.facts),
        unknown_ids=frozenset(unknown.id for unknown in scenario.unknowns),
        action_ids=frozenset(action.id for action in scenario.actions),
        vendor_etas=frozenset(fact.id for fact in scenario.facts if fact.eta == "vendor"),
    )
    # The callback must not hold the scenario itself, or it would never be freed.
    _PLANS[owner] = (weakref.ref(scenario, partial(_forget_plan, owner)), plan)
    return plan


def _phases(scenario: Scenario) -> list[tuple[Key, StreamPhase]]:
    """The phases of the scenario's conditional streams, each with its agenda key."""
    return [
        (("rate", f"{name}/{index}"), phase)
        for name, stream in scenario.impact.streams.items()
        if isinstance(stream, Stream)
        for index, phase in enumerate(stream.phases)
    ]


def _forget_plan(owner: int, _freed: object) -> None:
    _PLANS.pop(owner, None)


def _reads(
    condition: Condition, flags: dict[str, Condition]
) -> tuple[tuple[Read, ...], tuple[Read, ...]]:
    """The state ``condition`` reads through the condition protocol (flags followed), and
    the part of it whose change can make the condition hold where it did not.

    An update to an audience only ever pushes its ``silent`` time later: where every such
    atom counts positively (under an even number of ``not``), an update cannot make the
    condition hold, so it is left out of the second list.
    """
    polarity: dict[Read, set[bool]] = {}

    def visit(node: Condition, positive: bool, followed: frozenset[str]) -> None:
        read: Read | None = None
        match node:
            case AllOf(all=items) | AnyOf(any=items):
                for item in items:
                    visit(item, positive, followed)
            case Not(negated=inner):
                visit(inner, not positive, followed)
            case FlagSet(flag=name) if name in flags and name not in followed:
                visit(flags[name], positive, followed | {name})
            case FactRevealed(fact=fact):
                read = ("fact", fact)
            case Chosen(chosen=ref):
                read = ("chosen", ref.decision)
            case Silent(silent=ref):
                read = ("silent", ref.audience)
            case ExpectationFailed(expectation_failed=name) | ExpectationMet(expectation_met=name):
                read = ("expectation", name)
            case ActionTaken(action_taken=name):
                read = ("action", name)
            case InjectDelivered(inject_delivered=name):
                read = ("inject", name)
        if read is not None:
            polarity.setdefault(read, set()).add(positive)

    visit(condition, True, frozenset())
    every = tuple(polarity)
    return every, tuple(read for read in every if read[0] != "silent" or False in polarity[read])
