"""A run's events, indexed for questions like "what did the team know at T+20?".

A :class:`View` answers the condition protocol as of an exercise time and an event sequence
number, so a condition is judged exactly as the engine would have judged it then.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import msgspec

from drillsim.engine import events as ev
from drillsim.engine.actions import carries_content
from drillsim.engine.events import Event
from drillsim.scenario.conditions import (
    ActionTaken,
    Chosen,
    Condition,
    ExpectationFailed,
    ExpectationMet,
    FactRevealed,
    FlagSet,
    IncidentIs,
    IncidentOpenFor,
    InjectDelivered,
    Silent,
    holds,
    next_change,
    walk,
)
from drillsim.scenario.model import Audience, Distribution, Scenario
from drillsim.templates import fill
from scoring.memo import per_scenario


class Update(msgspec.Struct, frozen=True):
    """One stakeholder update as the journal recorded it (a msgspec struct: runs have many,
    and one builds several times faster than a NamedTuple)."""

    seq: int
    t: float
    audiences: tuple[str, ...]
    """The audiences it reached: those it bounced for are in ``bounced`` instead."""
    facts: tuple[str, ...]
    unknowns: tuple[str, ...]
    status: str
    next_update_in: float | None
    eta: bool | str
    """True: a resolution time given; "vendor": the vendor's published one relayed."""
    text: str
    doing: tuple[str, ...]
    says_something: bool
    """It says something (see carries_content): an empty update breaks nobody's silence."""
    cited: frozenset[str]
    """The facts it cites that the team had learned when it was sent (revealed before it, by
    its time); citing any other is speculation."""
    bounced: tuple[str, ...] = ()
    """Audiences it was sent to but never reached: the channel was down (format 2)."""


class Choice(msgspec.Struct, frozen=True):
    """How a plan-B decision closed."""

    decision: str
    opened_at: float
    closed_at: float
    option: str | None
    reason: str
    seq: int


@dataclass(slots=True)
class Timeline:
    """Everything scoring needs from a run's events, in order."""

    scenario: Scenario
    seed: int
    true_duration: float
    end: float
    ended_by: str
    events: list[Event]
    updates: list[Update] = field(default_factory=list)
    delivered: dict[str, tuple[float, int]] = field(default_factory=dict)
    revealed: dict[str, tuple[float, int]] = field(default_factory=dict)
    beliefs: list[tuple[float, int, Distribution]] = field(default_factory=list)
    choices: dict[str, Choice] = field(default_factory=dict)
    opened: dict[str, float] = field(default_factory=dict)
    expectations: dict[str, tuple[str, float, int]] = field(default_factory=dict)
    actions: list[tuple[float, int, str]] = field(default_factory=list)
    resolution_seen: float | None = None
    _audience_updates: dict[str, list[tuple[float, int]]] = field(default_factory=dict)
    _action_stamps: dict[str, list[tuple[float, int]]] = field(default_factory=dict)
    _by_type: dict[type[Event], list[float]] = field(default_factory=dict)
    """The times of the run's events of each type, in order (indexed by :func:`build`)."""
    _times: dict[frozenset[type[Event]], list[float]] = field(default_factory=dict)
    _impacted: dict[str, float | None] = field(default_factory=dict)
    _known: dict[int, frozenset[str]] = field(default_factory=dict)
    """What the team knew when each update was sent, by its seq (indexed by :func:`build`)."""
    _rendered: dict[str, str] = field(default_factory=dict)

    def arisen(self, decision: str) -> float | None:
        """When ``decision`` opened in play; None when it never did, or only as play ended
        (its condition first held at the very end: the team had no moment to decide, so it
        did not arise and is not judged)."""
        opened = self.opened.get(decision)
        return opened if opened is not None and opened < self.end else None

    @property
    def resolved_in_play(self) -> bool:
        return self.resolution_seen is not None

    @property
    def partial(self) -> bool:
        """Stopped before its end (a crash, or ended early) while the incident was still open."""
        return (
            self.ended_by != "time"
            and self.end < float(self.scenario.length) - 1e-6
            and self.resolution_seen is None
        ) or self.ended_by == "unfinished"

    def render(self, text: str) -> str:
        """Scenario text with this run's variables filled in (each text once: the scores
        name an audience, a decision or an option many times)."""
        rendered = self._rendered.get(text)
        if rendered is None:
            start = self.events[0]
            variables = start.variables if isinstance(start, ev.DrillStarted) else {}
            rendered = self._rendered[text] = fill(text, variables)
        return rendered

    def known_at(self, update: Update) -> frozenset[str]:
        """The facts revealed before ``update`` was sent: what the team knew then (runs of
        updates between two revelations share one set)."""
        return self._known[update.seq]

    def view(self, t: float, before_seq: int | None = None) -> View:
        """The state at exercise time ``t``, counting only events before ``before_seq``."""
        return View(self, t, math.inf if before_seq is None else before_seq)

    def belief_at(self, t: float) -> Distribution:
        """The team's belief in force at exercise time ``t``."""
        current = self.scenario.belief
        for when, _, belief in self.beliefs:
            if when <= t:
                current = belief
        return current

    def first_holding(self, condition: Condition, start: float, stop: float) -> float | None:
        """First exercise time in [start, stop] at which ``condition`` holds, if any.

        A condition changes value only when the clock passes one of its times or when an
        event that it can see happens, so only those instants are examined.
        """
        if isinstance(condition, bool):  # ``true`` or ``false``: from the start, or never
            return start if condition else None
        times = sorted({start, *(t for t in self._state_times(condition) if start < t <= stop)})
        for index, t in enumerate(times):
            view = self.view(t)
            if holds(condition, view, t):
                return t
            limit = times[index + 1] if index + 1 < len(times) else stop
            probe = t
            while True:
                probe = next_change(condition, view, probe)
                if probe >= limit:
                    break
                if holds(condition, self.view(probe), probe):
                    return probe
        # ``stop`` itself, when the clock alone makes the condition hold there (a run so far).
        return stop if stop > times[-1] and holds(condition, self.view(stop), stop) else None

    def _state_times(self, condition: Condition) -> list[float]:
        """The times of the events ``condition`` can see (what it reads, flags followed)."""
        return self.times_of(seen_by(condition, self.scenario))

    def times_of(self, kinds: frozenset[type[Event]]) -> list[float]:
        """The times of the run's events of these types, in order."""
        times = self._times.get(kinds)
        if times is None:
            times = self._times[kinds] = sorted(
                t for kind in kinds for t in self._by_type.get(kind, ())
            )
        return times

    def first_word(self, audience: str) -> float | None:
        """When ``audience`` first got an update that said something (None: never)."""
        stamps = self._audience_updates.get(audience)
        return stamps[0][0] if stamps else None

    def first_taken(self, action: str) -> float | None:
        """When the team first took catalogue action ``action`` (None: never)."""
        stamps = self._action_stamps.get(action)
        return stamps[0][0] if stamps else None

    def affected_spans(self, audience: Audience, stop: float) -> list[tuple[float, float]]:
        """The spans up to ``stop`` in which the audience was affected: one from
        :meth:`impacted_from` on, or for an audience affected both ways (format 2) each span
        between its ``audience_affected`` and ``audience_unaffected`` events."""
        start = self.impacted_from(audience)
        if start is None or start >= stop:
            return []
        if not audience.impacted_both_ways:
            return [(start, stop)]
        spans: list[tuple[float, float]] = []
        since: float | None = None
        for event in self.events:
            if event.t >= stop:
                break
            if isinstance(event, ev.AudienceAffected) and event.audience == audience.id:
                since = event.t if since is None else since
            elif isinstance(event, ev.AudienceUnaffected) and event.audience == audience.id:
                if since is not None and event.t > since:
                    spans.append((since, event.t))
                since = None
        if since is not None and stop > since:
            spans.append((since, stop))
        return spans

    def impacted_from(self, audience: Audience) -> float | None:
        """When the audience first became impacted during play (None: never); for one
        affected both ways (format 2), its first ``audience_affected`` (the engine's order
        within an instant decides a condition that flips twice in it)."""
        if audience.id not in self._impacted:
            if audience.impacted_both_ways:
                self._impacted[audience.id] = next(
                    (
                        e.t
                        for e in self.events
                        if isinstance(e, ev.AudienceAffected) and e.audience == audience.id
                    ),
                    None,
                )
            else:
                self._impacted[audience.id] = self.first_holding(audience.impacted, 0.0, self.end)
        return self._impacted[audience.id]


_SEEN_BY: dict[type, tuple[type[Event], ...]] = {
    FactRevealed: (ev.InjectDelivered,),
    InjectDelivered: (ev.InjectDelivered,),
    Chosen: (ev.DecisionClosed,),
    Silent: (ev.UpdateSent,),
    ExpectationMet: (ev.ExpectationMet, ev.ExpectationFailed),
    ExpectationFailed: (ev.ExpectationMet, ev.ExpectationFailed),
    ActionTaken: (ev.ActionTaken,),
    # The true end of the outage flips these with no clock time of their own to probe.
    IncidentIs: (ev.IncidentResolved,),
    IncidentOpenFor: (ev.IncidentResolved,),
}
"""The events that can change what each kind of condition sees (besides the clock)."""

VISIBLE: frozenset[type[Event]] = frozenset(kind for kinds in _SEEN_BY.values() for kind in kinds)
"""Every type of event a condition can see."""


def seen_by(condition: Condition, scenario: Scenario) -> frozenset[type[Event]]:
    """The types of event that can change what ``condition`` sees (flags followed)."""
    return frozenset(
        kind
        for node in _walk_with_flags(condition, scenario)
        for kind in _SEEN_BY.get(type(node), ())
    )


def _walk_with_flags(condition: Condition, scenario: Scenario) -> Iterator[Condition]:
    seen: set[str] = set()
    pending = [condition]
    while pending:
        for node in walk(pending.pop()):
            yield node
            if isinstance(node, FlagSet) and node.flag not in seen:
                seen.add(node.flag)
                pending.append(scenario.truth.flags.get(node.flag, False))


class View(msgspec.Struct, frozen=True):
    """Answers the condition protocol for a timeline at one moment (a struct: scoring asks
    for one at every moment a condition is judged)."""

    timeline: Timeline
    t: float
    before: float

    def _seen(self, stamp: tuple[float, int] | None) -> bool:
        return stamp is not None and stamp[0] <= self.t and stamp[1] < self.before

    def fact_revealed(self, fact: str) -> bool:
        return self._seen(self.timeline.revealed.get(fact))

    def option_chosen(self, decision: str, option: str) -> bool:
        choice = self.timeline.choices.get(decision)
        return (
            choice is not None
            and choice.option == option
            and self._seen((choice.closed_at, choice.seq))
        )

    def last_update(self, audience: str) -> float | None:
        stamps = self.timeline._audience_updates.get(audience, [])
        index = bisect_right(stamps, (self.t, self.before - 0.5)) - 1
        return stamps[index][0] if index >= 0 else None

    def expectation(self, expectation: str) -> str | None:
        found = self.timeline.expectations.get(expectation)
        if found is None or not self._seen((found[1], found[2])):
            return "pending" if found is not None else None
        return found[0]

    def resolved_at(self) -> float | None:
        return self.timeline.true_duration

    def flag_condition(self, name: str) -> Condition:
        return self.timeline.scenario.truth.flags[name]

    def action_taken(self, action: str) -> bool:
        stamps = self.timeline._action_stamps.get(action)
        return stamps is not None and bool(stamps) and self._seen(stamps[0])

    def inject_delivered(self, inject: str) -> bool:
        return self._seen(self.timeline.delivered.get(inject))


class JournalMismatch(ValueError):
    """The events do not belong to this scenario (or are incomplete)."""


def build(scenario: Scenario, events: Iterable[Event], until: float | None = None) -> Timeline:
    """Index a run's events; raise JournalMismatch if they cannot be from ``scenario``.

    ``until``: how far the live clock got, for a run cut short after its last event.
    """
    ordered = sorted(events, key=attrgetter("seq"))
    if not ordered or not isinstance(ordered[0], ev.DrillStarted):
        raise JournalMismatch("the run has no drill_started event")
    start = ordered[0]
    if start.scenario != scenario.id or start.version != scenario.version:
        raise JournalMismatch(
            f"the run is of {start.scenario} {start.version}, not {scenario.id} {scenario.version}"
        )
    last = ordered[-1]
    ended = isinstance(last, ev.DrillEnded)
    timeline = Timeline(
        scenario=scenario,
        seed=start.seed,
        true_duration=start.truth.duration,
        end=last.t if ended or until is None else max(last.t, until),
        ended_by=last.reason if isinstance(last, ev.DrillEnded) else "unfinished",
        events=ordered,
    )
    memo = per_scenario(scenario, _Indexing)
    if memo.known is None:
        memo.known = {
            "audience": {a.id for a in scenario.audiences},
            "inject": {i.id for i in scenario.injects},
            "decision": {d.id: {o.id for o in d.options} for d in scenario.decisions},
            "action": {a.id for a in scenario.actions},
            "fact": {f.id for f in scenario.facts},
            "channel": {c.id for c in scenario.channels},
        }
    known = memo.known
    audiences: set[str] = known["audience"]
    facts: set[str] = known["fact"]
    updates = timeline.updates
    stamps = timeline._audience_updates
    stamps.update((audience, []) for audience in audiences)
    learned = _Learned(timeline.revealed)
    by_type = timeline._by_type
    for event in ordered:
        if not isinstance(event, ev.UpdateSent):
            _index(timeline, event, known, memo.beliefs)
            by_type.setdefault(type(event), []).append(event.t)
            continue
        # Updates are most of a long run's events: indexed inline.
        if (
            not audiences.issuperset(event.audiences)
            or not facts.issuperset(event.facts)
            or (event.channel is not None and event.channel not in known["channel"])
        ):
            _index(timeline, event, known, memo.beliefs)  # raises with the precise complaint
        known_then = learned.known(event)
        update = Update(
            event.seq,
            event.t,
            event.audiences,
            event.facts,
            event.unknowns,
            event.status,
            event.next_update_in,
            event.eta,
            event.text,
            event.doing,
            carries_content(event.facts, event.unknowns, event.next_update_in, event.status),
            known_then.intersection(event.facts) if event.facts else _NOTHING,
        )
        timeline._known[event.seq] = known_then
        updates.append(update)
        if update.says_something:
            stamp = (event.t, event.seq)
            for audience in event.audiences:
                stamps[audience].append(stamp)
    if updates:
        by_type[ev.UpdateSent] = [update.t for update in updates]
    if timeline.ended_by == "unfinished":  # close what the engine would have closed
        for decision, opened in timeline.opened.items():
            if decision not in timeline.choices:
                timeline.choices[decision] = Choice(
                    decision, opened, timeline.end, None, "unfinished", last.seq
                )
    _check_truth(timeline)
    return timeline


@dataclass(slots=True)
class _Indexing:
    """What indexing runs works out once per scenario (:func:`scoring.memo.per_scenario`)."""

    known: dict[str, Any] | None = None
    """The ids a run's events may name, by kind (a run naming another is not of this
    scenario); worked out on first use."""
    beliefs: dict[ev.Belief, Distribution] = field(default_factory=dict)
    """Each belief the runs recorded, as the scenario's distribution: one for every run."""


class _Learned:
    """The facts revealed so far as a run's events are indexed in order: what the team knew
    when each update was sent (:meth:`Timeline.known_at`), and so the facts it cites
    (:attr:`Update.cited`)."""

    __slots__ = ("facts", "latest", "revealed")

    def __init__(self, revealed: dict[str, tuple[float, int]]) -> None:
        self.revealed = revealed
        self.facts: frozenset[str] = frozenset()
        self.latest = (-math.inf, -1)
        """The latest time and seq among the revelations in ``facts``."""

    def known(self, update: ev.UpdateSent) -> frozenset[str]:
        revealed = self.revealed
        if len(revealed) != len(self.facts):  # facts revealed since the last update
            new = list(revealed.values())[len(self.facts) :]  # a dict keeps them in order
            self.facts = frozenset(revealed)
            latest_t, latest_seq = self.latest
            self.latest = (
                max(latest_t, *(t for t, _ in new)),
                max(latest_seq, *(seq for _, seq in new)),
            )
        if self.latest[0] <= update.t and self.latest[1] < update.seq:
            return self.facts
        # Out of order (a journal with a revelation stamped later than the update).
        return frozenset(
            fact
            for fact, stamp in revealed.items()
            if stamp[0] <= update.t and stamp[1] < update.seq
        )


_NOTHING: frozenset[str] = frozenset()


def _check_truth(timeline: Timeline) -> None:
    """The recorded hidden outage length must agree with the run itself."""
    seen = timeline.resolution_seen
    truth = timeline.true_duration
    if seen is not None and abs(seen - truth) > 1e-3:  # event times are kept to the millisecond
        raise JournalMismatch(f"the outage is recorded as {truth} s but ended at {seen} s")
    if seen is None and truth <= timeline.end and timeline.ended_by != "unfinished":
        raise JournalMismatch(f"the outage is recorded as {truth} s but never ended in play")


def _check(value: object, allowed: Container[object], what: str, event: Event) -> None:
    if value not in allowed:
        raise JournalMismatch(f"event {event.seq} names {what} {value!r}, unknown to this scenario")


def _index(
    timeline: Timeline,
    event: Event,
    known: dict[str, Any],
    beliefs: dict[ev.Belief, Distribution],
) -> None:
    t, seq = event.t, event.seq
    match event:
        case ev.InjectDelivered():
            _check(event.inject, known["inject"], "inject", event)
            timeline.delivered.setdefault(event.inject, (t, seq))
            for fact in event.reveals:
                timeline.revealed.setdefault(fact, (t, seq))
            if event.belief is not None:
                belief = beliefs.get(event.belief)
                if belief is None:
                    belief = beliefs[event.belief] = event.belief.distribution()
                timeline.beliefs.append((t, seq, belief))
        case ev.UpdateSent():  # indexed in build(); here only to name what is wrong
            for audience in event.audiences:
                _check(audience, known["audience"], "audience", event)
            for fact in event.facts:
                _check(fact, known["fact"], "fact", event)
            if event.channel is not None:
                _check(event.channel, known["channel"], "channel", event)
        case ev.DecisionOpened():
            _check(event.decision, known["decision"], "decision", event)
            timeline.opened[event.decision] = t
        case ev.DecisionClosed():
            decision = event.decision
            _check(decision, known["decision"], "decision", event)
            if event.option is not None:
                _check(event.option, known["decision"][decision], "option", event)
            timeline.choices[decision] = Choice(
                decision, timeline.opened.get(decision, t), t, event.option, event.reason, seq
            )
        case ev.ExpectationMet() | ev.ExpectationFailed():
            status = "met" if isinstance(event, ev.ExpectationMet) else "failed"
            timeline.expectations[event.expectation] = (status, t, seq)
        case ev.ActionTaken():
            _check(event.action, known["action"], "action", event)
            timeline.actions.append((t, seq, event.action))
            timeline._action_stamps.setdefault(event.action, []).append((t, seq))
        case ev.IncidentResolved():
            timeline.resolution_seen = t
        case ev.UpdateBounced():
            _check(event.channel, known["channel"], "channel", event)
            _bounce(timeline, event)


def _bounce(timeline: Timeline, event: ev.UpdateBounced) -> None:
    """The update did not reach the audience: it moves to the update's ``bounced``, and
    breaks no silence of that audience."""
    updates = timeline.updates
    index = next(
        (i for i in range(len(updates) - 1, -1, -1) if updates[i].seq == event.update), None
    )
    if index is None or event.audience not in updates[index].audiences:
        raise JournalMismatch(
            f"event {event.seq} bounces update {event.update} for {event.audience!r}, "
            "which that update did not go to"
        )
    update = updates[index]
    updates[index] = msgspec.structs.replace(
        update,
        audiences=tuple(a for a in update.audiences if a != event.audience),
        bounced=(*update.bounced, event.audience),
    )
    stamps = timeline._audience_updates.get(event.audience, [])
    if (update.t, update.seq) in stamps:
        stamps.remove((update.t, update.seq))


__all__ = ["Choice", "JournalMismatch", "Timeline", "Update", "View", "build"]
